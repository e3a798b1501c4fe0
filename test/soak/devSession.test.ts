/**
 * Soak: a dev session held open with the inner loop running — a save every few seconds (a unique
 * marker written into heat/version.py, synced with SourceSync.syncChanged, the dev process
 * restarted in a fresh PTY as the dev terminal does) and the SSH connection cut from the lab side
 * every few minutes. Checks: every save is served by the running process (no lost save), never
 * more than one dev process in the container, this process's memory steady (start/end RSS and
 * heap printed), and Restore returns the host to the snapshot at the end.
 *
 * `npm run soak`: 30 minutes, a save every 10 s, a reconnect every 5 min. `npm run test:soak` (CI):
 * 2 minutes, a save every 2 s, a reconnect every 30 s. Env: OSA_SOAK_MINUTES, OSA_SOAK_SAVE_S,
 * OSA_SOAK_RECONNECT_S.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { JournalStore } from '../../src/core/devloop/journalStore';
import { stepsForRestore } from '../../src/core/devloop/plan';
import { shellJoin } from '../../src/core/shell/quote';
import type { PtySession } from '../../src/core/ssh';
import { SourceSync } from '../../src/core/sync';
import { heatRequest, labEngine, labRuntime, planHeat } from '../support/heatOnLab';
import { connectLab, readLab } from '../support/lab';
import { cutSshConnections, onLabHost } from '../support/labFaults';
import { productionSnapshot, waitForHaproxySettled } from '../support/productionSnapshot';

const MINUTES = Number(process.env.OSA_SOAK_MINUTES ?? 2);
const SAVE_MS = Number(process.env.OSA_SOAK_SAVE_S ?? 2) * 1000;
const RECONNECT_MS = Number(process.env.OSA_SOAK_RECONNECT_S ?? 30) * 1000;
const SERVE_TIMEOUT_MS = 30_000;
const HOLDER = 'soak@lab (test)';
const MB = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The marker the dev process serves at GET / (through HAProxy, where only this container is in service). */
async function servedMarker(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
    return response.ok ? ((await response.json()) as { code_version?: string }).code_version : undefined;
  } catch {
    return undefined;
  }
}

/** Dev heat-api processes in the container, counted on the lab host (not through the code under test). */
async function devProcesses(container: string): Promise<number> {
  const out = await onLabHost('lxc-attach -n "$1" -- pgrep -c -f /opt/osa-dev/venvs/heat/bin/heat-api || true', container);
  return Number(out.trim() || '0');
}

test(`soak: ${MINUTES} min dev session, a save every ${SAVE_MS / 1000} s, a reconnect every ${RECONNECT_MS / 1000} s`, { timeout: (MINUTES + 5) * 60_000 }, async () => {
  const lab = readLab();
  const work = mkdtempSync(join(tmpdir(), 'osa-soak-'));
  execFileSync('git', ['clone', '-q', lab.git.heatRepoUrl, work]);
  const request = heatRequest(lab, { source: { kind: 'local', path: work } });
  const ssh = connectLab(lab);
  const engine = labEngine(ssh, request.container, HOLDER);
  const frontend = lab.haproxy.frontends['heat_api']!;
  await waitForHaproxySettled();
  const baseline = productionSnapshot(lab);
  const plan = await planHeat(ssh, request);
  const figures = { saves: 0, served: 0, lost: 0, reconnects: 0, maxDevProcesses: 0, restarts: 0 };
  let terminal: PtySession | undefined;
  // The dev terminal: a restart closes the old PTY and opens a new one (the run script stops the old process).
  const restart = async (): Promise<void> => {
    terminal?.close();
    terminal = await ssh.openPty(shellJoin(plan.foreground), { rows: 24, cols: 120 });
    figures.restarts++;
  };
  try {
    await engine.develop(plan.steps, { ...request });
    const sync = new SourceSync({ host: ssh, runtime: labRuntime, container: request.container, localDir: work, dest: plan.src });
    await restart();
    const startMemory = process.memoryUsage();
    const deadline = Date.now() + MINUTES * 60_000;
    let nextCut = Date.now() + RECONNECT_MS;
    while (Date.now() < deadline) {
      const marker = `soak-${figures.saves + 1}-${Date.now()}`;
      writeFileSync(join(work, 'heat/version.py'), `VERSION = "24.0.0"\nCODE_MARKER = "${marker}"\n`);
      figures.saves++;
      const saved = Date.now();
      await sync.syncChanged(['heat/version.py']);
      await restart();
      let served = false;
      while (!served && Date.now() - saved < SERVE_TIMEOUT_MS) {
        served = (await servedMarker(frontend)) === marker;
        if (!served) await sleep(100);
      }
      if (served) figures.served++;
      else figures.lost++;
      const count = await devProcesses(request.container);
      figures.maxDevProcesses = Math.max(figures.maxDevProcesses, count);
      assert.ok(served, `save ${figures.saves} (${marker}) is served by the dev process`);
      assert.equal(count, 1, `one dev process in ${request.container} after save ${figures.saves}`);
      if (Date.now() >= nextCut) {
        await cutSshConnections();
        figures.reconnects++;
        nextCut = Date.now() + RECONNECT_MS;
      }
      await sleep(Math.max(0, SAVE_MS - (Date.now() - saved)));
    }
    const endMemory = process.memoryUsage();
    console.log(
      `soak: ${MINUTES} min, ${figures.saves} saves, ${figures.served} served, ${figures.lost} lost, ${figures.reconnects} forced reconnects, ` +
        `${figures.restarts} dev process starts, at most ${figures.maxDevProcesses} dev process(es); ` +
        `RSS start ${MB(startMemory.rss)} end ${MB(endMemory.rss)}, heap start ${MB(startMemory.heapUsed)} end ${MB(endMemory.heapUsed)}`,
    );
    assert.ok(figures.saves >= 3, 'the soak saved several times');
    // Steady memory: a leak per save (a listener, a buffer, a channel) would add up over the run.
    assert.ok(endMemory.heapUsed - startMemory.heapUsed < 64 * 1048576, 'heap growth stays under 64 MB');
  } finally {
    terminal?.close();
    const journal = await new JournalStore(ssh).read(request.container).catch(() => undefined);
    if (journal) await engine.restore(stepsForRestore(journal), { takeOverLock: true });
    ssh.dispose();
    rmSync(work, { recursive: true, force: true });
  }
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
});
