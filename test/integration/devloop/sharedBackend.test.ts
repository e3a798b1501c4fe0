/**
 * Two containers of one HAProxy backend (the lab's two heat API containers): while one is in dev
 * mode, Develop in the other is refused before it changes anything (isolating it would put the
 * first dev server in maintenance, and whichever Restore ran last would decide what serves).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DevLoopEngine, StepFailedError } from '../../../src/core/devloop/engine';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import { IsolationConflictError, isolateStep } from '../../../src/core/devloop/steps/isolateStep';
import { silentLogger } from '../../../src/core/log';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import type { SshHost } from '../../../src/core/ssh';
import { connectLab, readLab, type LabDescription } from '../../support/lab';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';

const runtime = new LxcRuntime();
let lab: LabDescription;
let ssh: SshHost;
let baseline: string;
let first: { name: string; ip: string };
let second: { name: string; ip: string };

const engine = (container: string, holder: string): DevLoopEngine =>
  new DevLoopEngine({ host: ssh, runtime, store: new JournalStore(ssh), container, holder: { holder, since: new Date().toISOString() }, logger: silentLogger });

before(async () => {
  lab = readLab();
  const heat = lab.containers.filter((c) => c.service === 'heat');
  first = heat[0]!;
  second = heat[1]!;
  ssh = connectLab();
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

after(async () => {
  await engine(first.name, 'cleanup').restore([isolateStep(first)], { takeOverLock: true }).catch(() => undefined);
  await engine(second.name, 'cleanup').restore([isolateStep(second)], { takeOverLock: true }).catch(() => undefined);
  ssh.dispose();
});

test('a second dev session in the same backend is refused naming the first; nothing changes; the first restores exactly', async () => {
  await engine(first.name, 'alice@laptop').develop([isolateStep(first)], { unit: 'heat-api' });
  const isolated = productionSnapshot(lab);
  assert.notEqual(isolated, baseline, 'the first session isolated heat_api-back');

  await assert.rejects(engine(second.name, 'bob@desktop').develop([isolateStep(second)], { unit: 'heat-api' }), (error: unknown) => {
    assert.ok(error instanceof StepFailedError, String(error));
    assert.ok(error.cause instanceof IsolationConflictError, String(error.cause));
    assert.match(error.message, new RegExp(`heat_api-back is already isolated for ${first.name} \\(in dev mode since .*\\).*Restore Production in ${first.name} first.*Nothing was changed`));
    return true;
  });
  assert.equal(productionSnapshot(lab), isolated, 'HAProxy and the journals are as the first session left them');
  const journals = (await new JournalStore(ssh).list()).map((j) => j.container);
  assert.deepEqual(journals, [first.name], 'the refused container has no journal (not shown in dev mode)');
  assert.equal((await ssh.exec(`test -e /var/lib/osa-dev/${second.name}.lock`)).code, 1, 'and no lock');

  await engine(first.name, 'alice@laptop').restore([isolateStep(first)]);
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
  // With the first restored, the second may now be developed (and restored).
  await engine(second.name, 'bob@desktop').develop([isolateStep(second)], { unit: 'heat-api' });
  await engine(second.name, 'bob@desktop').restore([isolateStep(second)]);
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
});
