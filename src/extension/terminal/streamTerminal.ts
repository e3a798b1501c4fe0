import * as vscode from 'vscode';

const KEEP_TRANSCRIPT = 1024 * 1024;

/**
 * A read-only terminal that shows a command's output stream (Ansible's, with its colours) as it
 * arrives. Output written before VS Code opened the terminal is kept and shown on open. Ctrl-C in
 * the terminal calls `onInterrupt` (the caller cancels the run).
 */
export class StreamTerminal implements vscode.Pseudoterminal, vscode.Disposable {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private opened = false;
  private pending: string[] = [];
  private readonly decoder = new TextDecoder();
  private kept = '';
  readonly terminal: vscode.Terminal;

  constructor(
    name: string,
    private readonly onInterrupt?: () => void,
  ) {
    this.terminal = vscode.window.createTerminal({ name, pty: this, iconPath: new vscode.ThemeIcon('output') });
  }

  open(): void {
    this.opened = true;
    for (const text of this.pending) this.written.fire(text);
    this.pending = [];
  }

  close(): void {
    this.opened = false;
  }

  handleInput(data: string): void {
    if (data === '\x03') this.onInterrupt?.();
  }

  /** Raw bytes from the remote command (a multi-byte character may be split across chunks). */
  writeBytes(chunk: Uint8Array): void {
    this.write(this.decoder.decode(chunk, { stream: true }));
  }

  /** Text; bare LFs become CRLF as a terminal needs. */
  write(text: string): void {
    const display = text.replace(/\r?\n/g, '\r\n');
    this.kept = (this.kept + display).slice(-KEEP_TRANSCRIPT);
    if (this.opened) this.written.fire(display);
    else this.pending.push(display);
  }

  /** What was shown so far (its last MB), as written to the terminal. */
  transcript(): string {
    return this.kept;
  }

  /** A dimmed line of our own between the command's output (phase titles, summaries). */
  note(text: string): void {
    this.write(`\x1b[2m${text}\x1b[0m\n`);
  }

  dispose(): void {
    this.terminal.dispose();
    this.written.dispose();
    this.closed.dispose();
  }
}
