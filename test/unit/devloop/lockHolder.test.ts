/**
 * A dev-mode lock whose holder process is provably gone on this machine is taken over without
 * asking; a live holder, one on another machine (or another boot), one whose pid now belongs to
 * another process but was not checked, and one without a recorded process are still refused by
 * name. The lock scripts run for real in a local shell; the processes are real ones of this machine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { currentProcess, goneHolder, linuxProcesses, type HolderProcess, type LocalProcesses } from '../../../src/core/devloop/holderProcess';
import type { LockHolder } from '../../../src/core/devloop/journal';
import { ContainerLockedError, JournalStore } from '../../../src/core/devloop/journalStore';
import { LocalShell } from '../../support/localShell';

const CONTAINER = 'aio1_cinder_api_container-6a1d3e58';
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function store(local: LocalProcesses = linuxProcesses): { store: JournalStore; dir: string; lockFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'osa-dev-lock-'));
  dirs.push(dir);
  return { store: new JournalStore(new LocalShell(), dir, local), dir, lockFile: join(dir, `${CONTAINER}.lock`) };
}

/** A process of this machine that has exited (its pid is free again). */
async function exitedProcess(): Promise<HolderProcess> {
  const child = spawn('sleep', ['30']);
  const recorded = currentProcess(linuxProcesses, child.pid!);
  assert.ok(recorded, 'a Linux process is recorded with its boot id and start time');
  await new Promise((resolve) => {
    child.on('exit', resolve);
    child.kill('SIGKILL');
  });
  return recorded;
}

const me = (name: string): LockHolder => ({ holder: `${name}@vm (osa-dev CLI pid ${process.pid})`, since: '2026-11-25T20:00:00.000Z', process: currentProcess()! });
const lockedBy = (lockFile: string, holder: LockHolder): void => writeFileSync(lockFile, JSON.stringify(holder));
const lockOwner = (lockFile: string): string => (JSON.parse(readFileSync(lockFile, 'utf8')) as LockHolder).holder;

test('this process is recorded with host name, boot id, pid and start time; it is not gone', () => {
  const running = currentProcess();
  assert.ok(running);
  assert.equal(running.pid, process.pid);
  assert.match(running.bootId, /^[0-9a-f-]{36}$/);
  assert.match(running.startTicks, /^\d+$/);
  assert.equal(goneHolder({ holder: 'x', since: 'y', process: running }), undefined);
});

test('an exited holder on this machine: taken over without asking, and said so', async () => {
  const { store: s, lockFile } = store();
  const dead = await exitedProcess();
  lockedBy(lockFile, { holder: `root@vm (osa-dev CLI pid ${dead.pid})`, since: '2026-11-25T19:00:00.000Z', process: dead });
  const told: string[] = [];
  await s.lockAndRead(CONTAINER, me('next-run'), { onStaleLock: (gone, why) => told.push(`${gone.holder}: ${why}`) });
  assert.equal(lockOwner(lockFile), me('next-run').holder);
  assert.deepEqual(told, [`root@vm (osa-dev CLI pid ${dead.pid}): its process ${dead.pid} on ${dead.hostname} has exited`]);
});

test('a live holder on this machine is refused by name; so is one whose pid is alive with the same start time', async () => {
  const { store: s, lockFile } = store();
  const live = me('other-window');
  lockedBy(lockFile, live);
  await assert.rejects(s.lockAndRead(CONTAINER, me('next-run')), (error: unknown) => {
    assert.ok(error instanceof ContainerLockedError);
    assert.match(error.message, /already in dev mode for other-window@vm \(osa-dev CLI pid \d+\) since 2026-11-25T20:00:00.000Z/);
    return true;
  });
  assert.equal(lockOwner(lockFile), live.holder, 'the lock is left as it was');
});

test('the pid reused by another process (another start time): the holder is gone', async () => {
  const { store: s, lockFile } = store();
  const reused = { ...currentProcess()!, startTicks: '1' };
  lockedBy(lockFile, { holder: 'root@vm (osa-dev CLI pid reused)', since: 'earlier', process: reused });
  const told: string[] = [];
  await s.lockAndRead(CONTAINER, me('next-run'), { onStaleLock: (_gone, why) => told.push(why) });
  assert.match(told[0] ?? '', /has exited \(the pid now belongs to another process\)/);
});

test('another machine, another boot, or no recorded process: refused even though no such pid runs here', async () => {
  const dead = await exitedProcess();
  for (const [what, process] of [
    ['another machine', { ...dead, hostname: 'laptop' }],
    ['another boot of this machine', { ...dead, bootId: '00000000-0000-4000-8000-000000000000' }],
    ['no recorded process (an older OSA Dev)', undefined],
  ] as const) {
    const { store: s, lockFile } = store();
    lockedBy(lockFile, { holder: `bob@elsewhere (${what})`, since: 'earlier', ...(process ? { process } : {}) });
    await assert.rejects(s.lockAndRead(CONTAINER, me('next-run')), (error: unknown) => error instanceof ContainerLockedError && error.message.includes(`bob@elsewhere (${what})`), what);
    assert.equal(lockOwner(lockFile), `bob@elsewhere (${what})`, `${what}: the lock is left as it was`);
  }
});

test('not Linux (no boot id): nothing is recorded and nothing is proven gone', () => {
  const elsewhere: LocalProcesses = { hostname: () => 'mac', bootId: () => undefined, startTicks: () => undefined };
  assert.equal(currentProcess(elsewhere), undefined);
  assert.equal(goneHolder({ holder: 'x', since: 'y', process: { hostname: 'mac', bootId: 'b', pid: 1, startTicks: '1' } }, elsewhere), undefined);
});

test('two runs meeting one stale lock: exactly one takes it, the other is refused naming the winner', async () => {
  const { dir, lockFile } = store();
  const dead = await exitedProcess();
  for (let round = 0; round < 10; round++) {
    lockedBy(lockFile, { holder: 'root@vm (exited)', since: 'earlier', process: dead });
    const runs = [me('run-A'), me('run-B')];
    const outcomes = await Promise.allSettled(runs.map((h) => new JournalStore(new LocalShell(), dir).lockAndRead(CONTAINER, h)));
    const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [runs[i]!.holder] : []));
    assert.equal(won.length, 1, `round ${round}: ${JSON.stringify(outcomes)}`);
    const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    assert.ok(lost.reason instanceof ContainerLockedError && lost.reason.lock.holder === won[0], String(lost.reason));
    assert.equal(lockOwner(lockFile), won[0]);
    rmSync(lockFile);
  }
  assert.equal(existsSync(lockFile), false);
});

test('a confirmed take-over still removes only the lock it saw', async () => {
  const { store: s, lockFile } = store();
  lockedBy(lockFile, me('other-window'));
  await s.lockAndRead(CONTAINER, me('taker'), { takeOver: true });
  assert.equal(lockOwner(lockFile), me('taker').holder);
});
