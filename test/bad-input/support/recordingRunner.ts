/** Runners that remember every command line the product asked for. */
import type { ExecOptions, ExecResult, ShellRunner } from '../../../src/core/process/types';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import { silentLogger } from '../../../src/core/log';
import type { StepContext } from '../../../src/core/devloop/types';

/** Records and answers without running anything (the pure corpus: which lines would run). */
export class RecordingRunner implements ShellRunner {
  readonly lines: string[] = [];
  constructor(private readonly answer: (line: string) => ExecResult = () => ({ code: 1, stdout: '', stderr: '' })) {}
  async exec(commandLine: string, _options?: ExecOptions): Promise<ExecResult> {
    this.lines.push(commandLine);
    return this.answer(commandLine);
  }
}

export const runtime = new LxcRuntime({ host: 'bad-input' });

export function stepContext(host: ShellRunner, container = 'aio1-heat-api-container-5d2a9f10'): StepContext {
  return { host, runtime, container, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
}
