import type { DebugClient } from '@vscode/debugadapter-testsupport';
import assert from 'node:assert/strict';
import type { DebugTunnel } from '../../src/core/debug/tunnel';
import type { DevLoopEngine } from '../../src/core/devloop/engine';
import type { JournalStore } from '../../src/core/devloop/journalStore';
import { stepsForRestore } from '../../src/core/devloop/plan';
import type { PtySession } from '../../src/core/ssh';

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

/**
 * A debug test's end, whatever happened: the DAP client and the tunnel closed, the container
 * restored from the journal its Develop left (there must be one), the dev process's PTY closed.
 */
export async function endDebugRun(run: {
  readonly dc: DebugClient | undefined;
  readonly tunnel: DebugTunnel | undefined;
  readonly store: JournalStore;
  readonly container: string;
  readonly engine: () => DevLoopEngine;
  readonly session: PtySession;
}): Promise<void> {
  await run.dc?.stop().catch(() => undefined);
  await run.tunnel?.close();
  const journal = await run.store.read(run.container);
  assert.ok(journal, `${run.container} has the journal its Develop wrote`);
  await run.engine().restore(stepsForRestore(journal));
  run.session.close();
}
