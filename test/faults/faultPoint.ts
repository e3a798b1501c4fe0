/**
 * Where in a step a fault lands, told apart by what the engine sends over SSH:
 *   start  — the step's first command (its capture, or the journal write before it changes anything);
 *   middle — the first command after the journal says "applying"/"undoing" (the change itself);
 *   end    — the first journal write that records the step as done ("applied"/"skipped"/"undone");
 *            the engine folds that status into the next step's write, or the run's last one.
 * The runner wraps the real SSH host and fires the fault exactly once, at that command.
 */
import { JOURNAL_FORMAT, type StepStatus } from '../../src/core/devloop/journal';
import type { ProgressEvent } from '../../src/core/devloop/engine';
import type { ExecOptions, ExecResult, ShellRunner } from '../../src/core/process/types';

export type Phase = 'develop' | 'restore';
export type Point = 'start' | 'middle' | 'end';

export interface FaultTarget {
  readonly phase: Phase;
  /** Step id in the plan / journal ("isolate", "stop-unit:heat-api.service"…). */
  readonly stepId: string;
  readonly point: Point;
}

/**
 * How the fault meets the command: `before` finishes the fault, then sends the command (the
 * command finds the host changed); `during` sends the command (held 0.4 s on the host) and lands
 * the fault while it is in flight.
 */
export type Timing = 'before' | 'during';

const CHANGING: Record<Phase, ReadonlySet<StepStatus>> = { develop: new Set(['applying']), restore: new Set(['undoing']) };
const DONE: Record<Phase, ReadonlySet<StepStatus>> = { develop: new Set(['applied', 'skipped']), restore: new Set(['undone']) };

/** The status a journal write gives to `stepId`, when this exec is a journal write. */
export function journaledStatus(options: ExecOptions | undefined, stepId: string): StepStatus | undefined {
  const stdin = options?.stdin;
  if (typeof stdin !== 'string' || !stdin.startsWith('{')) return undefined;
  try {
    const doc = JSON.parse(stdin) as { format?: string; steps?: { id: string; status: StepStatus }[] };
    if (doc.format !== JOURNAL_FORMAT) return undefined;
    return doc.steps?.find((s) => s.id === stepId)?.status;
  } catch {
    return undefined;
  }
}

export class FaultPointRunner implements ShellRunner {
  fired = false;
  private inStep = false;
  private changing = false;

  constructor(
    private readonly inner: ShellRunner,
    private readonly target: FaultTarget,
    private readonly timing: Timing,
    private readonly fault: () => Promise<unknown>,
  ) {}

  /** Pass as the engine's onProgress: marks the target step as started. */
  readonly onProgress = (event: ProgressEvent): void => {
    if (event.index >= 0 && event.step === this.target.stepId && event.status === 'running') this.inStep = true;
  };

  exec(line: string, options?: ExecOptions): Promise<ExecResult> {
    if (this.fired || !this.inStep || !this.isTheCommand(options)) return this.inner.exec(line, options);
    this.fired = true;
    if (this.timing === 'before') return this.fault().then(() => this.inner.exec(line, options));
    const pending = this.inner.exec(`sleep 0.4; ${line}`, options);
    const landed = new Promise((resolve) => setTimeout(resolve, 100)).then(this.fault);
    return Promise.allSettled([pending, landed]).then(() => pending);
  }

  private isTheCommand(options: ExecOptions | undefined): boolean {
    const { phase, point, stepId } = this.target;
    const status = journaledStatus(options, stepId);
    if (point === 'start') return true;
    if (point === 'end') return status !== undefined && DONE[phase].has(status);
    if (this.changing) return true;
    if (status !== undefined && CHANGING[phase].has(status)) this.changing = true;
    return false;
  }
}
