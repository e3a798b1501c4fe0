import type { Logger } from '../log';
import type { ShellRunner } from '../process/types';
import type { ContainerRuntime } from '../runtime/types';
import { explainFailure } from './containerNotRunning';
import { JOURNAL_FORMAT, stepsToUndo, withStep, type JournalDocument, type JournalStep, type LockHolder, type StepStatus } from './journal';
import type { JournalStore } from './journalStore';
import { StepSkipped, type Step, type StepContext } from './types';

export interface EngineOptions {
  readonly host: ShellRunner;
  readonly runtime: ContainerRuntime;
  readonly store: JournalStore;
  readonly container: string;
  readonly holder: LockHolder;
  readonly logger: Logger;
  /** Current time, injectable so journals are reproducible in tests. */
  readonly now?: () => Date;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Called as each step starts/ends: drives the progress notification. */
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly takeOverLock?: boolean;
}

export interface ProgressEvent {
  readonly step: string;
  readonly title: string;
  readonly index: number;
  readonly total: number;
  readonly status: StepStatus | 'running' | 'already-done';
  readonly message?: string;
}

export class StepFailedError extends Error {
  constructor(
    readonly stepId: string,
    readonly stepTitle: string,
    override readonly cause: unknown,
  ) {
    super(`${stepTitle} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StepFailedError';
  }
}

export class CancelledError extends Error {
  constructor(stepTitle: string) {
    super(`Cancelled before "${stepTitle}". Resume continues from there; Restore puts production back.`);
    this.name = 'CancelledError';
  }
}

/**
 * Runs steps in order with a journal on the host written BEFORE each change, and undoes them in
 * reverse from that journal. Re-running is idempotent: applied steps whose check() still holds are
 * skipped, and a step interrupted mid-apply is re-applied from its first captured original.
 */
export class DevLoopEngine {
  constructor(private readonly options: EngineOptions) {}

  async develop(steps: readonly Step[], request: Readonly<Record<string, unknown>>, run: RunOptions = {}): Promise<JournalDocument> {
    return this.explained(() => this.developSteps(steps, request, run));
  }

  /**
   * Undoes every journaled step, last first, from its recorded original; then removes the journal
   * and the lock. Steps unknown to this version are refused rather than silently dropped.
   */
  async restore(steps: readonly Step[], run: RunOptions = {}): Promise<void> {
    return this.explained(() => this.restoreSteps(steps, run));
  }

  /** A failure because the container stopped underneath says so (see ContainerNotRunningError). */
  private async explained<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw await explainFailure(this.options.host, this.options.runtime, this.options.container, error);
    }
  }

  private async developSteps(steps: readonly Step[], request: Readonly<Record<string, unknown>>, run: RunOptions): Promise<JournalDocument> {
    const { store, container, holder } = this.options;
    await store.lock(container, holder, run.takeOverLock ? { takeOver: true } : {});
    let doc = (await store.read(container)) ?? this.newJournal(request);
    const ctx = this.context(run);
    for (const [index, step] of steps.entries()) {
      const progress = (status: ProgressEvent['status'], message?: string): void =>
        run.onProgress?.({ step: step.id, title: step.title, index, total: steps.length, status, ...(message === undefined ? {} : { message }) });
      if (run.signal?.aborted) throw new CancelledError(step.title);
      const entry = doc.steps.find((s) => s.id === step.id);
      if (entry?.status === 'skipped') {
        progress('already-done', entry.note);
        continue;
      }
      if (entry?.status === 'applied' && (await step.check(ctx(step), entry.original))) {
        progress('already-done');
        continue;
      }
      progress('running');
      const reuse = entry && entry.status !== 'undone' && entry.original !== undefined;
      // The first capture is the true original: a re-capture after a partial apply would not be.
      let original: unknown = reuse ? entry.original : undefined;
      try {
        if (!reuse) original = await step.capture(ctx(step));
        doc = await this.record(doc, step, 'applying', original);
        await step.apply(ctx(step), original);
      } catch (error) {
        const skipped = error instanceof StepSkipped;
        doc = await this.record(doc, step, skipped ? 'skipped' : 'failed', original, skipped ? { note: error.reason } : { error: messageOf(error) });
        progress(skipped ? 'skipped' : 'failed', messageOf(error));
        if (skipped) continue;
        throw new StepFailedError(step.id, step.title, error);
      }
      doc = await this.record(doc, step, 'applied', original);
      progress('applied');
    }
    return doc;
  }

  private async restoreSteps(steps: readonly Step[], run: RunOptions): Promise<void> {
    const { store, container, holder } = this.options;
    await store.lock(container, holder, run.takeOverLock ? { takeOver: true } : {});
    let doc = await store.read(container);
    if (doc) {
      const byId = new Map(steps.map((s) => [s.id, s]));
      const todo = stepsToUndo(doc);
      const ctx = this.context(run);
      for (const [index, entry] of todo.entries()) {
        const step = byId.get(entry.id);
        if (!step) throw new Error(`The journal has a step "${entry.id}" this version of OSA Dev cannot undo. Nothing more was restored.`);
        run.onProgress?.({ step: step.id, title: `Undo: ${step.title}`, index, total: todo.length, status: 'running' });
        doc = await this.record(doc, step, 'undoing', entry.original);
        try {
          await step.undo(ctx(step), entry.original);
        } catch (error) {
          doc = await this.record(doc, step, 'undoing', entry.original, { error: messageOf(error) });
          throw new StepFailedError(step.id, `Undo: ${step.title}`, error);
        }
        doc = await this.record(doc, step, 'undone', entry.original);
        run.onProgress?.({ step: step.id, title: `Undo: ${step.title}`, index, total: todo.length, status: 'undone' });
      }
      await store.remove(container);
    }
    await store.unlock(container);
  }

  private newJournal(request: Readonly<Record<string, unknown>>): JournalDocument {
    const at = this.now();
    return { format: JOURNAL_FORMAT, container: this.options.container, request, createdAt: at, updatedAt: at, steps: [] };
  }

  private async record(
    doc: JournalDocument,
    step: Step,
    status: StepStatus,
    original: unknown,
    extra: { note?: string; error?: string } = {},
  ): Promise<JournalDocument> {
    const entry: JournalStep = {
      id: step.id,
      title: step.title,
      status,
      ...(original === undefined ? {} : { original }),
      ...extra,
      updatedAt: this.now(),
    };
    const next = withStep(doc, entry);
    await this.options.store.write(next);
    this.options.logger.info(`[${this.options.container}] ${step.title}: ${status}${extra.error ? ` — ${extra.error}` : ''}`);
    return next;
  }

  private context(run: RunOptions): (step: Step) => StepContext {
    const signal = run.signal ?? new AbortController().signal;
    return (step) => ({
      host: this.options.host,
      runtime: this.options.runtime,
      container: this.options.container,
      logger: this.options.logger,
      signal,
      report: (message) =>
        run.onProgress?.({ step: step.id, title: step.title, index: -1, total: -1, status: 'running', message }),
    });
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
