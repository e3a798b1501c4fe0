import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../../src/core/log';
import { loadDetectedHostView } from '../../../src/core/model/loadDetectedHostView';
import { loadHostView } from '../../../src/core/model/loadHostView';
import type { ExecOptions, ExecResult, ShellRunner } from '../../../src/core/process/types';
import { HostRuntimes } from '../../../src/core/runtime/hostRuntimes';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import type { SshHost } from '../../../src/core/ssh';
import { connectLab, readLab, type LabDescription } from '../../support/lab';

let lab: LabDescription;
let ssh: SshHost;

before(() => {
  lab = readLab();
  ssh = connectLab(lab);
});
after(() => ssh?.dispose());

let calls = 0;
const counting: ShellRunner = {
  exec: (line: string, options?: ExecOptions): Promise<ExecResult> => {
    calls++;
    return ssh.exec(line, options);
  },
};

test('the lab host lists its containers grouped by service, in one round trip', async () => {
  calls = 0;
  const view = await loadHostView(counting, new LxcRuntime({ host: 'lab' }), silentLogger);
  assert.equal(calls, 1);
  assert.equal(view.inventoryFound, true);
  assert.deepEqual(view.warnings, []);
  const services = new Map(view.services.map((g) => [g.service, g.containers]));
  for (const expected of lab.containers) {
    const container = services.get(expected.service)?.find((c) => c.name === expected.name);
    assert.ok(container, `${expected.name} under ${expected.service}; got ${[...services.keys()].join(', ')}`);
    assert.equal(container.state, 'running');
    assert.equal(container.managementIp, expected.ip);
    assert.deepEqual(
      container.units,
      expected.units.map((u) => `${u}.service`).sort(),
      `units of ${expected.name}`,
    );
  }
  assert.equal(services.get('heat')?.length, 2, 'two redundant heat API containers');
});

test('both OSA name styles on one host resolve to the same service', async () => {
  const view = await loadHostView(ssh, new LxcRuntime({ host: 'lab' }), silentLogger);
  const heat = view.services.find((g) => g.service === 'heat')?.containers.map((c) => c.name) ?? [];
  assert.ok(heat.some((n) => n.includes('_heat_api_container-')), heat.join());
  assert.ok(heat.some((n) => n.includes('-heat-api-container-')), heat.join());
});

test('a container that vanished between refresh and action is reported as gone, not as an error', async () => {
  const runtime = new LxcRuntime({ host: 'lab' });
  const { runCommand } = await import('../../../src/core/process/runCommand');
  assert.equal(await runCommand(ssh, runtime.stateOf('aio1-gone-container-00000000')), undefined);
  assert.equal(await runCommand(ssh, runtime.stateOf(lab.containers[0]!.name)), 'running');
});

test('the lab host is detected as LXC (one probe, once), and its containers route to lxc-attach', async () => {
  calls = 0;
  const runtimes = new HostRuntimes();
  const view = await loadDetectedHostView('aio1-lab', counting, runtimes, silentLogger);
  assert.equal(calls, 2, 'the probe, then the listing');
  await loadDetectedHostView('aio1-lab', counting, runtimes, silentLogger);
  assert.equal(calls, 3, 'the probe is not repeated');
  assert.equal((await runtimes.forHost('aio1-lab', counting)).kind, 'lxc');
  const listed = view.services.flatMap((g) => g.containers.map((c) => c.name));
  for (const expected of lab.containers) assert.ok(listed.includes(expected.name), expected.name);
  assert.equal(runtimes.router.execArgv(lab.containers[0]!.name, ['true'])[0], 'lxc-attach');
});
