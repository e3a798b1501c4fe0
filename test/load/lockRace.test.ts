/**
 * Two windows racing for one container: two engines, each on its own SSH connection with its own
 * holder, start Develop at the same moment. Exactly one gets the lock; the other is refused with
 * a message naming the holder and since when, and changes nothing. Then the winner restores and
 * the host is back to the snapshot. Repeated (the race must be decided by the host, not by luck),
 * first with the lock alone, then once with the whole heat-api plan.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ContainerLockedError, JournalStore } from '../../src/core/devloop/journalStore';
import type { DevLoopEngine } from '../../src/core/devloop/engine';
import type { DevelopRequest } from '../../src/core/devloop/plan';
import type { SshHost } from '../../src/core/ssh';
import { heatRequest, labEngine, planHeat } from '../support/heatOnLab';
import { connectLab, readLab, type LabDescription } from '../support/lab';
import { productionSnapshot, waitForHaproxySettled } from '../support/productionSnapshot';

const ROUNDS = Number(process.env.OSA_LOAD_RACE_ROUNDS ?? 20);
let lab: LabDescription;
let request: DevelopRequest;
let windows: { ssh: SshHost; holder: string; since: string }[] = [];
let baseline: string;
const figures = { rounds: 0, oneWinner: 0, refusalsNamingHolder: 0 };

function engineOf(w: (typeof windows)[number]): DevLoopEngine {
  return labEngine(w.ssh, request.container, w.holder);
}

/** Both windows at once; returns the winner's index after checking the loser's refusal. */
async function race(start: (engine: DevLoopEngine) => Promise<unknown>): Promise<number> {
  const outcomes = await Promise.allSettled(windows.map((w) => start(engineOf(w))));
  figures.rounds++;
  const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
  assert.equal(winners.length, 1, `exactly one window gets the lock: ${JSON.stringify(outcomes.map((o) => o.status === 'rejected' ? String(o.reason) : 'ok'))}`);
  figures.oneWinner++;
  const winner = winners[0]!;
  const refusal = outcomes[1 - winner] as PromiseRejectedResult;
  assert.ok(refusal.reason instanceof ContainerLockedError, String(refusal.reason));
  const holder = windows[winner]!;
  assert.equal(refusal.reason.lock.holder, holder.holder);
  assert.ok(refusal.reason.message.includes(holder.holder) && refusal.reason.message.includes(refusal.reason.lock.since), refusal.reason.message);
  figures.refusalsNamingHolder++;
  return winner;
}

before(async () => {
  lab = readLab();
  request = heatRequest(lab);
  const since = new Date().toISOString();
  windows = ['window-A@lab (load test)', 'window-B@lab (load test)'].map((holder) => ({ ssh: connectLab(lab), holder, since }));
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

after(async () => {
  for (const w of windows) w.ssh.dispose();
  console.log(`load/lock race: ${figures.rounds} rounds, ${figures.oneWinner} with exactly one winner, ${figures.refusalsNamingHolder} refusals naming the holder and since when`);
});

test(`${ROUNDS} races for the lock alone: one winner each time, the other refused; the lock is released after`, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const winner = await race((engine) => engine.develop([], { ...request }));
    await engineOf(windows[winner]!).restore([]);
    assert.equal(await new JournalStore(windows[0]!.ssh).readLock(request.container), undefined, 'the lock is released');
  }
});

test('a race with the whole plan: the winner develops, the loser changed nothing, Restore → snapshot', async () => {
  const steps = (await planHeat(windows[0]!.ssh, request)).steps;
  const winner = await race((engine) => engine.develop(steps, { ...request }));
  const journal = await new JournalStore(windows[0]!.ssh).read(request.container);
  assert.ok(journal?.steps.every((s) => s.status === 'applied' || s.status === 'skipped'), 'the winner completed');
  await engineOf(windows[winner]!).restore(steps);
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
});
