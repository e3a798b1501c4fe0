import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseHaproxyConfig } from '../../../src/core/haproxy/config';
import { checkConfigCommand, setServersDisabled } from '../../../src/core/haproxy/configEdit';
import { InvalidHaproxyNameError } from '../../../src/core/haproxy/errors';
import { ANSWER_MARKER } from '../../../src/core/haproxy/runtimeApi';
import { restoreAdminStates, isolate, captureAdminStates } from '../../../src/core/haproxy/isolation';
import type { ExecResult, ShellRunner } from '../../../src/core/process/types';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures/haproxy', name), 'utf8');

test('add then remove `disabled` gives back the same bytes; only the named servers change', () => {
  const text = fixture('lab-conf.d-heat_api');
  const added = setServersDisabled(text, 'heat_api-back', ['aio1-heat-api-container-5d2a9f10'], true);
  assert.deepEqual(added.changed, ['aio1-heat-api-container-5d2a9f10']);
  const servers = parseHaproxyConfig(added.text).backends[0]!.servers;
  assert.deepEqual(servers.map((s) => s.disabled), [false, true]);
  assert.equal(added.text.split('\n').filter((l, i) => l !== text.split('\n')[i]).length, 1);
  assert.deepEqual(setServersDisabled(added.text, 'heat_api-back', ['aio1-heat-api-container-5d2a9f10'], true).changed, [], 'idempotent');
  assert.equal(setServersDisabled(added.text, 'heat_api-back', ['aio1-heat-api-container-5d2a9f10'], false).text, text);
});

test('CRLF, trailing comments and other sections are preserved; missing servers reported', () => {
  const text = fixture('osa-horizon');
  const edit = setServersDisabled(text, 'horizon-back', ['aio1_horizon_container-0b9e2a11', 'nope'], true);
  assert.deepEqual(edit.missing, ['nope']);
  assert.ok(edit.text.includes('verify none disabled # per-server options\r\n'));
  assert.equal(edit.text.replace(' disabled #', ' #'), text);
  // Same server name in another backend is untouched.
  assert.deepEqual(setServersDisabled(fixture('lab-haproxy.cfg'), 'keystone_service-back', ['aio1-heat-api-container-5d2a9f10'], true).changed, []);
  // A config-disabled galera backup gets re-enabled by removing only that word.
  const galera = setServersDisabled(fixture('osa-galera'), 'galera-back', ['aio1_galera_container-c4d2e810'], false);
  assert.ok(galera.text.includes('rise 1 fall 1 backup\n'));
  assert.throws(() => setServersDisabled(text, 'horizon back', [], true), InvalidHaproxyNameError);
});

test('haproxy -c validation command takes each file with -f', () => {
  const spec = checkConfigCommand(['/etc/haproxy/haproxy.cfg', '/etc/haproxy/conf.d']);
  assert.deepEqual(spec.argv, ['haproxy', '-c', '-q', '-f', '/etc/haproxy/haproxy.cfg', '-f', '/etc/haproxy/conf.d']);
  assert.deepEqual(spec.parse({ code: 1, stdout: '', stderr: "[ALERT] parsing [x:3] : unknown keyword 'frob'" }), { valid: false, messages: "[ALERT] parsing [x:3] : unknown keyword 'frob'" });
});

// --- capture/isolate/restore against a small HAProxy model (the rules measured on 2.6) ----------

/** Decodes the argv of a shell line with the local sh (no parsing of our own). */
function argvOf(line: string): string[] {
  const out = spawnSync('/bin/sh', ['-c', `set -- ${line}; for a do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  return out.stdout.split('\0').slice(0, -1);
}

function fakeHaproxy(servers: Record<string, number>): { runner: ShellRunner; bits: Record<string, number>; sent: string[] } {
  const bits = { ...servers };
  const sent: string[] = [];
  const header = '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port\n';
  const answer = (command: string): string => {
    sent.push(command);
    let m = /^show servers state (\S+)$/.exec(command);
    if (m) {
      const rows = Object.entries(bits)
        .filter(([k]) => k.startsWith(`${m![1]}/`))
        .map(([k, v], i) => `3 ${k.split('/')[0]} ${i + 1} ${k.split('/')[1]} 10.0.0.${i + 1} ${v & 0x23 ? 0 : 2} ${v} 1 1 0 15 3 3 6 0 0 0 - 80\n`);
      return `${header}${rows.join('')}\n`;
    }
    m = /^(disable|enable) server (\S+)$/.exec(command) ?? /^set server (\S+) state (ready|drain|maint)$/.exec(command);
    const key = command.startsWith('set') ? m![1]! : m![2]!;
    if (bits[key] === undefined) return 'No such server.\n\n';
    const state = command.startsWith('set') ? m![2] : m![1] === 'disable' ? 'maint' : 'ready';
    // set_maint clears FDRAIN, set_drain clears FMAINT, ready clears both (server.h srv_adm_set_*).
    bits[key] = (bits[key]! & ~0x09) | (state === 'maint' ? 0x01 : state === 'drain' ? 0x08 : 0);
    return '\n';
  };
  const runner: ShellRunner = {
    exec: async (line: string): Promise<ExecResult> => {
      const argv = argvOf(line);
      if (argv[4] === undefined || !argv[2]!.includes(ANSWER_MARKER)) return { code: 0, stdout: '', stderr: '' };
      return { code: 0, stdout: argv.slice(5).map((c) => `${ANSWER_MARKER}\n${answer(c)}`).join(''), stderr: '' };
    },
  };
  return { runner, bits, sent };
}

test('isolating over a drained and a config-disabled server, then restoring, gives back every bit', async () => {
  const ha = fakeHaproxy({ 'b/t': 0, 'b/drained': 0x08, 'b/cfgoff': 0x05, 'b/cfgon': 0x04, 'b/up': 0 });
  const options = { socket: '/var/run/haproxy.stat' };
  const original = await captureAdminStates(ha.runner, ['b'], options);
  const entry = { backend: 'b', server: 't', others: ['drained', 'cfgoff', 'cfgon', 'up'], matchedBy: 'name' as const };
  const done = await isolate(ha.runner, [entry], options);
  assert.deepEqual(done.commands, ['disable server b/drained', 'disable server b/cfgon', 'disable server b/up']);
  assert.deepEqual(ha.bits, { 'b/t': 0, 'b/drained': 0x01, 'b/cfgoff': 0x05, 'b/cfgon': 0x05, 'b/up': 0x01 });
  const restored = await restoreAdminStates(ha.runner, original, options);
  assert.deepEqual(restored.commands, ['set server b/drained state drain', 'set server b/cfgon state ready', 'set server b/up state ready']);
  assert.deepEqual(restored.mismatched, []);
  assert.deepEqual(ha.bits, { 'b/t': 0, 'b/drained': 0x08, 'b/cfgoff': 0x05, 'b/cfgon': 0x04, 'b/up': 0 });
  assert.deepEqual((await restoreAdminStates(ha.runner, original, options)).commands, []);
});
