import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { hostSnapshotScript, splitHostSnapshot } from '../../../src/core/model/hostSnapshot';

function runLocally(script: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the script passes the listing, its exit code and its stderr through a real sh', () => {
  const listing = 'NAME STATE PID IPV4 GROUPS AUTOSTART\nc1   STOPPED -  -    -      0';
  const script = hostSnapshotScript(['sh', '-c', `printf '%s\\n' "$1"; echo oops >&2; exit 3`, 'sh', listing]);
  const sections = splitHostSnapshot(runLocally(script));
  assert.equal(sections.listing.code, 3);
  assert.equal(sections.listing.stdout, listing);
  assert.match(sections.listing.stderr, /oops/);
  assert.equal(sections.units.size, 0);
});

test("a listing value with quotes and $() is data, not code", () => {
  const hostile = `NAME STATE PID\nx'$(touch /tmp/osa-dev-pwned)' RUNNING -`;
  const sections = splitHostSnapshot(runLocally(hostSnapshotScript(['printf', '%s\n', hostile])));
  assert.equal(sections.listing.stdout, hostile);
  assert.equal(sections.listing.code, 0);
});

test('sections are split on literal output with inventory and units', () => {
  const stdout = [
    'NAME STATE PID IPV4 GROUPS AUTOSTART',
    'aio1-keystone-container-821e7cf8 RUNNING 4242 172.29.236.103 openstack 1',
    '@@osa-dev:rc=0',
    '@@osa-dev:inventory',
    '{"_meta": {"hostvars": {}},',
    ' "all": {"hosts": []}}',
    '',
    '@@osa-dev:units',
    'aio1-keystone-container-821e7cf8 keystone.service',
    'aio1-keystone-container-821e7cf8 keystone-worker.service',
    '',
  ].join('\n');
  const sections = splitHostSnapshot({ code: 0, stdout, stderr: '' });
  assert.equal(sections.listing.stdout.split('\n').length, 2);
  assert.deepEqual(JSON.parse(sections.inventoryText ?? ''), { _meta: { hostvars: {} }, all: { hosts: [] } });
  assert.deepEqual(sections.units.get('aio1-keystone-container-821e7cf8'), ['keystone.service', 'keystone-worker.service']);
});

test('no inventory section means no inventory (not an empty one)', () => {
  const sections = splitHostSnapshot({ code: 0, stdout: 'NAME STATE PID\n@@osa-dev:rc=0\n@@osa-dev:units\n', stderr: '' });
  assert.equal(sections.inventoryText, undefined);
});

test('output cut before the marker keeps the raw result so the error can be shown', () => {
  const sections = splitHostSnapshot({ code: 255, stdout: '', stderr: 'sh: fork failed' });
  assert.equal(sections.listing.code, 255);
  assert.equal(sections.listing.stderr, 'sh: fork failed');
});

test('journals after the units are split one per document', () => {
  const stdout = ['NAME STATE PID', '@@osa-dev:rc=0', '@@osa-dev:units', 'c1 heat-api.service', '@@osa-dev:journal', '{', ' "a": 1', '}', '', '@@osa-dev:journal', '{"b": 2}', ''].join('\n');
  const sections = splitHostSnapshot({ code: 0, stdout, stderr: '' });
  assert.deepEqual(sections.units.get('c1'), ['heat-api.service']);
  assert.deepEqual(sections.journals.map((j) => JSON.parse(j)), [{ a: 1 }, { b: 2 }]);
});
