import type { DevModeSummary } from '../model/hostView';
import { clipText } from '../text/shownValue';
import type { HolderProcess } from './holderProcess';

/**
 * The journal of one container's dev session, kept ON THE HOST (so a crash, a reload or another
 * window still finds it): what each step is about to change and the original it will restore.
 */

export const JOURNAL_FORMAT = 'osa-dev-journal/1';

export type StepStatus = 'applying' | 'applied' | 'skipped' | 'failed' | 'undoing' | 'undone';
const STATUSES: ReadonlySet<StepStatus> = new Set(['applying', 'applied', 'skipped', 'failed', 'undoing', 'undone']);

export interface JournalStep {
  readonly id: string;
  readonly title: string;
  readonly status: StepStatus;
  /** What `capture()` read before the first change: the state Restore goes back to. */
  readonly original?: unknown;
  /** Why the step was skipped, or what it left (e.g. "db_sync cannot be undone"). */
  readonly note?: string;
  readonly error?: string;
  readonly updatedAt: string;
}

export interface JournalDocument {
  readonly format: typeof JOURNAL_FORMAT;
  readonly container: string;
  /** What the user asked for (service, unit, source, debug…), to Resume with the same answers. */
  readonly request: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly steps: readonly JournalStep[];
}

/** Holder of a container's dev session; a second window or user is refused while it is held. */
export interface LockHolder {
  /** user@machine and the VS Code window (or CLI process) that holds it. */
  readonly holder: string;
  readonly since: string;
  /** The holding process, so that once it is provably gone its lock is taken over without asking. */
  readonly process?: HolderProcess;
}

export class JournalFormatError extends Error {
  constructor(path: string, detail: string) {
    super(`The dev-mode journal ${path} is unreadable (${clipText(detail, 300)}). Inspect it on the host; Restore needs it.`);
    this.name = 'JournalFormatError';
  }
}

export function parseJournal(path: string, text: string): JournalDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JournalFormatError(path, error instanceof Error ? error.message : String(error));
  }
  const doc = value as Partial<JournalDocument> | null;
  if (!doc || typeof doc !== 'object' || doc.format !== JOURNAL_FORMAT || typeof doc.container !== 'string' || !Array.isArray(doc.steps) || !isObject(doc.request)) {
    throw new JournalFormatError(path, `not an ${JOURNAL_FORMAT} document`);
  }
  // Restore and the tree read every step: a damaged one is refused here, not met as a TypeError there.
  doc.steps.forEach((step: unknown, i) => {
    if (!isObject(step) || typeof step['id'] !== 'string' || typeof step['title'] !== 'string' || !STATUSES.has(step['status'] as StepStatus)) {
      throw new JournalFormatError(path, `step ${i + 1} is not a journal step`);
    }
  });
  return doc as JournalDocument;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function withStep(doc: JournalDocument, step: JournalStep): JournalDocument {
  const index = doc.steps.findIndex((s) => s.id === step.id);
  const steps = index < 0 ? [...doc.steps, step] : doc.steps.map((s, i) => (i === index ? step : s));
  return { ...doc, steps, updatedAt: step.updatedAt };
}

const MAY_HAVE_CHANGED: ReadonlySet<StepStatus> = new Set(['applying', 'applied', 'failed', 'undoing']);

/** Steps Restore must undo, last changed first: those that may have changed something. */
export function stepsToUndo(doc: JournalDocument): JournalStep[] {
  // Without an original, capture() failed and nothing was changed.
  return doc.steps.filter((s) => MAY_HAVE_CHANGED.has(s.status) && s.original !== undefined).reverse();
}

/** The tree's one-line view of a journal. */
export function summarizeJournal(doc: JournalDocument): DevModeSummary {
  const index = doc.steps.findIndex((s) => s.status === 'failed' || s.status === 'applying' || s.status === 'undoing');
  const service = typeof doc.request['service'] === 'string' ? doc.request['service'] : undefined;
  const base = { updatedAt: doc.updatedAt, ...(service === undefined ? {} : { service }) };
  if (index < 0) return { state: 'active', ...base };
  const step = doc.steps[index]!;
  return {
    state: step.status === 'failed' ? 'failed' : 'interrupted',
    stepNumber: index + 1,
    stepTitle: step.title,
    ...(step.error === undefined ? {} : { error: step.error }),
    ...base,
  };
}
