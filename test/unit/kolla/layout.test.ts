import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCatalog, shippedCatalogPath } from '../../../src/core/catalog';
import { configCommand, devModeSource, hostConfigJson, parseKollaInspect, withCommand } from '../../../src/core/kolla/layout';
import { kollaServiceOf, kollaUnits } from '../../../src/core/kolla/names';
import { serviceOf } from '../../../src/core/osa/serviceOf';
import { OciOutputError } from '../../../src/core/runtime/oci/errors';
import { parseDockerPs } from '../../../src/core/runtime/oci/parseDockerPs';

const fixture = (path: string): string => readFileSync(join(__dirname, '../../fixtures', path), 'utf8');

test('container inspect (podman 4.3.1): id, image, state, mounts; the config dir and the dev-mode source', () => {
  const inspect = parseKollaInspect(fixture('podman/inspect-kolla-4.3.1.txt').trim());
  assert.equal(inspect.id, 'adbc6a1738839801ad8b90f2eb4f00eb3c314cdaefe9fdac329abef4548ee499');
  assert.equal(inspect.status, 'running');
  assert.equal(inspect.mounts.length, 3);
  // podman keeps the destination's trailing slash as given (-v /etc/kolla/heat-api/:/var/lib/kolla/config_files/:ro)
  assert.equal(hostConfigJson(inspect), '/tmp/kfx/cfg/config.json');
  assert.equal(devModeSource(inspect, 'heat'), '/dev-mode/heat');
  assert.equal(devModeSource(inspect, 'keystone'), undefined);
});

test('container inspect through the docker CLI (28.2.2): the same fields, image as sha256:…', () => {
  const inspect = parseKollaInspect(fixture('docker/inspect-kolla-cli-28.2.2.txt').trim());
  assert.match(inspect.image, /^sha256:a3594347/);
  assert.equal(hostConfigJson(inspect), '/tmp/kfx/cfg/config.json');
  assert.deepEqual(parseDockerPs(fixture('docker/ps-kolla-cli-28.2.2.jsonl')).map((c) => [c.name, c.state]), [['heat_api', 'running']]);
});

test('a container without a Kolla config mount has no config.json; garbage is an OciOutputError', () => {
  assert.equal(hostConfigJson({ id: 'x', image: 'y', status: 'running', mounts: [{ source: '/srv', destination: '/data' }] }), undefined);
  assert.throws(() => parseKollaInspect('Error: no such container'), OciOutputError);
  assert.throws(() => parseKollaInspect('id\nimage\nrunning\nnot json'), OciOutputError);
});

test("config.json's command is read, and replaced keeping every other key", () => {
  const text = '{\n  "command": "heat-api --config-file /etc/heat/heat.conf",\n  "config_files": [{"source": "/var/lib/kolla/config_files/heat.conf", "dest": "/etc/heat/heat.conf", "owner": "heat", "perm": "0600"}]\n}\n';
  assert.equal(configCommand(text, 'c.json'), 'heat-api --config-file /etc/heat/heat.conf');
  const kept = JSON.parse(withCommand(text, 'sleep infinity')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(kept), ['command', 'config_files']);
  assert.equal(kept['command'], 'sleep infinity');
  assert.deepEqual(kept['config_files'], (JSON.parse(text) as Record<string, unknown>)['config_files']);
  assert.throws(() => configCommand('{"config_files": []}', '/etc/kolla/x/config.json'), /\/etc\/kolla\/x\/config.json has no "command"/);
  assert.throws(() => configCommand('not json', 'c.json'), /c.json is not JSON/);
});

test('Kolla container names map to their service and component; others do not', () => {
  assert.deepEqual(kollaServiceOf('heat_api'), { service: 'heat', component: 'heat_api' });
  assert.deepEqual(kollaServiceOf('keystone'), { service: 'keystone', component: 'keystone' });
  assert.deepEqual(kollaServiceOf('nova_compute'), { service: 'nova', component: 'nova_compute' });
  assert.equal(kollaServiceOf('fluentd_x'), undefined);
  assert.equal(kollaServiceOf('Heat-API'), undefined);
  assert.deepEqual(serviceOf('heat_engine'), { service: 'heat', component: 'heat_engine', source: 'name' });
  assert.equal(serviceOf('aio1_heat_api_container-36e270c9').component, 'heat_api', 'OSA names still parse as before');
});

test("a Kolla container's unit is the catalog's unit of its component", () => {
  const catalog = loadCatalog({ shipped: { path: shippedCatalogPath(join(__dirname, '..', '..', '..')) } });
  const heat = catalog.resolve('heat_api', { units: [] });
  assert.deepEqual(kollaUnits(heat, { name: 'heat_api', component: 'heat_api' }), ['heat-api']);
  assert.deepEqual(kollaUnits(heat, { name: 'heat_engine' }), ['heat-engine']);
});
