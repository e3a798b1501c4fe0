import { shellJoin } from '../shell/quote';
import type { CommandSpec, ExecOptions, ShellRunner } from './types';

/** Runs a command spec through a runner and parses its output. The one place argv becomes a line. */
export async function runCommand<T>(runner: ShellRunner, spec: CommandSpec<T>, options?: ExecOptions): Promise<T> {
  const line = shellJoin(spec.argv);
  const result = await runner.exec(line, spec.secretOutput ? { ...options, secretOutput: true } : options);
  return spec.parse(result);
}
