import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ExecResult } from '../../../src/core/process/types';
import { CommandFailedError } from '../../../src/core/process/types';
import { InvalidNameError, LxcNotFoundError } from '../../../src/core/runtime/lxc/errors';
import { DEFAULT_CONTAINER_PATH, LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import { shellJoin } from '../../../src/core/shell/quote';

const runtime = new LxcRuntime({ host: 'aio1' });
const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures/lxc', name), 'utf8');
const ok = (stdout: string, stderr = ''): ExecResult => ({ code: 0, stdout, stderr });

/** Runs a command line in the local sh with fake tools first on PATH. */
function runLocally(line: string, bin: string, path = `${bin}:/usr/bin:/bin`): ExecResult {
  const out = spawnSync('/bin/sh', ['-c', line], { env: { PATH: path }, encoding: 'utf8' });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

function fakeBin(tools: Record<string, string>): string {
  const bin = mkdtempSync(join(tmpdir(), 'osa-lxc-'));
  for (const [name, script] of Object.entries(tools)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

test('listContainers asks for NAME,STATE,PID,IPV4,GROUPS,AUTOSTART and parses the table', () => {
  const spec = runtime.listContainers();
  assert.equal(spec.argv[0], 'sh');
  assert.ok(spec.argv.includes('NAME,STATE,PID,IPV4,GROUPS,AUTOSTART'));
  const containers = spec.parse(ok(fixture('lxc4-custom-columns.txt')));
  assert.equal(containers.length, 7);
  assert.equal(containers[0]?.pid, 2211);
});

test('on a C lxc-ls the first field list is used; on a python (1.x) lxc-ls the fallback is', () => {
  const cLxcLs = fakeBin({ 'lxc-ls': `[ "$1 $2 $3" = "-f -F NAME,STATE,PID,IPV4,GROUPS,AUTOSTART" ] || exit 9\ncat '${join(__dirname, '../../fixtures/lxc/lxc4-custom-columns.txt')}'` });
  const pyLxcLs = fakeBin({
    'lxc-ls': `case "$3" in name,*) cat '${join(__dirname, '../../fixtures/lxc/lxc1-custom-columns.txt')}';; *) echo "lxc-ls: error: Invalid field(s): GROUPS" >&2; exit 2;; esac`,
  });
  const spec = runtime.listContainers();
  const line = shellJoin(spec.argv);
  assert.equal(spec.parse(runLocally(line, cLxcLs)).length, 7);
  const legacy = spec.parse(runLocally(line, pyLxcLs));
  assert.equal(legacy.length, 4);
  assert.deepEqual(legacy[0]?.groups, ['onboot', 'openstack']);
});

test('a missing lxc-ls is an LxcNotFoundError naming the host', () => {
  const empty = fakeBin({});
  const spec = runtime.listContainers();
  const result = runLocally(shellJoin(spec.argv), empty, empty);
  assert.equal(result.code, 127);
  assert.throws(() => spec.parse(result), (e: unknown) => e instanceof LxcNotFoundError && e.message === 'lxc-ls not found on aio1: is this an OSA host with LXC containers?');
  assert.throws(() => spec.parse({ code: 1, stdout: '', stderr: 'bash: lxc-ls: command not found' }), LxcNotFoundError);
});

test('other failures are CommandFailedError; an "Invalid key" with exit 0 is not an empty list', () => {
  const spec = runtime.listContainers();
  assert.throws(() => spec.parse({ code: 1, stdout: '', stderr: 'Permission denied' }), CommandFailedError);
  assert.throws(() => spec.parse(ok('', 'Invalid key: GROUPS\n')), /rejected the requested columns/);
});

test('execArgv: lxc-attach, cleared env, default PATH, env, user via runuser, cwd via sh positional args', () => {
  assert.deepEqual(
    runtime.execArgv('aio1-heat-api-container-36e270c9', ['heat-manage', 'db_sync'], {
      env: { OS_DEBUG: '1' },
      user: 'heat',
      cwd: '/var/lib/heat',
    }),
    [
      'lxc-attach', '-n', 'aio1-heat-api-container-36e270c9', '--clear-env',
      '--set-var', `PATH=${DEFAULT_CONTAINER_PATH}`, '--set-var', 'OS_DEBUG=1',
      '--',
      'runuser', '-u', 'heat', '--',
      'sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', '/var/lib/heat',
      'heat-manage', 'db_sync',
    ],
  );
  assert.deepEqual(runtime.execArgv('c1', ['true'], { env: { PATH: '/opt/bin' } }), [
    'lxc-attach', '-n', 'c1', '--clear-env', '--set-var', 'PATH=/opt/bin', '--', 'true',
  ]);
});

test('execArgv round trip through a local sh: hostile values stay data', () => {
  // Fake lxc-attach: drop -n NAME, turn --set-var K=V into env -i K=V, run what follows "--".
  const bin = fakeBin({
    'lxc-attach': [
      'shift 2; [ "$1" = --clear-env ] || exit 8; shift',
      // Move each K=V behind an --end-of-args marker at the end, then run the rest via a helper.
      'set -- "$@" --end-of-args',
      'while [ "$1" = --set-var ]; do set -- "$@" "$2"; shift 2; done',
      '[ "$1" = -- ] || exit 7; shift',
      'exec /usr/bin/env -i PATH=/usr/bin:/bin "$0.run" "$@"',
    ].join('\n'),
  });
  writeFileSync(
    join(bin, 'lxc-attach.run'),
    `#!/usr/bin/env python3\nimport os, sys\nargs = sys.argv[1:]\ncut = args.index('--end-of-args')\ncmd, env = args[:cut], args[cut + 1:]\nos.execvpe(cmd[0], cmd, dict(e.split('=', 1) for e in env))\n`,
  );
  chmodSync(join(bin, 'lxc-attach.run'), 0o755);
  const dir = join(realpathSync(mkdtempSync(join(tmpdir(), 'osa-cwd-'))), "it's a $(dir)");
  mkdirSync(dir);
  const argv = runtime.execArgv('c1', ['sh', '-c', 'printf "%s|%s|%s" "$PWD" "$X" "$1"', 'sh', '`reboot`; "$HOME"'], {
    env: { X: "a'b $(c) \"d\"" },
    cwd: dir,
  });
  const result = runLocally(shellJoin(argv), bin);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, `${dir}|a'b $(c) "d"|\`reboot\`; "$HOME"`);
});

test('shellArgv: login shell, bash when present else sh, values kept out of the script', () => {
  const argv = runtime.shellArgv('aio1_utility_container-d83fab91');
  assert.deepEqual(argv.slice(0, 4), ['lxc-attach', '-n', 'aio1_utility_container-d83fab91', '--clear-env']);
  assert.ok(argv.includes('TERM=xterm-256color'));
  assert.ok(argv.includes('HOME=/root'));
  assert.deepEqual(argv.slice(argv.indexOf('--') + 1), ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -l; fi; exec sh -l']);
  const asHeat = runtime.shellArgv('c1', { user: 'heat', term: 'xterm' });
  assert.deepEqual(asHeat.slice(asHeat.indexOf('--') + 1, asHeat.indexOf('--') + 5), ['runuser', '-u', 'heat', '--']);
  assert.ok(asHeat.includes('TERM=xterm') && !asHeat.includes('HOME=/root'));
});

test('names, users, env keys and cwd are validated with InvalidNameError', () => {
  for (const name of ['-n', '', 'a b', 'a;b', '.', '..', 'x'.repeat(65), 'é']) {
    assert.throws(() => runtime.execArgv(name, ['true']), InvalidNameError, name);
    assert.throws(() => runtime.shellArgv(name), InvalidNameError, name);
  }
  assert.doesNotThrow(() => runtime.execArgv('aio1.lab_heat_api_container-36e270c9', ['true']));
  assert.doesNotThrow(() => runtime.execArgv('x'.repeat(64), ['true']));
  assert.throws(() => runtime.execArgv('c1', ['true'], { user: '--help' }), /Invalid user name/);
  assert.throws(() => runtime.execArgv('c1', ['true'], { env: { '1X': 'v' } }), /environment variable name/);
  assert.throws(() => runtime.execArgv('c1', ['true'], { env: { 'A=B': 'v' } }), InvalidNameError);
  assert.throws(() => runtime.execArgv('c1', ['true'], { cwd: 'relative' }), /absolute path/);
  assert.throws(() => runtime.execArgv('c1', []), /empty command/);
});
