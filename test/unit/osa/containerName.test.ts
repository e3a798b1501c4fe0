import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOsaContainerName } from '../../../src/core/osa/containerName';
import { serviceOfComponent } from '../../../src/core/osa/serviceOf';

test('both name styles split into host, component, suffix', () => {
  assert.deepEqual(parseOsaContainerName('aio1_heat_api_container-36e270c9'), {
    physicalHost: 'aio1', component: 'heat_api', suffix: '36e270c9', style: 'underscore',
  });
  assert.deepEqual(parseOsaContainerName('aio1-heat-api-container-36e270c9'), {
    physicalHost: 'aio1', component: 'heat_api', suffix: '36e270c9', style: 'dash',
  });
  assert.equal(parseOsaContainerName('aio1_nova_api_os_compute_container-fed67563')?.component, 'nova_api_os_compute');
  assert.equal(parseOsaContainerName('aio1-rabbit-mq-container-0e0fe308')?.component, 'rabbit_mq');
});

test('host names with dashes and dots', () => {
  assert.equal(parseOsaContainerName('compute-2_nova_compute_container-0a1b2c3d')?.physicalHost, 'compute-2');
  assert.equal(parseOsaContainerName('infra1.lab_heat_api_container-0a1b2c3d')?.physicalHost, 'infra1.lab');
  assert.deepEqual(parseOsaContainerName('compute-2-nova-compute-container-0a1b2c3d'), {
    physicalHost: 'compute-2', component: 'nova_compute', suffix: '0a1b2c3d', style: 'dash',
  });
  // The host itself contains a service word: the rightmost known service wins.
  assert.equal(parseOsaContainerName('lab-nova-1-heat-api-container-0a1b2c3d')?.physicalHost, 'lab-nova-1');
  assert.equal(parseOsaContainerName('infra1.lab-galera-container-0a1b2c3d')?.physicalHost, 'infra1.lab');
});

test('an unknown component on a dashed host is ambiguous: known physical hosts settle it', () => {
  // Without help the first dash ends the host (documented guess)...
  assert.equal(parseOsaContainerName('my-host-custom-thing-container-0a1b2c3d')?.physicalHost, 'my');
  // ...with the inventory's physical hosts it is right.
  assert.deepEqual(parseOsaContainerName('my-host-custom-thing-container-0a1b2c3d', { physicalHosts: ['my', 'my-host'] }), {
    physicalHost: 'my-host', component: 'custom_thing', suffix: '0a1b2c3d', style: 'dash',
  });
});

test('names that are not OSA-shaped are undefined', () => {
  for (const name of ['scratch.dev', 'ubuntu', 'aio1_heat_api_container', 'aio1_heat_api_container-XYZ', 'heat_api_container-36e270c9x',
    '_heat_container-36e270c9', '-heat-container-36e270c9', 'aio1-Heat-container-36e270c9', 'container-36e270c9']) {
    assert.equal(parseOsaContainerName(name), undefined, name);
  }
});

test('component → service table, falling back to the component', () => {
  const cases: Record<string, string> = {
    heat_api: 'heat', heat_apis: 'heat', heat_engine: 'heat', nova_api_os_compute: 'nova', nova_conductor: 'nova',
    neutron_server: 'neutron', neutron_agents: 'neutron', keystone: 'keystone', glance: 'glance', cinder_api: 'cinder',
    cinder_scheduler: 'cinder', placement: 'placement', horizon: 'horizon', swift_proxy: 'swift', ceilometer_api: 'ceilometer',
    ceilometer_collector: 'ceilometer', galera: 'galera', rabbit_mq: 'rabbitmq', memcached: 'memcached', repo: 'repo',
    rsyslog: 'rsyslog', utility: 'utility', novel_thing: 'novel_thing', heatwave: 'heatwave',
  };
  for (const [component, service] of Object.entries(cases)) {
    assert.equal(serviceOfComponent(component), service, component);
  }
});
