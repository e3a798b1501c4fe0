import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LxcOutputError } from '../../../src/core/runtime/lxc/errors';
import { mapLxcState, parseLxcLsFancy } from '../../../src/core/runtime/lxc/parseLxcLs';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures/lxc', name), 'utf8');

test('LXC 1.x default columns of a real OSA AIO: all 31 rows', () => {
  const containers = parseLxcLsFancy(fixture('lxc1-default-osa-aio.txt'));
  assert.equal(containers.length, 31);
  assert.ok(containers.every((c) => c.state === 'running'));
  assert.ok(containers.every((c) => c.autostart === true));
  assert.ok(containers.every((c) => c.groups.join('|') === 'onboot|openstack'));
  assert.ok(containers.every((c) => c.pid === undefined));
  assert.ok(containers.every((c) => /_container-[0-9a-f]{8}$/.test(c.name)));
  assert.deepEqual(containers[0], {
    name: 'aio1_ceilometer_api_container-c8e825de',
    state: 'running',
    ipv4: ['10.0.3.203', '172.29.237.195'],
    groups: ['onboot', 'openstack'],
    autostart: true,
  });
  const cinderApi = containers.find((c) => c.name === 'aio1_cinder_api_container-88e59c04');
  assert.deepEqual(cinderApi?.ipv4, ['10.0.3.125', '172.29.238.106', '172.29.247.183']);
  assert.equal(containers.filter((c) => c.name.startsWith('aio1_galera_container-')).length, 3);
  assert.equal(containers[30]?.name, 'aio1_utility_container-d83fab91');
  assert.deepEqual(containers[30]?.ipv4, ['10.0.3.39', '172.29.237.161']);
});

test('LXC 4/5 default columns: 0/1 autostart, GROUPS column, stopped and frozen rows', () => {
  const containers = parseLxcLsFancy(fixture('lxc4-default.txt'));
  assert.equal(containers.length, 7);
  const byName = new Map(containers.map((c) => [c.name, c]));
  assert.deepEqual(byName.get('aio1-heat-api-container-36e270c9'), {
    name: 'aio1-heat-api-container-36e270c9',
    state: 'running',
    ipv4: ['10.0.3.171', '172.29.239.171'],
    groups: ['onboot', 'openstack'],
    autostart: true,
  });
  assert.deepEqual(byName.get('aio1_keystone_container-821e7cf8'), {
    name: 'aio1_keystone_container-821e7cf8',
    state: 'stopped',
    ipv4: [],
    groups: ['onboot', 'openstack'],
    autostart: true,
  });
  assert.equal(byName.get('aio1_rabbit_mq_container-0e0fe308')?.state, 'frozen');
  assert.deepEqual(byName.get('aio1_utility_container-d83fab91')?.groups, []);
  assert.equal(byName.get('aio1_utility_container-d83fab91')?.autostart, false);
  assert.deepEqual(byName.get('scratch.dev'), { name: 'scratch.dev', state: 'stopped', ipv4: [], groups: [], autostart: false });
});

test('custom columns NAME,STATE,PID,IPV4,GROUPS,AUTOSTART (LXC 2+)', () => {
  const containers = parseLxcLsFancy(fixture('lxc4-custom-columns.txt'));
  assert.equal(containers.length, 7);
  assert.deepEqual(containers[1], {
    name: 'aio1-heat-api-container-36e270c9',
    state: 'running',
    pid: 31844,
    ipv4: ['10.0.3.171', '172.29.239.171'],
    groups: ['onboot', 'openstack'],
    autostart: true,
  });
  const keystone = containers.find((c) => c.name === 'aio1_keystone_container-821e7cf8');
  assert.equal(keystone?.pid, undefined);
  assert.equal(keystone?.state, 'stopped');
  assert.equal(containers.find((c) => c.state === 'frozen')?.pid, 1733);
});

test('LXC 1.x fallback columns name,state,pid,ipv4,autostart: groups come from AUTOSTART', () => {
  const containers = parseLxcLsFancy(fixture('lxc1-custom-columns.txt'));
  assert.deepEqual(
    containers.map((c) => [c.name, c.state, c.pid, c.autostart, c.groups.join(',')]),
    [
      ['aio1_galera_container-2f36d624', 'running', 1507, true, 'onboot,openstack'],
      ['aio1_heat_engine_container-36e270c9', 'running', 31844, true, 'onboot,openstack'],
      ['aio1_keystone_container-821e7cf8', 'stopped', undefined, true, 'onboot,openstack'],
      ['aio1_utility_container-d83fab91', 'running', 1902, false, ''],
    ],
  );
});

test('no containers: empty output (C lxc-ls) or header and rule only (python lxc-ls) → []', () => {
  assert.deepEqual(parseLxcLsFancy(''), []);
  assert.deepEqual(parseLxcLsFancy('\n\n'), []);
  assert.deepEqual(parseLxcLsFancy('NAME  STATE  IPV4  IPV6  AUTOSTART  \n------------------------------------\n'), []);
  assert.deepEqual(parseLxcLsFancy('NAME STATE PID IPV4 GROUPS AUTOSTART \n'), []);
});

test('CRLF line ends and a lowercase header are accepted', () => {
  const text = 'name  state    ipv4\r\nc1    RUNNING  10.0.0.1, 10.0.0.2\r\n';
  assert.deepEqual(parseLxcLsFancy(text), [{ name: 'c1', state: 'running', ipv4: ['10.0.0.1', '10.0.0.2'], groups: [] }]);
});

test('the lxc.start.auto warning the C lxc-ls prints on stdout before the table is skipped', () => {
  const text = "Could not parse value for 'lxc.start.auto'.\nNAME STATE   AUTOSTART \nc1   STOPPED 0         \n";
  assert.equal(parseLxcLsFancy(text)[0]?.state, 'stopped');
});

test('states map to the ContainerState union, anything else is unknown', () => {
  assert.deepEqual(
    ['RUNNING', 'STOPPED', 'FROZEN', 'FREEZING', 'THAWED', 'STARTING', 'STOPPING', 'ABORTING', 'UNKNOWN', '-', 'weird'].map(mapLxcState),
    ['running', 'stopped', 'frozen', 'frozen', 'running', 'starting', 'stopping', 'aborting', 'unknown', 'unknown', 'unknown'],
  );
});

test('garbage is an LxcOutputError naming what was expected and showing the first line', () => {
  for (const text of ['bash: lxc-ls: command not found\n', 'Invalid key: FOO\n', 'NAME STATE FOO\nx y z\n', 'STATE NAME\n']) {
    assert.throws(
      () => parseLxcLsFancy(text),
      (error: unknown) =>
        error instanceof LxcOutputError &&
        error.message.includes('header of column names') &&
        error.message.includes(JSON.stringify(text.split('\n')[0])),
    );
  }
});

test('a row that does not line up with the header fails as a whole (never a half-parsed list)', () => {
  const text = 'NAME  STATE    IPV4\nc1    RUNNING  10.0.0.1\nsomething-much-longer RUNNING 10.0.0.2\n';
  assert.throws(() => parseLxcLsFancy(text), (e: unknown) => e instanceof LxcOutputError && /line 3/.test(e.message));
  assert.throws(() => parseLxcLsFancy('NAME  STATE    PID\nc1    RUNNING  abc\n'), /PID number/);
  assert.throws(() => parseLxcLsFancy('NAME  STATE    AUTOSTART\nc1    RUNNING  MAYBE\n'), /AUTOSTART/);
  assert.throws(() => parseLxcLsFancy('NAME  STATE\n      RUNNING\n'), /container name/);
});

test('300 rows parse in well under 50 ms', () => {
  const header = 'NAME                                  STATE   PID   IPV4                       GROUPS            AUTOSTART \n';
  let text = header;
  for (let i = 0; i < 300; i++) {
    const name = `aio1-nova-api-container-${i.toString(16).padStart(8, '0')}`;
    text += `${name.padEnd(38)}RUNNING ${String(1000 + i).padEnd(5)} ${'10.0.3.1, 172.29.236.1'.padEnd(26)} onboot, openstack 1         \n`;
  }
  const started = performance.now();
  const containers = parseLxcLsFancy(text);
  assert.equal(containers.length, 300);
  assert.ok(performance.now() - started < 50);
});

// Captured from the real lxc-ls 5.0.2 on Debian 12 (stopped containers defined under a temp -P
// path; one with lxc.idmap, so UNPRIVILEGED is true).
test('real LXC 5.0.2 output: default and custom columns', () => {
  const expected = [
    { name: 'aio1-heat-api-container-36e270c9', state: 'stopped', ipv4: [], groups: ['onboot', 'openstack'], autostart: true },
    { name: 'aio1_galera_container-2f36d624', state: 'stopped', ipv4: [], groups: ['onboot', 'openstack'], autostart: true },
    { name: 'scratch.dev', state: 'stopped', ipv4: [], groups: [], autostart: false },
  ];
  assert.deepEqual(parseLxcLsFancy(fixture('lxc5.0.2-real-default.txt')), expected);
  assert.deepEqual(parseLxcLsFancy(fixture('lxc5.0.2-real-custom-columns.txt')), expected);
});
