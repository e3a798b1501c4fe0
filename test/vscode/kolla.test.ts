import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { followLogsArgv } from '../../src/core/model/journalLogs';
import type { Services } from '../../src/extension/services';
import type { PickItem, StepInfo } from '../../src/extension/wizard/prompter';
import { suite, suiteSetup, suiteTeardown, test, type TestContext } from './mocha';
import { eventually, executeWithAnswers, findLab, labOrSkip, rows, ScriptedPrompter, services, sshLab, type Lab, type TreeRow } from './support';

/**
 * The lab's Kolla host (kolla1-lab in the run's ssh config: rootful podman, Kolla's heat_api and
 * heat_engine with host networking) in the tree: its runtime detected, its containers under heat,
 * Open Shell a PTY through podman exec, Develop/Restore through the commands with a scripted wizard.
 */
// What Restore must give back, read over the system's ssh (not through the code under test).
const SNAPSHOT = [
  'sha256sum /etc/kolla/*/config.json; stat -c "%n %a %u %g" /etc/kolla/*/config.json',
  "for c in heat_api heat_engine; do podman container inspect --format '{{.Name}} {{.Id}} {{.Image}} {{.State.Status}} {{json .Config.Cmd}}' $c; podman exec $c cat /run_command; echo; done",
  'ls /var/lib/osa-dev',
].join('; ');
const heatApi = async (): Promise<string> => sshLab('curl -sS -m 5 http://172.29.236.120:8004/ || true', KOLLA_ALIAS);
const KOLLA_ALIAS = 'kolla1-lab';
type LabWithKolla = Lab & { kollaHost?: { hostName: string } };

/** Answers its script, then presses Escape at the next pick (what it offered is still recorded). */
class EscapeWhenUnscripted extends ScriptedPrompter {
  override async pick<T>(info: StepInfo, items: readonly PickItem<T>[], placeholder: string): Promise<T | undefined> {
    if (this.remaining() > 0) return super.pick(info, items, placeholder);
    this.offered.push([...items]);
    return undefined;
  }
}

suite('Kolla host (lab kolla1, podman)', () => {
  let lab: LabWithKolla | undefined;
  let why = '';
  let s: Services;
  let originalHosts: unknown;
  let devStarted = false;

  suiteSetup(async function () {
    this.timeout(20_000);
    const found = await findLab();
    if (typeof found === 'string') why = found;
    else if (!(found as LabWithKolla).kollaHost) why = 'the lab has no Kolla host (bring it up again)';
    else lab = found as LabWithKolla;
    s = await services();
    if (!lab) return;
    const config = vscode.workspace.getConfiguration('osaDev');
    originalHosts = config.inspect('hosts')?.globalValue;
    await config.update('hosts', [{ host: KOLLA_ALIAS }], vscode.ConfigurationTarget.Global);
    await eventually('the Kolla host in the registry', () => (s.registry.list().some((h) => h.host === KOLLA_ALIAS) ? true : undefined));
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    if (devStarted && (await s.devLoop.journals(KOLLA_ALIAS).read('heat_api').catch(() => undefined))) {
      const row = (await containerRows().catch(() => undefined))?.get('heat_api')?.row;
      if (row) await vscode.commands.executeCommand('osaDev.restore', row.node);
    }
    if (lab) await vscode.workspace.getConfiguration('osaDev').update('hosts', originalHosts, vscode.ConfigurationTarget.Global);
  });

  const needLab = (ctx: TestContext): LabWithKolla => labOrSkip(ctx, lab, why);

  async function containerRows(): Promise<Map<string, { service: string; row: TreeRow }>> {
    const host = (await rows(s)).find((r) => r.label === KOLLA_ALIAS);
    assert.ok(host, `host node ${KOLLA_ALIAS}`);
    const found = new Map<string, { service: string; row: TreeRow }>();
    const children = await rows(s, host.node);
    assert.deepEqual(children.filter((r) => r.item.contextValue === 'error').map((r) => r.label), [], 'no error node under the host');
    for (const service of children.filter((r) => r.item.contextValue === 'service')) {
      for (const c of await rows(s, service.node)) found.set(c.label, { service: service.label, row: c });
    }
    return found;
  }

  test('the tree shows heat_api and heat_engine under heat, running; commands on them go through podman', async function () {
    needLab(this);
    this.timeout(60_000);
    const found = await containerRows();
    for (const name of ['heat_api', 'heat_engine']) {
      const entry = found.get(name);
      assert.ok(entry, `${name} in the tree (got ${[...found.keys()].join(', ')})`);
      assert.equal(entry.service, 'heat');
      assert.equal(entry.row.item.contextValue, 'runningContainer');
    }
    assert.equal(s.runtime.shellArgv('heat_api')[0], 'podman');
    assert.deepEqual(followLogsArgv(s.runtime, 'heat_engine', [], 20), ['podman', 'logs', '--follow', '--tail', '20', 'heat_engine']);
  });

  test('Open Shell on heat_api is a PTY inside the container (podman exec -it)', async function () {
    needLab(this);
    this.timeout(60_000);
    const row = (await containerRows()).get('heat_api')?.row;
    assert.ok(row, 'heat_api in the tree');
    const marker = `/tmp/osa-dev-e2e-${randomBytes(6).toString('hex')}`;
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((t) => (sub.dispose(), resolve(t)));
    });
    const returned = await vscode.commands.executeCommand<vscode.Terminal | undefined>('osaDev.openShell', row.node);
    const terminal = returned ?? (await opened);
    try {
      // Input sent before the remote PTY started is dropped (see the lab suite): type until it lands.
      const content = await eventually(
        `${marker} inside heat_api`,
        async () => {
          terminal.sendText(`{ cat /run_command; echo; tty; } > ${marker}`, true);
          await new Promise((r) => setTimeout(r, 1500));
          const out = await sshLab(`podman exec heat_api cat ${marker} 2>/dev/null || true`, KOLLA_ALIAS);
          return out.trim() === '' ? undefined : out;
        },
        40_000,
      );
      const [command, tty] = content.trim().split('\n');
      assert.equal(command, 'heat-api --config-file /etc/heat/heat.conf', 'the shell ran in the Kolla container');
      assert.match(tty ?? '', /^\/dev\/pts\/\d+$/, 'the shell has a terminal (PTY)');
    } finally {
      terminal.dispose();
      await sshLab(`podman exec heat_api rm -f ${marker}`, KOLLA_ALIAS).catch(() => undefined);
    }
  });

  test('Develop wizard: the kolla_dev_mode checkout is a choice for heat_engine (its /dev-mode/heat mount), not for heat_api; chosen, heat_engine runs from it; Restore byte-identical', async function () {
    needLab(this);
    this.timeout(180_000);
    const found = await containerRows();
    const codeChoices = (prompter: ScriptedPrompter): unknown[] => (prompter.offered.find((items) => items.some((i) => i.value === 'container-path')) ?? []).map((i) => i.value);
    // heat_api: no dev-mode mount; Escape at the code step (nothing changed).
    const api = new EscapeWhenUnscripted([]);
    assert.equal(await executeWithAnswers(s, api, 'osaDev.develop', found.get('heat_api')!.row.node), false);
    assert.ok(!codeChoices(api).includes('dev-mode'), `heat_api offered: ${codeChoices(api).join(', ')}`);
    assert.equal(await s.devLoop.journals(KOLLA_ALIAS).read('heat_api'), undefined, 'nothing changed on heat_api');

    const baseline = await sshLab(SNAPSHOT, KOLLA_ALIAS);
    const engine = new ScriptedPrompter([{ pick: 'dev-mode' }, { pick: false }]);
    let developed = false;
    try {
      developed = (await executeWithAnswers(s, engine, 'osaDev.develop', found.get('heat_engine')!.row.node)) === true;
      const item = engine.offered[0]?.find((i) => i.value === 'dev-mode');
      assert.equal(item?.label, 'kolla_dev_mode checkout (/dev-mode/heat)', `offered first: ${engine.offered[0]?.map((i) => i.label).join(', ')}`);
      assert.equal(engine.offered[0]?.[0]?.value, 'dev-mode', 'the checkout is the first choice');
      assert.ok(developed, `osaDev.develop resolves true; asked:\n${engine.asked.join('\n')}`);
      const journal = await s.devLoop.journals(KOLLA_ALIAS).read('heat_engine');
      assert.deepEqual((journal?.request as { source?: unknown } | undefined)?.source, { kind: 'container-path', path: '/dev-mode/heat' });
      const imported = await sshLab('podman exec heat_engine /opt/osa-dev/venvs/heat/bin/python -c "import heat; print(heat.__file__)"', KOLLA_ALIAS);
      assert.equal(imported.trim(), '/dev-mode/heat/heat/__init__.py');
    } finally {
      const row = (await containerRows()).get('heat_engine')?.row;
      if (row && (await s.devLoop.journals(KOLLA_ALIAS).read('heat_engine'))) await vscode.commands.executeCommand('osaDev.restore', row.node);
    }
    assert.equal(await sshLab(SNAPSHOT, KOLLA_ALIAS), baseline, 'the Kolla host after Restore equals the one before');
  });

  test('Develop This Service on heat_api (scripted wizard: fork from the lab git, master): the keeper runs, the dev process serves; Restore Production is byte-identical', async function () {
    const l = needLab(this);
    this.timeout(240_000);
    const baseline = await sshLab(SNAPSHOT, KOLLA_ALIAS);
    assert.match(baseline, /heat-api --config-file \/etc\/heat\/heat.conf/);
    const row = (await containerRows()).get('heat_api')?.row;
    assert.ok(row, 'heat_api in the tree');
    // One unit (heat-api, the catalog's unit of the heat_api component): not asked. Code, URL, ref, run.
    const prompter = new ScriptedPrompter([{ pick: 'fork' }, { input: l.git.heatRepoUrl }, { pick: 'master' }, { pick: false }]);
    devStarted = true;
    const ok = await executeWithAnswers(s, prompter, 'osaDev.develop', row.node);
    assert.equal(ok, true, `osaDev.develop resolves true; asked:\n${prompter.asked.join('\n')}`);
    assert.equal(prompter.remaining(), 0, 'every scripted answer was asked for');
    assert.equal((await sshLab('podman exec heat_api cat /run_command', KOLLA_ALIAS)).trim(), 'sleep infinity');
    const dev = (await containerRows()).get('heat_api')!.row;
    assert.equal(dev.item.contextValue, 'runningDevContainer', 'the tree shows heat_api in dev mode');
    assert.ok(vscode.window.terminals.some((t) => t.name === 'heat-api (dev) · heat_api'), `dev terminal in ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    const served = await eventually('the dev process serves heat-api', async () => ((await heatApi()).includes('"code_version"') ? true : undefined), 60_000);
    assert.ok(served);
    const cmdline = await sshLab(`podman exec heat_api sh -c 'tr "\\0" " " < /proc/$(cat /run/osa-dev/heat-api.pid)/cmdline'`, KOLLA_ALIAS);
    assert.match(cmdline, /\/opt\/osa-dev\/venvs\/heat\/bin\/\S*heat-api/, 'the dev venv serves');

    assert.equal(await vscode.commands.executeCommand('osaDev.restore', dev.node), true, 'osaDev.restore resolves true');
    assert.equal((await containerRows()).get('heat_api')!.row.item.contextValue, 'runningContainer');
    assert.equal(await sshLab(SNAPSHOT, KOLLA_ALIAS), baseline, 'the Kolla host after Restore equals the one before');
    await eventually('production heat-api answers again', async () => ((await heatApi()).includes('"code_version"') ? true : undefined), 60_000);
  });
});
