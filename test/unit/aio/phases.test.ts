import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { phaseArgv, validateDeployOptions } from '../../../src/core/aio/phases';

// The phase scripts run in a real local sh, with an `openstack-ansible` on PATH that prints its
// arguments, to check which playbook form each OSA layout gets.
function runSetup(layout: 'old' | 'new'): string {
  const root = mkdtempSync(join(tmpdir(), 'osa-phases-'));
  const checkout = join(root, 'openstack-ansible');
  mkdirSync(join(checkout, 'playbooks'), { recursive: true });
  if (layout === 'old') writeFileSync(join(checkout, 'playbooks', 'setup-hosts.yml'), '- import_playbook: x.yml\n');
  const bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'openstack-ansible'), '#!/bin/sh\necho "cwd=$(basename "$PWD") args=$*"\n');
  chmodSync(join(bin, 'openstack-ansible'), 0o755);
  const options = validateDeployOptions({ repository: 'https://opendev.org/openstack/openstack-ansible', branch: 'master', checkoutDir: checkout });
  const [cmd, ...args] = phaseArgv('setup-hosts', options);
  const result = spawnSync(cmd!, args, { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

test('OSA before 2024: playbooks/setup-hosts.yml from the playbooks folder', () => {
  assert.equal(runSetup('old'), 'cwd=playbooks args=setup-hosts.yml');
});

test("OSA since 2024: the openstack.osa collection's setup_hosts", () => {
  assert.equal(runSetup('new'), 'cwd=playbooks args=openstack.osa.setup_hosts');
});

test('the clone script refuses a branch the repository does not have, before writing anything', () => {
  const root = mkdtempSync(join(tmpdir(), 'osa-clone-'));
  const upstream = join(root, 'upstream.git');
  spawnSync('git', ['init', '-q', '--bare', '-b', 'master', upstream]);
  const options = validateDeployOptions({ repository: `file://${upstream}`, branch: 'stable/nope', checkoutDir: join(root, 'osa') });
  const [cmd, ...args] = phaseArgv('clone', options);
  const result = spawnSync(cmd!, args, { encoding: 'utf8' });
  assert.equal(result.status, 66);
  assert.match(result.stderr, /osa-dev: stable\/nope is not a branch or tag of file:\/\//);
  assert.equal(spawnSync('test', ['-e', join(root, 'osa')]).status, 1, 'nothing cloned');
});
