/**
 * bench/devloop: the whole Develop loop on the lab beside the manual workflow (bench/manual-devloop.sh,
 * one `ssh HOST …` per step) in the same run. Orchestration overhead = total minus the git, pip and
 * db_sync steps (measured the same way on both sides: the wall time of those steps). Also the second
 * Develop with nothing changed, and Restore.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { ProgressEvent } from '../src/core/devloop/engine';
import { JournalStore } from '../src/core/devloop/journalStore';
import { stepsForRestore } from '../src/core/devloop/plan';
import { shellJoin } from '../src/core/shell/quote';
import { heatRepoInNamespace, heatRequest, labEngine, labRuntime as runtime, planHeat } from '../test/support/heatOnLab';
import { connectLab, readLab, writeLabClientFiles } from '../test/support/lab';
import { waitForHaproxySettled } from '../test/support/productionSnapshot';
import { printTable } from './stats';

const TOOL_STEPS = ['code', 'install-deps', 'db-sync', 'dev-venv'];

async function main(): Promise<void> {
  const lab = readLab();
  const ssh = connectLab(lab);
  const request = heatRequest(lab);
  const target = lab.containers.find((c) => c.name === request.container)!;
  const other = lab.containers.find((c) => c.service === 'heat' && c.name !== target.name)!;
  const url = heatRepoInNamespace(lab);
  const engine = labEngine(ssh, target.name, 'bench devloop');

  async function timedDevelop(): Promise<{ total: number; tools: number }> {
    const started = Date.now();
    const plan = await planHeat(ssh, request);
    const stepStart = new Map<string, number>();
    let tools = 0;
    await engine.develop(plan.steps, { ...request }, {
      onProgress: (e: ProgressEvent) => {
        if (e.index < 0) return;
        if (e.status === 'running') stepStart.set(e.step, Date.now());
        else if (stepStart.has(e.step) && TOOL_STEPS.some((t) => e.step.startsWith(t))) tools += Date.now() - stepStart.get(e.step)!;
      },
    });
    return { total: Date.now() - started, tools };
  }

  try {
    await ssh.exec(shellJoin(runtime.execArgv(target.name, ['rm', '-rf', '/opt/osa-dev']))); // cold: no dev venv yet
    await waitForHaproxySettled();
    const first = await timedDevelop();
    const second = await timedDevelop();
    const restoreStart = Date.now();
    await engine.restore(stepsForRestore((await new JournalStore(ssh).read(target.name))!));
    const restore = Date.now() - restoreStart;
    await waitForHaproxySettled();

    const files = writeLabClientFiles(lab);
    const manualOut = execFileSync('bash', [join(__dirname, 'manual-devloop.sh'), files.sshConfig, files.knownHosts, files.alias, target.name, other.name, url, lab.venv], { encoding: 'utf8' });
    const manual = new Map(manualOut.trim().split('\n').map((line) => line.split(' ') as [string, string]).map(([k, v]) => [k, Number(v)]));
    const manualTotal = [...manual.entries()].filter(([k]) => k !== 'restore').reduce((sum, [, v]) => sum + v, 0);
    const manualTools = ['code', 'deps', 'db_sync'].reduce((sum, k) => sum + (manual.get(k) ?? 0), 0);
    await waitForHaproxySettled();

    const oursOverhead = first.total - first.tools;
    const manualOverhead = manualTotal - manualTools;
    printTable('devloop on the lab (ms)', ['', 'total', 'git+pip+db_sync', 'orchestration overhead', 'restore'], [
      ['OSA Dev, first Develop (cold dev venv)', first.total, first.tools, oursOverhead, restore],
      ['OSA Dev, Develop again (nothing changed)', second.total, second.tools, second.total - second.tools, '-'],
      ['manual: one ssh per step (8 steps)', manualTotal, manualTools, manualOverhead, manual.get('restore') ?? 0],
    ]);
    console.log(`\nsummary: overhead ${oursOverhead} ms (${oursOverhead <= 1000 ? 'within' : 'OVER'} 1 s), ${(manualOverhead / Math.max(1, oursOverhead)).toFixed(1)}x below the manual script (goal 3x); second run ${second.total} ms (${second.total <= 3000 ? 'within' : 'OVER'} 3 s)`);
  } finally {
    const journal = await new JournalStore(ssh).read(target.name).catch(() => undefined);
    if (journal) await engine.restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
    ssh.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
