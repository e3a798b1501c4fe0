/**
 * The fault matrix of the dev loop on the lab (faultMatrix.ts: which faults; faultKinds.ts: what
 * each does and what a user expects after it; faultPoint.ts: a step's start, middle and end).
 * One chain = one kind at one point, injected into each step of Develop in turn (every interrupted
 * run is resumed by the next), then Resume must complete with the container isolated; then into
 * each undo step of Restore the same way; then Restore must return the host to the snapshot taken
 * before, byte for byte (and still after one more HAProxy reload when HAProxy was reloaded: no
 * stale state dump). The engine isolates in every HAProxy of the lab's inventory, as the extension
 * and the CLI do: aio1's (the faults land on its commands) and infra2's, reached through aio1's
 * connection; the snapshot covers both. Prints `faults: N injected, N recovered, 0 lost`. OSA_FAULTS_FULL=1: full
 * product; OSA_FAULTS_VERBOSE=1: a line per fault.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ContainerNotRunningError } from '../../src/core/devloop/containerNotRunning';
import { RestoreCancelledError } from '../../src/core/devloop/engine';
import { stepsToUndo, type JournalDocument } from '../../src/core/devloop/journal';
import { JournalStore } from '../../src/core/devloop/journalStore';
import { stepsForRestore, type DevelopRequest } from '../../src/core/devloop/plan';
import type { Step } from '../../src/core/devloop/types';
import { heatRequest, labEngine, labHaproxyHosts, planHeat } from '../support/heatOnLab';
import { connectLab, readLab, type LabContainer, type LabDescription } from '../support/lab';
import { adminStates, freeJournalDisk, mountSmallJournalDisk, reloadHaproxy, startContainer, unmountSmallJournalDisk } from '../support/labFaults';
import { productionSnapshot, waitForHaproxySettled } from '../support/productionSnapshot';
import { KINDS } from './faultKinds';
import { describeFault, faultChains, faultCount, faultsOf, type Chain, type Fault } from './faultMatrix';
import { FaultPointRunner, type FaultTarget, type Phase } from './faultPoint';

const REPO = join(__dirname, '..', '..');
const FULL = process.env.OSA_FAULTS_FULL === '1';
const HOLDER = 'faults@lab (test)';
const BACKEND = 'heat_api-back';
const MAINT = 0x01;

let lab: LabDescription;
let request: DevelopRequest;
let planSteps: readonly Step[] = [];
let baseline: string;
const tally = { injected: 0, recovered: 0, lost: 0 };
const started = Date.now();

const fullId = (prefix: string): string => {
  const step = planSteps.find((s) => s.id === prefix || s.id.startsWith(`${prefix}:`));
  assert.ok(step, `the heat-api plan has a step ${prefix}`);
  return step.id;
};
const targetOf = (fault: Fault): FaultTarget => ({ phase: fault.phase, stepId: fullId(fault.step), point: fault.point });

/** The journal's steps (id → status), or undefined when the container is not in dev mode. */
async function journal(): Promise<JournalDocument | undefined> {
  const ssh = connectLab(lab);
  try {
    return await new JournalStore(ssh).read(request.container);
  } finally {
    ssh.dispose();
  }
}

async function journalSteps(): Promise<Step[]> {
  const doc = await journal();
  assert.ok(doc, 'the journal is on the host');
  return stepsForRestore(doc);
}

/** Runs the engine as a separate process and SIGKILLs it at the fault point. */
async function killedRun(target: FaultTarget): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'killedEngine.ts'), JSON.stringify(target)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const killed = await new Promise<boolean>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('FAULT-POINT')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL'));
  });
  assert.ok(killed, `the engine process was killed at the fault point:\n${output}`);
}

/** Develop or Restore with the fault injected; returns how it ended (the fault did fire). */
async function interruptedRun(fault: Fault): Promise<void> {
  const target = targetOf(fault);
  const spec = KINDS[fault.kind];
  tally.injected++;
  if (fault.kind === 'engine-killed') return killedRun(target);
  const ssh = connectLab(lab);
  const controller = new AbortController();
  const inject = spec.inject ?? (async () => controller.abort());
  const runner = new FaultPointRunner(ssh, target, spec.timing, inject);
  // HAProxy on aio1 (through the faulty runner) and on infra2 (through aio1's connection, so an ssh-cut drops it too).
  const engine = labEngine(runner, request.container, HOLDER, labHaproxyHosts(ssh));
  const run = { onProgress: runner.onProgress, signal: controller.signal };
  try {
    const steps = fault.phase === 'develop' ? planSteps : await journalSteps();
    const error = await (fault.phase === 'develop' ? engine.develop(steps, { ...request }, run) : engine.restore(steps, run)).then(
      () => undefined,
      (e: unknown) => e,
    );
    const outcome = error === undefined ? 'completed' : error instanceof Error ? error.message : String(error);
    assert.equal(runner.fired, true, `${describeFault(fault)}: the fault point was reached (the run ended: ${outcome})`);
    assert.ok(outcome === 'completed' || spec.interrupted.test(outcome), `${describeFault(fault)}: ended with a clear outcome, got: ${outcome}`);
    if (fault.kind === 'cancel' && fault.phase === 'restore') await assertRestoreStoppedBetweenSteps(fault, target, error);
  } finally {
    ssh.dispose();
  }
}

/**
 * A Restore cancelled in (or at the end of) an undo finishes that undo and stops before the next:
 * the journal holds exactly the steps the message names as still to undo, not the cancelled one.
 * (Cancelled in the last undo, it has nothing left to stop before: it completes.)
 */
async function assertRestoreStoppedBetweenSteps(fault: Fault, target: FaultTarget, error: unknown): Promise<void> {
  const left = await journal();
  if (error === undefined) {
    assert.equal(left, undefined, `${describeFault(fault)}: a Restore that completed removed the journal`);
    return;
  }
  assert.ok(error instanceof RestoreCancelledError, `${describeFault(fault)}: ${String(error)}`);
  assert.ok(left, `${describeFault(fault)}: the journal stays for the next Restore`);
  const todo = stepsToUndo(left);
  assert.deepEqual(error.remaining, todo.map((s) => s.title), `${describeFault(fault)}: the message names what the journal still has to undo`);
  assert.ok(!todo.some((s) => s.id === target.stepId), `${describeFault(fault)}: the undo it was cancelled in ran to its end`);
}

/** What has to happen before a Resume or Restore can work, and what it says until then. */
async function recover(fault: Fault, retry: () => Promise<unknown>): Promise<void> {
  if (fault.kind === 'disk-full') await freeJournalDisk();
  if (fault.kind !== 'container-stopped') return;
  // While the container is stopped, Resume refuses clearly; so does Restore, unless all it had
  // left to undo was on the host itself (HAProxy): then it completes.
  const refusal = await retry().then(() => undefined, (error: unknown) => error);
  if (refusal !== undefined || fault.phase === 'develop') {
    assert.ok(refusal instanceof ContainerNotRunningError && /lxc-start -n/.test(refusal.message), `refused while stopped: ${String(refusal)}`);
  }
  await startContainer(heatContainer().name, heatContainer().units);
}

function heatContainer(): LabContainer {
  return lab.containers.find((c) => c.name === request.container)!;
}

async function resume(takeOverLock: boolean): Promise<void> {
  const ssh = connectLab(lab);
  try {
    const doc = await labEngine(ssh, request.container, HOLDER, labHaproxyHosts(ssh)).develop(planSteps, { ...request }, { takeOverLock });
    assert.ok(doc.steps.every((s) => s.status === 'applied' || s.status === 'skipped'), `resume completed: ${JSON.stringify(doc.steps.map((s) => [s.id, s.status]))}`);
  } finally {
    ssh.dispose();
  }
  // In dev mode: only the container's server takes heat-api's traffic, in aio1's HAProxy and infra2's.
  for (const on of ['aio1', 'node'] as const) {
    const states = await adminStates(BACKEND, on);
    assert.ok(states.size >= 2, `${BACKEND} on ${on}: ${[...states.keys()].join(', ')}`);
    for (const [server, admin] of states) {
      assert.equal((admin & MAINT) !== 0, server !== request.container, `${BACKEND}/${server} admin state ${admin} in ${on}'s HAProxy after Resume`);
    }
  }
}

/** Restore Production (nothing to do when the container is not in dev mode). */
async function restore(takeOverLock: boolean): Promise<void> {
  const doc = await journal();
  if (!doc) return;
  const steps = stepsForRestore(doc);
  const ssh = connectLab(lab);
  try {
    await labEngine(ssh, request.container, HOLDER, labHaproxyHosts(ssh)).restore(steps, { takeOverLock });
  } finally {
    ssh.dispose();
  }
}

async function assertProductionBack(label: string): Promise<void> {
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline, label);
}

before(async () => {
  lab = readLab();
  request = heatRequest(lab);
  await unmountSmallJournalDisk();
  const ssh = connectLab(lab);
  try {
    planSteps = (await planHeat(ssh, request)).steps;
  } finally {
    ssh.dispose();
  }
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

after(async () => {
  await freeJournalDisk().catch(() => undefined);
  await startContainer(heatContainer().name, heatContainer().units).catch(() => undefined);
  const ssh = connectLab(lab);
  const journal = await new JournalStore(ssh).read(request.container).catch(() => undefined);
  if (journal) await labEngine(ssh, request.container, HOLDER, labHaproxyHosts(ssh)).restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
  ssh.dispose();
  await unmountSmallJournalDisk().catch(() => undefined);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`faults (${FULL ? 'full matrix' : 'CI matrix; OSA_FAULTS_FULL=1 for the full one'}, ${minutes} min): ${tally.injected} injected, ${tally.recovered} recovered, ${tally.lost} lost`);
});

/** Before a Develop fault at `step`: the step must still be to do (a fault that did not stop the run let it finish). */
async function readyForDevelopFault(step: string, takeOverLock: boolean): Promise<void> {
  const entry = (await journal())?.steps.find((s) => s.id === fullId(step));
  if (entry?.status !== 'applied' && entry?.status !== 'skipped') return;
  await restore(takeOverLock);
  await assertProductionBack(`restored before the fault at ${step}`);
}

/** Before a Restore fault at `step`: the step must still be to undo; develop (again) when it is not. */
async function readyForRestoreFault(step: string, takeOverLock: boolean): Promise<void> {
  const doc = await journal();
  if (doc && stepsToUndo(doc).some((s) => s.id === fullId(step))) return;
  await resume(takeOverLock);
  const again = await journal();
  assert.ok(again && stepsToUndo(again).some((s) => s.id === fullId(step)), `Restore has ${step} to undo`);
}

/** Each fault of the chain in one phase, in step order: inject, recover, and the next run goes on. */
async function injectEach(chain: Chain, phase: Phase, takeOver: boolean, lap: (what: string) => void): Promise<void> {
  for (const fault of faultsOf(chain, phase)) {
    await (phase === 'develop' ? readyForDevelopFault : readyForRestoreFault)(fault.step, takeOver);
    await interruptedRun(fault);
    await recover(fault, () => (phase === 'develop' ? resume(takeOver) : restore(takeOver)));
    lap(describeFault(fault));
  }
}

const chains = faultChains(FULL);
console.log(`fault matrix: ${chains.length} chains, ${faultCount(chains)} faults (${FULL ? 'full' : 'CI; OSA_FAULTS_FULL=1 for the full one'})`);

for (const chain of chains) {
  const steps = (phase: Phase): string => (phase === 'develop' ? chain.develop : chain.restore).join(', ');
  test(`${chain.kind} at the ${chain.point} of each step — Develop: ${steps('develop')}; Restore: ${steps('restore')}`, async () => {
    const t0 = Date.now();
    const lap = (what: string): void => {
      if (process.env.OSA_FAULTS_VERBOSE) console.log(`  ${what}: ${Date.now() - t0} ms`);
    };
    const takeOver = chain.kind === 'engine-killed';
    const faults = [...faultsOf(chain, 'develop'), ...faultsOf(chain, 'restore')];
    if (chain.kind === 'disk-full') await mountSmallJournalDisk();
    try {
      await injectEach(chain, 'develop', takeOver, lap);
      await resume(takeOver);
      lap('resumed to the end');
      await injectEach(chain, 'restore', takeOver, lap);
      await restore(takeOver);
      lap('restored');
    } finally {
      if (chain.kind === 'disk-full') await unmountSmallJournalDisk();
      // A failed chain must not leave the container stopped for the next one.
      if (chain.kind === 'container-stopped') await startContainer(heatContainer().name, heatContainer().units);
    }
    let lost = 0;
    try {
      await assertProductionBack('after Restore');
      if (chain.kind === 'haproxy-reload') {
        // A stale state dump would bring the isolation back with the next reload.
        await reloadHaproxy();
        await assertProductionBack('after Restore and one more HAProxy reload');
      }
      lap('snapshot compared');
    } catch (error) {
      lost = faults.length;
      throw error;
    } finally {
      tally.lost += lost;
      tally.recovered += faults.length - lost;
    }
  });
}
