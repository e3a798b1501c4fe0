/**
 * Isolation against the lab's real HAProxy 2.6 over SSH: capture, isolate, restore, reload.
 * Every test leaves the lab as it found it (the `after` hooks restore the captured snapshot).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { checkParamsOf, parseHaproxyConfig, resolveServerStateFile, type HaproxyConfig } from '../../../src/core/haproxy/config';
import { readConfigFiles } from '../../../src/core/haproxy/configEdit';
import { InvalidHaproxyNameError } from '../../../src/core/haproxy/errors';
import {
  captureAdminStates,
  isIsolated,
  isolate,
  planIsolation,
  restoreAdminStates,
  waitForHealth,
  type AdminSnapshot,
  type SocketOptions,
} from '../../../src/core/haproxy/isolation';
import { showServersState } from '../../../src/core/haproxy/runtimeApi';
import { runCommand } from '../../../src/core/process/runCommand';
import type { ExecOptions, ExecResult, ShellRunner } from '../../../src/core/process/types';
import type { SshHost } from '../../../src/core/ssh';
import { connectLab, readLab, type LabDescription } from '../../support/lab';

const HEAT = 'heat_api-back';
const KEYSTONE = 'keystone_service-back';

let lab: LabDescription;
let ssh: SshHost;
let config: HaproxyConfig;
let original: AdminSnapshot;
let socketOnly: SocketOptions;
let persisted: SocketOptions;

before(async () => {
  lab = readLab();
  ssh = connectLab(lab);
  const files = await runCommand(ssh, readConfigFiles(lab.haproxy.cfg, lab.haproxy.confd));
  assert.ok(files.main, `${lab.haproxy.cfg} is readable`);
  config = parseHaproxyConfig([files.main]);
  socketOnly = { socket: lab.haproxy.socket };
  persisted = { socket: lab.haproxy.socket, stateFile: resolveServerStateFile(config)! };
  original = await captureAdminStates(ssh, [HEAT, KEYSTONE], socketOnly);
  for (const record of Object.values(original)) {
    assert.equal(record.admin, 'ready', `the lab starts with every server ready (${record.backend}/${record.server})`);
  }
});

async function putBack(): Promise<void> {
  // Always with the state file, so a later reload cannot bring an isolation back.
  await restoreAdminStates(ssh, original, persisted);
  for (const r of Object.values(original)) {
    await waitForHealth(ssh, r.backend, r.server, 'UP', 20_000, { ...socketOnly, check: checkOf(r.backend, r.server) });
  }
}

function checkOf(backend: string, server: string): { rise: number; fall: number } {
  const s = config.backends.find((b) => b.name === backend)?.servers.find((x) => x.name === server);
  assert.ok(s, `${backend}/${server} in the config`);
  return checkParamsOf(s);
}

afterEach(putBack);
after(async () => {
  try {
    await putBack();
  } finally {
    ssh?.dispose();
  }
});

async function hostsServing(n: number): Promise<string[]> {
  const hosts: string[] = [];
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${lab.haproxy.frontends['heat_api']}/`, { headers: { connection: 'close' } });
    assert.equal(response.status, 200);
    hosts.push(((await response.json()) as { host: string }).host);
  }
  return hosts;
}

async function adminColumns(): Promise<string[]> {
  const records = await runCommand(ssh, showServersState(lab.haproxy.socket, [HEAT, KEYSTONE]));
  return records.map((r) => `${r.backend}/${r.server} ${r.columns['srv_admin_state']}`).sort();
}

const snapshotColumns = (s: AdminSnapshot): string[] => Object.values(s).map((r) => `${r.backend}/${r.server} ${r.adminBits}`).sort();

/** The lab's own reload without a state dump first, as a plain `systemctl reload haproxy` does. */
async function reloadWithoutDump(): Promise<void> {
  const before = (await ssh.exec('cat /run/haproxy.pid')).stdout.trim();
  const result = await ssh.exec(`sh -c 'haproxy -f "$1" -p "$2" -D -sf $(cat "$2") 2>/dev/null' sh ${lab.haproxy.cfg} /run/haproxy.pid`);
  assert.equal(result.code, 0, result.stderr);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const now = (await ssh.exec('cat /run/haproxy.pid')).stdout.trim();
    if (now !== before) {
      try {
        await runCommand(ssh, showServersState(lab.haproxy.socket, [HEAT]));
        return;
      } catch {
        // the new process has not opened its socket yet
      }
    }
    assert.ok(Date.now() < deadline, 'HAProxy reloaded within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('each heat container is found in heat_api-back with the other one to disable; keystone is single; utility has none', () => {
  const heat = lab.containers.filter((c) => c.service === 'heat');
  assert.equal(heat.length, 2);
  for (const c of heat) {
    const plan = planIsolation(config.backends, c);
    assert.deepEqual(plan.singleServer, []);
    assert.deepEqual(plan.isolate, [
      { backend: HEAT, server: c.name, others: heat.filter((o) => o !== c).map((o) => o.name), matchedBy: 'name' },
    ]);
  }
  const keystone = lab.containers.find((c) => c.service === 'keystone')!;
  assert.deepEqual(planIsolation(config.backends, keystone), { isolate: [], singleServer: [{ backend: KEYSTONE, server: keystone.name }] });
  const utility = lab.containers.find((c) => c.service === 'utility')!;
  assert.deepEqual(planIsolation(config.backends, utility), { isolate: [], singleServer: [] });
});

test('isolate one heat container: 20 of 20 requests answered by it; restore: admin states identical, both serve again', async (t) => {
  const heat = lab.containers.filter((c) => c.service === 'heat');
  for (const target of heat) {
    const plan = planIsolation(config.backends, target);
    const snapshot = await captureAdminStates(ssh, plan.isolate.map((e) => e.backend), socketOnly);
    const first = await isolate(ssh, plan.isolate, socketOnly);
    assert.equal(first.commands.length, 1);
    assert.equal(await isIsolated(ssh, plan.isolate, socketOnly), true);
    assert.deepEqual((await isolate(ssh, plan.isolate, socketOnly)).commands, [], 'isolate is idempotent');
    const hosts = await hostsServing(20);
    assert.deepEqual(new Set(hosts), new Set([target.name]), `only ${target.name} answers`);

    const restored = await restoreAdminStates(ssh, snapshot, socketOnly);
    assert.deepEqual(restored.missing, []);
    assert.deepEqual(restored.mismatched, []);
    assert.deepEqual((await restoreAdminStates(ssh, snapshot, socketOnly)).commands, [], 'restore is idempotent');
    assert.deepEqual(await adminColumns(), snapshotColumns(original), 'srv_admin_state columns as captured');
    const started = Date.now();
    for (const other of heat) {
      await waitForHealth(ssh, HEAT, other.name, 'UP', 20_000, { ...socketOnly, check: checkOf(HEAT, other.name) });
    }
    t.diagnostic(`${target.name}: both heat servers checked UP ${Date.now() - started} ms after restore`);
    assert.deepEqual(new Set(await hostsServing(20)), new Set(heat.map((c) => c.name)), 'both heat containers serve again');
  }
});

test('restore after a partial isolate puts back what was changed', async () => {
  const [a, b] = lab.containers.filter((c) => c.service === 'heat');
  const snapshot = await captureAdminStates(ssh, [HEAT], socketOnly);
  // Half-done isolation of a, plus b drained by someone: restore must undo both.
  await isolate(ssh, [{ backend: HEAT, server: a!.name, others: [b!.name], matchedBy: 'name' }], socketOnly);
  const result = await restoreAdminStates(ssh, snapshot, socketOnly);
  assert.equal(result.commands.length, 1);
  assert.deepEqual(await adminColumns(), snapshotColumns(original));
});

test('a reload of HAProxy keeps the isolation when persisted to the server-state-file, and keeps the restore too', async () => {
  const target = lab.containers.find((c) => c.service === 'heat')!;
  const plan = planIsolation(config.backends, target);
  const snapshot = await captureAdminStates(ssh, [HEAT], socketOnly);
  const result = await isolate(ssh, plan.isolate, persisted);
  assert.equal(result.persisted, true);
  await reloadWithoutDump();
  assert.equal(await isIsolated(ssh, plan.isolate, socketOnly), true, 'still isolated after the reload');
  assert.deepEqual(new Set(await hostsServing(20)), new Set([target.name]));

  const restored = await restoreAdminStates(ssh, snapshot, persisted);
  assert.equal(restored.persisted, true);
  await reloadWithoutDump();
  assert.deepEqual(await adminColumns(), snapshotColumns(original), 'restored states survive a reload');
});

test('without persisting, a reload drops the isolation, and restore still converges', async () => {
  const target = lab.containers.find((c) => c.service === 'heat')!;
  const plan = planIsolation(config.backends, target);
  const snapshot = await captureAdminStates(ssh, [HEAT], socketOnly);
  await isolate(ssh, plan.isolate, socketOnly);
  await reloadWithoutDump();
  assert.equal(await isIsolated(ssh, plan.isolate, socketOnly), false, 'the runtime-only isolation is gone after a reload');
  const restored = await restoreAdminStates(ssh, snapshot, socketOnly);
  assert.deepEqual(restored.commands, []);
  assert.deepEqual(await adminColumns(), snapshotColumns(original));
});

test('bad names are refused before any command runs', async () => {
  let calls = 0;
  const counting: ShellRunner = {
    exec: (line: string, options?: ExecOptions): Promise<ExecResult> => {
      calls++;
      return ssh.exec(line, options);
    },
  };
  const heat = lab.containers.filter((c) => c.service === 'heat');
  await assert.rejects(isolate(counting, [{ backend: HEAT, server: heat[0]!.name, others: ['x; shutdown sessions'], matchedBy: 'name' }], socketOnly), InvalidHaproxyNameError);
  await assert.rejects(captureAdminStates(counting, ['heat api'], socketOnly), InvalidHaproxyNameError);
  await assert.rejects(
    restoreAdminStates(counting, { k: { backend: HEAT, server: '$(reboot)', admin: 'ready', adminBits: 0, address: '' } }, socketOnly),
    InvalidHaproxyNameError,
  );
  await assert.rejects(waitForHealth(counting, HEAT, 'a\nb', 'UP', 1000, socketOnly), InvalidHaproxyNameError);
  assert.equal(calls, 0);
});

test('socket command latency over SSH (one show servers state per exec)', async (t) => {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = process.hrtime.bigint();
    await runCommand(ssh, showServersState(lab.haproxy.socket, [HEAT]));
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((x, y) => x - y);
  t.diagnostic(`show servers state over SSH: median ${times[10]!.toFixed(1)} ms, min ${times[0]!.toFixed(1)}, max ${times[19]!.toFixed(1)}`);
  assert.ok(times[10]! < 2000);
});
