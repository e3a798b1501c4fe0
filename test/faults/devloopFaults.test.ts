/**
 * The fault matrix of the dev loop on the lab: for every step of Develop, the SSH connection cut
 * from the lab side in the middle of the step, the user cancelling at the step, and the process
 * running the engine killed (SIGKILL) during the step. After each: Resume completes the loop, and
 * Restore returns the host to the snapshot taken before, byte for byte.
 */
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DevLoopEngine, ProgressEvent } from '../../src/core/devloop/engine';
import { JournalStore } from '../../src/core/devloop/journalStore';
import { stepsForRestore, type DevelopRequest } from '../../src/core/devloop/plan';
import type { Step } from '../../src/core/devloop/types';
import type { ExecOptions, ExecResult, ShellRunner } from '../../src/core/process/types';
import type { SshHost } from '../../src/core/ssh';
import { heatRequest, labEngine, planHeat } from '../support/heatOnLab';
import { connectLab, readLab, writeLabClientFiles, type LabDescription } from '../support/lab';
import { productionSnapshot, waitForHaproxySettled } from '../support/productionSnapshot';

const REPO = join(__dirname, '..', '..');
let lab: LabDescription;
let request: DevelopRequest;
let stepIds: string[] = [];
let baseline: string;
const tally = { injected: 0, recovered: 0, lost: 0 };

function engineOn(ssh: ShellRunner): DevLoopEngine {
  return labEngine(ssh, request.container, 'faults@lab (test)');
}

async function plan(ssh: ShellRunner): Promise<readonly Step[]> {
  return (await planHeat(ssh, request)).steps;
}

/** Cuts every SSH connection from the lab side while the armed command is in flight. */
class CuttingRunner implements ShellRunner {
  armed = false;
  fired = false;
  constructor(private readonly inner: ShellRunner) {}
  exec(line: string, options?: ExecOptions): Promise<ExecResult> {
    if (!this.armed || this.fired) return this.inner.exec(line, options);
    this.fired = true;
    // Keep the command in flight long enough for the cut to land in its middle.
    const pending = this.inner.exec(`sleep 0.4; ${line}`, options);
    setTimeout(() => execFileSync('bash', [join(REPO, 'test/lab/sshd-kill-sessions.sh')], { stdio: 'ignore' }), 120);
    return pending;
  }
}

/** Resume with a new connection (as after a reload), then Restore, then compare with the baseline. */
async function resumeAndRestore(takeOverLock: boolean): Promise<void> {
  const ssh = connectLab(lab);
  try {
    const resumed = await engineOn(ssh).develop(await plan(ssh), { ...request }, { takeOverLock });
    assert.ok(resumed.steps.every((s) => s.status === 'applied' || s.status === 'skipped'), `resume completed: ${JSON.stringify(resumed.steps.map((s) => [s.id, s.status]))}`);
    const journal = await new JournalStore(ssh).read(request.container);
    await engineOn(ssh).restore(stepsForRestore(journal!));
  } finally {
    ssh.dispose();
  }
  await waitForHaproxySettled();
  const now = productionSnapshot(lab);
  if (now !== baseline) tally.lost++;
  assert.equal(now, baseline);
  tally.recovered++;
}

before(async () => {
  lab = readLab();
  request = heatRequest(lab);
  const ssh = connectLab(lab);
  try {
    stepIds = (await plan(ssh)).map((s) => s.id);
  } finally {
    ssh.dispose();
  }
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

after(async () => {
  const ssh = connectLab(lab);
  const journal = await new JournalStore(ssh).read(request.container).catch(() => undefined);
  if (journal) await engineOn(ssh).restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
  ssh.dispose();
  console.log(`faults: ${tally.injected} injected, ${tally.recovered} recovered, ${tally.lost} lost`);
});

// Seven steps of the heat-api plan: isolate, stop, code, dev venv, deps, db_sync, run.
for (let index = 0; index < 7; index++) {
  test(`SSH connection cut in the middle of step ${index + 1}`, async () => {
    const ssh: SshHost = connectLab(lab);
    const cutting = new CuttingRunner(ssh);
    try {
      const onProgress = (e: ProgressEvent): void => {
        if (e.index === index && e.status === 'running') cutting.armed = true;
      };
      tally.injected++;
      await assert.rejects(engineOn(cutting).develop(await plan(cutting), { ...request }, { onProgress }), /connection|lost|closed|ECONNRESET/i);
      assert.equal(cutting.fired, true, `the cut happened during ${stepIds[index]}`);
    } finally {
      ssh.dispose();
    }
    await resumeAndRestore(false);
  });

  test(`cancelled at step ${index + 1}`, async () => {
    const ssh = connectLab(lab);
    const controller = new AbortController();
    try {
      const onProgress = (e: ProgressEvent): void => {
        if (e.index === index && e.status === 'running') controller.abort();
      };
      tally.injected++;
      const outcome = await engineOn(ssh)
        .develop(await plan(ssh), { ...request }, { onProgress, signal: controller.signal })
        .then(() => 'completed', (error: unknown) => String(error));
      // Cancelling during the last step lets it finish: there is no later boundary to stop at.
      assert.ok(index === 6 ? /completed|Cancel/.test(outcome) : /Cancel|abort/i.test(outcome), outcome);
    } finally {
      ssh.dispose();
    }
    await resumeAndRestore(false);
  });

  test(`engine process killed (SIGKILL) during step ${index + 1}`, async () => {
    const files = writeLabClientFiles(lab);
    const source = request.source.kind === 'git' ? request.source : undefined;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'src/core/cli/main.ts'), 'develop', files.alias, request.container, '--unit', 'heat-api', '--git', source!.url, '--ref', source!.ref, '--ssh-config', files.sshConfig, '--known-hosts', files.knownHosts],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    tally.injected++;
    const killed = await new Promise<boolean>((resolve) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (new RegExp(`^\\[${index + 1}/\\d+\\] .*: …$`, 'm').test(stderr)) {
          setTimeout(() => child.kill('SIGKILL'), 50);
        }
      });
      child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL'));
    });
    assert.ok(killed || index === 6, 'the CLI was killed mid-step (the last step may finish first)');
    // The dead process's lock names it; resuming from "another window" takes over.
    await resumeAndRestore(true);
  });
}
