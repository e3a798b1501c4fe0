import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { load } from 'js-yaml';
import { AioConflictError, AioDeployer, AioPhaseFailedError } from '../../../src/core/aio/deployAio';
import { AIO_STATE_PATH } from '../../../src/core/aio/deployState';
import { UnsupportedHostError } from '../../../src/core/aio/osRelease';
import type { ExecOptions, ExecResult, ShellRunner } from '../../../src/core/process/types';

// The deployer's command sequence, driven by a scripted host: each command line is matched by what
// it runs, and answered with output recorded from real runs (ansible-playbook 2.14 recaps, Debian's
// os-release). The playbooks themselves cannot run here (they install OpenStack from the internet).
const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures', name), 'utf8');
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';
const SECRETS = '---\n## Keystone Options\nkeystone_container_mysql_password: a1b2\nkeystone_auth_admin_password:\n';

class ScriptedHost implements ShellRunner {
  readonly lines: string[] = [];
  readonly stdins: string[] = [];
  files = new Map<string, string>([['/etc/os-release', DEBIAN]]);
  failPlaybook: string | undefined;

  async exec(line: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.lines.push(line);
    if (options.stdin !== undefined) this.stdins.push(String(options.stdin));
    const say = (stdout: string, code = 0): ExecResult => {
      options.onStdout?.(Buffer.from(stdout));
      return { code, stdout, stderr: '' };
    };
    if (line === 'cat /etc/os-release') return say(this.files.get('/etc/os-release')!);
    if (line.includes(AIO_STATE_PATH)) {
      if (line.includes('cat > ')) return (this.files.set(AIO_STATE_PATH, String(options.stdin)), say(''));
      return this.files.has(AIO_STATE_PATH) ? say(this.files.get(AIO_STATE_PATH)!) : { code: 3, stdout: '', stderr: '' };
    }
    if (line.includes('user_secrets.yml')) {
      if (line.startsWith('cat ')) return this.files.has('secrets') ? say(this.files.get('secrets')!) : { code: 1, stdout: '', stderr: 'No such file' };
      return (this.files.set('secrets', String(options.stdin)), say(''));
    }
    const playbook = /(setup-[a-z]+|bootstrap-aio)/.exec(line)?.[1];
    if (playbook === 'bootstrap-aio') this.files.set('secrets', SECRETS);
    if (playbook && playbook === this.failPlaybook) return say(fixture('ansible/recap-mixed.txt'), 2);
    if (playbook) return say(fixture('ansible/recap-ok.txt'));
    return say('');
  }

  phaseLines(): string[] {
    return this.lines.filter((l) => l.startsWith('env ANSIBLE_FORCE_COLOR=1'));
  }
}

const REQUEST = { repository: 'https://opendev.org/openstack/openstack-ansible', branch: 'stable/2025.1', adminPassword: "it's a 'pw-CANARY-93' #1" };

test('a fresh host: every phase in OSA order, the password only on stdin, progress on the host', async () => {
  const host = new ScriptedHost();
  const phases: string[] = [];
  const result = await new AioDeployer(host, 'aio1').deploy(REQUEST, { onPhase: (p, i, n) => phases.push(`${i + 1}/${n} ${p.id}`) });
  assert.deepEqual(phases, [
    '1/7 clone', '2/7 bootstrap-ansible', '3/7 bootstrap-aio', '4/7 admin-password',
    '5/7 setup-hosts', '6/7 setup-infrastructure', '7/7 setup-openstack',
  ]);
  assert.deepEqual(result.phasesRun, phases.map((p) => p.split(' ')[1]));
  const commands = host.phaseLines();
  assert.match(commands[0]!, /git ls-remote --exit-code.* sh https:\/\/opendev.org\/openstack\/openstack-ansible stable\/2025.1 \/opt\/openstack-ansible$/s);
  assert.match(commands[1]!, /scripts\/\$2\.sh"' sh \/opt\/openstack-ansible bootstrap-ansible$/);
  assert.match(commands[3]!, /openstack-ansible .* sh \/opt\/openstack-ansible setup-hosts$/s);
  assert.ok(host.lines.every((l) => !l.includes('CANARY')), 'the password is never on a command line');
  const secrets = load(host.files.get('secrets')!) as Record<string, string>;
  assert.equal(secrets.keystone_auth_admin_password, REQUEST.adminPassword);
  assert.equal(secrets.keystone_container_mysql_password, 'a1b2');
  const state = JSON.parse(host.files.get(AIO_STATE_PATH)!);
  assert.equal(state.completed.length, 7);
  assert.deepEqual(result.outcomes.get('setup-openstack')?.recap.map((h) => h.host), ['localhost']);
});

test('a failed playbook is named with its task and host; the re-run continues from it', async () => {
  const host = new ScriptedHost();
  host.failPlaybook = 'setup-infrastructure';
  const deployer = new AioDeployer(host, 'aio1');
  await assert.rejects(deployer.deploy(REQUEST), (error: unknown) => {
    assert.ok(error instanceof AioPhaseFailedError);
    assert.equal(error.phase.id, 'setup-infrastructure');
    assert.match(error.message, /task "real failure on container" failed on aio1_heat_api_container-36e270c9: non-zero return code \(and 1 more host/);
    assert.match(error.message, /continues from this phase/);
    return true;
  });
  const state = await deployer.readState();
  assert.deepEqual(state?.completed, ['clone', 'bootstrap-ansible', 'bootstrap-aio', 'admin-password', 'setup-hosts']);
  assert.equal(state?.failed?.phase, 'setup-infrastructure');

  host.failPlaybook = undefined;
  host.lines.length = 0;
  const again = await deployer.deploy(REQUEST);
  assert.deepEqual(again.phasesRun, ['setup-infrastructure', 'setup-openstack']);
  assert.equal((await deployer.readState())?.failed, undefined);

  host.lines.length = 0;
  assert.deepEqual((await deployer.deploy(REQUEST)).phasesRun, [], 'a complete deployment runs nothing');
  assert.deepEqual(host.phaseLines(), []);
  const rerun = await deployer.deploy({ ...REQUEST, from: 'setup-openstack' });
  assert.deepEqual(rerun.phasesRun, ['setup-openstack'], 'the user can re-run from a chosen playbook');
});

test('refusals before anything runs: a non-Debian host, a bad branch name, another deployment in progress', async () => {
  const fedora = new ScriptedHost();
  fedora.files.set('/etc/os-release', 'NAME="Fedora Linux"\nID=fedora\nPRETTY_NAME="Fedora Linux 40"\n');
  await assert.rejects(new AioDeployer(fedora, 'lab2').deploy(REQUEST), UnsupportedHostError);
  assert.deepEqual(fedora.phaseLines(), []);

  const host = new ScriptedHost();
  await assert.rejects(new AioDeployer(host, 'aio1').deploy({ ...REQUEST, branch: 'master;rm -rf /' }), /not a valid branch/);
  await assert.rejects(new AioDeployer(host, 'aio1').deploy({ ...REQUEST, checkoutDir: '/opt/../etc' }), /absolute path/);
  assert.deepEqual(host.lines, []);

  host.failPlaybook = 'setup-hosts';
  await assert.rejects(new AioDeployer(host, 'aio1').deploy(REQUEST), AioPhaseFailedError);
  host.lines.length = 0;
  await assert.rejects(new AioDeployer(host, 'aio1').deploy({ ...REQUEST, branch: 'master' }), (error: unknown) => {
    assert.ok(error instanceof AioConflictError);
    assert.match(error.message, /already has a deployment of .* stable\/2025.1 \(4 of 7 phases done\)/);
    return true;
  });
  assert.deepEqual(host.phaseLines(), []);
});

test('the clone phase reports a branch that does not exist in plain words', async () => {
  const host = new ScriptedHost();
  const exec = host.exec.bind(host);
  host.exec = async (line, options) =>
    line.includes('git ls-remote')
      ? (options?.onStderr?.(Buffer.from('osa-dev: stable/zzz is not a branch or tag of https://opendev.org/openstack/openstack-ansible\n')), { code: 66, stdout: '', stderr: '' })
      : exec(line, options);
  await assert.rejects(new AioDeployer(host, 'aio1').deploy({ ...REQUEST, branch: 'stable/zzz' }), /Clone openstack-ansible failed: stable\/zzz is not a branch or tag/);
});

test('a missing user_secrets.yml after bootstrap-aio fails the password phase with the reason', async () => {
  const host = new ScriptedHost();
  const exec = host.exec.bind(host);
  host.exec = async (line, options) => {
    const result = await exec(line, options);
    host.files.delete('secrets');
    return result;
  };
  await assert.rejects(new AioDeployer(host, 'aio1').deploy(REQUEST), /user_secrets.yml is missing \(bootstrap-aio.sh writes it\)/);
});
