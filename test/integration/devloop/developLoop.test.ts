/**
 * The whole loop on the lab: Develop heat-api in one of the two heat containers from the lab's
 * git server, serve requests through HAProxy from the dev process only, then Restore production
 * and compare the host with the snapshot taken before, byte for byte.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import { stepsForRestore, type DevelopRequest } from '../../../src/core/devloop/plan';
import { shellJoin } from '../../../src/core/shell/quote';
import type { PtySession, SshHost } from '../../../src/core/ssh';
import { connectLab, readLab, type LabDescription } from '../../support/lab';
import { heatRequest, labEngine, labRuntime as runtime, planHeat } from '../../support/heatOnLab';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';
import { waitFor } from '../../support/waitFor';

let lab: LabDescription;
let ssh: SshHost;
let baseline: string;
let request: DevelopRequest;

const engine = (): ReturnType<typeof labEngine> => labEngine(ssh, request.container, 'ci@lab (integration)');

async function frontendHosts(count: number): Promise<string[]> {
  const hosts: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${lab.haproxy.frontends['heat_api']}/`);
    hosts.push(response.ok ? String(((await response.json()) as { host: string }).host) : `HTTP ${response.status}`);
  }
  return hosts;
}

before(async () => {
  lab = readLab();
  ssh = connectLab();
  request = heatRequest(lab);
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

after(async () => {
  // Leave the lab in production whatever happened.
  const journal = await new JournalStore(ssh).read(request.container).catch(() => undefined);
  if (journal) await engine().restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
  ssh.dispose();
});

test('develop heat-api from git, serve only from the dev process, restore byte-identical', async () => {
  const plan = await planHeat(ssh, request);
  assert.equal(plan.prodVenv, lab.venv);
  const statuses: string[] = [];
  const doc = await engine().develop(plan.steps, { ...request }, { onProgress: (e) => e.status !== 'running' && statuses.push(`${e.step}:${e.status}`) });
  assert.ok(doc.steps.every((s) => s.status === 'applied' || s.status === 'skipped'), JSON.stringify(doc.steps.map((s) => [s.id, s.status, s.error])));

  // The production unit is stopped and held; the other heat container is out of the backend.
  const active = await ssh.exec(shellJoin(runtime.execArgv(request.container, ['systemctl', 'is-active', 'heat-api'])));
  assert.equal(active.stdout.trim(), 'inactive');

  // Run the dev process in the foreground, as the terminal does.
  const session: PtySession = await ssh.openPty(shellJoin(plan.foreground), { rows: 24, cols: 120 });
  let output = '';
  const decoder = new TextDecoder();
  session.onData((chunk) => (output += decoder.decode(chunk, { stream: true })));
  try {
    await waitForHaproxySettled();
    const hosts = await frontendHosts(10);
    assert.deepEqual(new Set(hosts), new Set([request.container]), `answers: ${hosts.join(', ')}`);
    const cmdline = await ssh.exec(shellJoin(runtime.execArgv(request.container, ['sh', '-c', 'cat /proc/$(cat /run/osa-dev/heat-api.pid)/cmdline | tr "\\0" " "'])));
    assert.match(cmdline.stdout, /\/opt\/osa-dev\/venvs\/heat\/bin\/(python\S* )?\S*heat-api/, 'the dev venv serves');
    assert.match(output, /INFO/, 'oslo.log lines stream to the terminal');

    // Develop again with nothing changed: idempotent and quick.
    const start = Date.now();
    const again = await engine().develop(plan.steps, { ...request });
    assert.equal(again.steps.length, doc.steps.length);
    console.log(`second develop with nothing changed: ${Date.now() - start} ms`);
  } finally {
    const journal = await new JournalStore(ssh).read(request.container);
    await engine().restore(stepsForRestore(journal!));
    session.close();
  }
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
  // The restarted production service is back in rotation once HAProxy's health check sees it UP
  // again (its rise count): poll for that instead of judging one sample taken right after Restore.
  let hosts: string[] = [];
  await waitFor('both heat containers serving again', async () => {
    hosts = await frontendHosts(6);
    return new Set(hosts).size === 2 ? true : undefined;
  }).catch(() => undefined);
  assert.equal(new Set(hosts).size, 2, `both heat containers serve again: ${hosts.join(', ')}`);
});
