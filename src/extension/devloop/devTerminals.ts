import * as vscode from 'vscode';
import { stopForegroundArgv } from '../../core/devloop/foreground';
import { colorizeOsloLog } from '../../core/model/osloLog';
import type { ContainerRuntime } from '../../core/runtime/types';
import { shellJoin } from '../../core/shell/quote';
import type { SshHost } from '../../core/ssh';
import { ContextKeys } from '../constants';
import { PtyTerminal } from '../terminal/ptyTerminal';

interface DevProcess {
  readonly host: string;
  readonly container: string;
  readonly unit: string;
  readonly argv: readonly string[];
  terminal: vscode.Terminal;
}

/**
 * The foreground dev processes: one terminal per (host, container, unit). Ctrl-C stops the
 * process, closing the terminal stops it too (by its pid file, in case the hang-up did not reach
 * it), and Restart starts it again in a fresh terminal.
 */
export class DevTerminals implements vscode.Disposable {
  private readonly processes = new Map<string, DevProcess>();
  private readonly closing = new Set<vscode.Terminal>();
  private readonly subscription: vscode.Disposable;

  constructor(
    /** The connection to the physical host that runs the container. */
    private readonly connection: (host: string, container: string) => Promise<SshHost>,
    // The runtime of the host's listing of the container (Kolla names repeat across hosts).
    private readonly runtimeOn: (host: string) => ContainerRuntime,
    private readonly logger: vscode.LogOutputChannel,
  ) {
    this.subscription = vscode.window.onDidCloseTerminal((terminal) => void this.onClosed(terminal));
  }

  open(host: string, container: string, unit: string, argv: readonly string[]): vscode.Terminal {
    const key = `${host}/${container}/${unit}`;
    const existing = this.processes.get(key);
    if (existing) {
      this.closing.add(existing.terminal);
      existing.terminal.dispose();
    }
    const line = shellJoin(argv);
    this.logger.info(`[${host}] run ${unit} in the foreground: ${line}`);
    const pty = new PtyTerminal(
      async ({ rows, cols }) => (await this.connection(host, container)).openPty(line, { rows, cols, term: 'xterm-256color' }),
      this.logger,
      `${unit} (dev) in ${container} — Ctrl-C stops it, "OSA Dev: Restart Dev Process" restarts it`,
      colorizeOsloLog,
    );
    const terminal = vscode.window.createTerminal({ name: `${unit} (dev) · ${container}`, pty, iconPath: new vscode.ThemeIcon('debug-alt') });
    this.processes.set(key, { host, container, unit, argv, terminal });
    void this.updateContext();
    terminal.show();
    return terminal;
  }

  /** Restarts the dev process of the active terminal, or the only one there is. */
  restart(terminal: vscode.Terminal | undefined = vscode.window.activeTerminal): vscode.Terminal | undefined {
    const target = [...this.processes.values()].find((p) => p.terminal === terminal) ?? (this.processes.size === 1 ? [...this.processes.values()][0] : undefined);
    if (!target) return undefined;
    return this.open(target.host, target.container, target.unit, target.argv);
  }

  /** Restarts a given unit's dev process, if it has a terminal (the inner loop after a save). */
  restartUnit(host: string, container: string, unit: string): vscode.Terminal | undefined {
    const process = this.processes.get(`${host}/${container}/${unit}`);
    return process ? this.open(host, container, unit, process.argv) : undefined;
  }

  /** Closes the terminals of a container (Restore does it before undoing the steps). */
  closeAll(host: string, container: string): void {
    for (const [key, process] of this.processes) {
      if (process.host === host && process.container === container) {
        this.closing.add(process.terminal);
        process.terminal.dispose();
        this.processes.delete(key);
      }
    }
    void this.updateContext();
  }

  private async onClosed(terminal: vscode.Terminal): Promise<void> {
    const entry = [...this.processes.entries()].find(([, p]) => p.terminal === terminal);
    const replaced = this.closing.delete(terminal);
    if (!entry) return;
    const [key, process] = entry;
    this.processes.delete(key);
    void this.updateContext();
    if (replaced) return;
    // The user closed the terminal: make sure the dev process is gone (the hang-up may not reach it).
    const line = shellJoin(stopForegroundArgv(this.runtimeOn(process.host), process.container, process.unit));
    const result = await this.connection(process.host, process.container).then((ssh) => ssh.exec(line)).catch((error: unknown) => ({ code: 1, stdout: '', stderr: String(error) }));
    if (result.code !== 0) this.logger.warn(`Stopping the dev process of ${process.unit} failed: ${result.stderr}`);
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.devProcessCount, this.processes.size);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
