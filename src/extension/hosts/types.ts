import type { ExecOptions, ExecResult, PtyOptions } from '../../core/process/types';

/** A host as configured in `osaDev.hosts`. */
export interface HostEntry {
  /** An alias from the SSH config, or user@address:port. Unique key of the host. */
  readonly host: string;
  readonly label: string;
}

/** An interactive process on the host with a PTY, for terminals. */
export interface PtyProcess {
  write(data: string): void;
  resize(rows: number, cols: number): void;
  onData(listener: (data: string) => void): void;
  onExit(listener: (code: number | null) => void): void;
  close(): void;
}

/** The one SSH connection to a host, shared by the tree, terminals and commands. */
export interface HostConnection {
  exec(commandLine: string, options?: ExecOptions): Promise<ExecResult>;
  openPty(commandLine: string, options: PtyOptions): Promise<PtyProcess>;
  dispose(): void;
}
