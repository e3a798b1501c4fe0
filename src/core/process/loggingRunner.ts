import type { Logger } from '../log';
import type { ExecOptions, ExecResult, ShellRunner } from './types';

const TAIL_LINES = 20;

function tail(text: string): string {
  const lines = text.trimEnd().split('\n');
  return (lines.length > TAIL_LINES ? ['…', ...lines.slice(-TAIL_LINES)] : lines).join('\n');
}

/**
 * Logs every command line and how it ended (exit code, last lines of output) — never stdin, which
 * may carry file contents or secrets. Wrap the host runner with it wherever the user should be able
 * to see, in the log channel, what was done to their host.
 */
export class LoggingRunner implements ShellRunner {
  constructor(
    private readonly inner: ShellRunner,
    private readonly logger: Logger,
    private readonly label: string,
  ) {}

  async exec(commandLine: string, options?: ExecOptions): Promise<ExecResult> {
    const started = Date.now();
    this.logger.info(`[${this.label}] $ ${commandLine}`);
    const result = await this.inner.exec(commandLine, options);
    const summary = `[${this.label}] → exit ${result.code ?? result.signal ?? '?'} in ${Date.now() - started} ms`;
    const stdout = options?.secretOutput
      ? result.stdout && `(${Buffer.byteLength(result.stdout)} bytes, not logged: may hold secrets)`
      : result.stdout;
    const output = [stdout.trim() && `stdout:\n${tail(stdout)}`, result.stderr.trim() && `stderr:\n${tail(result.stderr)}`]
      .filter(Boolean)
      .join('\n');
    if (result.code === 0) this.logger.debug(output ? `${summary}\n${output}` : summary);
    else this.logger.warn(output ? `${summary}\n${output}` : summary);
    return result;
  }
}
