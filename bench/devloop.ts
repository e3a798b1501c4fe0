/**
 * bench/devloop: the whole Develop loop on the lab beside the manual workflow (bench/manual-devloop.sh,
 * one `ssh HOST …` per step) in the same run. Orchestration overhead = total minus the git, pip and
 * db_sync steps (measured the same way on both sides: the wall time of those steps). Also the second
 * Develop with nothing changed, and Restore.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadCatalog, shippedCatalogPath } from '../src/core/catalog';
import { DevLoopEngine, type ProgressEvent } from '../src/core/devloop/engine';
import { JournalStore } from '../src/core/devloop/journalStore';
import { planDevelop, stepsForRestore, type DevelopRequest } from '../src/core/devloop/plan';
import { silentLogger } from '../src/core/log';
import { LxcRuntime } from '../src/core/runtime/lxc/lxcRuntime';
import { shellJoin } from '../src/core/shell/quote';
import { connectLab, readLab, writeLabClientFiles } from '../test/support/lab';
import { waitForHaproxySettled } from '../test/support/productionSnapshot';
import { printTable } from './stats';

const TOOL_STEPS = ['code', 'install-deps', 'db-sync', 'dev-venv'];

async function main(): Promise<void> {
  const lab = readLab();
  const ssh = connectLab(lab);
  const runtime = new LxcRuntime();
  const target = lab.containers.find((c) => c.name.includes('-heat-api-container-'))!;
  const other = lab.containers.find((c) => c.service === 'heat' && c.name !== target.name)!;
  const url = lab.git.heatRepoUrl.replace('127.0.0.1:19418', '172.29.236.100');
  const request: DevelopRequest = {
    container: target.name,
    managementIp: target.ip,
    service: 'heat',
    unit: 'heat-api',
    source: { kind: 'git', url, ref: 'master' },
    project: 'heat',
  };
  const engine = new DevLoopEngine({ host: ssh, runtime, store: new JournalStore(ssh), container: target.name, holder: { holder: 'bench', since: new Date().toISOString() }, logger: silentLogger });
  const catalog = loadCatalog({ shipped: { path: shippedCatalogPath(join(__dirname, '..')) } });
  const ctx = { host: ssh, runtime, container: target.name, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };

  async function timedDevelop(): Promise<{ total: number; tools: number }> {
    const started = Date.now();
    const plan = await planDevelop(ctx, catalog, request, ['heat-api', 'heat-engine']);
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
