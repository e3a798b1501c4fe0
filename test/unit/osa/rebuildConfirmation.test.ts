import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readInventoryCommand } from '../../../src/core/osa/readInventory';
import { planRebuild } from '../../../src/core/osa/rebuild';
import { describeRebuild } from '../../../src/core/osa/rebuildConfirmation';

const inventoryText = readFileSync(join(__dirname, '../../fixtures/osa/openstack_inventory.aio.json'), 'utf8');
const inventory = readInventoryCommand().parse({ code: 0, stdout: inventoryText, stderr: '' });

test('the inventory is read with cat of OSA’s path; a host without one says so', () => {
  assert.deepEqual(readInventoryCommand().argv, ['cat', '/etc/openstack_deploy/openstack_inventory.json']);
  assert.throws(
    () => readInventoryCommand().parse({ code: 1, stdout: '', stderr: 'cat: /etc/openstack_deploy/openstack_inventory.json: No such file or directory\n' }),
    /cannot read .*No such file or directory\): is this an OpenStack-Ansible deployment host\?/,
  );
  assert.throws(() => readInventoryCommand().parse({ code: 0, stdout: '{"_meta": ', stderr: '' }), /not valid JSON/);
});

test('the confirmation names the container destroyed, what is kept, and every command run', () => {
  const container = [...inventory.containers.keys()].find((name) => name.includes('heat'))!;
  const plan = planRebuild(inventory, container);
  const { message, detail } = describeRebuild(plan, 'AIO');
  assert.equal(message, `Destroy and rebuild ${container} on AIO?`);
  assert.match(detail, new RegExp(`The LXC container ${container} is stopped and destroyed`));
  assert.match(detail, /Kept: its data directories on the host .*force_containers_data_destroy=no/);
  for (const step of plan.steps) assert.ok(detail.includes(`  ${step.argv.join(' ')}`), step.argv.join(' '));
});
