import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';
import type { Prompter } from '../../src/extension/wizard/prompter';
import { suite, suiteSetup, suiteTeardown, test, type TestContext } from './mocha';
import { eventually, findLab, labOrSkip, ScriptedPrompter, services, sshLab, type Lab } from './support';

/**
 * "Create OSA All-In-One on Host…" through the extension, on the lab's FRESH host (deploy1-lab in
 * the run's ssh config: its own namespaces and sshd), cloning the lab's openstack-ansible from the
 * lab's git daemon and running its scripts and playbooks with real ansible-playbook. Reset first.
 */
const DEPLOY_ALIAS = 'deploy1-lab';
const PASSWORD = 'vs-CANARY-admin-pw';
const RESET = 'rm -rf /opt/openstack-ansible /etc/openstack_deploy /etc/openstack-release /usr/local/bin/openstack-ansible /openstack/* /var/lib/osa-dev/*';
type LabWithDeployHost = Lab & { deployHost?: { osaRepoUrlInNamespace: string } };

suite('Create OSA All-In-One (lab deploy host)', () => {
  let lab: LabWithDeployHost | undefined;
  let why = '';
  let s: Services;
  let original: { hosts: unknown; repository: unknown; prompter: Prompter } | undefined;
  const ssh = (command: string): Promise<string> => sshLab(command, DEPLOY_ALIAS);

  suiteSetup(async function () {
    this.timeout(30_000);
    const found = await findLab();
    if (typeof found === 'string') why = found;
    else if (!(found as LabWithDeployHost).deployHost) why = 'the lab has no deploy host (bring it up again)';
    else lab = found as LabWithDeployHost;
    s = await services();
    if (!lab) return;
    const config = vscode.workspace.getConfiguration('osaDev');
    original = { hosts: config.inspect('hosts')?.globalValue, repository: config.inspect('aio.repository')?.globalValue, prompter: s.prompter };
    await config.update('hosts', [{ host: DEPLOY_ALIAS }], vscode.ConfigurationTarget.Global);
    await config.update('aio.repository', lab.deployHost!.osaRepoUrlInNamespace, vscode.ConfigurationTarget.Global);
    await s.context.secrets.delete(`osaDev.aio.adminPassword/${DEPLOY_ALIAS}`);
    await ssh(RESET);
  });

  suiteTeardown(async () => {
    if (!original) return;
    s.prompter = original.prompter;
    const config = vscode.workspace.getConfiguration('osaDev');
    await config.update('hosts', original.hosts, vscode.ConfigurationTarget.Global);
    await config.update('aio.repository', original.repository, vscode.ConfigurationTarget.Global);
    await s.context.secrets.delete(`osaDev.aio.adminPassword/${DEPLOY_ALIAS}`);
    await ssh(RESET).catch(() => undefined);
  });

  const needLab = (ctx: TestContext): LabWithDeployHost => labOrSkip(ctx, lab, why);

  test('branch picked, password asked once into SecretStorage, confirmed: every phase runs, Ansible output in a terminal', async function () {
    needLab(this);
    this.timeout(240_000);
    await eventually('the deploy host in the registry', () => (s.registry.list().some((h) => h.host === DEPLOY_ALIAS) ? true : undefined));
    const prompter = new ScriptedPrompter([{ pick: 'stable/2025.1' }, { input: PASSWORD }, { confirm: true }]);
    s.prompter = prompter;
    const t0 = Date.now();
    await vscode.commands.executeCommand('osaDev.createAio');
    console.log(`      (deploy took ${((Date.now() - t0) / 1000).toFixed(1)} s; asked: ${prompter.asked.join(' | ')})`);
    assert.equal(prompter.remaining(), 0, 'every scripted answer was asked for');
    assert.match(prompter.asked[0]!, /\[master, stable\/2025\.1, 31\.0\.0\]/, 'branches and tags listed from the repository, master first');
    const state = JSON.parse(await ssh('cat /var/lib/osa-dev/aio-deploy.json'));
    assert.equal(state.branch, 'stable/2025.1');
    assert.equal(state.completed.length, 7, JSON.stringify(state));
    assert.match(await ssh('cat /etc/openstack_deploy/user_secrets.yml'), new RegExp(`^keystone_auth_admin_password: '${PASSWORD}'$`, 'm'));
    assert.equal(await s.context.secrets.get(`osaDev.aio.adminPassword/${DEPLOY_ALIAS}`), PASSWORD);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('osaDev'));
    assert.ok(!settings.includes('CANARY'), 'the password is not in the settings');
    const terminal = vscode.window.terminals.find((t) => t.name === `OSA deploy (${DEPLOY_ALIAS})`);
    assert.ok(terminal, `an output terminal among ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    assert.ok(!terminal.name.includes('CANARY'));
  });

  test('a deployed host offers to re-run from a phase; the stored password is not asked again', async function () {
    needLab(this);
    this.timeout(120_000);
    const before = await ssh('stat -c %Y /openstack/repo/infrastructure-ready');
    await new Promise((r) => setTimeout(r, 1100)); // mtime has a one-second grain
    const prompter = new ScriptedPrompter([{ pick: 'setup-openstack' }, { confirm: true }]);
    s.prompter = prompter;
    await vscode.commands.executeCommand('osaDev.createAio');
    assert.equal(prompter.remaining(), 0);
    assert.match(prompter.asked[0]!, /pick 1\/1 .*stable\/2025\.1 \[clone, bootstrap-ansible, bootstrap-aio, admin-password, setup-hosts, setup-infrastructure, setup-openstack\]/);
    assert.equal(await ssh('stat -c %Y /openstack/repo/infrastructure-ready'), before, 'setup_infrastructure did not run again');
    assert.equal(JSON.parse(await ssh('cat /var/lib/osa-dev/aio-deploy.json')).completed.length, 7);
  });

  test('cancelled at the confirmation: nothing runs', async function () {
    needLab(this);
    this.timeout(60_000);
    const stateBefore = await ssh('cat /var/lib/osa-dev/aio-deploy.json');
    s.prompter = new ScriptedPrompter([{ pick: 'setup-hosts' }, { confirm: false }]);
    await vscode.commands.executeCommand('osaDev.createAio');
    assert.equal(await ssh('cat /var/lib/osa-dev/aio-deploy.json'), stateBefore);
  });
});
