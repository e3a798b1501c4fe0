/**
 * The debug pre-checks' refusal says truly what the host is left with: "Nothing was changed" for a
 * container not in dev mode; on Resume (a journal from an earlier Develop) the container stays in
 * dev mode and the message says so. The host is a scripted runner answering the two commands the
 * refusal sends: the socket check and the journal read.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DebugpyUnavailableError } from '../../../src/core/debug/debugpy';
import { checkDebugRun, DebugPreflightError } from '../../../src/core/debug/preflight';
import { JOURNAL_FORMAT } from '../../../src/core/devloop/journal';
import { JOURNAL_DIR } from '../../../src/core/devloop/journalStore';
import type { StepContext } from '../../../src/core/devloop/types';
import { silentLogger } from '../../../src/core/log';
import type { ExecResult, ShellRunner } from '../../../src/core/process/types';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';

const CONTAINER = 'aio1-heat-api-container-5d2a9f10';
const IP = '172.29.236.102';
const JOURNAL = JSON.stringify({
  format: JOURNAL_FORMAT,
  container: CONTAINER,
  request: { service: 'heat', unit: 'heat-api' },
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
  steps: [{ id: 'isolate', title: 'Isolate in HAProxy', status: 'applied', original: {}, updatedAt: '2026-11-25T10:00:00.000Z' }],
});

/** The container as the pre-checks see it: what the socket check prints, whether a journal exists, what python imports. */
function host(options: { sockets: string; journal?: string; journalUnreadable?: boolean; debugpy?: boolean }): ShellRunner & { lines: string[] } {
  const lines: string[] = [];
  const answer = (code: number, stdout = '', stderr = ''): ExecResult => ({ code, stdout, stderr });
  return {
    lines,
    exec: async (line) => {
      lines.push(line);
      if (line.includes(`${JOURNAL_DIR}/${CONTAINER}.json`)) {
        if (options.journalUnreadable) return answer(1, '', 'Permission denied');
        return options.journal === undefined ? answer(3) : answer(0, options.journal);
      }
      if (line.includes('ss -ltnpH')) return answer(0, options.sockets);
      if (line.includes('import debugpy')) return options.debugpy ? answer(0, '3.11\n') : answer(4, '3.11\n');
      if (line.includes(' download ')) return answer(1, '', 'ERROR: No matching distribution found for debugpy');
      throw new Error(`unexpected command: ${line}`);
    },
  };
}

const ctx = (runner: ShellRunner): StepContext => ({
  host: runner,
  runtime: new LxcRuntime(),
  container: CONTAINER,
  logger: silentLogger,
  signal: new AbortController().signal,
  report: () => undefined,
});

const check = (runner: ShellRunner): Promise<void> =>
  checkDebugRun(ctx(runner), { ip: IP, port: 5678, pidFile: '/run/osa-dev/heat-api.pid', prodVenv: '/openstack/venvs/heat-31.0.0', devVenv: '/opt/osa-dev/venvs/heat' });

const portTaken = `addr yes\nlisten ${IP}:5678 users:(("python3",pid=4242,fd=3))\n`;

test('port in use on a container not in dev mode: "Nothing was changed: the service runs as before"', async () => {
  const runner = host({ sockets: portTaken });
  await assert.rejects(check(runner), (error: unknown) => {
    assert.ok(error instanceof DebugPreflightError);
    assert.equal(error.left, 'untouched');
    assert.match(error.message, /debug port 5678 is already in use .*pid=4242.* Nothing was changed: the service runs as before\.$/);
    return true;
  });
});

test('port in use when resuming a container in dev mode: it stays in dev mode, and the message says so', async () => {
  await assert.rejects(check(host({ sockets: portTaken, journal: JOURNAL })), (error: unknown) => {
    assert.ok(error instanceof DebugPreflightError);
    assert.equal(error.left, 'in-dev-mode');
    assert.doesNotMatch(error.message, /Nothing was changed/);
    assert.match(error.message, new RegExp(`debug port 5678 is already in use .* Nothing more was changed: ${CONTAINER} stays in dev mode from the earlier Develop`));
    return true;
  });
});

test('a stale management IP, resuming: same truth; an unreadable journal claims only what this run did', async () => {
  await assert.rejects(check(host({ sockets: 'addr no\n', journal: JOURNAL })), /is not an address of .* stays in dev mode from the earlier Develop/);
  await assert.rejects(check(host({ sockets: 'addr no\n', journalUnreadable: true })), (error: unknown) => {
    assert.ok(error instanceof DebugPreflightError);
    assert.equal(error.left, 'unknown');
    assert.match(error.message, /This run changed nothing on the host\.$/);
    return true;
  });
});

test('debugpy not obtainable: the state sentence before the pdb advice, in both cases', async () => {
  await assert.rejects(check(host({ sockets: 'addr yes\n' })), (error: unknown) => {
    assert.ok(error instanceof DebugpyUnavailableError);
    assert.equal(error.left, 'untouched');
    assert.match(error.message, /cannot be installed .* Nothing was changed: the service runs as before\. Without debugpy, pdb/);
    assert.equal(error.attempts.length, 4);
    return true;
  });
  await assert.rejects(check(host({ sockets: 'addr yes\n', journal: JOURNAL })), (error: unknown) => {
    assert.ok(error instanceof DebugpyUnavailableError);
    assert.equal(error.left, 'in-dev-mode');
    assert.doesNotMatch(error.message, /Nothing was changed/);
    assert.match(error.message, /stays in dev mode from the earlier Develop .*\. Without debugpy, pdb/);
    return true;
  });
});

test('checks that pass read no journal (the extra round trip is only for a refusal)', async () => {
  const runner = host({ sockets: 'addr yes\n', debugpy: true });
  await check(runner);
  assert.equal(runner.lines.filter((l) => l.includes(JOURNAL_DIR)).length, 0);
});
