/**
 * Isolate on several HAProxy hosts, over fake HAProxy hosts that answer the step's real commands
 * (config read, `show servers state`, `disable server`, `set server … state`): every host captured
 * before any is changed, a host down at Develop refused with nothing changed, an undo that fails on
 * one host still restoring the others and naming it, a retry finishing it, and a journal of the
 * first version (deployment host only) still undone. The same behaviour on the real lab:
 * test/integration/multinode/haproxyHosts.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HaproxyHostUnreachableError, HaproxyNotRestoredError, isolateStep, type IsolateOriginal } from '../../../src/core/devloop/steps/isolateStep';
import { StepSkipped, type HaproxyPlace, type StepContext } from '../../../src/core/devloop/types';
import { ANSWER_MARKER, ADMIN } from '../../../src/core/haproxy';
import { silentLogger } from '../../../src/core/log';
import type { PhysicalNode } from '../../../src/core/model/topology';
import type { ExecResult, ShellRunner } from '../../../src/core/process/types';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';

const HEAT = ['aio1_heat_api_container-36e270c9', 'aio1-heat-api-container-5d2a9f10'] as const;
const TARGET = { name: HEAT[1], ip: '172.29.236.102' };
const INFRA2: PhysicalNode = { name: 'infra2', address: '172.29.236.98' };

const CONFIG = [
  'global',
  '    stats socket /var/run/haproxy.stat level admin mode 600',
  '    server-state-file /var/lib/haproxy/haproxy.state',
  'defaults',
  '    load-server-state-from-file global',
  'backend heat_api-back',
  `    server ${HEAT[0]} 172.29.236.101:8004 check port 8004 inter 2000 rise 2 fall 3`,
  `    server ${HEAT[1]} 172.29.236.102:8004 check port 8004 inter 2000 rise 2 fall 3`,
  'backend keystone_service-back',
  '    server aio1-keystone-container-821e7cf8 172.29.236.103:5000 check port 5000',
].join('\n');

/** Splits a line built by shellJoin (single quotes, `'\''`) back into its words. */
function words(line: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + line[++i];
    } else if (c === ' ') {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) out.push(word);
  return out;
}

/** One HAProxy host: its configuration, its servers' admin bits, the commands it was sent; `down` = unreachable. */
class FakeHaproxy implements ShellRunner {
  readonly admin = new Map<string, number>([...HEAT.map((s) => [`heat_api-back/${s}`, 0] as const), ['keystone_service-back/aio1-keystone-container-821e7cf8', 0]]);
  readonly sent: string[] = [];
  down: string | undefined;
  /** Admin commands refused (e.g. a socket gone) while set. */
  failAdmin = false;

  constructor(readonly name: string) {}

  async exec(line: string): Promise<ExecResult> {
    if (this.down) throw new Error(this.down);
    if (line.includes('@@osa-dev-haproxy-file')) return ok(`@@osa-dev-haproxy-file /etc/haproxy/haproxy.cfg\n${CONFIG}\n`);
    const argv = words(line);
    if (line.includes('bad-dump')) return ok(''); // the server-state-file dump
    const commands = argv.slice(5);
    let out = '';
    for (const command of commands) {
      out += `${ANSWER_MARKER}\n`;
      const show = /^show servers state (\S+)$/.exec(command);
      if (show) {
        out += '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n';
        [...this.admin].filter(([key]) => key.startsWith(`${show[1]}/`)).forEach(([key, bits], i) => {
          out += `3 ${show[1]} ${i + 1} ${key.split('/')[1]} 172.29.236.10${i + 1} 2 ${bits} 1 1 193 15 3 3 6 0 0 0 - 8004 - 0 8004 - - 8004\n`;
        });
        out += '\n';
        continue;
      }
      if (this.failAdmin) return { code: 3, stdout: '', stderr: 'osa-dev: no-socket: /var/run/haproxy.stat does not exist\n' };
      this.sent.push(command);
      const change = /^(?:disable server (\S+)|set server (\S+) state (ready|maint|drain))$/.exec(command);
      assert.ok(change, `unexpected HAProxy command ${command}`);
      const key = (change[1] ?? change[2])!;
      const bits = this.admin.get(key)!;
      const state = change[1] ? 'maint' : change[3];
      this.admin.set(key, state === 'maint' ? (bits | ADMIN.FMAINT) & ~ADMIN.FDRAIN : state === 'drain' ? (bits | ADMIN.FDRAIN) & ~ADMIN.FMAINT : bits & ~(ADMIN.FMAINT | ADMIN.FDRAIN));
      out += '\n';
    }
    return ok(out);
  }

  states(): string {
    return JSON.stringify([...this.admin]);
  }
}

const ok = (stdout: string): ExecResult => ({ code: 0, stdout, stderr: '' });

/** A step context over a deployment host (aio1, also a HAProxy host) and other HAProxy hosts reached "through" it. */
function context(aio1: FakeHaproxy, others: ReadonlyMap<string, FakeHaproxy>, places?: readonly HaproxyPlace[]): StepContext & { reports: string[] } {
  const journals: ShellRunner = { exec: async (line) => (line.includes('/var/lib/osa-dev') ? ok('') : aio1.exec(line)) };
  const reports: string[] = [];
  return {
    host: journals,
    ...(places
      ? {
          haproxy: {
            list: async () => places,
            reach: (node) => {
              const host = others.get(node.name);
              assert.ok(host, `no HAProxy host ${node.name}`);
              return host;
            },
          },
        }
      : {}),
    runtime: new LxcRuntime({ host: 'aio1' }),
    container: TARGET.name,
    logger: silentLogger,
    signal: new AbortController().signal,
    report: (m) => reports.push(m),
    reports,
  };
}

test('Isolate captures every HAProxy host before changing any, isolates on each, and Restore puts each back', async () => {
  const aio1 = new FakeHaproxy('aio1');
  const infra2 = new FakeHaproxy('infra2');
  const before = [aio1.states(), infra2.states()];
  const ctx = context(aio1, new Map([['infra2', infra2]]), [{ name: 'aio1' }, { name: 'infra2', node: INFRA2 }]);
  const step = isolateStep(TARGET);
  const original = await step.capture(ctx);
  assert.deepEqual([aio1.sent, infra2.sent], [[], []], 'capture changes nothing');
  assert.deepEqual(original.hosts?.map((h) => [h.name, h.node?.address, Object.keys(h.snapshot)]), [
    ['aio1', undefined, HEAT.map((s) => `heat_api-back/${s}`)],
    ['infra2', '172.29.236.98', HEAT.map((s) => `heat_api-back/${s}`)],
  ]);
  assert.deepEqual(original.entries.map((e) => [e.backend, e.server, e.others]), [['heat_api-back', HEAT[1], [HEAT[0]]]], 'entries once, for the shared-backend refusal');
  assert.equal(await step.check(ctx, original), false);
  await step.apply(ctx, original);
  for (const host of [aio1, infra2]) assert.deepEqual(host.sent, [`disable server heat_api-back/${HEAT[0]}`], host.name);
  assert.equal(await step.check(ctx, original), true);
  assert.ok(ctx.reports.some((r) => r.includes('on infra2')), 'progress names each host');
  // A reload on infra2 dropped its isolation: check says so (Resume re-applies).
  infra2.admin.set(`heat_api-back/${HEAT[0]}`, 0);
  assert.equal(await step.check(ctx, original), false);
  await step.undo(ctx, original);
  assert.deepEqual([aio1.states(), infra2.states()], before);
});

test('a HAProxy host down at Develop: refused naming it and its address, nothing changed on any host', async () => {
  const aio1 = new FakeHaproxy('aio1');
  const infra2 = new FakeHaproxy('infra2');
  const infra3 = new FakeHaproxy('infra3');
  infra2.down = 'Cannot reach infra2 at 172.29.236.98:22 through root@127.0.0.1:2222: Connection refused';
  infra3.down = 'Cannot reach infra3 at 172.29.236.97:22 through root@127.0.0.1:2222: Connection refused';
  const places = [{ name: 'aio1' }, { name: 'infra2', node: INFRA2 }, { name: 'infra3', node: { name: 'infra3', address: '172.29.236.97' } }];
  const ctx = context(aio1, new Map([['infra2', infra2], ['infra3', infra3]]), places);
  await assert.rejects(isolateStep(TARGET).capture(ctx), (error: unknown) => {
    assert.ok(error instanceof HaproxyHostUnreachableError, String(error));
    assert.deepEqual(error.hosts, ['infra2 (172.29.236.98)', 'infra3 (172.29.236.97)']);
    assert.match(error.message, /Connection refused.*Nothing was changed\.$/);
    return true;
  });
  assert.deepEqual(aio1.sent, []);
});

test('Restore tries every host: one failing is named, the others are restored, and the next Restore finishes it', async () => {
  const aio1 = new FakeHaproxy('aio1');
  const infra2 = new FakeHaproxy('infra2');
  const before = aio1.states();
  const ctx = context(aio1, new Map([['infra2', infra2]]), [{ name: 'infra2', node: INFRA2 }, { name: 'aio1' }]);
  const step = isolateStep(TARGET);
  const original = JSON.parse(JSON.stringify(await step.capture(ctx))) as IsolateOriginal; // as journaled
  await step.apply(ctx, original);
  infra2.down = 'Cannot reach infra2 at 172.29.236.98:22 through root@127.0.0.1:2222: Connection refused';
  await assert.rejects(step.undo(ctx, original), (error: unknown) => {
    assert.ok(error instanceof HaproxyNotRestoredError, String(error));
    assert.deepEqual(error.hosts, ['infra2 (172.29.236.98)']);
    assert.match(error.message, /Connection refused.*Restore again/);
    return true;
  });
  assert.equal(aio1.states(), before, 'aio1 restored although infra2 (listed first) failed');
  assert.notEqual(infra2.states(), before);
  infra2.down = undefined;
  await step.undo(ctx, original);
  assert.deepEqual([aio1.states(), infra2.states()], [before, before]);
});

test('a journal of the first version (deployment host only, socket and snapshot at the top) still undoes on the deployment host', async () => {
  const aio1 = new FakeHaproxy('aio1');
  aio1.admin.set(`heat_api-back/${HEAT[0]}`, ADMIN.FMAINT); // what the old version's isolation left
  const infra2 = new FakeHaproxy('infra2');
  // Literally what the previous isolateStep journaled.
  const old = JSON.parse(`{
    "socket": { "socket": "/var/run/haproxy.stat", "stateFile": "/var/lib/haproxy/haproxy.state" },
    "entries": [{ "backend": "heat_api-back", "server": "${HEAT[1]}", "others": ["${HEAT[0]}"], "matchedBy": "name" }],
    "snapshot": {
      "heat_api-back/${HEAT[0]}": { "backend": "heat_api-back", "server": "${HEAT[0]}", "admin": "ready", "adminBits": 0, "address": "172.29.236.101" },
      "heat_api-back/${HEAT[1]}": { "backend": "heat_api-back", "server": "${HEAT[1]}", "admin": "ready", "adminBits": 0, "address": "172.29.236.102" }
    }
  }`) as IsolateOriginal;
  const ctx = context(aio1, new Map([['infra2', infra2]]), [{ name: 'aio1' }, { name: 'infra2', node: INFRA2 }]);
  assert.equal(await isolateStep(TARGET).check(ctx, old), true);
  await isolateStep(TARGET).undo(ctx, old);
  assert.deepEqual(aio1.sent, [`set server heat_api-back/${HEAT[0]} state ready`]);
  assert.equal(aio1.admin.get(`heat_api-back/${HEAT[0]}`), 0);
  assert.deepEqual(infra2.sent, [], 'the old journal never touched infra2');
});

test('without HAProxy hosts in the context (an all-in-one), the deployment host alone, as before; a single server skips', async () => {
  const aio1 = new FakeHaproxy('aio1');
  const ctx = context(aio1, new Map());
  const original = await isolateStep(TARGET).capture(ctx);
  assert.deepEqual(original.hosts?.map((h) => [h.name, h.node]), [['the deployment host', undefined]]);
  await isolateStep(TARGET).apply(ctx, original);
  assert.deepEqual(aio1.sent, [`disable server heat_api-back/${HEAT[0]}`]);
  await assert.rejects(isolateStep({ name: 'aio1-keystone-container-821e7cf8' }).capture(ctx), (e: unknown) => e instanceof StepSkipped && /only server of keystone_service-back/.test(e.message));
});
