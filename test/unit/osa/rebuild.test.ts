import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseInventory } from '../../../src/core/osa/inventory';
import { planRebuild, rebuildContainer, RebuildFailedError, RebuildInputError } from '../../../src/core/osa/rebuild';
import type { ExecOptions, ExecResult } from '../../../src/core/process/types';

const inventory = parseInventory(readFileSync(join(__dirname, '../../fixtures/osa/openstack_inventory.aio.json'), 'utf8'));
const recap = (name: string): string => readFileSync(join(__dirname, '../../fixtures/ansible', name), 'utf8');
const HEAT = [...inventory.containers.keys()].find((name) => name.includes('heat-api'))!;

test("OSA's three playbooks, each limited to the container (and the hosts that build it)", () => {
  const plan = planRebuild(inventory, HEAT);
  assert.equal(plan.service, 'heat');
  assert.deepEqual(plan.steps.map((s) => s.argv.join(' ')), [
    `openstack-ansible openstack.osa.containers_lxc_destroy --limit localhost,${HEAT} -e force_containers_destroy=yes -e force_containers_data_destroy=no`,
    `openstack-ansible openstack.osa.containers_lxc_create --limit localhost,lxc_hosts,${HEAT}`,
    `openstack-ansible openstack.osa.heat --limit ${HEAT}`,
  ]);
  assert.equal(planRebuild(inventory, HEAT, 'os-heat-install.yml').steps[2]!.argv[1], 'os-heat-install.yml');
});

test('refused before anything runs: not in the inventory, a bad name, a bad playbook', () => {
  assert.throws(() => planRebuild(inventory, 'aio1_nothing_container-00000000'), (e: unknown) => e instanceof RebuildInputError && /not in .*openstack_inventory.json/.test(e.message));
  assert.throws(() => planRebuild(inventory, 'x; rm -rf /'));
  assert.throws(() => planRebuild(inventory, HEAT, '--become-user=x'), RebuildInputError);
  assert.throws(() => planRebuild(inventory, HEAT, 'a b'), RebuildInputError);
});

test('the first failing playbook stops the rebuild and is named with its task', async () => {
  const lines: string[] = [];
  const host = {
    async exec(line: string, options: ExecOptions = {}): Promise<ExecResult> {
      lines.push(line);
      const failing = line.includes('containers_lxc_create');
      const stdout = recap(failing ? 'recap-mixed.txt' : 'recap-ok.txt');
      options.onStdout?.(Buffer.from(stdout));
      return { code: failing ? 2 : 0, stdout, stderr: '' };
    },
  };
  const steps: string[] = [];
  await assert.rejects(rebuildContainer(host, planRebuild(inventory, HEAT), { onStep: (s) => steps.push(s.id) }), (error: unknown) => {
    assert.ok(error instanceof RebuildFailedError);
    assert.equal(error.step.id, 'create');
    assert.match(error.message, /Create .* failed: task "real failure on container" failed on/);
    assert.match(error.message, /other containers were not touched/);
    assert.match(error.message, /may be destroyed or half created: run Rebuild Container… again .*missing from the host/);
    return true;
  });
  assert.deepEqual(steps, ['destroy', 'create']);
  assert.equal(lines.length, 2, 'the service playbook did not run');
  assert.ok(lines.every((l) => l.startsWith('env ANSIBLE_FORCE_COLOR=1 PYTHONUNBUFFERED=1 openstack-ansible ')));
});

test('cancelled while a playbook runs (the runner rejects, as the SSH one does): named as cancelled, nothing after it runs', async () => {
  const controller = new AbortController();
  const lines: string[] = [];
  const host = {
    async exec(line: string, options: ExecOptions = {}): Promise<ExecResult> {
      lines.push(line);
      options.onStdout?.(Buffer.from('PLAY [Create lxc containers] ***\n'));
      controller.abort();
      throw new Error(`Cancelled: ${line}`);
    },
  };
  await assert.rejects(rebuildContainer(host, planRebuild(inventory, HEAT), { signal: controller.signal }), (error: unknown) => {
    assert.ok(error instanceof RebuildFailedError, String(error));
    assert.equal(error.step.id, 'destroy');
    assert.match(error.message, /Destroy .* failed: cancelled/);
    assert.match(error.message, /may be destroyed or half created/);
    return true;
  });
  assert.equal(lines.length, 1);
});

test('a runner error that is not a cancellation is not hidden', async () => {
  const host = { exec: async (): Promise<ExecResult> => Promise.reject(new Error('connection lost')) };
  await assert.rejects(rebuildContainer(host, planRebuild(inventory, HEAT)), /connection lost/);
});

test('stopped in the service playbook: the container exists, only its service is to be reinstalled', async () => {
  const host = {
    async exec(line: string, options: ExecOptions = {}): Promise<ExecResult> {
      const failing = !line.includes('containers_lxc_');
      const stdout = recap(failing ? 'recap-mixed.txt' : 'recap-ok.txt');
      options.onStdout?.(Buffer.from(stdout));
      return { code: failing ? 2 : 0, stdout, stderr: '' };
    },
  };
  await assert.rejects(rebuildContainer(host, planRebuild(inventory, HEAT)), (error: unknown) => {
    assert.ok(error instanceof RebuildFailedError);
    assert.equal(error.step.id, 'service');
    assert.match(error.message, /the container exists but its service is not \(fully\) installed/);
    assert.doesNotMatch(error.message, /destroyed/);
    return true;
  });
});
