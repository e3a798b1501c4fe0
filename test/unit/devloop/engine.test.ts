/**
 * The engine's journal protocol with the real journal scripts run by a local shell against a
 * temporary directory: what is on disk when each change happens, how many round trips it costs,
 * and recovery from a run cut between a change and the next write.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CancelledError, DevLoopEngine, RestoreCancelledError, StepFailedError } from '../../../src/core/devloop/engine';
import { JOURNAL_FORMAT, type JournalDocument, type JournalStep } from '../../../src/core/devloop/journal';
import { ContainerLockedError, JournalLockLostError, JournalStore } from '../../../src/core/devloop/journalStore';
import { StepSkipped, type Step, type StepContext } from '../../../src/core/devloop/types';
import { silentLogger } from '../../../src/core/log';
import type { ExecOptions, ExecResult } from '../../../src/core/process/types';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import { LocalShell } from '../../support/localShell';

const CONTAINER = 'aio1-heat-api-container-5d2a9f10';
const alice = { holder: 'alice@laptop (window 1)', since: '2026-11-25T10:00:00.000Z' };
const bob = { holder: 'bob@desktop (window 7)', since: '2026-11-25T10:05:00.000Z' };
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A local shell that can lose "the connection", like a cut SSH session: every command fails until reconnected. */
class CuttableShell extends LocalShell {
  cut = false;
  override exec(line: string, options?: ExecOptions): Promise<ExecResult> {
    if (this.cut) return Promise.reject(new Error('The SSH connection was lost'));
    return super.exec(line, options);
  }
}

interface Fixture {
  readonly dir: string;
  readonly shell: CuttableShell;
  /** The "host": one value per step id, 'prod' until a step changes it. */
  readonly state: Map<string, string>;
  /** What the journal file said whenever a step's apply or undo ran. */
  readonly seen: Map<string, JournalStep[]>;
  engine(holder?: typeof alice): DevLoopEngine;
  journal(): JournalDocument | undefined;
  step(id: string, extra?: Partial<Step<{ value: string }>>): Step<{ value: string }>;
}

function fixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'osa-dev-journal-'));
  dirs.push(dir);
  const shell = new CuttableShell();
  const state = new Map<string, string>();
  const seen = new Map<string, JournalStep[]>();
  const journal = (): JournalDocument | undefined => {
    const path = join(dir, `${CONTAINER}.json`);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as JournalDocument) : undefined;
  };
  return {
    dir,
    shell,
    state,
    seen,
    journal,
    engine: (holder = alice) =>
      new DevLoopEngine({ host: shell, runtime: new LxcRuntime(), store: new JournalStore(shell, dir), container: CONTAINER, holder, logger: silentLogger }),
    step: (id, extra = {}) => ({
      id,
      title: `Step ${id}`,
      capture: async () => ({ value: state.get(id) ?? 'prod' }),
      check: async () => state.get(id) === 'dev',
      apply: async () => {
        seen.set(`apply ${id}`, [...(journal()?.steps ?? [])]);
        state.set(id, 'dev');
      },
      undo: async (_ctx, original) => {
        seen.set(`undo ${id}`, [...(journal()?.steps ?? [])]);
        state.set(id, original.value);
      },
      ...extra,
    }),
  };
}

const statuses = (steps: readonly JournalStep[] | undefined): string[] => (steps ?? []).map((s) => `${s.id} ${s.status}`);

test('each change finds its step and original already on disk; the step before it is marked applied in the same write', async () => {
  const f = fixture();
  f.state.set('b', 'b-prod');
  const doc = await f.engine().develop([f.step('a'), f.step('b'), f.step('c')], { service: 'heat' });
  assert.deepEqual(statuses(f.seen.get('apply a')), ['a applying']);
  assert.deepEqual(statuses(f.seen.get('apply b')), ['a applied', 'b applying']);
  assert.deepEqual(f.seen.get('apply b')?.[1]?.original, { value: 'b-prod' });
  assert.deepEqual(statuses(f.seen.get('apply c')), ['a applied', 'b applied', 'c applying']);
  assert.deepEqual(statuses(f.journal()?.steps), ['a applied', 'b applied', 'c applied']);
  assert.deepEqual(f.journal(), doc, 'what develop returns is what the host has');
  // lock+read, one write per change, the last status.
  assert.equal(f.shell.lines.length, 1 + 3 + 1);
});

test('cut between a change and the next write: resume re-applies that step from its first original; restore undoes all', async () => {
  const f = fixture();
  const captured: string[] = [];
  const applied: string[] = [];
  let cutAfterB = true;
  const steps = (): Step<{ value: string }>[] => {
    const b = f.step('b');
    return [
      f.step('a'),
      {
        ...b,
        capture: async (ctx) => {
          captured.push('b');
          return b.capture(ctx);
        },
        apply: async (ctx, original) => {
          applied.push(`b from ${original.value}`);
          await b.apply(ctx, original);
          f.shell.cut = cutAfterB; // b changed the host; the write that would say so is lost
          cutAfterB = false;
        },
      },
      f.step('c'),
    ];
  };
  await assert.rejects(f.engine().develop(steps(), {}), /connection was lost/);
  assert.deepEqual(statuses(f.journal()?.steps), ['a applied', 'b applying']);
  assert.equal(f.state.get('b'), 'dev');

  f.shell.cut = false; // a new connection, as after a reload
  const resumed = await f.engine().develop(steps(), {});
  assert.deepEqual(statuses(resumed.steps), ['a applied', 'b applied', 'c applied']);
  assert.deepEqual(captured, ['b'], 'b was not captured again: its original is the first one');
  assert.deepEqual(applied, ['b from prod', 'b from prod'], 'b was applied again, from that original');

  await f.engine().restore(steps());
  assert.deepEqual([...f.state.values()], ['prod', 'prod', 'prod']);
  assert.deepEqual(statuses(f.seen.get('undo b')), ['a applied', 'b undoing', 'c undone']);
  assert.equal(f.journal(), undefined);
  assert.equal(existsSync(join(f.dir, `${CONTAINER}.lock`)), false);
});

test('a restore cut after an undo is run again from the same originals', async () => {
  const f = fixture();
  const steps = [f.step('a'), f.step('b')];
  await f.engine().develop(steps, {});
  const b = f.step('b');
  const cutting = [
    f.step('a'),
    {
      ...b,
      undo: async (ctx: StepContext, original: { value: string }) => {
        await b.undo(ctx, original);
        f.shell.cut = true;
      },
    },
  ];
  await assert.rejects(f.engine().restore(cutting), /connection was lost/);
  f.shell.cut = false;
  assert.deepEqual(statuses(f.journal()?.steps), ['a applied', 'b undoing']);
  await f.engine().restore(steps);
  assert.deepEqual([...f.state.values()], ['prod', 'prod']);
  assert.equal(f.journal(), undefined);
});

test('nothing to change costs no journal write: skipped and already-done steps', async () => {
  const f = fixture();
  const skipped = f.step('s', {
    capture: async () => {
      throw new StepSkipped('single server');
    },
  });
  await f.engine().develop([f.step('a'), skipped, f.step('b')], {});
  assert.deepEqual(statuses(f.journal()?.steps), ['a applied', 's skipped', 'b applied']);
  assert.equal(f.shell.lines.length, 1 + 2 + 1, 'the skip rode along with the next write');
  f.shell.lines.length = 0;
  const seen: string[] = [];
  await f.engine().develop([f.step('a'), skipped, f.step('b')], {}, { onProgress: (e) => seen.push(e.status) });
  assert.deepEqual(seen, ['already-done', 'already-done', 'already-done']);
  assert.equal(f.shell.lines.length, 1, 'only the lock and the journal read');
});

test('a failing step is written at once with its error and its original; a cancel writes what was applied', async () => {
  const f = fixture();
  const failing = f.step('b', {
    apply: async () => {
      f.state.set('b', 'half');
      throw new Error('pip exploded');
    },
  });
  await assert.rejects(f.engine().develop([f.step('a'), failing], {}), StepFailedError);
  const failed = f.journal()?.steps[1];
  assert.deepEqual([failed?.status, failed?.error, failed?.original], ['failed', 'pip exploded', { value: 'prod' }]);
  await f.engine().restore([f.step('a'), f.step('b')]);
  assert.deepEqual([...f.state.values()], ['prod', 'prod']);

  const controller = new AbortController();
  const cancel = { signal: controller.signal, onProgress: (e: { status: string }) => e.status === 'applied' && controller.abort() };
  await assert.rejects(f.engine().develop([f.step('a'), f.step('b')], {}, cancel), CancelledError);
  assert.deepEqual(statuses(f.journal()?.steps), ['a applied']);
});

test('restore: one write per undo (the previous "undone" rides along), the last "undone", then journal and lock in one round trip', async () => {
  const f = fixture();
  const steps = [f.step('a'), f.step('b'), f.step('c')];
  await f.engine().develop(steps, {});
  f.shell.lines.length = 0;
  await f.engine().restore(steps);
  assert.equal(f.shell.lines.length, 1 + 3 + 1 + 1);
  assert.deepEqual(statuses(f.seen.get('undo a')), ['a undoing', 'b undone', 'c undone']);
  assert.deepEqual([...f.state.values()], ['prod', 'prod', 'prod']);
  assert.equal(f.journal(), undefined);
});

test('a cancelled restore finishes the running undo, stops before the next, keeps the rest journaled and says so; a later restore finishes', async () => {
  const f = fixture();
  const steps = [f.step('a'), f.step('b'), f.step('c')];
  await f.engine().develop(steps, {});
  const controller = new AbortController();
  let undoSignal: AbortSignal | undefined;
  const c = f.step('c');
  // The user cancels while c is being undone (the last step is undone first).
  const cancelling = [
    f.step('a'),
    f.step('b'),
    {
      ...c,
      undo: async (ctx: StepContext, original: { value: string }) => {
        controller.abort();
        undoSignal = ctx.signal;
        await c.undo(ctx, original);
      },
    },
  ];
  await assert.rejects(f.engine().restore(cancelling, { signal: controller.signal }), (error: unknown) => {
    assert.ok(error instanceof RestoreCancelledError);
    assert.ok(error instanceof CancelledError, 'a kind of cancel, as the UI treats it');
    assert.deepEqual(error.remaining, ['Step b', 'Step a']);
    assert.match(error.message, new RegExp(`^Restore cancelled before "Undo: Step b": 2 steps still to undo \\(Step b, Step a\\)\\. ${CONTAINER} stays in dev mode`));
    return true;
  });
  assert.equal(undoSignal?.aborted, false, 'the running undo is not cut half-way');
  assert.deepEqual([...f.state.entries()], [['a', 'dev'], ['b', 'dev'], ['c', 'prod']], 'c undone, b and a not touched');
  assert.deepEqual(statuses(f.journal()?.steps), ['a applied', 'b applied', 'c undone'], 'the journal has what is left');
  assert.equal(existsSync(join(f.dir, `${CONTAINER}.lock`)), true, 'still in dev mode, like a cancelled Develop');

  // Cancelled before the first undo: nothing undone, nothing written.
  f.shell.lines.length = 0;
  await assert.rejects(f.engine().restore(steps, { signal: AbortSignal.abort() }), /Restore cancelled before "Undo: Step b": 2 steps/);
  assert.equal(f.shell.lines.length, 1, 'only the lock and journal read');

  await f.engine().restore(steps);
  assert.deepEqual([...f.state.values()], ['prod', 'prod', 'prod']);
  assert.equal(f.journal(), undefined);
  assert.equal(existsSync(join(f.dir, `${CONTAINER}.lock`)), false);
});

test('the lock: the same holder takes it again, another is refused with who and since when, or takes over', async () => {
  const f = fixture();
  await f.engine(alice).develop([f.step('a')], {});
  await f.engine(alice).develop([f.step('a')], {});
  await assert.rejects(f.engine(bob).develop([f.step('a')], {}), (error: unknown) => {
    assert.ok(error instanceof ContainerLockedError);
    assert.match(error.message, /alice@laptop \(window 1\) since 2026-11-25T10:00:00.000Z/);
    return true;
  });
  assert.equal(f.state.get('a'), 'dev');
  await f.engine(bob).restore([f.step('a')], { takeOverLock: true });
  assert.equal(f.state.get('a'), 'prod');
  assert.equal(existsSync(join(f.dir, `${CONTAINER}.lock`)), false);
});

test('a session that lost the lock (taken over, or restored meanwhile) cannot write the journal any more', async () => {
  const f = fixture();
  const other = new JournalStore(f.shell, f.dir);
  // While alice's step a is changing the host, bob takes the session over (alice's window hung).
  const hung = f.step('a', {
    apply: async () => {
      f.state.set('a', 'dev');
      await other.lockAndRead(CONTAINER, bob, { takeOver: true });
    },
  });
  await assert.rejects(f.engine(alice).develop([hung, f.step('b')], {}), JournalLockLostError);
  assert.deepEqual(statuses(f.journal()?.steps), ['a applying'], "alice's later write was refused");
  assert.equal(f.state.get('b'), undefined, 'and b never ran');
  await f.engine(bob).restore([f.step('a'), f.step('b')]);
  assert.equal(f.state.get('a'), 'prod');
  // A write still in flight from alice's dead window lands after bob's Restore: no journal comes back.
  const late = new JournalStore(f.shell, f.dir);
  await late.lockAndRead(CONTAINER, alice);
  await other.removeAndUnlock(CONTAINER);
  await assert.rejects(late.write({ format: JOURNAL_FORMAT, container: CONTAINER, request: {}, createdAt: '', updatedAt: '', steps: [] }), JournalLockLostError);
  assert.equal(f.journal(), undefined);
});

test('a journal written by the previous engine (one write per status) resumes and restores', async () => {
  const f = fixture();
  // The previous engine wrote "applying" then "applied" for each step; a crash left b "applying".
  const at = '2026-11-25T09:00:00.000Z';
  const old: JournalDocument = {
    format: JOURNAL_FORMAT,
    container: CONTAINER,
    request: { service: 'heat' },
    createdAt: at,
    updatedAt: at,
    steps: [
      { id: 'a', title: 'Step a', status: 'applied', original: { value: 'prod' }, updatedAt: at },
      { id: 'b', title: 'Step b', status: 'applying', original: { value: 'b-prod' }, updatedAt: at },
    ],
  };
  writeFileSync(join(f.dir, `${CONTAINER}.json`), JSON.stringify(old, null, 1));
  f.state.set('a', 'dev');
  f.state.set('b', 'half');
  const resumed = await f.engine().develop([f.step('a'), f.step('b'), f.step('c')], {});
  assert.deepEqual(statuses(resumed.steps), ['a applied', 'b applied', 'c applied']);
  await f.engine().restore([f.step('a'), f.step('b'), f.step('c')]);
  assert.deepEqual(Object.fromEntries(f.state), { a: 'prod', b: 'b-prod', c: 'prod' });
});

test('a check that throws on Resume fails its step with the reason, keeps its original, and Restore still undoes it', async () => {
  const f = fixture();
  await f.engine().develop([f.step('a'), f.step('b')], {});
  const broken = f.step('a', { check: async () => { throw new Error('HAProxy admin socket /var/run/haproxy.stat is gone'); } });
  await assert.rejects(f.engine().develop([broken, f.step('b')], {}), (error: unknown) => {
    assert.ok(error instanceof StepFailedError, String(error));
    assert.match(error.message, /HAProxy admin socket/);
    return true;
  });
  const a = f.journal()?.steps.find((s) => s.id === 'a');
  assert.deepEqual([a?.status, a?.error, a?.original], ['failed', 'HAProxy admin socket /var/run/haproxy.stat is gone', { value: 'prod' }]);
  await f.engine().restore([f.step('a'), f.step('b')]);
  assert.deepEqual([...f.state.values()], ['prod', 'prod']);
  assert.equal(f.journal(), undefined);
});
