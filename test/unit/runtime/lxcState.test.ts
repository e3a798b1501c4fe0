import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';

const spec = new LxcRuntime({ host: 'aio1' }).stateOf('aio1-heat-api-container-5d2a9f10');

test('lxc-info -s output maps to a state (LXC 1.x pads, 5.x does too)', () => {
  assert.deepEqual(spec.argv, ['lxc-info', '-n', 'aio1-heat-api-container-5d2a9f10', '-s']);
  assert.equal(spec.parse({ code: 0, stdout: 'State:          RUNNING\n', stderr: '' }), 'running');
  assert.equal(spec.parse({ code: 0, stdout: 'State:          STOPPED\n', stderr: '' }), 'stopped');
  assert.equal(spec.parse({ code: 0, stdout: 'State:          FROZEN\n', stderr: '' }), 'frozen');
});

test('a container that vanished is undefined, not an error', () => {
  assert.equal(spec.parse({ code: 1, stdout: '', stderr: "aio1-heat-api-container-5d2a9f10 doesn't exist\n" }), undefined);
});

test('other failures and garbage are clear errors', () => {
  assert.throws(() => spec.parse({ code: 1, stdout: '', stderr: 'Permission denied' }), /lxc-info failed/);
  assert.throws(() => spec.parse({ code: 0, stdout: 'hello', stderr: '' }), /Unexpected lxc-info output/);
});

test('a hostile container name is refused before any command exists', () => {
  assert.throws(() => new LxcRuntime().stateOf("x'; reboot; '"), /Invalid container name/);
});
