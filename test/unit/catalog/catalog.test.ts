import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { CatalogError, expandArgv, loadCatalog } from '../../../src/core/catalog';

const ROOT = join(__dirname, '..', '..', '..');
const SHIPPED = { path: join(ROOT, 'catalog', 'services.yaml') };
const FIX = join(ROOT, 'test', 'fixtures', 'catalog');

test('the shipped catalog is valid and covers the OSA services', () => {
  const catalog = loadCatalog({ shipped: SHIPPED });
  for (const name of ['heat', 'keystone', 'nova', 'neutron', 'glance', 'cinder', 'placement', 'horizon', 'swift']) {
    const svc = catalog.get(name);
    assert.ok(svc, name);
    assert.equal(svc.inferred, false);
    assert.ok(svc.venv.startsWith(`/openstack/venvs/${name}-`), svc.venv);
    for (const unit of Object.values(svc.units)) assert.ok(unit.command && unit.command.length > 0, `${name}/${unit.name}`);
  }
  const heat = catalog.get('heat')!;
  assert.deepEqual(Object.keys(heat.units).sort(), ['heat-api', 'heat-api-cfn', 'heat-engine']);
  assert.deepEqual(heat.haproxy, ['heat_api-back', 'heat_api_cfn-back']);
  assert.equal(heat.git, 'https://opendev.org/openstack/heat');
  assert.equal(heat.units['heat-engine']!.debug.options['DEFAULT']!['num_engine_workers'], '1');
  assert.equal(heat.units['heat-engine']!.user, 'heat');
  assert.equal(heat.dbSync?.user, 'heat');
  assert.equal(catalog.get('nova')!.units['nova-conductor']!.debug.env['OS_NOVA_DISABLE_EVENTLET_PATCHING'], '1');
  assert.equal(catalog.get('keystone')!.units['keystone-wsgi-public']!.production, 'uwsgi');
});

test('forContainer finds a service by component or name', () => {
  const catalog = loadCatalog({ shipped: SHIPPED });
  assert.equal(catalog.forContainer('heat_api')?.name, 'heat');
  assert.equal(catalog.forContainer('heat')?.name, 'heat');
  assert.equal(catalog.forContainer('nova_api_os_compute')?.name, 'nova');
  assert.equal(catalog.forContainer('cinder_volume')?.name, 'cinder');
  assert.equal(catalog.forContainer('nova_api_placement_x')?.name, 'nova');
  assert.equal(catalog.forContainer('galera'), undefined);
});

test('a workspace file merges over the shipped one and can add a service', () => {
  const catalog = loadCatalog({ shipped: SHIPPED, user: { path: '/nonexistent/user.yaml' }, workspace: { path: join(FIX, 'workspace-overlay.yaml') } });
  const engine = catalog.get('heat')!.units['heat-engine']!;
  assert.equal(engine.debug.env['PYTHONDEVMODE'], '1');
  assert.equal(engine.debug.options['DEFAULT']!['num_engine_workers'], '1', 'deep merge keeps shipped keys');
  assert.deepEqual(engine.command, ['{venv}/bin/heat-engine', '--config-file', '{config}']);
  assert.equal(catalog.get('heat')!.sources.length, 2);
  const octavia = catalog.forContainer('octavia_server');
  assert.equal(octavia?.name, 'octavia');
  assert.equal(octavia?.units['octavia-api']!.port, 9876);
  assert.deepEqual(octavia?.units['octavia-api']!.config, ['/etc/octavia/octavia.conf']);
});

test('a user layer overrides lists wholesale, and the workspace wins over the user', () => {
  const catalog = loadCatalog({
    shipped: SHIPPED,
    user: { path: 'user.yaml', text: 'services:\n  heat:\n    haproxy: [a-back]\n    user: alice\n' },
    workspace: { path: '.osa-dev.yaml', text: 'services:\n  heat:\n    haproxy: [b-back]\n' },
  });
  assert.deepEqual(catalog.get('heat')!.haproxy, ['b-back']);
  assert.equal(catalog.get('heat')!.user, 'alice');
});

test('malformed YAML: CatalogError with file, line and column', () => {
  const file = join(FIX, 'malformed.yaml');
  assert.throws(
    () => loadCatalog({ shipped: SHIPPED, workspace: { path: file } }),
    (error: unknown) => {
      assert.ok(error instanceof CatalogError);
      assert.equal(error.file, file);
      assert.deepEqual(error.location, { line: 4, column: 15 });
      assert.match(error.message, /malformed\.yaml:4:15: invalid YAML: bad indentation/);
      return true;
    },
  );
});

test('schema errors name the file, the service and the key', () => {
  const file = join(FIX, 'bad-port.yaml');
  assert.throws(() => loadCatalog({ shipped: SHIPPED, workspace: { path: file } }), (error: unknown) => {
    assert.ok(error instanceof CatalogError);
    assert.equal(error.service, 'heat');
    assert.equal(error.key, 'services.heat.units.heat-engine.port');
    assert.match(error.message, /bad-port\.yaml: service "heat": services\.heat\.units\.heat-engine\.port: expected a TCP port/);
    return true;
  });
  assert.throws(
    () => loadCatalog({ shipped: SHIPPED, workspace: { path: 'w.yaml', text: 'services:\n  heat:\n    venvs: /x\n' } }),
    /w\.yaml: service "heat": services\.heat\.venvs: unknown key/,
  );
  assert.throws(
    () => loadCatalog({ shipped: SHIPPED, workspace: { path: 'w.yaml', text: 'services:\n  foo:\n    units: {}\n' } }),
    /service "foo": services\.foo\.venv: required/,
  );
  assert.throws(
    () => loadCatalog({ shipped: SHIPPED, workspace: { path: 'w.yaml', text: 'services:\n  heat:\n    units:\n      x:\n        port: 1\n' } }),
    /services\.heat\.units\.x\.command: required/,
  );
  assert.throws(() => loadCatalog({ shipped: { path: '/nope/services.yaml' } }), /\/nope\/services\.yaml: catalog file not found/);
});

test('an unknown service is inferred from what the container has', () => {
  const catalog = loadCatalog({ shipped: SHIPPED });
  const entry = catalog.resolve('octavia_server', { units: ['octavia-api.service', 'octavia-worker'] });
  assert.equal(entry.inferred, true);
  assert.equal(entry.name, 'octavia');
  assert.equal(entry.venv, '/openstack/venvs/octavia*');
  assert.deepEqual(Object.keys(entry.units), ['octavia-api', 'octavia-worker']);
  assert.equal(entry.units['octavia-api']!.command, undefined);
  const custom = catalog.resolve('my_thing', { units: [] });
  assert.equal(custom.venv, '/openstack/venvs/my-thing*');
  assert.equal(catalog.resolve('heat_engine', { units: [] }).inferred, false);
});

test('expandArgv fills placeholders and refuses unknown ones', () => {
  assert.deepEqual(expandArgv(['{venv}/bin/x', '--config-file', '{config}', '{host}:{port}'], { venv: '/v', config: '/c', host: 'h', port: '1' }), [
    '/v/bin/x', '--config-file', '/c', 'h:1',
  ]);
  assert.throws(() => expandArgv(['{nope}'], {}), /No value for placeholder \{nope\}/);
});
