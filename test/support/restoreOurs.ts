import type { DevLoopEngine } from '../../src/core/devloop/engine';
import type { JournalStore } from '../../src/core/devloop/journalStore';
import { stepsForRestore } from '../../src/core/devloop/plan';

/**
 * A test's `after`: leaves `container` in production if THIS test's session (its lock holder) left
 * it in dev mode — never another suite's session, the lab is shared. Best effort: the test's own
 * assertions already said what went wrong.
 */
export async function restoreIfOurs(store: JournalStore, container: string, holder: string, engine: () => DevLoopEngine): Promise<void> {
  const lock = await store.readLock(container).catch(() => undefined);
  const journal = await store.read(container).catch(() => undefined);
  if (journal && lock?.holder === holder) await engine().restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
}
