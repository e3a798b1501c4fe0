/**
 * Rebuild Container of a container on another physical host (the lab's infra2, reached only
 * through aio1): the same three OSA playbooks, run by aio1's `openstack-ansible`, whose lxc
 * commands are delegated to the container's physical_host over Ansible's SSH (aio1's root key,
 * infra2 in its known_hosts). The container is destroyed and created again ON infra2, its service
 * is back behind aio1's HAProxy placement frontend, and aio1's containers are untouched; a failing
 * service playbook on infra2's container leaves the other containers untouched too.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { OsaInventory } from '../../../src/core/osa/inventory';
import { readInventoryCommand } from '../../../src/core/osa/readInventory';
import { planRebuild, rebuildContainer, RebuildFailedError } from '../../../src/core/osa/rebuild';
import { runCommand } from '../../../src/core/process/runCommand';
import type { SshHost } from '../../../src/core/ssh';
import { connectLab, containerInstance, labHostExec, readLab, type LabContainer, type LabDescription } from '../../support/lab';
import { labNode, nodeHostExec, type LabNode } from '../../support/labNode';
import { answerFromFrontend } from '../../support/labServices';
import { waitForHaproxySettled } from '../../support/productionSnapshot';

const MARKER = '/root/osa-dev-rebuild-marker';
const BREAK_FILE = '/etc/openstack_deploy/user_osa_dev_rebuild_node_test.yml';

let lab: LabDescription;
let node: LabNode;
let target: LabContainer;
let ssh: SshHost;
let inventory: OsaInventory;
const marker = randomBytes(6).toString('hex');

const onNode = (name: string): string => containerInstance(nodeHostExec, name);
const onAio1 = (name: string): string => containerInstance(labHostExec, name);
const inTarget = (script: string): string => nodeHostExec(['lxc-attach', '-n', target.name, '--', 'sh', '-c', script]).trim();
/** aio1's containers, each its running instance: what "untouched" compares. */
const aio1Instances = (): Record<string, string> => Object.fromEntries(lab.containers.map((c) => [c.name, onAio1(c.name)]));
const targetServes = (): boolean => onNode(target.name) !== 'stopped' && inTarget('systemctl is-active placement-api 2>/dev/null || true') === 'active';

before(async () => {
  lab = readLab();
  node = labNode(lab);
  target = node.containers.find((c) => c.service === 'placement')!;
  assert.ok(target, `${node.name} has a placement container`);
  ssh = connectLab();
  inventory = await runCommand(ssh, readInventoryCommand());
  await waitForHaproxySettled(60_000);
});

after(async () => {
  try {
    labHostExec(['rm', '-f', BREAK_FILE]);
    if (!targetServes()) await rebuildContainer(ssh, planRebuild(inventory, target.name)).catch((e: unknown) => console.log(`      (cleanup rebuild failed: ${String(e)})`));
    await waitForHaproxySettled(60_000);
  } finally {
    ssh.dispose();
  }
});

test('a failing service playbook on infra2’s container: the error names the playbook, task and container; aio1’s containers untouched', async () => {
  const aio1Before = aio1Instances();
  const instanceBefore = onNode(target.name);
  labHostExec(['sh', '-c', `printf -- '---\\nosa_lab_break: placement\\n' > ${BREAK_FILE}`]);
  try {
    await assert.rejects(rebuildContainer(ssh, planRebuild(inventory, target.name)), (e: unknown) => {
      assert.ok(e instanceof RebuildFailedError, String(e));
      assert.equal(e.step.id, 'service');
      assert.equal(e.step.argv[1], 'openstack.osa.placement');
      assert.match(e.message, new RegExp(`task "Check placement's user variables" failed on ${target.name}: osa_lab_break=placement`));
      return true;
    });
  } finally {
    labHostExec(['rm', '-f', BREAK_FILE]);
  }
  assert.notEqual(onNode(target.name), instanceBefore, 'destroyed and created again on infra2 before the service playbook failed');
  assert.deepEqual(aio1Instances(), aio1Before, 'aio1’s containers run the same instances');
});

test('rebuild infra2’s placement container from aio1: recreated on infra2, served through aio1’s HAProxy, aio1’s containers untouched', async () => {
  const aio1Before = aio1Instances();
  inTarget(`echo ${marker} > ${MARKER}`);
  const instanceBefore = onNode(target.name);
  assert.notEqual(instanceBefore, 'stopped');
  const t0 = Date.now();
  const steps: string[] = [];
  let output = '';
  await rebuildContainer(ssh, planRebuild(inventory, target.name), {
    onStep: (s) => steps.push(s.id),
    onOutput: (chunk) => (output += Buffer.from(chunk).toString('utf8')),
  });
  console.log(`      rebuild of ${target.name} on ${node.name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.deepEqual(steps, ['destroy', 'create', 'service']);
  // The lxc commands ran on infra2, reached by Ansible over SSH from aio1 (the create play checks both LXC hosts).
  assert.match(output, new RegExp(`ok: \\[${node.name}\\]`), 'the LXC hosts play ran on infra2');
  assert.match(output, new RegExp(`\\[${target.name} -> ${node.name}`), 'the container’s tasks were delegated to infra2');

  const instanceAfter = onNode(target.name);
  assert.notEqual(instanceAfter, 'stopped', 'running on infra2');
  assert.notEqual(instanceAfter, instanceBefore, 'a new container instance on infra2 (new init pid)');
  assert.equal(onAio1(target.name), 'stopped', 'not created on aio1');
  assert.equal(inTarget(`cat ${MARKER} 2>/dev/null || echo none`), 'none', 'a fresh root filesystem');
  assert.equal(inTarget('systemctl is-active placement-api'), 'active');

  await waitForHaproxySettled(60_000);
  const answer = await answerFromFrontend(lab.haproxy.frontends['placement']!, target.name);
  assert.equal(answer.host, target.name, 'infra2’s placement answers through aio1’s HAProxy placement frontend');
  assert.deepEqual(aio1Instances(), aio1Before, 'aio1’s containers run the same instances');
});
