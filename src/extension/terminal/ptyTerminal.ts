import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import type { PtySession } from '../../core/ssh';

export type PtyStarter = (dimensions: { rows: number; cols: number }) => Promise<PtySession>;

/**
 * A VS Code terminal backed by a remote PTY over the host's SSH connection: colours, Ctrl-C and
 * resize go to the remote process; closing the terminal ends it.
 */
export class PtyTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private process: PtySession | undefined;
  private disposed = false;
  // Keystrokes typed (or sent) before the remote process is up are kept, not lost.
  private pendingInput: string[] = [];
  // A multi-byte character can be split across chunks: decode as a stream.
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly start: PtyStarter,
    private readonly logger: Logger,
    private readonly banner?: string,
    /** Rewrites output before display (e.g. colours oslo.log levels). */
    private readonly transform: (text: string) => string = (text) => text,
  ) {}

  open(initialDimensions: vscode.TerminalDimensions | undefined): void {
    if (this.banner) this.written.fire(`\x1b[2m${this.banner}\x1b[0m\r\n`);
    const dimensions = { rows: initialDimensions?.rows ?? 24, cols: initialDimensions?.columns ?? 80 };
    this.start(dimensions).then(
      (process) => {
        if (this.disposed) {
          process.close();
          return;
        }
        this.process = process;
        for (const data of this.pendingInput) process.write(data);
        this.pendingInput = [];
        process.onData((chunk) => this.written.fire(this.transform(this.decoder.decode(chunk, { stream: true }))));
        process.onExit((exit) => {
          this.process = undefined;
          this.closed.fire(exit.code ?? undefined);
        });
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error(`Terminal failed to start: ${message}`);
        this.written.fire(`\r\n\x1b[31m${message.replace(/\n/g, '\r\n')}\x1b[0m\r\n`);
        this.closed.fire(1);
      },
    );
  }

  handleInput(data: string): void {
    if (this.process) this.process.write(data);
    else if (!this.disposed) this.pendingInput.push(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.process?.resize(dimensions.rows, dimensions.columns);
  }

  close(): void {
    this.disposed = true;
    this.process?.close();
    this.process = undefined;
  }
}
