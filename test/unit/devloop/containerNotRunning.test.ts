import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContainerNotRunningError, explainFailure } from '../../../src/core/devloop/containerNotRunning';
import { DbSyncError } from '../../../src/core/devloop/steps/dbSync';
import { CommandFailedError, type ExecResult, type ShellRunner } from '../../../src/core/process/types';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';

const runtime = new LxcRuntime();
const C = 'aio1-heat-api-container-5d2a9f10';
const attachFailed = new CommandFailedError('lxc-attach …', { code: 1, stdout: '', stderr: 'lxc-attach: Failed to get init pid' });

/** Answers `lxc-info -s` like LXC does; counts the calls. */
function lxcInfo(result: ExecResult): ShellRunner & { calls: number } {
  return {
    calls: 0,
    async exec() {
      this.calls++;
      return result;
    },
  };
}

test('a failed command in a stopped container is explained, with the command to start it', async () => {
  const error = await explainFailure(lxcInfo({ code: 0, stdout: 'State:          STOPPED\n', stderr: '' }), runtime, C, attachFailed);
  assert.ok(error instanceof ContainerNotRunningError);
  assert.equal(error.state, 'stopped');
  assert.equal(error.cause, attachFailed);
  assert.match(error.message, new RegExp(`${C} is stopped, not running\\. Start it on the host \\(lxc-start -n ${C}\\)`));
});

test('a wrapped failure (a step failed because of a command) is explained too; a missing container says so', async () => {
  const wrapped = new Error('Stop heat-api failed', { cause: attachFailed });
  const error = await explainFailure(lxcInfo({ code: 1, stdout: '', stderr: `${C} doesn't exist` }), runtime, C, wrapped);
  assert.ok(error instanceof ContainerNotRunningError);
  assert.match(error.message, /no longer exists/);
  // db_sync failing (its own error, caused by the command) inside a failed step: two levels down.
  const dbSync = new Error('Run heat db_sync failed', { cause: new DbSyncError(['heat-manage', 'db_sync'], C, 'Failed to get init pid', attachFailed) });
  const stopped = await explainFailure(lxcInfo({ code: 0, stdout: 'State: STOPPED\n', stderr: '' }), runtime, C, dbSync);
  assert.ok(stopped instanceof ContainerNotRunningError);
});

test('running container, other errors, or a host that cannot say: the error is kept as it is', async () => {
  const running = lxcInfo({ code: 0, stdout: 'State: RUNNING\n', stderr: '' });
  assert.equal(await explainFailure(running, runtime, C, attachFailed), attachFailed);
  const lost = new Error('The SSH connection was lost');
  const untouched = lxcInfo({ code: 0, stdout: '', stderr: '' });
  assert.equal(await explainFailure(untouched, runtime, C, lost), lost);
  assert.equal(untouched.calls, 0, 'no round trip for errors that are not a failed command');
  const garbled = lxcInfo({ code: 0, stdout: 'what?', stderr: '' });
  assert.equal(await explainFailure(garbled, runtime, C, attachFailed), attachFailed);
});
