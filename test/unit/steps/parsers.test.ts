import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { serviceUnitName } from '../../../src/core/devloop/steps/containerExec';
import { parseOpenstackRelease, pickVenv, venvOfProgram } from '../../../src/core/devloop/steps/findVenv';
import { missingPackagesIn, MissingPackagesError } from '../../../src/core/devloop/steps/pipErrors';
import { enablePipIndex, parsePipConfigDebug } from '../../../src/core/devloop/steps/pipIni';
import { parseExecStart, parseSystemctlShow, parseUnitFiles } from '../../../src/core/devloop/steps/systemdShow';
import { uwsgiIniOf, venvFromUwsgiIni } from '../../../src/core/devloop/steps/uwsgiIni';

const fx = (name: string): string => readFileSync(join(__dirname, '..', '..', 'fixtures', 'systemd', name), 'utf8');

test('systemctl show: key=value lines, not-found units', () => {
  assert.deepEqual(parseSystemctlShow(fx('show-heat-engine.txt')), { LoadState: 'loaded', ActiveState: 'active', UnitFileState: 'enabled' });
  assert.deepEqual(parseSystemctlShow(fx('show-not-found.txt')), { LoadState: 'not-found', ActiveState: 'inactive', UnitFileState: '' });
  assert.deepEqual(parseSystemctlShow('Environment=A=1 B=2\n'), { Environment: 'A=1 B=2' });
});

test('ExecStart --value formats: plain, uwsgi, ExecStartEx flags, bare line', () => {
  assert.deepEqual(parseExecStart(fx('execstart-heat-engine.txt')), [
    { path: '/openstack/venvs/heat-31.0.0/bin/heat-engine', argv: ['/openstack/venvs/heat-31.0.0/bin/heat-engine', '--config-file', '/etc/heat/heat.conf'] },
  ]);
  const uwsgi = parseExecStart(fx('execstart-uwsgi.txt'))[0]!;
  assert.equal(uwsgiIniOf(uwsgi.argv), '/etc/uwsgi/heat-api.ini');
  assert.equal(parseExecStart(fx('execstartex-flags.txt'))[0]!.argv[2], '/etc/nova/nova.conf');
  assert.deepEqual(parseExecStart('-/usr/bin/foo --x'), [{ path: '/usr/bin/foo', argv: ['/usr/bin/foo', '--x'] }]);
  assert.deepEqual(parseExecStart(''), []);
  assert.equal(parseExecStart('{ path=/a ; argv[]=/a ; ignore_errors=no ; x } { path=/b ; argv[]=/b c ; ignore_errors=yes ; y }').length, 2);
});

test('uwsgi ini: virtualenv, venv, home; --ini=', () => {
  assert.equal(venvFromUwsgiIni(fx('heat-api-uwsgi.ini')), '/openstack/venvs/heat-31.0.0');
  assert.equal(venvFromUwsgiIni('[uwsgi]\nhome = /openstack/venvs/keystone-31.0.0/\n'), '/openstack/venvs/keystone-31.0.0');
  assert.equal(venvFromUwsgiIni('[other]\nvenv = /x\n[uwsgi]\nvenv = "/y"\n'), '/y');
  assert.equal(venvFromUwsgiIni('[uwsgi]\nmaster = true\n'), undefined);
  assert.equal(uwsgiIniOf(['uwsgi', '--ini=/etc/uwsgi/a.ini']), '/etc/uwsgi/a.ini');
});

test('venv choice: program path, release match, newest with a note', () => {
  assert.equal(venvOfProgram('/openstack/venvs/heat-31.0.0/bin/heat-api'), '/openstack/venvs/heat-31.0.0');
  assert.equal(venvOfProgram('heat-api'), undefined);
  const c = [{ path: '/openstack/venvs/heat-30.0.0', mtime: 200 }, { path: '/openstack/venvs/heat-31.0.0', mtime: 100 }];
  assert.deepEqual(pickVenv(c, '31.0.0'), { venv: '/openstack/venvs/heat-31.0.0', how: 'glob' });
  const newest = pickVenv(c);
  assert.equal(newest?.venv, '/openstack/venvs/heat-30.0.0');
  assert.match(newest?.note ?? '', /2 venvs match .* using the newest/);
  assert.equal(pickVenv([]), undefined);
  assert.equal(parseOpenstackRelease('DISTRIB_ID="OSA"\nDISTRIB_RELEASE="31.0.0"\n'), '31.0.0');
});

test('unit files and unit names', () => {
  const units = parseUnitFiles(fx('list-unit-files.txt'));
  assert.ok(units.includes('heat-engine.service') && units.includes('heat-api.service'), units.join());
  assert.equal(serviceUnitName('heat-engine'), 'heat-engine.service');
  assert.equal(serviceUnitName('getty@tty1.service'), 'getty@tty1.service');
  assert.throws(() => serviceUnitName('a;b'), /Invalid systemd unit name/);
});

test('pip: missing packages, not-uninstalling is not an error', () => {
  assert.deepEqual(missingPackagesIn(fx('pip-no-matching.txt')), ['osalab-new>=2.0']);
  assert.deepEqual(missingPackagesIn(fx('pip-not-uninstalling.txt')), []);
  const error = new MissingPackagesError(['osalab-new>=2.0'], 'c1', '');
  assert.match(error.message, /osalab-new>=2\.0 .* wheel repository .*retry with the public index/s);
});

test('pip.conf: enable the index minimally; pip config debug', () => {
  const legacy = fx('pip.conf-osa-legacy');
  assert.equal(
    enablePipIndex(legacy, 'https://pypi.org/simple'),
    '[global]\nindex-url = https://pypi.org/simple\nfind-links = http://172.29.236.100:8181/os-releases/lab/x86_64/wheels/\ntrusted-host = 172.29.236.100\n',
  );
  assert.equal(enablePipIndex('', 'https://i/simple'), '[global]\nindex-url = https://i/simple\n');
  assert.equal(enablePipIndex('[install]\nno_index=1\n', 'U'), '[global]\nindex-url = U\n[install]\n');
  assert.equal(enablePipIndex('[global]\r\nindex-url = old\r\n', 'U'), '[global]\r\nindex-url = U\r\n');
  assert.deepEqual(parsePipConfigDebug(fx('pip-config-debug.txt')), { files: ['/root/.pip/pip.conf'] });
});
