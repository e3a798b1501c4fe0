import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';
import type { Prompter } from '../../src/extension/wizard/prompter';
import { suite, suiteSetup, suiteTeardown, test, type TestContext } from './mocha';
import {
  containerRow, devStatusBar, ErrorMessageSpy, eventually, findLab, frontendHosts, inContainer, LAB_ALIAS, labOrSkip, productionSnapshot, ScriptedPrompter,
  services, waitForHaproxySettled, type Lab,
} from './support';

/**
 * The dev loop through the extension's own commands, against the lab (`npm run lab:up`), with the
 * wizard answered by a scripted Prompter (services.prompter is replaceable for this). "Production
 * is back" is checked with the same snapshot as test/integration/devloop/developLoop.test.ts, read
 * over the system's ssh, not through the code under test.
 * In CI (CI=true) a lab that is down fails these tests; locally they are skipped, saying why.
 */

// The new-style name: the same container the core integration test develops in.
const DEV_CONTAINER = 'aio1-heat-api-container-5d2a9f10';
// The old-style name: the one whose heat.conf is edited through the FileSystemProvider.
const EDIT_CONTAINER = 'aio1_heat_api_container-36e270c9';
// "Fork or other repository…" clones on this machine, then syncs into the container: the lab's git
// daemon as this machine reaches it (lab.json git.heatRepoUrl; the containers know it as
// git://172.29.236.100/openstack/heat).
const FORK_URL = (lab: Lab): string => lab.git.heatRepoUrl;

async function devPid(container: string, unit: string): Promise<string> {
  return (await inContainer(container, ['sh', '-c', `cat /run/osa-dev/${unit}.pid 2>/dev/null || true`])).trim();
}

async function alive(container: string, pid: string): Promise<boolean> {
  const out = await inContainer(container, ['sh', '-c', `kill -0 ${Number(pid)} 2>/dev/null && echo yes || echo no`]);
  return out.trim() === 'yes';
}

/** Waits until `count` consecutive GETs through HAProxy are all answered by `only` (200 OK). */
async function servedOnlyBy(lab: Lab, only: string, ms = 60_000): Promise<string[]> {
  let last: string[] = [];
  try {
    return await eventually(`GET / through HAProxy answered only by ${only}`, async () => {
      last = await frontendHosts(lab, 8);
      return last.every((h) => h === only) ? last : undefined;
    }, ms);
  } catch (error) {
    throw new Error(`${String(error)}; last answers: ${last.join(', ')}`);
  }
}

suite('Dev loop through the commands (lab)', () => {
  let lab: Lab | undefined;
  let why = '';
  let s: Services;
  let initialHosts: unknown;
  let originalPrompter: Prompter;
  let baseline = '';
  // Only what this suite put in dev mode is restored by the teardown (others may share the lab).
  let devStarted = false;
  let editSaved = false;

  suiteSetup(async function () {
    this.timeout(90_000);
    const found = await findLab();
    if (typeof found === 'string') why = found;
    else lab = found;
    s = await services();
    originalPrompter = s.prompter;
    const config = vscode.workspace.getConfiguration('osaDev');
    initialHosts = config.inspect('hosts')?.globalValue;
    await config.update('hosts', [{ host: LAB_ALIAS }], vscode.ConfigurationTarget.Global);
    await eventually('the lab host in the registry', () => (s.registry.list().length === 1 ? true : undefined));
    if (!lab) return;
    await waitForHaproxySettled(60_000);
    baseline = await productionSnapshot(lab);
    assert.match(baseline, new RegExp(`## ${DEV_CONTAINER}\\nheat-api active enabled\\n`), `snapshot reads the containers:\n${baseline}`);
    assert.match(baseline, /admin=0[\s\S]*\/etc\/heat\/heat\.conf/, `snapshot has HAProxy states and /etc/heat:\n${baseline}`);
    // A lab left in dev mode by an aborted earlier run would make the baseline wrong: say so.
    assert.doesNotMatch(baseline, /^dev processes: [1-9]|^holds: [1-9]/m, `the lab is in production before the suite:\n${baseline}`);
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    s.prompter = originalPrompter;
    // Leave the lab in production whatever happened.
    if (lab) {
      for (const name of [...(devStarted ? [DEV_CONTAINER] : []), ...(editSaved ? [EDIT_CONTAINER] : [])]) {
        // The journal on the host, not the tree: a broken tree must not hide a lab left in dev mode.
        const journal = await s.devLoop.journals(LAB_ALIAS).read(name).catch(() => undefined);
        const row = journal ? await containerRow(s, name).catch(() => undefined) : undefined;
        if (row) {
          console.log(`      (teardown: ${name} still in dev mode, restoring)`);
          await vscode.commands.executeCommand('osaDev.restore', row.node);
        }
      }
    }
    await vscode.workspace.getConfiguration('osaDev').update('hosts', initialHosts, vscode.ConfigurationTarget.Global);
  });

  const needLab = (ctx: TestContext): Lab => labOrSkip(ctx, lab, why);

  async function assertProductionBack(l: Lab): Promise<void> {
    await waitForHaproxySettled(60_000);
    const now = await productionSnapshot(l);
    assert.equal(now, baseline, 'production snapshot after Restore equals the one before');
  }

  test('save through osa-dev:// is journaled (dev mode) and Restore puts heat.conf back byte-identical', async function () {
    this.timeout(90_000);
    needLab(this);
    const path = '/etc/heat/heat.conf';
    const before = await inContainer(EDIT_CONTAINER, ['sha256sum', path]);
    const uri = vscode.Uri.parse(`osa-dev://${LAB_ALIAS}/${EDIT_CONTAINER}${path}`);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /\[DEFAULT\]/, 'heat.conf read through the FileSystemProvider');
    const editor = await vscode.window.showTextDocument(doc);
    const marker = `# osa-dev e2e ${randomBytes(4).toString('hex')}`;
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(0, 0), `${marker}\n`)), 'edit applied');
    editSaved = true;
    assert.ok(await doc.save(), 'saved');
    try {
      const inside = await inContainer(EDIT_CONTAINER, ['head', '-n', '1', path]);
      assert.equal(inside.trim(), marker, 'the file in the container changed (read over ssh)');
      const row = await eventually('dev mode in the tree', async () => {
        const r = await containerRow(s, EDIT_CONTAINER);
        return r.item.contextValue === 'runningDevContainer' ? r : undefined;
      });
      assert.match(String(row.item.description), /in dev mode/);
      assert.equal(await vscode.commands.executeCommand('osaDev.restore', row.node), true, 'osaDev.restore resolves true');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    assert.equal(await inContainer(EDIT_CONTAINER, ['sha256sum', path]), before, 'heat.conf is byte-identical after Restore');
    assert.equal((await containerRow(s, EDIT_CONTAINER)).item.contextValue, 'runningContainer');
    await assertProductionBack(needLab(this));
  });

  test('Develop This Service: scripted wizard (fork, lab git URL, master) → dev mode, dev terminal, status bar, served only by the dev process', async function () {
    this.timeout(300_000);
    const l = needLab(this);
    const row = await containerRow(s, DEV_CONTAINER);
    assert.equal(row.item.contextValue, 'runningContainer');
    const prompter = new ScriptedPrompter([{ pick: 'heat-api' }, { pick: 'fork' }, { input: FORK_URL(l) }, { pick: 'master' }, { pick: false }]);
    s.prompter = prompter;
    const t0 = Date.now();
    let ok: unknown;
    try {
      devStarted = true; // from here on the teardown restores this container if it is left in dev mode
      ok = await vscode.commands.executeCommand('osaDev.develop', row.node);
    } finally {
      s.prompter = originalPrompter;
    }
    console.log(`      (develop took ${((Date.now() - t0) / 1000).toFixed(1)} s; wizard asked:\n        ${prompter.asked.join('\n        ')})`);
    assert.equal(ok, true, 'osaDev.develop resolves true');
    assert.equal(prompter.remaining(), 0, 'every scripted answer was asked for');
    // heat-api and heat-engine both run in the container: the unit is asked first, then code, URL, ref, run/debug.
    assert.deepEqual(prompter.asked.map((q) => q.split(' ').slice(0, 2).join(' ')), ['pick 1/5', 'pick 2/5', 'input 3/5', 'pick 4/5', 'pick 5/5']);
    assert.match(prompter.asked[0]!, /\[heat-api, heat-engine\]/);
    assert.match(prompter.asked[3]!, /branch \[master, stable\/2025\.1, feature\/metrics, 24\.0\.0,  other\]$/, "the repository's branches and tags, master first, then 'other…'");

    const dev = await containerRow(s, DEV_CONTAINER);
    assert.equal(dev.item.contextValue, 'runningDevContainer', 'the tree shows the container in dev mode');
    assert.match(String(dev.item.description), /in dev mode/);

    const terminal = vscode.window.terminals.find((t) => t.name === `heat-api (dev) · ${DEV_CONTAINER}`);
    assert.ok(terminal, `dev terminal in ${vscode.window.terminals.map((t) => t.name).join(', ')}`);

    const bar = devStatusBar(s);
    assert.deepEqual(bar.targets().map((t) => t.container.name), [DEV_CONTAINER], 'status bar follows dev mode');
    assert.match(bar.item.text, new RegExp(`Dev: heat · ${DEV_CONTAINER}`));
    assert.equal(bar.item.command && typeof bar.item.command === 'object' ? bar.item.command.command : bar.item.command, 'osaDev.restore');

    const hosts = await servedOnlyBy(l, DEV_CONTAINER);
    assert.deepEqual(new Set(hosts), new Set([DEV_CONTAINER]));
    const cmdline = await inContainer(DEV_CONTAINER, ['sh', '-c', 'tr "\\0" " " < /proc/$(cat /run/osa-dev/heat-api.pid)/cmdline']);
    assert.match(cmdline, /\/opt\/osa-dev\/venvs\/heat\/bin\/(python\S* )?\S*heat-api/, 'the dev venv serves');
  });

  test('Restart Dev Process: a new dev process (pid changes) serves again', async function () {
    this.timeout(90_000);
    const l = needLab(this);
    assert.ok(devStarted, 'Develop ran');
    const before = await devPid(DEV_CONTAINER, 'heat-api');
    assert.match(before, /^\d+$/, 'dev pid file');
    const terminal = vscode.window.terminals.find((t) => t.name === `heat-api (dev) · ${DEV_CONTAINER}`);
    assert.ok(terminal);
    terminal.show();
    await vscode.commands.executeCommand('osaDev.restartDevProcess');
    const after = await eventually('a new dev pid', async () => {
      const pid = await devPid(DEV_CONTAINER, 'heat-api');
      return /^\d+$/.test(pid) && pid !== before && (await alive(DEV_CONTAINER, pid)) ? pid : undefined;
    }, 30_000);
    assert.equal(await alive(DEV_CONTAINER, before), false, `the old dev process ${before} is gone`);
    assert.notEqual(after, before);
    const terminals = vscode.window.terminals.filter((t) => t.name === `heat-api (dev) · ${DEV_CONTAINER}`);
    assert.equal(terminals.length, 1, 'one dev terminal (the old one was replaced)');
    assert.notEqual(terminals[0], terminal, 'a fresh terminal');
    await servedOnlyBy(l, DEV_CONTAINER);
  });

  test('Rebuild Container… is refused in dev mode: "Restore production first", nothing asked or run', async function () {
    this.timeout(30_000);
    needLab(this);
    assert.ok(devStarted, 'Develop ran');
    const row = await containerRow(s, DEV_CONTAINER);
    const prompter = new ScriptedPrompter([]);
    const errors = new ErrorMessageSpy();
    s.prompter = prompter;
    try {
      assert.equal(await vscode.commands.executeCommand('osaDev.rebuildContainer', row.node), undefined);
    } finally {
      s.prompter = originalPrompter;
      errors.dispose();
    }
    assert.deepEqual(prompter.asked, [], 'no confirmation asked');
    assert.match(errors.messages.join('\n'), new RegExp(`${DEV_CONTAINER} is in dev mode .*Restore production first`));
    assert.equal((await containerRow(s, DEV_CONTAINER)).item.contextValue, 'runningDevContainer', 'still in dev mode');
  });

  test('Restore Production: back to runningContainer, both heat containers serve, snapshot identical', async function () {
    this.timeout(120_000);
    const l = needLab(this);
    assert.ok(devStarted, 'Develop ran');
    const row = await containerRow(s, DEV_CONTAINER);
    const t0 = Date.now();
    assert.equal(await vscode.commands.executeCommand('osaDev.restore', row.node), true, 'osaDev.restore resolves true');
    console.log(`      (restore took ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    assert.equal((await containerRow(s, DEV_CONTAINER)).item.contextValue, 'runningContainer');
    assert.equal(vscode.window.terminals.some((t) => t.name.startsWith('heat-api (dev)')), false, 'the dev terminal is closed');
    assert.deepEqual(devStatusBar(s).targets(), [], 'no container in dev mode for the status bar');
    await assertProductionBack(l);
    const hosts = await eventually('both heat containers answer', async () => {
      const h = await frontendHosts(l, 8);
      return new Set(h).size === 2 && h.every((x) => x.includes('heat')) ? h : undefined;
    }, 30_000);
    assert.deepEqual([...new Set(hosts)].sort(), l.containers.filter((c) => c.service === 'heat').map((c) => c.name).sort());
  });
});
