import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';
import type { TreeNode } from '../../src/extension/tree/treeNode';
import type { Prompter } from '../../src/extension/wizard/prompter';
import { aChange, ALICE, BOB } from '../support/gerrit/builders';
import { GerritStandIn } from '../support/gerrit/standIn';
import { suite, suiteSetup, suiteTeardown, test, type TestContext } from './mocha';
import {
  containerRow, ContextKeySpy, ErrorMessageSpy, eventually, findLab, inContainer, LAB_ALIAS, labOrSkip, productionSnapshot, ScriptedPrompter, services,
  waitForHaproxySettled, waitForLabInProduction, type Lab,
} from './support';

/**
 * The Gerrit view against the Gerrit stand-in (test/support/gerrit, served from this extension
 * host on 127.0.0.1), the workspace pointing at it with a .gitreview: the view's changes and
 * patchsets, signing in with an HTTP password (refused, then accepted; never logged), and, on the
 * lab, Develop This Change on an older patchset end to end, then Restore with the production
 * snapshot identical. With the lab, the stand-in's openstack/heat is the lab's heat repository (so
 * the change really runs in the heat container); without it, only the lab-free tests run.
 */

const DEV_CONTAINER = 'aio1-heat-api-container-5d2a9f10';
const ACCOUNT = { username: 'alice', password: 'http-pass-Secret1' };
const WRONG_PASSWORD = 'wrong-pass-Secret2';

interface Row {
  node: TreeNode;
  item: vscode.TreeItem;
  label: string;
}

async function gerritRows(s: Services, parent?: TreeNode): Promise<Row[]> {
  return (await s.gerrit.getChildren(parent)).map((node) => {
    const item = s.gerrit.getTreeItem(node) as vscode.TreeItem;
    return { node, item, label: typeof item.label === 'string' ? item.label : (item.label?.label ?? '') };
  });
}

/** Every line the extension writes to its log channel while installed (all levels). */
class LogSpy implements vscode.Disposable {
  readonly lines: string[] = [];
  private readonly originals = new Map<string, unknown>();
  private static readonly METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace'] as const;

  constructor(private readonly channel: vscode.LogOutputChannel) {
    const target = channel as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of LogSpy.METHODS) {
      const original = target[name]!;
      this.originals.set(name, original);
      target[name] = (...args: unknown[]) => {
        this.lines.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack ?? ''}` : String(a))).join(' '));
        return original.apply(channel, args);
      };
    }
  }

  dispose(): void {
    const target = this.channel as unknown as Record<string, unknown>;
    for (const [name, original] of this.originals) target[name] = original;
  }
}

suite('Gerrit view (stand-in)', () => {
  let lab: Lab | undefined;
  let why = '';
  let s: Services;
  let gerrit: GerritStandIn;
  let gitReviewPath = '';
  let originalPrompter: Prompter;
  let initialHosts: unknown;
  let baseline = '';
  let devStarted = false;
  let logSpy: LogSpy;

  suiteSetup(async function () {
    this.timeout(120_000);
    const found = await findLab();
    if (typeof found === 'string') why = found;
    else lab = found;
    s = await services();
    originalPrompter = s.prompter;
    logSpy = new LogSpy(s.logger);
    gerrit = await GerritStandIn.start({ account: ACCOUNT, ...(lab ? { seededProjects: { 'openstack/heat': lab.git.heatRepoUrl } } : {}) });
    gerrit.addChange(aChange().number(12345).subject('Make stacks faster').topic('bug/2000001').owner(ALICE).patchsets(3).build());
    gerrit.addChange(aChange().number(12346).subject('Tidy the engine').owner(BOB).patchsets(1).build());
    gerrit.addChange(aChange().number(12347).subject('Already merged').patchsets(1).merged().build());
    gerrit.addChange(aChange().number(12349).subject('Security fix under embargo').patchsets(1).privateChange().build());
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workbench opens a workspace folder');
    gitReviewPath = path.join(folder.uri.fsPath, '.gitreview');
    assert.equal(fs.existsSync(gitReviewPath), false, 'the scratch workspace has no .gitreview of its own');
    const port = new URL(gerrit.url).port;
    fs.writeFileSync(gitReviewPath, `[gerrit]\nhost=127.0.0.1\nport=${port}\nproject=openstack/heat.git\ndefaultbranch=master\nscheme=http\n`);
    if (lab) {
      const config = vscode.workspace.getConfiguration('osaDev');
      initialHosts = config.inspect('hosts')?.globalValue;
      await config.update('hosts', [{ host: LAB_ALIAS }], vscode.ConfigurationTarget.Global);
      await eventually('the lab host in the registry', () => (s.registry.list().length === 1 ? true : undefined));
    }
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    s.prompter = originalPrompter;
    logSpy?.dispose();
    if (lab && devStarted) {
      const journal = await s.devLoop.journals(LAB_ALIAS).read(DEV_CONTAINER).catch(() => undefined);
      if (journal) {
        console.log(`      (teardown: ${DEV_CONTAINER} still in dev mode, restoring)`);
        await vscode.commands.executeCommand('osaDev.restore', (await containerRow(s, DEV_CONTAINER)).node);
      }
    }
    if (lab) await vscode.workspace.getConfiguration('osaDev').update('hosts', initialHosts, vscode.ConfigurationTarget.Global);
    if (gitReviewPath) fs.rmSync(gitReviewPath, { force: true });
    if (gerrit) {
      await s.context.secrets.delete(`osaDev.gerrit.httpCredentials:${gerrit.url}`);
      s.gerrit.refresh();
      await gerrit.stop();
    }
  });

  const needLab = (ctx: TestContext): Lab => labOrSkip(ctx, lab, why);

  test('the .gitreview shows the view (context key) and its open changes: number, subject, owner, updated; patchsets with the latest marked', async function () {
    this.timeout(30_000);
    const spy = new ContextKeySpy();
    try {
      s.gerrit.refresh();
      const project = await s.gerrit.project();
      assert.deepEqual(project, { baseUrl: gerrit.url, project: 'openstack/heat', branch: 'master', from: '.gitreview' });
      assert.equal(spy.values.get('osaDev.gerritProject'), true, 'the view is shown');
    } finally {
      spy.dispose();
    }
    const changes = await gerritRows(s);
    // Anonymous: open changes only, most recently updated first; merged and private ones absent.
    assert.deepEqual(changes.map((r) => r.label), ['12346 Tidy the engine', '12345 Make stacks faster']);
    assert.match(String(changes[1]!.item.description), /^Alice Example · 2026-01-05 \d\d:\d\d$/);
    assert.match(String(changes[0]!.item.description), /^Bob O'Neil-Ström · /);
    assert.equal(changes[1]!.item.contextValue, 'gerritChange');
    assert.equal(changes[1]!.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const patchsets = await gerritRows(s, changes[1]!.node);
    assert.deepEqual(patchsets.map((r) => r.label), ['Patchset 3', 'Patchset 2', 'Patchset 1']);
    assert.deepEqual(patchsets.map((r) => r.item.contextValue), ['gerritPatchsetLatest', 'gerritPatchset', 'gerritPatchset']);
    assert.match(String(patchsets[0]!.item.description), new RegExp(`^latest · ${gerrit.revision(12345, 3).slice(0, 10)}`));
    assert.doesNotMatch(String(patchsets[1]!.item.description), /latest/);
    assert.ok(gerrit.requests.some((r) => r.url.startsWith(`/changes/?q=${encodeURIComponent('status:open project:openstack/heat branch:master')}&n=25`)), 'one query, as Gerrit documents it');
  });

  test('Set Gerrit HTTP Password: a wrong password says "Not authorized" and is not kept; the right one lists the private change; no password in the log', async function () {
    this.timeout(30_000);
    const errors = new ErrorMessageSpy();
    try {
      s.prompter = new ScriptedPrompter([{ input: ACCOUNT.username }, { input: WRONG_PASSWORD }]);
      assert.equal(await vscode.commands.executeCommand('osaDev.gerrit.setHttpPassword'), undefined, 'the command failed');
      assert.equal(errors.messages.length, 1);
      assert.match(errors.messages[0]!, /^Not authorized by 127\.0\.0\.1:\d+: it refused the user name or HTTP password \(HTTP 401\)/);
      assert.equal(await s.context.secrets.get(`osaDev.gerrit.httpCredentials:${gerrit.url}`), undefined, 'refused credentials are not kept');
      assert.doesNotMatch((await gerritRows(s)).map((r) => r.label).join('\n'), /embargo/, 'still anonymous');

      s.prompter = new ScriptedPrompter([{ input: ACCOUNT.username }, { input: ACCOUNT.password }]);
      assert.equal(await vscode.commands.executeCommand('osaDev.gerrit.setHttpPassword'), true);
    } finally {
      s.prompter = originalPrompter;
      errors.dispose();
    }
    const labels = (await gerritRows(s)).map((r) => r.label);
    assert.ok(labels.includes('12349 Security fix under embargo'), `signed in, the private change is listed: ${labels.join(', ')}`);
    assert.ok(gerrit.requests.some((r) => r.url.startsWith('/a/changes/?q=') && r.authorization), 'the listing went under /a/ with Basic auth');
    const secrets = [ACCOUNT.password, WRONG_PASSWORD, Buffer.from(`alice:${ACCOUNT.password}`).toString('base64'), Buffer.from(`alice:${WRONG_PASSWORD}`).toString('base64')];
    assert.ok(logSpy.lines.some((line) => line.includes('Gerrit GET')), 'the Gerrit requests were logged');
    for (const line of logSpy.lines) for (const secret of secrets) assert.ok(!line.includes(secret), `a password reached the log channel: ${line}`);
  });

  test('Develop wizard, Gerrit change: the project\'s open changes to pick from, then its patchsets latest first; or a typed number', async function () {
    this.timeout(60_000);
    const { askDevelopAnswers } = await import('../../src/extension/devloop/developWizard');
    const { wizardLists } = await import('../../src/extension/devloop/wizardLists');
    const container = { name: DEV_CONTAINER, state: 'running', service: 'heat', component: 'heat_api', ipv4: [], groups: [], units: ['heat-api.service', 'heat-engine.service'] } as const;
    // The catalog's heat upstream is opendev's openstack/heat: the project the stand-in serves.
    const context = { gerritUrl: gerrit.url, lists: wizardLists(s) };
    const picked = new ScriptedPrompter([{ pick: 'heat-api' }, { pick: 'gerrit' }, { pick: 12345 }, { pick: 2 }, { pick: false }]);
    const answers = await askDevelopAnswers(picked, s.devLoop.catalog(), container, context);
    assert.deepEqual(answers?.source, { kind: 'gerrit', change: '12345,2', gerritUrl: gerrit.url, upstream: 'https://opendev.org/openstack/heat' });
    const offered = /: change \[(.*)\]$/.exec(picked.asked[2]!)?.[1]?.split(', ') ?? [];
    // Open changes only (not the merged one); signed in by the test above, so the private one too.
    assert.deepEqual(offered.slice(0, -1).sort(), ['12345', '12346', '12349'], picked.asked[2]);
    assert.equal(offered.at(-1), ' other', 'the last item types a number or URL');
    assert.match(picked.asked[3]!, /^pick 4\/5 .*patchset \[3, 2, 1\]$/, 'patchsets, latest first');

    const typed = new ScriptedPrompter([{ pick: 'heat-api' }, { pick: 'gerrit' }, { pick: ' other' }, { input: '12345' }, { pick: 3 }, { pick: true }]);
    const latest = await askDevelopAnswers(typed, s.devLoop.catalog(), container, context);
    assert.equal(latest?.source.kind === 'gerrit' && latest.source.change, '12345', 'the latest patchset keeps the bare number');
    const withPatchset = new ScriptedPrompter([{ pick: 'heat-api' }, { pick: 'gerrit' }, { pick: ' other' }, { input: '12346,1' }, { pick: false }]);
    assert.equal((await askDevelopAnswers(withPatchset, s.devLoop.catalog(), container, context))?.source.kind, 'gerrit');
    assert.equal(withPatchset.remaining(), 0, 'NUMBER,PATCHSET asks no patchset');
  });

  test('Check Out Locally in a workspace that is not a clone: a plain refusal, nothing written', async function () {
    this.timeout(30_000);
    const errors = new ErrorMessageSpy();
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const before = fs.readdirSync(folder).sort();
    try {
      const change = (await gerritRows(s)).find((r) => r.label.startsWith('12345 '))!;
      assert.equal(await vscode.commands.executeCommand('osaDev.gerrit.checkoutChange', change.node), undefined);
    } finally {
      errors.dispose();
    }
    assert.match(errors.messages[0] ?? '', /is not a git clone: clone the project first/);
    assert.deepEqual(fs.readdirSync(folder).sort(), before);
  });

  test('Check Out Locally in the workspace\'s clone: the change on git-review\'s branch, then an older patchset on -patch1', async function () {
    this.timeout(60_000);
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const before = new Set(fs.readdirSync(folder));
    const gitReview = fs.readFileSync(gitReviewPath);
    // Make the workspace a clean clone of master. The project's own .gitreview (the lab's heat has
    // opendev's) is replaced by the one naming the stand-in, which git is told to leave alone.
    for (const argv of [['init', '-q', '-b', 'master'], ['fetch', '-q', gerrit.gitUrl('openstack/heat'), 'master'], ['update-ref', 'refs/heads/master', 'FETCH_HEAD'], ['reset', '-q'], ['checkout', '-q', '--', '.']]) {
      await git(folder, argv);
    }
    fs.writeFileSync(gitReviewPath, gitReview);
    if ((await git(folder, ['ls-files', '.gitreview'])) !== '') await git(folder, ['update-index', '--skip-worktree', '.gitreview']);
    try {
      const change = (await gerritRows(s)).find((r) => r.label.startsWith('12345 '))!;
      assert.equal(await vscode.commands.executeCommand('osaDev.gerrit.checkoutChange', change.node), 'review/alice_example/bug/2000001');
      assert.equal(await git(folder, ['rev-parse', 'HEAD']), gerrit.revision(12345, 3));
      assert.equal(fs.readFileSync(path.join(folder, 'changes', '12345.txt'), 'utf8'), 'change 12345 patchset 3\n');
      const patchset1 = (await gerritRows(s, change.node)).find((r) => r.label === 'Patchset 1')!;
      assert.equal(await vscode.commands.executeCommand('osaDev.gerrit.checkoutChange', patchset1.node), 'review/alice_example/bug/2000001-patch1');
      assert.equal(await git(folder, ['rev-parse', 'HEAD']), gerrit.revision(12345, 1));
      assert.equal(await git(folder, ['status', '--porcelain', '--untracked-files=no']), '', 'a clean tree');

      // Uncommitted work: declined → nothing moves; accepted → stashed (never lost), then checked out.
      const edited = path.join(folder, 'changes', '12345.txt');
      fs.writeFileSync(edited, 'my uncommitted work\n');
      s.prompter = new ScriptedPrompter([{ confirm: false }]);
      assert.equal(await vscode.commands.executeCommand('osaDev.gerrit.checkoutChange', change.node), undefined);
      assert.equal(await git(folder, ['rev-parse', 'HEAD']), gerrit.revision(12345, 1), 'declined: HEAD did not move');
      assert.equal(fs.readFileSync(edited, 'utf8'), 'my uncommitted work\n', 'declined: the work is where it was');
      s.prompter = new ScriptedPrompter([{ confirm: true }]);
      assert.equal(await vscode.commands.executeCommand('osaDev.gerrit.checkoutChange', change.node), 'review/alice_example/bug/2000001');
      assert.equal(await git(folder, ['rev-parse', 'HEAD']), gerrit.revision(12345, 3));
      assert.match(await git(folder, ['stash', 'show', '-p', 'stash@{0}']), /\+my uncommitted work/, 'accepted: the work is in the stash');
      s.prompter = originalPrompter;
    } finally {
      for (const entry of fs.readdirSync(folder)) if (!before.has(entry)) fs.rmSync(path.join(folder, entry), { recursive: true, force: true });
      fs.writeFileSync(gitReviewPath, gitReview);
    }
  });

  test('Develop This Change on patchset 2 of 3: container, unit and run asked; the container runs that patchset; Restore puts production back identical', async function () {
    this.timeout(420_000);
    const l = needLab(this);
    await waitForLabInProduction(s, 240_000);
    baseline = await productionSnapshot(l);
    const listed = await gerritRows(s);
    const change = listed.find((r) => r.label.startsWith('12345 '));
    assert.ok(change, `change 12345 listed: ${listed.map((r) => r.label).join(', ')}`);
    const patchset2 = (await gerritRows(s, change.node)).find((r) => r.label === 'Patchset 2')!;
    const prompter = new ScriptedPrompter([{ pick: `${LAB_ALIAS}/${DEV_CONTAINER}` }, { pick: 'heat-api' }, { pick: false }]);
    s.prompter = prompter;
    let ok: unknown;
    const t0 = Date.now();
    try {
      devStarted = true;
      ok = await vscode.commands.executeCommand('osaDev.gerrit.developChange', patchset2.node);
    } finally {
      s.prompter = originalPrompter;
    }
    console.log(`      (develop took ${((Date.now() - t0) / 1000).toFixed(1)} s; asked:\n        ${prompter.asked.join('\n        ')})`);
    assert.equal(ok, true, 'osaDev.gerrit.developChange resolves true');
    assert.equal(prompter.remaining(), 0);
    // The source is not asked again: container, then the unit (1/2) and how to run (2/2).
    assert.deepEqual(prompter.asked.map((q) => q.split(' ').slice(0, 2).join(' ')), ['pick 1/1', 'pick 1/2', 'pick 2/2']);
    assert.match(prompter.asked[0]!, /^pick 1\/1 Develop openstack\/heat: container \[/);
    const offered = /\[(.*)\]$/.exec(prompter.asked[0]!)![1]!.split(', ');
    const heat = l.containers.filter((c) => c.service === 'heat').map((c) => `${LAB_ALIAS}/${c.name}`);
    assert.deepEqual(new Set(offered.slice(0, heat.length)), new Set(heat), `the heat containers first: ${offered.join(', ')}`);

    // The local clone is at patchset 2 on git-review's branch; the container has exactly that code.
    const clone = path.join(s.context.globalStorageUri.fsPath, 'sources', 'heat');
    const head = fs.readFileSync(path.join(clone, '.git', 'HEAD'), 'utf8').trim();
    assert.equal(head, 'ref: refs/heads/review/alice_example/bug/2000001-patch2');
    assert.equal(await git(clone, ['rev-parse', 'HEAD']), gerrit.revision(12345, 2));
    assert.equal(await inContainer(DEV_CONTAINER, ['cat', '/opt/osa-dev/src/heat/changes/12345.txt']), 'change 12345 patchset 2\n');
    const local = fs.readFileSync(path.join(clone, 'heat', '__init__.py'));
    assert.equal(await inContainer(DEV_CONTAINER, ['cat', '/opt/osa-dev/src/heat/heat/__init__.py']), local.toString('utf8'));
    const row = await containerRow(s, DEV_CONTAINER);
    assert.equal(row.item.contextValue, 'runningDevContainer');
    const cmdline = await inContainer(DEV_CONTAINER, ['sh', '-c', 'tr "\\0" " " < /proc/$(cat /run/osa-dev/heat-api.pid)/cmdline']);
    assert.match(cmdline, /\/opt\/osa-dev\/venvs\/heat\/bin\//, 'the dev process runs from the dev venv');

    assert.equal(await vscode.commands.executeCommand('osaDev.restore', row.node), true, 'osaDev.restore resolves true');
    await waitForHaproxySettled(60_000);
    assert.equal(await productionSnapshot(l), baseline, 'production snapshot after Restore equals the one before');
    assert.equal((await containerRow(s, DEV_CONTAINER)).item.contextValue, 'runningContainer');
  });
});

function git(dir: string, argv: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-C', dir, ...argv], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) => (error ? reject(new Error(`git ${argv.join(' ')}: ${stderr}`)) : resolve(stdout.trim())));
  });
}
