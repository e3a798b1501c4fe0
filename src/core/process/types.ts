/** Process-running contracts shared by every transport (SSH today). Pure: no vscode, no ssh2. */
import { clipText } from '../text/shownValue';

export interface ExecResult {
  /** Exit code, or null when the process ended by a signal or the channel closed early. */
  readonly code: number | null;
  readonly signal?: string;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PtyOptions {
  readonly rows: number;
  readonly cols: number;
  readonly term?: string;
}

export interface ExecOptions {
  /** Written to the process's stdin, then stdin is closed. */
  readonly stdin?: string | Uint8Array;
  /** Allocate a pseudo-terminal (colours, Ctrl-C, resize). */
  readonly pty?: PtyOptions;
  /** Aborting signals the remote process (SIGTERM, then the channel is closed). */
  readonly signal?: AbortSignal;
  readonly onStdout?: (chunk: Uint8Array) => void;
  readonly onStderr?: (chunk: Uint8Array) => void;
  /**
   * stdout may hold secrets (config files, journals with their originals, pip.conf credentials):
   * loggers record its size, never its text.
   */
  readonly secretOutput?: boolean;
}

/** Something that runs one shell command line (already quoted by `shellJoin`/`shellLine`). */
export interface ShellRunner {
  exec(commandLine: string, options?: ExecOptions): Promise<ExecResult>;
}

/**
 * A command as data: argv plus the parser of its output. Runners execute; parsers stay pure and
 * are tested on literal output.
 */
export interface CommandSpec<T> {
  readonly argv: readonly string[];
  /** A short human description for progress and logs. */
  readonly describe: string;
  /** Its output may hold secrets (see ExecOptions.secretOutput). */
  readonly secretOutput?: boolean;
  parse(result: ExecResult): T;
}

export class CommandFailedError extends Error {
  constructor(
    readonly commandLine: string,
    readonly result: ExecResult,
    summary?: string,
  ) {
    const stderr = result.stderr.trim().split('\n').slice(-3).join(' | ');
    super(
      `${clipText(summary ?? 'Command failed', 300)} (exit ${result.code ?? result.signal ?? 'unknown'}): ${clipText(commandLine)}` +
        (stderr ? ` — ${stderr}` : ''),
    );
    this.name = 'CommandFailedError';
  }
}

/** Throws `CommandFailedError` unless the command exited 0. */
export function expectSuccess(commandLine: string, result: ExecResult, summary?: string): ExecResult {
  if (result.code !== 0) {
    throw new CommandFailedError(commandLine, result, summary);
  }
  return result;
}
