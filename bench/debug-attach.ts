/**
 * bench/debug-attach: from "Develop with debug" (plan + engine, nothing changed since the last run)
 * to "debugger attached and ready" (through the SSH-forwarded port: DAP initialize answered, and
 * the attach answered — debugpy answers it after configurationDone), p50 of 10 on the lab; beside
 * the same without debug, where "ready" is the dev process's first HTTP 200 through a forwarded port.
 * Both poll the listening port with `ss` in the container (one SSH exec each 100 ms).
 * Between runs (not timed) the dev process is stopped, as the next Develop's terminal would.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { debugAttachArguments } from '../src/core/debug/attach';
import { openDebugTunnel } from '../src/core/debug/tunnel';
import { stopForegroundArgv } from '../src/core/devloop/foreground';
import { JournalStore } from '../src/core/devloop/journalStore';
import { stepsForRestore, type DevelopRequest } from '../src/core/devloop/plan';
import { shellJoin } from '../src/core/shell/quote';
import type { PtySession } from '../src/core/ssh';
import { HEAT_CONTAINER, heatRequest, labEngine, labRuntime as runtime, planHeat } from '../test/support/heatOnLab';
import { connectLab, readLab } from '../test/support/lab';
import { waitForHaproxySettled } from '../test/support/productionSnapshot';
import { percentile, printTable } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const DEBUG_PORT = 5678;

async function main(): Promise<void> {
  const lab = readLab();
  const ssh = connectLab(lab);
  const target = lab.containers.find((c) => c.name === HEAT_CONTAINER)!;
  const base: DevelopRequest = heatRequest(lab);
  const store = new JournalStore(ssh);
  const engine = labEngine(ssh, target.name, 'bench debug-attach');
  let session: PtySession | undefined;

  async function listening(port: number): Promise<void> {
    const want = `${target.ip}:${port} `;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ss = await ssh.exec(shellJoin(runtime.execArgv(target.name, ['ss', '-ltnH'])));
      if (ss.stdout.includes(want)) return;
      if (Date.now() > deadline) throw new Error(`nothing listens on ${want}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function stopDev(): Promise<void> {
    await ssh.exec(shellJoin(stopForegroundArgv(runtime, target.name, base.unit)));
    session?.close();
    session = undefined;
  }

  /** Develop (+ start the foreground process) then wait for "ready"; returns ms. */
  async function once(debug: boolean): Promise<number> {
    const request: DevelopRequest = debug ? { ...base, debug: { port: DEBUG_PORT } } : base;
    const started = process.hrtime.bigint();
    const plan = await planHeat(ssh, request);
    await engine.develop(plan.steps, { ...request });
    session = await ssh.openPty(shellJoin(plan.foreground), { rows: 24, cols: 120 });
    if (debug) {
      await listening(DEBUG_PORT);
      const tunnel = await openDebugTunnel(ssh, target.ip, DEBUG_PORT);
      const dc = new DebugClient('unused', 'unused', 'python');
      dc.defaultTimeout = 30_000;
      await dc.start(tunnel.localPort);
      await dc.initializeRequest({ adapterID: 'debugpy', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const args = debugAttachArguments({ localPort: tunnel.localPort, localRoot: join(__dirname, '..', 'test', 'lab', 'sample-heat'), remoteRoot: plan.src, justMyCode: true });
      const attached = dc.attachRequest(args as unknown as DebugProtocol.AttachRequestArguments);
      await dc.waitForEvent('initialized');
      await dc.configurationDoneRequest();
      await attached;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      await dc.stop();
      await tunnel.close();
      return ms;
    }
    await listening(8004);
    const server = await ssh.forwardOut(target.ip, 8004);
    const port = (server.address() as { port: number }).port;
    const response = await fetch(`http://127.0.0.1:${port}/`);
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    await response.arrayBuffer();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    server.close();
    return ms;
  }

  async function series(debug: boolean): Promise<number[]> {
    await waitForHaproxySettled();
    await once(debug); // warm: the dev venv, debugpy and the journal exist; nothing changes afterwards
    await stopDev();
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      samples.push(await once(debug));
      await stopDev();
    }
    const journal = await store.read(target.name);
    if (journal) await engine.restore(stepsForRestore(journal));
    return samples;
  }

  try {
    const baseline = await series(false);
    const debug = await series(true);
    const row = (name: string, s: number[]): (string | number)[] => [name, percentile(s, 50), percentile(s, 90), Math.min(...s), Math.max(...s)];
    printTable(`develop (nothing changed) → ready, ${RUNS} runs on the lab (ms)`, ['run', 'p50', 'p90', 'min', 'max'], [
      row('without debug (first HTTP 200)', baseline),
      row('with debug (DAP attached)', debug),
    ]);
    console.log(`summary: develop→debugger attached p50 ${percentile(debug, 50).toFixed(0)} ms; without debug (→ first 200) p50 ${percentile(baseline, 50).toFixed(0)} ms`);
  } finally {
    await stopDev().catch(() => undefined);
    const journal = await store.read(target.name).catch(() => undefined);
    if (journal) await engine.restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
    ssh.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
