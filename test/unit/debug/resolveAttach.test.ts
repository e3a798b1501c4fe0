import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { blockingListeners } from '../../../src/core/debug/preflight';
import { effectiveJustMyCode, libraryMappings, localSitePackages, resolveAttach, type ResolveAttachInput } from '../../../src/core/debug/resolveAttach';
import { parseSitePackagesListing } from '../../../src/core/debug/sitePackages';

const PROD_SITE = '/openstack/venvs/heat-31.0.0/lib/python3.11/site-packages';
const DEV_SITE = '/opt/osa-dev/venvs/heat/lib/python3.11/site-packages';

function input(over: Partial<ResolveAttachInput> = {}): ResolveAttachInput {
  return {
    launch: { type: 'osa-dev', request: 'attach', name: 'heat-api on aio1', host: 'aio1', service: 'heat-api' },
    settings: { justMyCode: true, sitePackages: '' },
    pythonDebugger: false,
    localPort: 40123,
    localRoot: '/home/me/heat',
    remoteRoot: '/opt/osa-dev/src/heat',
    // The dev venv has what `pip install -r requirements.txt` added or upgraded; the rest is the production venv's.
    remoteSitePackages: [
      { dir: DEV_SITE, entries: ['heat', 'oslo_config'] },
      { dir: PROD_SITE, entries: ['oslo_config', 'oslo_messaging', 'six.py', 'webob'] },
    ],
    localSitePackagesEntries: [],
    forwardKey: 'aio1/c/40123',
    ...over,
  };
}

test('with ms-python.debugpy installed: a standard debugpy attach configuration for it', () => {
  assert.deepEqual(resolveAttach(input({ pythonDebugger: true })), {
    name: 'heat-api on aio1',
    type: 'debugpy',
    request: 'attach',
    connect: { host: '127.0.0.1', port: 40123 },
    pathMappings: [{ localRoot: '/home/me/heat', remoteRoot: '/opt/osa-dev/src/heat' }],
    justMyCode: true,
    subProcess: false,
    osaDevForward: 'aio1/c/40123',
  });
});

test('without it: the DAP attach body for debugpy, type osa-dev, the host alias moved out of "host"', () => {
  const resolved = resolveAttach(input());
  assert.equal(resolved['type'], 'osa-dev');
  assert.equal('host' in resolved, false, 'debugpy refuses "host" next to "connect"');
  assert.equal(resolved['osaDevHost'], 'aio1');
  assert.equal(resolved['osaDevPort'], 40123);
  assert.equal(resolved['service'], 'heat-api');
  assert.deepEqual(resolved['connect'], { host: '127.0.0.1', port: 40123 });
  assert.equal(resolved['justMyCode'], true);
});

test('justMyCode: the launch attribute wins over the osaDev.debug.justMyCode setting', () => {
  const off = { justMyCode: false, sitePackages: '' };
  assert.equal(effectiveJustMyCode({}, off), false);
  assert.equal(effectiveJustMyCode({ justMyCode: true }, off), true);
  assert.equal(effectiveJustMyCode({ justMyCode: false }, { justMyCode: true, sitePackages: '' }), false);
  assert.equal(resolveAttach(input({ settings: off }))['justMyCode'], false);
  assert.equal(resolveAttach(input({ pythonDebugger: true, launch: { ...input().launch, justMyCode: false } }))['justMyCode'], false);
});

test('stepping into libraries: justMyCode false maps each package of the local copy to the site-packages the dev process imports it from, project first', () => {
  const copy = '/home/me/venvs/heat/lib/python3.11/site-packages';
  const launch = { ...input().launch, justMyCode: false, sitePackages: `${copy}/` };
  for (const pythonDebugger of [true, false]) {
    const resolved = resolveAttach(input({ launch, pythonDebugger, localSitePackagesEntries: ['oslo_config', 'oslo_messaging', 'six.py', 'not_in_the_container'] }));
    assert.deepEqual(resolved['pathMappings'], [
      { localRoot: '/home/me/heat', remoteRoot: '/opt/osa-dev/src/heat' },
      // In both venvs: the dev venv's shadows the production venv's, as for Python's import.
      { localRoot: `${copy}/oslo_config`, remoteRoot: `${DEV_SITE}/oslo_config` },
      // Only in the production venv (most libraries): there, not in the dev venv.
      { localRoot: `${copy}/oslo_messaging`, remoteRoot: `${PROD_SITE}/oslo_messaging` },
      { localRoot: `${copy}/six.py`, remoteRoot: `${PROD_SITE}/six.py` },
    ]);
    assert.equal('sitePackages' in resolved, false, 'not an attribute debugpy knows');
  }
  // From the setting when the configuration has none.
  assert.equal(localSitePackages({ justMyCode: false }, { justMyCode: true, sitePackages: '/s' }), '/s');
  // justMyCode on: no library mapping even with a local copy configured.
  assert.equal(localSitePackages({ sitePackages: '/s' }, { justMyCode: true, sitePackages: '' }), undefined);
  assert.equal(localSitePackages({ justMyCode: false }, { justMyCode: true, sitePackages: ' ' }), undefined);
  assert.deepEqual(libraryMappings(undefined, ['webob'], input().remoteSitePackages), []);
  assert.deepEqual(libraryMappings('/s', ['webob', 'webob'], input().remoteSitePackages), [{ localRoot: '/s/webob', remoteRoot: `${PROD_SITE}/webob` }]);
  assert.deepEqual(libraryMappings('C:\\venv\\Lib\\site-packages\\', ['webob'], input().remoteSitePackages), [{ localRoot: 'C:\\venv\\Lib\\site-packages\\webob', remoteRoot: `${PROD_SITE}/webob` }]);
  const withoutCopy = resolveAttach(input({ launch: { ...input().launch, justMyCode: false } }));
  assert.equal((withoutCopy['pathMappings'] as unknown[]).length, 1, 'without a local copy, debugpy serves library sources itself');
});

test('the container-side listing: site-packages in import order with their importable names; metadata, caches and noise dropped', () => {
  const listing = [
    `D\t${DEV_SITE}`, 'E\theat', 'E\toslo_config',
    `D\t${PROD_SITE}`, 'E\toslo_config', 'E\tsix.py', 'E\twebob.dist-info', 'E\t__pycache__', 'E\tdistutils-precedence.pth',
    'Traceback-free noise', 'D\trelative/not/a/dir', 'E\tstray',
  ].join('\n');
  assert.deepEqual(parseSitePackagesListing(listing), [
    { dir: DEV_SITE, entries: ['heat', 'oslo_config'] },
    { dir: PROD_SITE, entries: ['oslo_config', 'six.py'] },
  ]);
});

test("package.json: the debugger's launch attributes, the osaDev.debug.* settings the resolver reads, Python breakpoints", () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
  const attach = manifest.contributes.debuggers.find((d: { type: string }) => d.type === 'osa-dev').configurationAttributes.attach;
  assert.deepEqual(attach.required, ['host', 'service']);
  assert.equal(attach.properties.justMyCode.type, 'boolean');
  assert.equal(attach.properties.sitePackages.type, 'string');
  const settings = manifest.contributes.configuration.properties;
  assert.equal(settings['osaDev.debug.justMyCode'].default, true);
  assert.equal(settings['osaDev.debug.sitePackages'].default, '');
  assert.equal(settings['osaDev.debug.port'].default, 5678);
  // Without ms-python.debugpy nothing else lets the editor's gutter set breakpoints in Python files.
  assert.deepEqual(manifest.contributes.breakpoints, [{ language: 'python' }]);
});

test('blockingListeners: same address or a wildcard on the port blocks; another address does not', () => {
  const out = [
    'addr yes',
    'listen 172.29.236.101:5678 users:(("python3",pid=120,fd=3))',
    'listen 0.0.0.0:5678 users:(("nc",pid=7,fd=3))',
    'listen 127.0.0.1:5678 users:(("x",pid=8,fd=3))',
    'listen [::]:5678 users:(("y",pid=9,fd=3))',
    'own 120',
  ].join('\n');
  assert.deepEqual(blockingListeners(out, '172.29.236.101').map((l) => l.address), ['172.29.236.101:5678', '0.0.0.0:5678', '[::]:5678']);
  assert.deepEqual(blockingListeners('addr yes\nlisten 172.29.236.102:5678 -', '172.29.236.101'), []);
});
