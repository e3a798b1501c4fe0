/**
 * Rebuild Container against the lab: OSA's three playbooks through the lab host's real
 * `openstack-ansible` (Debian's ansible-playbook, the lab's openstack.osa collection), over SSH.
 * A heat container is broken (its venv deleted), a failing service playbook stops the rebuild with
 * the playbook and task named, then a rebuild brings it back: a new container, both heat backends
 * UP through HAProxy, the other containers untouched, the production snapshot identical.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { OsaInventory } from '../../../src/core/osa/inventory';
import { readInventoryCommand } from '../../../src/core/osa/readInventory';
import { planRebuild, rebuildContainer, RebuildFailedError, RebuildInputError, type RebuildStepId } from '../../../src/core/osa/rebuild';
import { runCommand } from '../../../src/core/process/runCommand';
import type { SshHost } from '../../../src/core/ssh';
import { connectLab, containerInstance, labHostExec, readLab, type LabDescription } from '../../support/lab';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';

const TARGET = 'aio1_heat_api_container-36e270c9';
const MARKER = '/root/osa-dev-rebuild-marker';
// A user variables file the lab's service playbooks honour (osa_lab_break): heat's fails at a task.
const BREAK_FILE = '/etc/openstack_deploy/user_osa_dev_rebuild_test.yml';

let lab: LabDescription;
let ssh: SshHost;
let inventory: OsaInventory;
let baseline: string;
let others: string[];
const marker = randomBytes(6).toString('hex');

const instanceOf = (name: string): string => containerInstance(labHostExec, name);

function inContainer(name: string, script: string): string {
  return labHostExec(['lxc-attach', '-n', name, '--', 'sh', '-c', script]).trim();
}

function othersState(): Record<string, string> {
  return Object.fromEntries(others.map((name) => [name, `${instanceOf(name)} marker=${inContainer(name, `cat ${MARKER} 2>/dev/null || echo none`)}`]));
}

async function frontendHosts(count: number): Promise<string[]> {
  const hosts: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${lab.haproxy.frontends['heat_api']}/`).catch(() => undefined);
    hosts.push(response?.ok ? String(((await response.json()) as { host: string }).host) : `HTTP ${response?.status ?? 'error'}`);
  }
  return hosts;
}

async function rebuild(): Promise<{ seconds: Record<RebuildStepId, number>; output: string }> {
  const plan = planRebuild(inventory, TARGET);
  const seconds = {} as Record<RebuildStepId, number>;
  let output = '';
  let step: RebuildStepId | undefined;
  let t = Date.now();
  const lap = (): void => {
    if (step) seconds[step] = (Date.now() - t) / 1000;
    t = Date.now();
  };
  try {
    await rebuildContainer(ssh, plan, {
      onStep: (s) => {
        lap();
        step = s.id;
      },
      onOutput: (chunk) => (output += Buffer.from(chunk).toString('utf8')),
    });
  } finally {
    lap();
    console.log(`      rebuild steps (s): ${JSON.stringify(seconds)}`);
  }
  return { seconds, output };
}

before(async () => {
  lab = readLab();
  ssh = connectLab();
  inventory = await runCommand(ssh, readInventoryCommand());
  others = lab.containers.map((c) => c.name).filter((name) => name !== TARGET);
  await waitForHaproxySettled(60_000);
  baseline = productionSnapshot(lab);
  for (const name of [TARGET, ...others]) inContainer(name, `echo ${marker} > ${MARKER}`);
});

after(async () => {
  try {
    labHostExec(['rm', '-f', BREAK_FILE]);
    // Whatever happened, leave every container serving: a failed run may have left one unprovisioned, stopped or destroyed.
    const healthy = instanceOf(TARGET) !== 'stopped' && inContainer(TARGET, 'systemctl is-active heat-api heat-engine 2>/dev/null || true') === 'active\nactive';
    for (const name of [...(healthy ? [] : [TARGET]), ...others.filter((n) => instanceOf(n) === 'stopped')]) {
      await rebuildContainer(ssh, planRebuild(inventory, name)).catch((error: unknown) => console.log(`      (cleanup rebuild of ${name} failed: ${String(error)})`));
    }
    for (const name of [TARGET, ...others]) inContainer(name, `rm -f ${MARKER} || true`);
  } finally {
    ssh.dispose(); // an open connection would keep the process (and the lab lock) alive
  }
});


test('refused before anything runs: a container not in the inventory', async () => {
  const listing = labHostExec(['lxc-ls', '-1']);
  assert.throws(() => planRebuild(inventory, 'aio1_nova_api_container-0badc0de'), (e: unknown) => e instanceof RebuildInputError && /not in .*openstack_inventory\.json/.test(e.message));
  assert.equal(labHostExec(['lxc-ls', '-1']), listing, 'no container changed');
});

test('a failing service playbook: the error names the playbook and its task, the other containers are untouched', async () => {
  const othersBefore = othersState();
  const instanceBefore = instanceOf(TARGET);
  inContainer(TARGET, 'rm -rf /openstack/venvs/heat-31.0.0 && systemctl restart heat-api || true'); // broken: no venv
  labHostExec(['sh', '-c', `printf -- '---\\nosa_lab_break: heat\\n' > ${BREAK_FILE}`]);
  try {
    await assert.rejects(rebuild(), (e: unknown) => {
      assert.ok(e instanceof RebuildFailedError, String(e));
      assert.equal(e.step.id, 'service');
      assert.equal(e.step.argv[1], 'openstack.osa.heat');
      assert.match(e.message, /openstack\.osa\.heat/);
      assert.match(e.message, /task "Check heat's user variables" failed on aio1_heat_api_container-36e270c9: osa_lab_break=heat/);
      assert.equal(e.outcome.recap.find((h) => h.host === TARGET)?.failed, 1);
      return true;
    });
  } finally {
    labHostExec(['rm', '-f', BREAK_FILE]);
  }
  assert.notEqual(instanceOf(TARGET), instanceBefore, 'the destroy and create playbooks ran: a new container');
  assert.equal(inContainer(TARGET, `cat ${MARKER} 2>/dev/null || echo none`), 'none', 'the old root filesystem is gone');
  assert.deepEqual(othersState(), othersBefore, 'the other containers run the same instance, marker in place');
});

test('rebuild a broken heat container: recreated, served through HAProxy again, nothing else touched, production snapshot identical', async () => {
  const othersBefore = othersState();
  const instanceBefore = instanceOf(TARGET);
  inContainer(TARGET, `echo ${marker} > ${MARKER}; rm -rf /openstack/venvs/heat-31.0.0; systemctl restart heat-api || true`);
  const { seconds, output } = await rebuild();
  console.log(`      rebuild took ${Object.values(seconds).reduce((a, b) => a + b, 0).toFixed(1)} s`);
  assert.match(output, /PLAY RECAP/, 'ansible-playbook output streamed');

  assert.match(labHostExec(['lxc-ls', '-f', '-F', 'NAME,STATE']), new RegExp(`${TARGET}\\s+RUNNING`));
  assert.notEqual(instanceOf(TARGET), instanceBefore, 'a new container instance');
  assert.equal(inContainer(TARGET, `cat ${MARKER} 2>/dev/null || echo none`), 'none', 'a fresh root filesystem');
  assert.equal(inContainer(TARGET, 'test -x /openstack/venvs/heat-31.0.0/bin/heat-api && echo venv'), 'venv', 'the venv is back');
  assert.equal(inContainer(TARGET, 'systemctl is-active heat-api heat-engine'), 'active\nactive');

  await waitForHaproxySettled(60_000);
  const heat = lab.containers.filter((c) => c.service === 'heat').map((c) => c.name).sort();
  const deadline = Date.now() + 30_000;
  let hosts: string[] = [];
  while (Date.now() < deadline && new Set(hosts).size !== heat.length) hosts = [...new Set([...hosts, ...(await frontendHosts(4))])].filter((h) => heat.includes(h));
  assert.deepEqual(hosts.sort(), heat, 'both heat backends answer through HAProxy');

  assert.deepEqual(othersState(), othersBefore, 'the other containers run the same instance, marker in place');
  assert.equal(productionSnapshot(lab), baseline, 'production snapshot identical after the rebuild');
});

test('cancelled while a playbook runs: the remote ansible-playbook ends, the rebuild says so; a rebuild afterwards completes', async () => {
  const utility = lab.containers.find((c) => c.service === 'utility')!.name;
  const plan = planRebuild(inventory, utility);
  const controller = new AbortController();
  let step: RebuildStepId | undefined;
  await assert.rejects(
    rebuildContainer(ssh, plan, {
      signal: controller.signal,
      onStep: (s) => (step = s.id),
      // Cancel once the create playbook is visibly running on the host.
      onOutput: (chunk) => step === 'create' && Buffer.from(chunk).toString('utf8').includes('TASK [') && controller.abort(),
    }),
    (e: unknown) => e instanceof RebuildFailedError && e.step.id === 'create' && /cancelled/.test(e.message),
  );
  const running = (): string => labHostExec(['sh', '-c', `pgrep -af '[a]nsible-playbook.*containers_lxc_create.*${utility}' || true`]).trim();
  const deadline = Date.now() + 15_000;
  while (running() !== '' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  assert.equal(running(), '', 'no ansible-playbook left running on the host');
  await rebuildContainer(ssh, plan);
  assert.match(inContainer(utility, 'cat /root/openrc'), /OS_AUTH_URL=/, 'rebuilt and provisioned');
});
