/**
 * bench/gerrit-checkout: checking out a patchset with our code (REST query + fetch
 * refs/changes/NN/C/PS + review branch) beside `git review -d` on the same change, against the
 * same Gerrit stand-in on loopback, same machine, same run. Each run starts from master.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GerritClient } from '../src/core/gerrit';
import { checkoutGerritChange } from '../src/core/sources';
import { standardFixtures } from '../test/support/gerrit/builders';
import { mustRun } from '../test/support/gerrit/exec';
import { GerritStandIn } from '../test/support/gerrit/standIn';
import { percentile, printTable } from './stats';

const RUNS = 10;

async function main(): Promise<void> {
  const gerrit = await GerritStandIn.start();
  const work = mkdtempSync(join(tmpdir(), 'bench-gerrit-'));
  try {
    for (const change of standardFixtures()) gerrit.addChange(change);
    const client = new GerritClient({ baseUrl: gerrit.url });
    const ours = join(work, 'ours');
    const theirs = join(work, 'git-review');
    for (const dir of [ours, theirs]) await mustRun('git', ['clone', '-q', '-o', 'gerrit', gerrit.gitUrl('openstack/heat'), dir], work);
    const samples: Record<string, number[]> = { ours: [], 'git review -d': [] };
    for (let i = 0; i < RUNS; i++) {
      const spec = i % 2 === 0 ? '12345,3' : '12345';
      for (const [name, dir] of [['ours', ours], ['git review -d', theirs]] as const) {
        await mustRun('git', ['checkout', '-q', 'master'], dir);
        const start = process.hrtime.bigint();
        if (name === 'ours') await checkoutGerritChange(client, { dir, change: spec });
        else await mustRun('git', ['review', '-d', spec], dir);
        samples[name]!.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    printTable(
      `Gerrit checkout of change 12345 (alternating 12345,3 and current), ${RUNS} runs each, stand-in on 127.0.0.1`,
      ['tool', 'p50 ms', 'p95 ms', 'min ms'],
      Object.entries(samples).map(([name, s]) => [name, percentile(s, 50), percentile(s, 95), Math.min(...s)]),
    );
    console.log(`summary: gerrit checkout p50 ours ${percentile(samples['ours']!, 50).toFixed(0)} ms vs git review -d ${percentile(samples['git review -d']!, 50).toFixed(0)} ms`);
  } finally {
    await gerrit.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
