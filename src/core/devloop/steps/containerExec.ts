/** Running argv and constant scripts inside the step's container (values as positional parameters). */
import { CommandFailedError, type ExecResult } from '../../process/types';
import type { ContainerExecOptions } from '../../runtime/types';
import { shellJoin } from '../../shell/quote';
import type { StepContext } from '../types';
import { shownValue } from '../../text/shownValue';

export interface RunInOptions extends ContainerExecOptions {
  readonly stdin?: string;
  /** The output holds file contents that may be secret: it is not logged (see ExecOptions). */
  readonly secretOutput?: boolean;
}

/** Runs argv in ctx.container through the runtime (lxc-attach --clear-env …). */
export async function runIn(ctx: StepContext, argv: readonly string[], options: RunInOptions = {}): Promise<ExecResult> {
  const { stdin, secretOutput, ...exec } = options;
  const line = shellJoin(ctx.runtime.execArgv(ctx.container, argv, exec));
  ctx.logger.debug(`[${ctx.container}] ${shellJoin(argv).slice(0, 300)}`);
  return ctx.host.exec(line, { signal: ctx.signal, ...(stdin === undefined ? {} : { stdin }), ...(secretOutput ? { secretOutput } : {}) });
}

/** Like runIn, but a non-zero exit throws CommandFailedError. */
export async function runInOk(ctx: StepContext, argv: readonly string[], summary: string, options: RunInOptions = {}): Promise<ExecResult> {
  const result = await runIn(ctx, argv, options);
  if (result.code !== 0) {
    throw new CommandFailedError(shellJoin(argv), result, `${summary} in ${ctx.container}`);
  }
  return result;
}

/** argv of a constant `sh -c` script with its values as $1, $2… */
export function script(text: string, ...args: readonly string[]): string[] {
  return ['sh', '-c', text, 'sh', ...args];
}

/** The last `n` non-empty lines of a command's combined output (for error messages). */
export function lastLines(result: ExecResult, n = 15): string {
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n');
}

const UNIT = /^[A-Za-z0-9@._:\\-]+$/;

/** A systemd unit name as given (`heat-engine` or `heat-engine.service`) → `heat-engine.service`. */
export function serviceUnitName(unit: string): string {
  const name = unit.endsWith('.service') ? unit : `${unit}.service`;
  if (!UNIT.test(name) || name.startsWith('-') || name.length > 255) throw new Error(`Invalid systemd unit name: ${shownValue(unit)}`);
  return name;
}
