import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ExecResult, ShellRunner } from '../../../src/core/process/types';
import { chooseRuntime, detectRuntime, parseRuntimeProbe } from '../../../src/core/runtime/detect';
import { followLogsArgv } from '../../../src/core/model/journalLogs';
import { HostRuntimes, ociCliOf, runtimeKindOf } from '../../../src/core/runtime/hostRuntimes';
import { shellJoin } from '../../../src/core/shell/quote';

/** Runs the probe in the local sh with only these fake CLIs (and sh, grep) on PATH: not this machine's. */
function probeWith(tools: Record<string, string>): ExecResult {
  const bin = mkdtempSync(join(tmpdir(), 'osa-detect-'));
  for (const tool of ['sh', 'grep']) symlinkSync(`/bin/${tool}`, join(bin, tool));
  for (const [name, script] of Object.entries(tools)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const out = spawnSync('/bin/sh', ['-c', shellJoin(detectRuntime('h').argv)], { env: { PATH: bin }, encoding: 'utf8' });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const DOCKER_DOWN = 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2; exit 1';

test('an OSA host: lxc-ls lists containers → LXC, even with podman installed', () => {
  const result = probeWith({ 'lxc-ls': 'printf "aio1_heat_api_container-36e270c9\\naio1_utility_container-d83fab91\\n"', podman: 'exit 0' });
  assert.deepEqual(parseRuntimeProbe(result.stdout), [
    { kind: 'lxc', usable: true, containers: 2 },
    { kind: 'podman', usable: true, containers: 0 },
  ]);
  assert.equal(detectRuntime('h').parse(result).kind, 'lxc');
});

test('a Kolla host with podman: lxc-ls installed but empty → podman', () => {
  const result = probeWith({ 'lxc-ls': 'exit 0', podman: '[ "$1 $2" = "ps -aq" ] || exit 9; printf "3f4e\\n9a1b\\n"', docker: DOCKER_DOWN });
  assert.equal(detectRuntime('h').parse(result).kind, 'podman');
});

test('a Kolla host with docker; a docker CLI without its daemon is not usable', () => {
  assert.equal(detectRuntime('h').parse(probeWith({ docker: 'printf "3f4e\\n"' })).kind, 'docker');
  const down = probeWith({ docker: DOCKER_DOWN, podman: 'exit 0' });
  assert.deepEqual(parseRuntimeProbe(down.stdout), [
    { kind: 'podman', usable: true, containers: 0 },
    { kind: 'docker', usable: false, containers: 0 },
  ]);
  assert.equal(detectRuntime('h').parse(down).kind, 'podman');
});

test('nothing installed (or nothing usable) → LXC, whose listing then says lxc-ls is missing', () => {
  assert.equal(detectRuntime('h').parse(probeWith({})).kind, 'lxc');
  assert.equal(chooseRuntime([{ kind: 'docker', usable: false, containers: 0 }]), 'lxc');
  assert.throws(() => detectRuntime('h').parse({ code: 2, stdout: '', stderr: 'sh: syntax error' }), /Detecting the container runtime failed/);
});

test('HostRuntimes: one probe per host; commands on a container use the runtime that listed it', async () => {
  const probes: string[] = [];
  const runner = (stdout: string): ShellRunner => ({
    exec: async (line) => {
      probes.push(line);
      return { code: 0, stdout, stderr: '' };
    },
  });
  const runtimes = new HostRuntimes();
  const kolla = await runtimes.forHost('kolla1', runner('lxc ok 0\npodman ok 2\n'));
  assert.equal((await runtimes.forHost('kolla1', runner('lxc ok 5\n'))).kind, 'podman');
  assert.equal(probes.length, 1);
  const aio = await runtimes.forHost('aio1', runner('lxc ok 6\n'));
  runtimes.remember('kolla1', kolla, ['heat_api']);
  runtimes.remember('aio1', aio, ['aio1_heat_api_container-36e270c9']);
  assert.equal(runtimes.router.execArgv('heat_api', ['id'])[0], 'podman');
  assert.equal(runtimes.router.execArgv('aio1_heat_api_container-36e270c9', ['id'])[0], 'lxc-attach');
  assert.equal(runtimes.router.shellArgv('never_listed')[0], 'lxc-attach');
  assert.equal(runtimeKindOf(runtimes.router, 'heat_api'), 'podman');
  assert.equal(runtimes.router.listContainers().argv[0], 'sh', 'a listing without a host is LXC, as before detection');
  // Show Logs: a Kolla container's own output on the host; an LXC container's units' journal inside it
  assert.deepEqual(followLogsArgv(runtimes.router, 'heat_api', [], 50), ['podman', 'logs', '--follow', '--tail', '50', 'heat_api']);
  assert.deepEqual(followLogsArgv(runtimes.router, 'aio1_heat_api_container-36e270c9', ['heat-api.service'], 50).slice(-6), ['journalctl', '--follow', '--no-hostname', '--output=short-iso', '--lines=50', '--unit=heat-api.service']);
  runtimes.forget('kolla1');
  await runtimes.forHost('kolla1', runner('podman ok 2\n'));
  assert.equal(probes.length, 3);
});

test('HostRuntimes: a failed probe is not remembered', async () => {
  const runtimes = new HostRuntimes();
  let calls = 0;
  const flaky: ShellRunner = {
    exec: async () => (++calls === 1 ? { code: 255, stdout: '', stderr: 'connection lost' } : { code: 0, stdout: 'podman ok 1\n', stderr: '' }),
  };
  await assert.rejects(runtimes.forHost('kolla1', flaky), /connection lost/);
  assert.equal((await runtimes.forHost('kolla1', flaky)).kind, 'podman');
});

test('HostRuntimes: two hosts listing the same container name route by (host, container); the name alone is refused when their runtimes differ', async () => {
  const runner = (stdout: string): ShellRunner => ({ exec: async () => ({ code: 0, stdout, stderr: '' }) });
  const runtimes = new HostRuntimes();
  const kolla1 = await runtimes.forHost('kolla1', runner('lxc ok 0\npodman ok 2\n'));
  const kolla2 = await runtimes.forHost('kolla2', runner('lxc ok 0\ndocker ok 2\n'));
  const aio1 = await runtimes.forHost('aio1', runner('lxc ok 6\n'));
  runtimes.remember('kolla1', kolla1, ['heat_api', 'heat_engine']);
  runtimes.remember('kolla2', kolla2, ['heat_api']);
  runtimes.remember('aio1', aio1, ['heat_api']);
  assert.equal(runtimes.on('kolla1').execArgv('heat_api', ['id'])[0], 'podman');
  assert.equal(runtimes.on('kolla2').execArgv('heat_api', ['id'])[0], 'docker');
  assert.equal(runtimes.on('aio1').execArgv('heat_api', ['id'])[0], 'lxc-attach');
  assert.equal(runtimeKindOf(runtimes.on('kolla2'), 'heat_api'), 'docker');
  // What the Kolla steps ask: which OCI CLI runs it, none for an LXC container
  assert.equal(ociCliOf(runtimes.on('kolla2'), 'heat_api'), 'docker');
  assert.equal(ociCliOf(runtimes.on('kolla1'), 'heat_api'), 'podman');
  assert.equal(ociCliOf(runtimes.on('aio1'), 'heat_api'), undefined);
  assert.equal(runtimes.on('kolla2').execArgv('never_listed', ['id'])[0], 'lxc-attach', 'not listed on that host: LXC, as before detection');
  assert.equal(runtimes.on('kolla1'), runtimes.on('kolla1'), 'one router per host');
  // By name only: heat_engine is on one host; heat_api on three with different runtimes.
  assert.equal(runtimes.router.execArgv('heat_engine', ['id'])[0], 'podman');
  assert.throws(() => runtimes.router.execArgv('heat_api', ['id']), /heat_api is a container on several hosts with different runtimes: kolla1 \(podman\), kolla2 \(docker\), aio1 \(lxc\)/);
  // The same runtime kind on two hosts (two podman Kolla nodes): the name alone is enough.
  const other = new HostRuntimes();
  other.remember('kolla1', kolla1, ['heat_api']);
  other.remember('kolla3', await other.forHost('kolla3', runner('podman ok 2\n')), ['heat_api']);
  assert.equal(other.router.execArgv('heat_api', ['id'])[0], 'podman');
});
