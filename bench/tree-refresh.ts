/**
 * bench/tree-refresh: the cost of refreshing the tree for the lab host, and for a host listing 31
 * and 300 containers (an `lxc-ls` stand-in put first on PATH on the lab host), printed beside a
 * plain `lxc-ls -f` over the same SSH connection in the same process. The refresh must be one
 * round trip per host whatever the count, and stay within 1.3x of the plain listing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../src/core/log';
import { loadHostView } from '../src/core/model/loadHostView';
import type { ExecOptions, ExecResult, ShellRunner } from '../src/core/process/types';
import { LxcRuntime } from '../src/core/runtime/lxc/lxcRuntime';
import { quoteArg } from '../src/core/shell/quote';
import { connectLab } from '../test/support/lab';
import { percentile, printTable, timeRuns } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const STAND_IN_DIR = '/var/tmp/osa-dev-bench';

/** Counts round trips, and optionally puts a folder first on the remote PATH. */
class CountingRunner implements ShellRunner {
  calls = 0;
  constructor(
    private readonly inner: ShellRunner,
    private readonly pathPrefix?: string,
  ) {}
  exec(line: string, options?: ExecOptions): Promise<ExecResult> {
    this.calls++;
    const prefixed = this.pathPrefix ? `PATH=${quoteArg(this.pathPrefix)}:"$PATH"; export PATH; ${line}` : line;
    return this.inner.exec(prefixed, options);
  }
}

/** Rows in the C lxc-ls `-F NAME,STATE,PID,IPV4,GROUPS,AUTOSTART` layout (columns padded to width). */
function standInRows(count: number): string {
  const fixture = readFileSync(join(__dirname, '../test/fixtures/lxc/lxc1-default-osa-aio.txt'), 'utf8')
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(/\s+/)[0]!);
  const rows = [['NAME', 'STATE', 'PID', 'IPV4', 'GROUPS', 'AUTOSTART']];
  for (let i = 0; i < count; i++) {
    const base = fixture[i % fixture.length]!;
    const name = i < fixture.length ? base : `${base.replace(/-[0-9a-f]{8}$/, '')}-${(0x10000000 + i).toString(16)}`;
    // PIDs of no process: the unit scan still runs its loop for every container.
    rows.push([name, 'RUNNING', String(4_000_000 + i), `10.0.3.${i % 250}, 172.29.${236 + (i % 4)}.${i % 250}`, 'onboot, openstack', '1']);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]! + 1)).join('')).join('\n') + '\n';
}

async function installStandIn(ssh: ShellRunner, count: number): Promise<string> {
  const dir = `${STAND_IN_DIR}/${count}`;
  const script = `#!/bin/sh\ncat ${quoteArg(`${dir}/listing.txt`)}\n`;
  const line = [
    `mkdir -p ${quoteArg(`${dir}/bin`)}`,
    `cat > ${quoteArg(`${dir}/listing.txt`)}`,
    `printf '%s' ${quoteArg(script)} > ${quoteArg(`${dir}/bin/lxc-ls`)}`,
    `chmod 755 ${quoteArg(`${dir}/bin/lxc-ls`)}`,
  ].join(' && ');
  const result = await ssh.exec(line, { stdin: standInRows(count) });
  if (result.code !== 0) throw new Error(`installing the lxc-ls stand-in failed: ${result.stderr}`);
  return `${dir}/bin`;
}

async function main(): Promise<void> {
  const ssh = connectLab();
  const runtime = new LxcRuntime({ host: 'lab' });
  try {
    await ssh.exec('true'); // connect once: every figure below is on a warm connection
    const cases: { label: string; path?: string }[] = [{ label: 'lab host (4 containers)' }];
    for (const count of [31, 300]) cases.push({ label: `stand-in, ${count} containers`, path: await installStandIn(ssh, count) });

    const rows: (string | number)[][] = [];
    for (const { label, path } of cases) {
      const plainRunner = new CountingRunner(ssh, path);
      const plain = await timeRuns(RUNS, () => plainRunner.exec('lxc-ls -f'));
      const refreshRunner = new CountingRunner(ssh, path);
      let containers = 0;
      const refresh = await timeRuns(RUNS, async () => {
        const view = await loadHostView(refreshRunner, runtime, silentLogger);
        containers = view.services.reduce((n, g) => n + g.containers.length, 0);
      });
      const ratio = percentile(refresh, 50) / percentile(plain, 50);
      rows.push([
        label,
        String(containers),
        percentile(plain, 50),
        percentile(refresh, 50),
        percentile(refresh, 95),
        (refreshRunner.calls / RUNS).toFixed(0),
        `${ratio.toFixed(2)}x ${ratio <= 1.3 ? 'ok' : 'OVER 1.3x'}`,
      ]);
    }
    printTable(
      `tree-refresh (${RUNS} runs each, ms, one warm SSH connection)`,
      ['case', 'containers', 'plain lxc-ls -f p50', 'refresh p50', 'refresh p95', 'round trips/refresh', 'refresh/plain'],
      rows,
    );
    for (const row of rows) console.log(`summary: ${row[0]}: refresh p50 ${Number(row[3]).toFixed(1)} ms, plain lxc-ls p50 ${Number(row[2]).toFixed(1)} ms, ${row[6]}, ${row[5]} round trip`);
    await ssh.exec(`rm -rf ${quoteArg(STAND_IN_DIR)}`);
  } finally {
    ssh.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
