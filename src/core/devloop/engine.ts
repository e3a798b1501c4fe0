import type { Logger } from '../log';
import type { ShellRunner } from '../process/types';
import type { ContainerRuntime } from '../runtime/types';
import { explainFailure } from './containerNotRunning';
import { JOURNAL_FORMAT, stepsToUndo, type JournalDocument, type JournalStep, type LockHolder, type StepStatus } from './journal';
import { PendingJournal } from './pendingJournal';
import type { JournalStore, LockOptions } from './journalStore';
import { StepRefused, StepSkipped, type HaproxyHosts, type Step, type StepContext } from './types';

export interface EngineOptions {
  /** The physical host the container runs on. */
  readonly host: ShellRunner;
  /** The deployment host (HAProxy) when that is another host; `store` keeps the journal there too. */
  readonly deployment?: ShellRunner;
  /** Where HAProxy runs (Isolate and its undo go to each); absent: the deployment host alone. */
  readonly haproxy?: HaproxyHosts;
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
  constructor(stepTitle: string, message = `Cancelled before "${stepTitle}". Resume continues from there; Restore puts production back.`) {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A Restore cancelled between undo steps: what is still to undo stays journaled for the next Restore. */
export class RestoreCancelledError extends CancelledError {
  constructor(
    readonly container: string,
    /** Titles of the steps still to undo, next first. */
    readonly remaining: readonly string[],
  ) {
    super(
      `Undo: ${remaining[0]}`,
      `Restore cancelled before "Undo: ${remaining[0]}": ${remaining.length} step${remaining.length === 1 ? '' : 's'} still to undo ` +
        `(${remaining.join(', ')}). ${container} stays in dev mode until Restore runs again and finishes.`,
    );
    this.name = 'RestoreCancelledError';
  }
}

/**
 * Runs steps in order with a journal on the host written BEFORE each change, and undoes them in
 * reverse from that journal. Re-running is idempotent: applied steps whose check() still holds are
 * skipped, and a step interrupted mid-apply is re-applied from its first captured original.
 *
 * One journal write per change: the write before step N's apply (N "applying" with its original)
 * also carries step N-1's "applied"; the last status is written at the end. A crash between an
 * apply and the next write leaves that step "applying": Resume re-applies it (apply is idempotent)
 * and Restore undoes it from its original — exactly what an interrupted apply gets.
 */
export class DevLoopEngine {
  constructor(private readonly options: EngineOptions) {}

  async develop(steps: readonly Step[], request: Readonly<Record<string, unknown>>, run: RunOptions = {}): Promise<JournalDocument> {
    return this.explained(() => this.developSteps(steps, request, run));
  }

  /**
   * Undoes every journaled step, last first, from its recorded original; then removes the journal
   * and the lock. Steps unknown to this version are refused rather than silently dropped. Undo is
   * idempotent and the originals are already on the host, so a Restore interrupted anywhere is
   * simply run again; each step's "undoing" write (carrying the previous step's "undone") is what
   * the tree shows meanwhile; the last "undone" is written before the journal and lock go.
   * Cancelling (run.signal) lets the running undo finish and stops before the next one with
   * RestoreCancelledError: the undone steps are written, the rest stay journaled (dev mode).
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
    const journal = this.journal((await store.lockAndRead(container, holder, lockOptions(run, this.options.logger, container))) ?? this.newJournal(request));
    const ctx = this.context(run);
    for (const [index, step] of steps.entries()) {
      const progress = (status: ProgressEvent['status'], message?: string): void =>
        run.onProgress?.({ step: step.id, title: step.title, index, total: steps.length, status, ...(message === undefined ? {} : { message }) });
      if (run.signal?.aborted) {
        await journal.flush();
        throw new CancelledError(step.title);
      }
      const entry = journal.doc.steps.find((s) => s.id === step.id);
      if (entry?.status === 'skipped') {
        progress('already-done', entry.note);
        continue;
      }
      if (entry?.status === 'applied') {
        let done: boolean;
        try {
          done = await step.check(ctx(step), entry.original);
        } catch (error) {
          // e.g. the HAProxy socket is gone on Resume: the step is failed (its original kept), not an unexplained error.
          await journal.write(this.entry(step, 'failed', entry.original, { error: messageOf(error) }));
          progress('failed', messageOf(error));
          throw new StepFailedError(step.id, step.title, error);
        }
        if (done) {
          progress('already-done');
          continue;
        }
      }
      progress('running');
      const reuse = entry && entry.status !== 'undone' && entry.original !== undefined;
      // The first capture is the true original: a re-capture after a partial apply would not be.
      let original: unknown = reuse ? entry.original : undefined;
      try {
        if (!reuse) original = await step.capture(ctx(step));
        await journal.write(this.entry(step, 'applying', original));
        await step.apply(ctx(step), original);
      } catch (error) {
        if (error instanceof StepSkipped) {
          // Nothing was changed (or apply found nothing to do): recorded with the next write.
          journal.note(this.entry(step, 'skipped', original, { note: error.reason }));
          progress('skipped', messageOf(error));
          continue;
        }
        if (error instanceof StepRefused && original === undefined && !journal.doc.steps.some((s) => s.original !== undefined)) {
          await store.removeAndUnlock(container); // nothing was changed by any step: no dev mode to show
          progress('failed', messageOf(error));
          throw new StepFailedError(step.id, step.title, error);
        }
        await journal.write(this.entry(step, 'failed', original, { error: messageOf(error) }));
        progress('failed', messageOf(error));
        throw new StepFailedError(step.id, step.title, error);
      }
      journal.note(this.entry(step, 'applied', original));
      progress('applied');
    }
    await journal.flush();
    return journal.doc;
  }

  private async restoreSteps(steps: readonly Step[], run: RunOptions): Promise<void> {
    const { store, container, holder } = this.options;
    const doc = await store.lockAndRead(container, holder, lockOptions(run, this.options.logger, container));
    if (!doc) {
      await store.unlock(container);
      return;
    }
    const journal = this.journal(doc);
    const byId = new Map(steps.map((s) => [s.id, s]));
    const todo = stepsToUndo(doc);
    // An undo, once started, runs to its end (a half-done undo is not what anyone cancelled for).
    const ctx = this.context(run, new AbortController().signal);
    for (const [index, entry] of todo.entries()) {
      // Cancelling stops between undo steps: the journal keeps the rest, so a later Restore finishes.
      if (run.signal?.aborted) {
        await journal.flush();
        throw new RestoreCancelledError(container, todo.slice(index).map((s) => s.title));
      }
      const step = byId.get(entry.id);
      if (!step) {
        await journal.flush();
        throw new Error(`The journal has a step "${entry.id}" this version of OSA Dev cannot undo. Nothing more was restored.`);
      }
      run.onProgress?.({ step: step.id, title: `Undo: ${step.title}`, index, total: todo.length, status: 'running' });
      await journal.write(this.entry(step, 'undoing', entry.original));
      try {
        await step.undo(ctx(step), entry.original);
      } catch (error) {
        await journal.write(this.entry(step, 'undoing', entry.original, { error: messageOf(error) }));
        throw new StepFailedError(step.id, `Undo: ${step.title}`, error);
      }
      journal.note(this.entry(step, 'undone', entry.original));
      run.onProgress?.({ step: step.id, title: `Undo: ${step.title}`, index, total: todo.length, status: 'undone' });
    }
    await journal.flush();
    await store.removeAndUnlock(container);
  }

  private newJournal(request: Readonly<Record<string, unknown>>): JournalDocument {
    const at = this.now();
    return { format: JOURNAL_FORMAT, container: this.options.container, request, createdAt: at, updatedAt: at, steps: [] };
  }

  private entry(step: Step, status: StepStatus, original: unknown, extra: { note?: string; error?: string } = {}): JournalStep {
    return { id: step.id, title: step.title, status, ...(original === undefined ? {} : { original }), ...extra, updatedAt: this.now() };
  }

  private journal(doc: JournalDocument): PendingJournal {
    const { store, logger, container } = this.options;
    return new PendingJournal(doc, (next) => store.write(next), (entry) =>
      logger.info(`[${container}] ${entry.title}: ${entry.status}${entry.error ? ` — ${entry.error}` : ''}`),
    );
  }

  private context(run: RunOptions, signal: AbortSignal = run.signal ?? new AbortController().signal): (step: Step) => StepContext {
    return (step) => ({
      host: this.options.host,
      ...(this.options.deployment ? { deployment: this.options.deployment } : {}),
      ...(this.options.haproxy ? { haproxy: this.options.haproxy } : {}),
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

function lockOptions(run: RunOptions, logger: Logger, container: string): LockOptions {
  const onStaleLock = (gone: LockHolder, why: string): void =>
    logger.warn(`[${container}] the dev-mode lock of ${gone.holder} (since ${gone.since}) is taken over: ${why}`);
  return run.takeOverLock ? { takeOver: true, onStaleLock } : { onStaleLock };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
