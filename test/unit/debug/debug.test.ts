import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCatalog, shippedCatalogPath } from '../../../src/core/catalog/catalog';
import { debugAdvice, debugpyArgv } from '../../../src/core/debug/argv';
import { debugAttachArguments, debugAttachConfiguration } from '../../../src/core/debug/attach';
import { debugConfigPath, renderDebugConfig } from '../../../src/core/debug/debugConf';
import { debugpyLinkDir } from '../../../src/core/debug/debugpy';
import { stepsForRestore } from '../../../src/core/devloop/plan';

const catalog = () => loadCatalog({ shipped: { path: shippedCatalogPath(join(__dirname, '../../..')) } });

test('debugpyArgv: python -m debugpy --listen ip:port [--wait-for-client] script args', () => {
  const venv = '/opt/osa-dev/venvs/heat';
  assert.deepEqual(debugpyArgv(`${venv}/bin/python`, '172.29.236.102', 5678, [`${venv}/bin/heat-api`, '--config-file', '/etc/heat/heat.conf']), [
    `${venv}/bin/python`, '-m', 'debugpy', '--listen', '172.29.236.102:5678', `${venv}/bin/heat-api`, '--config-file', '/etc/heat/heat.conf',
  ]);
  assert.deepEqual(debugpyArgv('/p/bin/python', '10.0.0.1', 1, ['/p/bin/x'], { waitForClient: true }).slice(3), ['--listen', '10.0.0.1:1', '--wait-for-client', '/p/bin/x']);
});

test('debugpyArgv refuses wildcards, bad ports, relative scripts, odd hosts', () => {
  for (const host of ['0.0.0.0', '::', '', '*']) assert.throws(() => debugpyArgv('/p/python', host, 5678, ['/p/x']), /management IP/);
  assert.throws(() => debugpyArgv('/p/python', '1.2.3.4', 0, ['/p/x']), /port/);
  assert.throws(() => debugpyArgv('/p/python', '1.2.3.4', 70000, ['/p/x']), /port/);
  assert.throws(() => debugpyArgv('/p/python', '1.2.3.4', 5678.5, ['/p/x']), /port/);
  assert.throws(() => debugpyArgv('/p/python', '1.2.3.4', 5678, ['heat-api']), /absolute/);
  assert.throws(() => debugpyArgv('python', '1.2.3.4', 5678, ['/p/x']), /absolute/);
  assert.throws(() => debugpyArgv('/p/python', '1.2.3.4', 5678, []), /No command/);
  assert.throws(() => debugpyArgv('/p/python', '1.2.3.4;rm -rf /', 5678, ['/p/x']), /Invalid/);
  assert.throws(() => debugpyArgv('/p/python', '256.1.1.1', 5678, ['/p/x']), /Invalid/);
});

test('debugAdvice: catalog env and notes, eventlet without a switch, gevent, nova switch', () => {
  const c = catalog();
  const heat = c.resolve('heat', { units: ['heat-api', 'heat-engine'] });
  const engine = debugAdvice('heat-engine', c.unit(heat, 'heat-engine')?.debug);
  assert.equal(engine.eventletWithoutSwitch, true);
  assert.match(engine.notes.at(-1)!, /heat-engine runs on eventlet.*pdb/);
  assert.equal(engine.env['PYDEVD_DISABLE_FILE_VALIDATION'], '1');
  const api = debugAdvice('heat-api', c.unit(heat, 'heat-api')?.debug);
  assert.equal(api.eventletWithoutSwitch, false);
  assert.deepEqual(api.notes, []);
  assert.match(debugAdvice('heat-api', c.unit(heat, 'heat-api')?.debug, { haproxyBackend: 'heat_api-back' }).notes[0]!, /health-checks heat-api/);
  const nova = debugAdvice('nova-conductor', { env: { OS_NOVA_DISABLE_EVENTLET_PATCHING: '1' }, options: {}, notes: ['uses eventlet'] });
  assert.equal(nova.eventletWithoutSwitch, false);
  assert.equal(nova.env['OS_NOVA_DISABLE_EVENTLET_PATCHING'], '1');
  assert.equal(debugAdvice('x', { env: {}, options: {}, notes: ['runs on gevent'] }).env['GEVENT_SUPPORT'], 'True');
  assert.equal(debugAdvice('x', undefined).eventletWithoutSwitch, false);
});

test('attach configuration for the Python extension and DAP arguments for debugpy directly', () => {
  const options = { localPort: 40123, localRoot: '/home/me/heat/', remoteRoot: '/opt/osa-dev/src/heat', justMyCode: true };
  assert.deepEqual(debugAttachConfiguration(options), {
    name: 'OSA Dev: attach',
    type: 'debugpy',
    request: 'attach',
    connect: { host: '127.0.0.1', port: 40123 },
    pathMappings: [{ localRoot: '/home/me/heat', remoteRoot: '/opt/osa-dev/src/heat' }],
    justMyCode: true,
    subProcess: false,
  });
  const site = { localRoot: '/tmp/site', remoteRoot: '/openstack/venvs/heat-31.0.0/lib/python3.11/site-packages' };
  const args = debugAttachArguments({ ...options, justMyCode: false, sitePackages: [site] });
  assert.deepEqual(args.pathMappings, [{ localRoot: '/home/me/heat', remoteRoot: '/opt/osa-dev/src/heat' }, site]);
  assert.equal(args.justMyCode, false);
  assert.equal('type' in args, false);
  assert.equal(debugAttachConfiguration({ ...options, name: 'heat-api' }).name, 'heat-api');
  assert.equal(debugAttachConfiguration({ ...options, localRoot: 'C:\\src\\heat\\' }).pathMappings[0]!.localRoot, 'C:\\src\\heat');
  assert.throws(() => debugAttachConfiguration({ ...options, localPort: 0 }), /port/);
  assert.throws(() => debugAttachConfiguration({ ...options, remoteRoot: 'heat' }), /absolute/);
  assert.throws(() => debugAttachConfiguration({ ...options, localRoot: ' ' }), /empty/);
});

test('debug config file: sorted INI, DEFAULT first, refuses odd names and multi-line values', () => {
  assert.equal(renderDebugConfig({}), '');
  assert.equal(renderDebugConfig({ DEFAULT: {} }), '');
  const text = renderDebugConfig({ scheduler: { workers: 1 }, DEFAULT: { rpc_workers: 0, api_workers: '1' } });
  assert.equal(text.split('\n').slice(1).join('\n'), '[DEFAULT]\napi_workers = 1\nrpc_workers = 0\n\n[scheduler]\nworkers = 1\n');
  assert.throws(() => renderDebugConfig({ 'a]': { b: 1 } }), /section/);
  assert.throws(() => renderDebugConfig({ a: { 'b = c': 1 } }), /option/);
  assert.throws(() => renderDebugConfig({ a: { b: 'x\n[DEFAULT]' } }), /lines/);
  assert.equal(debugConfigPath('heat-engine'), '/opt/osa-dev/conf/heat-engine.conf');
  assert.throws(() => debugConfigPath('../x'), /Invalid/);
  assert.equal(debugpyLinkDir('3.11'), '/opt/osa-dev/debugpy/3.11');
  assert.throws(() => debugpyLinkDir('3.11/../..'), /Invalid/);
});

test('Restore knows the debug steps (nothing to undo in production)', () => {
  const steps = stepsForRestore({
    container: 'c',
    steps: [
      { id: 'debugpy:/opt/osa-dev/venvs/heat', title: 't', status: 'applied' },
      { id: 'debug-conf:heat-engine', title: 't', status: 'applied' },
    ],
  } as never);
  assert.deepEqual(steps.map((s) => s.id), ['debugpy:/opt/osa-dev/venvs/heat', 'debug-conf:heat-engine']);
});
