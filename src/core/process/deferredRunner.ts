import type { ExecOptions, ExecResult, ShellRunner } from './types';

/** A runner decided at the first command (e.g. once it is known which physical host runs a container). */
export class DeferredRunner implements ShellRunner {
  constructor(private readonly resolve: () => Promise<ShellRunner>) {}

  async exec(commandLine: string, options?: ExecOptions): Promise<ExecResult> {
    return (await this.resolve()).exec(commandLine, options);
  }
}
