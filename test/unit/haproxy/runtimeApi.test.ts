import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HaproxyCommandError, HaproxyOutputError, HaproxySocketError, InvalidHaproxyNameError } from '../../../src/core/haproxy/errors';
import {
  adminCommands,
  ANSWER_MARKER,
  disableServerCommand,
  haproxyCli,
  persistServerState,
  setServerStateCommand,
  showServersState,
} from '../../../src/core/haproxy/runtimeApi';
import { ADMIN, isCheckedUp, isDown, parseServersState } from '../../../src/core/haproxy/serversState';
import type { ExecResult } from '../../../src/core/process/types';
import { shellJoin } from '../../../src/core/shell/quote';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures/haproxy', name), 'utf8');
const answers = (...texts: string[]): ExecResult => ({ code: 0, stdout: texts.map((t) => `${ANSWER_MARKER}\n${t}`).join(''), stderr: '' });

test('show servers state from the lab (HAProxy 2.6.12): version 1, every column by header name', () => {
  const records = parseServersState(fixture('lab-show-servers-state-2.6.txt'));
  assert.deepEqual(records.map((r) => [r.backend, r.server, r.address, r.port, r.opState, r.adminBits, r.admin]), [
    ['heat_api-back', 'aio1_heat_api_container-36e270c9', '172.29.236.101', 8004, 'running', 0, 'ready'],
    ['heat_api-back', 'aio1-heat-api-container-5d2a9f10', '172.29.236.102', 8004, 'running', 0, 'ready'],
    ['keystone_service-back', 'aio1-keystone-container-821e7cf8', '172.29.236.103', 5000, 'running', 0, 'ready'],
  ]);
  assert.equal(records[0]!.columns['srv_check_port'], '8004');
  assert.ok(records.every((r) => isCheckedUp(r, { rise: 2, fall: 2 })));
});

test('admin bits: config disabled = 5 (CMAINT|FMAINT), enabled at runtime = 4, drain = 8 (captured from HAProxy 2.6)', () => {
  const records = parseServersState(fixture('local-2.6-states.txt'));
  const by = new Map(records.map((r) => [r.server, r]));
  assert.equal(by.get('b')!.adminBits, ADMIN.CMAINT | ADMIN.FMAINT);
  assert.equal(by.get('b')!.admin, 'maint');
  assert.ok(isDown(by.get('b')!));
  assert.equal(by.get('c')!.admin, 'drain');
  // `enable server` on a config-disabled server clears FMAINT only: CMAINT stays, the server runs.
  assert.equal(by.get('e')!.adminBits, ADMIN.CMAINT);
  assert.equal(by.get('e')!.admin, 'ready');
  // Running but not checked yet (check result 0 after enable): not UP for us.
  assert.equal(by.get('e')!.opState, 'running');
  assert.equal(isCheckedUp(by.get('e')!), false);
  // No health check configured (check state 0): running is UP.
  assert.equal(isCheckedUp(by.get('d')!), true);
});

test('an older header (HAProxy 1.8: no srv_use_ssl … srv_agent_port) reads the same way', () => {
  const records = parseServersState(fixture('haproxy-1.8-states.txt'));
  assert.deepEqual(records.map((r) => [r.server, r.admin, r.port]), [
    ['aio1_galera_container-5a7b3c21', 'ready', 3306],
    ['aio1_galera_container-9e1f7d02', 'maint', 3306],
  ]);
});

test('an empty state file has no servers; anything else than version 1 is refused', () => {
  assert.deepEqual(parseServersState(''), []);
  assert.throws(() => parseServersState('2\n# be_id\n'), HaproxyOutputError);
  assert.throws(() => parseServersState('1\n# be_id be_name\n'), /no srv_id column/);
});

test('commands are built only from valid names; nothing else reaches the CLI', () => {
  assert.equal(disableServerCommand('heat_api-back', 'aio1_heat_api_container-36e270c9'), 'disable server heat_api-back/aio1_heat_api_container-36e270c9');
  assert.equal(setServerStateCommand('galera-back', 'g1', 'drain'), 'set server galera-back/g1 state drain');
  for (const bad of ['heat api', 'a;shutdown sessions', 'a\nb', '', 'x/y', '$(id)']) {
    assert.throws(() => disableServerCommand('heat_api-back', bad), InvalidHaproxyNameError);
    assert.throws(() => showServersState('/var/run/haproxy.stat', [bad]), InvalidHaproxyNameError);
  }
  assert.throws(() => haproxyCli('relative.sock', ['show info']), InvalidHaproxyNameError);
  assert.throws(() => haproxyCli('/s', ['show info; shutdown frontend x']), /separator/);
});

test('answers: empty = done; HAProxy error texts become HaproxyCommandError; "Permission denied" = not admin', () => {
  const spec = adminCommands('/var/run/haproxy.stat', ['disable server b/s1', 'disable server b/s2']);
  assert.doesNotThrow(() => spec.parse(answers('\n', '\n')));
  assert.throws(() => spec.parse(answers('\n', 'No such server.\n\n')), (e: unknown) => e instanceof HaproxyCommandError && e.answer === 'No such server.\n');
  assert.throws(() => spec.parse(answers('No such backend.\n\n', '\n')), HaproxyCommandError);
  assert.throws(() => spec.parse(answers('Permission denied\n\n', '\n')), (e: unknown) => e instanceof HaproxySocketError && e.reason === 'not-admin');
  assert.throws(() => spec.parse(answers('\n')), /answered 1 of 2/);
  const show = showServersState('/var/run/haproxy.stat', ['heat_api-back', 'keystone_service-back']);
  const heat = fixture('lab-show-servers-state-heat-2.6.txt');
  assert.equal(show.parse(answers(heat, heat)).length, 4);
});

// --- The script itself, run by the local sh with fake socat / nc on PATH --------------------------

function fakeBin(tools: Record<string, string>): string {
  const bin = mkdtempSync(join(tmpdir(), 'osa-haproxy-'));
  for (const [name, script] of Object.entries(tools)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

function runLocally(line: string, bin: string): ExecResult {
  const out = spawnSync('/bin/sh', ['-c', line], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** A real listening unix socket path (python binds one), so `[ -S ]` passes. */
function socketPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'osa-sock-'));
  const path = join(dir, 'haproxy.stat');
  spawnSync('/usr/bin/python3', ['-c', 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])', path]);
  return path;
}

test('socat is preferred; each command goes on its own connection with the socket as an argument', () => {
  const sock = socketPath();
  const log = join(mkdtempSync(join(tmpdir(), 'osa-log-')), 'log');
  const bin = fakeBin({ socat: `echo "$*" >> '${log}'; read c; echo "$c" >> '${log}'; printf '\\n'`, nc: 'exit 99' });
  const spec = adminCommands(sock, ['disable server b/s1', 'set server b/s2 state maint']);
  spec.parse(runLocally(shellJoin(spec.argv), bin));
  assert.equal(readFileSync(log, 'utf8'), `-t 10 stdio UNIX-CONNECT:${sock}\ndisable server b/s1\n-t 10 stdio UNIX-CONNECT:${sock}\nset server b/s2 state maint\n`);
});

test('without socat, nc -U is used; without either, a HaproxySocketError says to install socat', () => {
  const sock = socketPath();
  const ncOnly = fakeBin({ nc: `[ "$1 $2" = "-U ${sock}" ] || exit 9; read c; [ "$c" = "show servers state heat_api-back" ] && /bin/cat '${join(__dirname, '../../fixtures/haproxy/lab-show-servers-state-heat-2.6.txt')}'` });
  symlinkSync('/bin/sh', join(ncOnly, 'sh'));
  const spec = showServersState(sock, ['heat_api-back']);
  const viaNc = spawnSync('/bin/sh', ['-c', shellJoin(spec.argv)], { env: { PATH: ncOnly }, encoding: 'utf8' });
  assert.equal(spec.parse({ code: viaNc.status, stdout: viaNc.stdout, stderr: viaNc.stderr }).length, 2);
  // /usr/bin and /bin may hold a real socat or nc: hide them with a PATH holding only sh.
  const none = fakeBin({});
  symlinkSync('/bin/sh', join(none, 'sh'));
  const out = spawnSync('/bin/sh', ['-c', shellJoin(spec.argv)], { env: { PATH: none }, encoding: 'utf8' });
  assert.throws(
    () => spec.parse({ code: out.status, stdout: out.stdout, stderr: out.stderr }),
    (e: unknown) => e instanceof HaproxySocketError && e.reason === 'no-client' && /apt-get install socat/.test(e.message),
  );
});

test('a missing socket, permission denied and connection refused are clear HaproxySocketErrors', () => {
  const bin = fakeBin({ socat: 'exit 0' });
  const missing = showServersState('/nonexistent/haproxy.stat');
  assert.throws(() => missing.parse(runLocally(shellJoin(missing.argv), bin)), (e: unknown) => e instanceof HaproxySocketError && e.reason === 'no-socket' && /is HAProxy running/.test(e.message));
  // socat's own messages (socat 1.7.4).
  const denied = { code: 1, stdout: `${ANSWER_MARKER}\n`, stderr: '2026/11/25 13:50:01 socat[812] E connect(5, AF=1 "/var/run/haproxy.stat", 23): Permission denied\n' };
  assert.throws(() => missing.parse(denied), (e: unknown) => e instanceof HaproxySocketError && e.reason === 'permission' && /as root|sudo/.test(e.message));
  const refused = { ...denied, stderr: denied.stderr.replace('Permission denied', 'Connection refused') };
  assert.throws(() => missing.parse(refused), (e: unknown) => e instanceof HaproxySocketError && e.reason === 'refused');
});

test('persistServerState writes a complete dump atomically, and refuses a bad one', () => {
  const sock = socketPath();
  const dir = mkdtempSync(join(tmpdir(), 'osa-state-'));
  const stateFile = join(dir, 'haproxy.state');
  writeFileSync(stateFile, 'old\n');
  const good = fakeBin({ socat: `cat '${join(__dirname, '../../fixtures/haproxy/lab-show-servers-state-2.6.txt')}'` });
  const spec = persistServerState(sock, stateFile);
  spec.parse(runLocally(shellJoin(spec.argv), good));
  assert.equal(readFileSync(stateFile, 'utf8'), fixture('lab-show-servers-state-2.6.txt'));
  const bad = fakeBin({ socat: `echo 'Permission denied'` });
  writeFileSync(stateFile, 'old\n');
  assert.throws(() => spec.parse(runLocally(shellJoin(spec.argv), bad)), (e: unknown) => e instanceof HaproxySocketError && e.reason === 'not-admin');
  assert.equal(readFileSync(stateFile, 'utf8'), 'old\n');
});

test('after enable the last result is stale: with rise/fall, UP needs health at rise + fall - 1 (measured on 2.6)', () => {
  const header = fixture('lab-show-servers-state-heat-2.6.txt').split('\n').slice(0, 2).join('\n');
  const [justEnabled, checked] = parseServersState(
    `${header}\n2 web 1 a 127.0.0.1 2 0 1 1 0 15 3 2 6 0 0 0 - 19901 - 0 0 - - 0\n2 web 1 a 127.0.0.1 2 0 1 1 1 15 3 3 6 0 0 0 - 19901 - 0 0 - - 0\n`,
  );
  assert.equal(isCheckedUp(justEnabled!, { rise: 2, fall: 2 }), false);
  assert.equal(isCheckedUp(checked!, { rise: 2, fall: 2 }), true);
  assert.equal(isCheckedUp(justEnabled!), true, 'without rise/fall only the result is seen');
});
