import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseInventory } from '../../../src/core/osa/inventory';
import { joinContainers, serviceOf } from '../../../src/core/osa/serviceOf';
import { parseLxcLsFancy } from '../../../src/core/runtime/lxc/parseLxcLs';
import type { ContainerInfo } from '../../../src/core/runtime/types';

const inventory = parseInventory(readFileSync(join(__dirname, '../../fixtures/osa/openstack_inventory.aio.json'), 'utf8'));
const running = (name: string): ContainerInfo => ({ name, state: 'running', ipv4: [], groups: [] });

test('with an inventory: service_name wins over the component and the name', () => {
  assert.deepEqual(serviceOf('aio1-heat-api-container-36e270c9', inventory), {
    service: 'heat', component: 'heat_engine', physicalHost: 'aio1', source: 'inventory',
  });
  assert.equal(serviceOf('aio1_repo_container-6a8377fc', inventory).service, 'repo'); // component pkg_repo
  assert.equal(serviceOf('aio1_rabbit_mq_container-0e0fe308', inventory).service, 'rabbitmq');
});

test('without an inventory (or a container it lacks): inferred from the name', () => {
  assert.deepEqual(serviceOf('aio1_heat_apis_container-40ec9f3e'), { service: 'heat', component: 'heat_apis', physicalHost: 'aio1', source: 'name' });
  assert.equal(serviceOf('aio1_nova_conductor_container-7d0f1b0f', inventory).source, 'name');
  assert.equal(serviceOf('aio1_rabbit_mq_container-a4a04124').service, 'rabbitmq');
  assert.deepEqual(serviceOf('scratch.dev'), { source: 'none' });
});

test('the LXC 1.x AIO listing maps every container to a service without an inventory', () => {
  const listed = parseLxcLsFancy(readFileSync(join(__dirname, '../../fixtures/lxc/lxc1-default-osa-aio.txt'), 'utf8'));
  const services = new Set(joinContainers(listed).map((c) => c.service));
  assert.deepEqual([...services].sort(), [
    'ceilometer', 'cinder', 'galera', 'glance', 'heat', 'horizon', 'keystone', 'memcached', 'neutron', 'nova', 'rabbitmq', 'repo', 'rsyslog', 'swift', 'utility',
  ]);
});

test('join: listed-only, inventory-only and both; both name styles on one host; sorted', () => {
  const listed = [
    running('aio1-heat-api-container-36e270c9'), // both, new style
    running('aio1_galera_container-2f36d624'), // both, old style
    running('aio1_heat_engine_container-11112222'), // listed only, old style
    running('scratch.dev'), // not OSA-shaped
  ];
  const joined = joinContainers(listed, inventory, { physicalHost: 'aio1' });
  const byName = new Map(joined.map((c) => [c.name, c]));
  assert.deepEqual(joined.map((c) => c.name), [...joined.map((c) => c.name)].sort((a, b) => a.localeCompare(b)));
  assert.equal(joined.length, 4 + 12);
  const heat = byName.get('aio1-heat-api-container-36e270c9');
  assert.equal(heat?.nameStyle, 'dash');
  assert.equal(heat?.listed?.state, 'running');
  assert.equal(heat?.inventory?.managementAddress, '172.29.239.171');
  assert.equal(byName.get('aio1_galera_container-2f36d624')?.nameStyle, 'underscore');
  const engine = byName.get('aio1_heat_engine_container-11112222');
  assert.equal(engine?.inventory, undefined);
  assert.equal(engine?.service, 'heat');
  assert.equal(engine?.source, 'name');
  const swift = byName.get('aio1-swift-proxy-container-9f0130d3');
  assert.equal(swift?.listed, undefined);
  assert.equal(swift?.service, 'swift');
  assert.deepEqual(byName.get('scratch.dev'), { name: 'scratch.dev', source: 'none', listed: running('scratch.dev') });
  assert.equal(joinContainers([], inventory, { physicalHost: 'infra2' }).length, 0);
});
