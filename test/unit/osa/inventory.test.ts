import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InventoryError, parseInventory } from '../../../src/core/osa/inventory';

const aio = readFileSync(join(__dirname, '../../fixtures/osa/openstack_inventory.aio.json'), 'utf8');

test('an AIO inventory: containers with component, service, physical host, address, groups', () => {
  const inventory = parseInventory(aio);
  assert.equal(inventory.containers.size, 14);
  assert.deepEqual(inventory.physicalHosts, ['aio1']);
  const heat = inventory.containers.get('aio1-heat-api-container-36e270c9');
  assert.deepEqual(
    { ...heat, groups: undefined },
    {
      inventoryName: 'aio1-heat-api-container-36e270c9',
      containerName: 'aio1-heat-api-container-36e270c9',
      component: 'heat_engine',
      serviceName: 'heat',
      physicalHost: 'aio1',
      physicalHostAddr: '172.29.236.100',
      managementAddress: '172.29.239.171',
      isMetal: false,
      groups: undefined,
    },
  );
  // Direct (hosts) and transitive (children) membership.
  for (const group of ['heat_api', 'heat_api_cfn', 'heat_engine', 'heat_api_container', 'orchestration_all', 'heat_all', 'aio1-host_containers', 'orchestration_containers', 'all_containers']) {
    assert.ok(heat?.groups.includes(group), group);
  }
  assert.ok(!heat?.groups.includes('nova_all'));
  // The physical host is a host, not a container.
  assert.equal(inventory.containers.has('aio1'), false);
  assert.equal(inventory.hosts.get('aio1')?.isMetal, true);
  assert.deepEqual(inventory.groups.get('lxc_hosts'), { name: 'lxc_hosts', hosts: ['aio1'], children: [] });
});

test('malformed JSON: InventoryError with the parser position as line and column', () => {
  assert.throws(
    () => parseInventory('{\n  "heat_all": {"hosts": []}\n  "oops": 1\n}'),
    (e: unknown) => e instanceof InventoryError && /not valid JSON \(line 3, column 3\)/.test(e.message),
  );
  assert.throws(() => parseInventory('{"a": '), /not valid JSON \(line 1, column 7\)/);
  assert.throws(() => parseInventory('{\n  "oops"\n}'), /not valid JSON \(line 3, column 1\)/);
});

test('wrong shapes name the offending key path, never a raw TypeError', () => {
  const cases: Array<[string, RegExp]> = [
    ['[]', /\$ must be an object, got a list/],
    ['{}', /\$\._meta is missing/],
    ['{"_meta": {}}', /\$\._meta\.hostvars is missing/],
    ['{"_meta": {"hostvars": {}}, "heat_all": {"children": "heat_api"}}', /\$\.heat_all\.children must be a list/],
    ['{"_meta": {"hostvars": {}}, "heat_all": {"hosts": ["a", 3]}}', /\$\.heat_all\.hosts\[1\] must be a string, got number 3/],
    ['{"_meta": {"hostvars": {}}, "aio1-host_containers": null}', /\$\["aio1-host_containers"\] must be an object, got null/],
    ['{"_meta": {"hostvars": {"c-1": {"physical_host": 7}}}}', /\$\._meta\.hostvars\["c-1"\]\.physical_host must be a string/],
    ['{"_meta": {"hostvars": {"c": {"properties": []}}}}', /\$\._meta\.hostvars\.c\.properties must be an object/],
    ['{"_meta": {"hostvars": {"c": {"properties": {"is_metal": 1}}}}}', /is_metal must be true or false/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseInventory(text), (e: unknown) => e instanceof InventoryError && message.test(e.message), text);
  }
});

test('null addresses (metal hosts before IP assignment) and "True" strings are tolerated', () => {
  const inventory = parseInventory(
    '{"_meta": {"hostvars": {"infra1_utility_container-0a1b2c3d": {"ansible_host": null, "container_address": null, "properties": {"is_metal": "False"}}}}}',
  );
  const c = inventory.containers.get('infra1_utility_container-0a1b2c3d');
  assert.equal(c?.managementAddress, undefined);
  assert.deepEqual(c?.groups, []);
});

test('group cycles do not loop', () => {
  const inventory = parseInventory('{"_meta": {"hostvars": {"c": {}}}, "a": {"hosts": ["c"], "children": ["b"]}, "b": {"children": ["a"]}}');
  assert.deepEqual(inventory.hosts.get('c')?.groups, ['a', 'b']);
});
