import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';
import type { Prompter } from '../../src/extension/wizard/prompter';
import { suite, suiteSetup, suiteTeardown, test, type TestContext } from './mocha';
import {
  activeOsaDevSession, addVerifiedBreakpoint, containerRow, continueOnce, DapRecorder, developFailingOnError, ErrorMessageSpy, eventually, findLab, inContainer, LAB_ALIAS, labOrSkip,
  localPortRefuses, osalabStatusLine, productionBaseline, productionSnapshot, restoreIfLeftInDevMode, ScriptedPrompter, services, stopInApplication, tokenCondition, waitForHaproxySettled,
  type Lab,
} from './support';

/**
 * Breakpoints in LIBRARY files through the extension (osaDev.debug.sitePackages, justMyCode off),
 * against the lab: a local copy of site-packages holds the lab's shared WSGI module osalab_wsgi (as
 * the container's production venv has it) and a package the container lacks. Develop cinder-api
 * with "Run under the debugger": the session maps osalab_wsgi, and only it, to the production venv
 * the dev process imports it from; a breakpoint in the LOCAL copy is verified by debugpy, stops one
 * request through HAProxy, and the stop is shown at the local file; continue → 200. A copy that
 * does not exist is refused naming it, nothing changed. Restore → snapshot identical, no session.
 * (The core lab test is test/integration/debug/librarySources.test.ts, on glance.)
 */

// Used by no other suite of test/vscode (debug.test.ts develops heat, multinode.test.ts placement).
const CONTAINER = 'aio1_cinder_api_container-6a1d3e58';
const SERVICE = 'cinder';
const UNIT = 'cinder-api';
const FRONTEND = 'cinder_api';

type LibrariesLab = Lab & { venvs: Record<string, string>; git: Lab['git'] & { repos: Record<string, { url: string }> } };

suite('Debugging library files from a local copy of site-packages (lab)', () => {
  let lab: LibrariesLab | undefined;
  let why = '';
  let s: Services;
  let originalPrompter: Prompter;
  let recorder: DapRecorder;
  let initial: { hosts: unknown; justMyCode: unknown; sitePackages: unknown };
  let baseline = '';
  let devStarted = false;
  let work = '';
  /** The local copy of site-packages, its osalab_wsgi file, and the production venv's site-packages it came from. */
  let copy = '';
  let localFile = '';
  let productionSite = '';
  let port = 0;

  suiteSetup(async function () {
    this.timeout(400_000);
    const found = await findLab();
    if (typeof found === 'string') why = found;
    else lab = found as LibrariesLab;
    s = await services();
    originalPrompter = s.prompter;
    recorder = new DapRecorder('osa-dev');
    const config = vscode.workspace.getConfiguration('osaDev');
    initial = {
      hosts: config.inspect('hosts')?.globalValue,
      justMyCode: config.inspect('debug.justMyCode')?.globalValue,
      sitePackages: config.inspect('debug.sitePackages')?.globalValue,
    };
    await config.update('hosts', [{ host: LAB_ALIAS }], vscode.ConfigurationTarget.Global);
    await eventually('the lab host in the registry', () => (s.registry.list().length === 1 ? true : undefined));
    if (!lab) return;
    // The lab is shared: wait until nobody has a container in dev mode, then take the baseline.
    baseline = await productionBaseline(s, lab);

    // The local copy: osalab_wsgi as the production venv has it (the release the service runs), a
    // package the container lacks, and metadata (no package).
    const productionPython = `${lab.venvs[SERVICE]}/bin/python`;
    const remoteFile = (await inContainer(CONTAINER, [productionPython, '-c', 'import osalab_wsgi; print(osalab_wsgi.__file__)'])).trim();
    assert.match(remoteFile, /^\/openstack\/venvs\/cinder-[^/]+\/lib\/python3\.\d+\/site-packages\/osalab_wsgi\/__init__\.py$/);
    productionSite = path.posix.dirname(path.posix.dirname(remoteFile));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'osa-dev-e2e-libraries-'));
    copy = path.join(work, 'site-packages');
    fs.mkdirSync(path.join(copy, 'osalab_wsgi'), { recursive: true });
    localFile = path.join(copy, 'osalab_wsgi', '__init__.py');
    fs.writeFileSync(localFile, await inContainer(CONTAINER, ['cat', remoteFile]));
    fs.mkdirSync(path.join(copy, 'not_in_the_container'));
    fs.writeFileSync(path.join(copy, 'not_in_the_container', '__init__.py'), '');
    fs.mkdirSync(path.join(copy, 'osalab_wsgi-1.0.dist-info'));
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    s.prompter = originalPrompter;
    for (const session of recorder?.live() ?? []) await vscode.debug.stopDebugging(session).then(undefined, () => undefined);
    recorder?.dispose();
    if (lab && devStarted) await restoreIfLeftInDevMode(s, CONTAINER);
    const config = vscode.workspace.getConfiguration('osaDev');
    await config.update('debug.sitePackages', initial.sitePackages, vscode.ConfigurationTarget.Global);
    await config.update('debug.justMyCode', initial.justMyCode, vscode.ConfigurationTarget.Global);
    await config.update('hosts', initial.hosts, vscode.ConfigurationTarget.Global);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const needLab = (ctx: TestContext): LibrariesLab => labOrSkip(ctx, lab, why);

  test('Develop under the debugger with the local copy: osalab_wsgi alone mapped to the production venv; a breakpoint in the LOCAL copy verified, hit through HAProxy, shown at the local file; continue → 200', async function () {
    this.timeout(400_000);
    const l = needLab(this);
    const config = vscode.workspace.getConfiguration('osaDev');
    await config.update('debug.justMyCode', false, vscode.ConfigurationTarget.Global);
    await config.update('debug.sitePackages', copy, vscode.ConfigurationTarget.Global);
    const row = await containerRow(s, CONTAINER);
    assert.equal(row.item.contextValue, 'runningContainer');
    const prompter = new ScriptedPrompter([{ pick: 'fork' }, { input: l.git.repos[SERVICE]!.url }, { pick: 'master' }, { pick: true }]);
    const t0 = Date.now();
    devStarted = true;
    const ok = await developFailingOnError(s, prompter, row.node, 400_000);
    console.log(`      (develop + attach took ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    assert.equal(ok, true, `osaDev.develop resolves true (asked: ${prompter.asked.join(' | ')})`);
    assert.equal(prompter.remaining(), 0, 'every scripted answer was asked for');

    const session = await activeOsaDevSession();
    assert.equal(session.configuration['container'], CONTAINER);
    assert.equal(session.configuration['service'], UNIT);
    assert.equal(session.configuration['justMyCode'], false, 'the setting reaches the attach');
    port = session.configuration['osaDevPort'] as number;
    assert.ok(Number.isInteger(port) && port > 0, `the forwarded local port: ${port}`);

    // Where the dev process really imports osalab_wsgi from: the production venv the dev venv builds on.
    const imported = (await inContainer(CONTAINER, [`/opt/osa-dev/venvs/${SERVICE}/bin/python`, '-c', 'import osalab_wsgi; print(osalab_wsgi.__file__)'])).trim();
    assert.equal(imported, `${productionSite}/osalab_wsgi/__init__.py`, 'the dev process imports osalab_wsgi from the production venv');

    // The project first, then one mapping per package of the copy the container has: osalab_wsgi only.
    const journal = await s.devLoop.journals(LAB_ALIAS).read(CONTAINER);
    const source = (journal?.request as { source?: { kind: string; path?: string } }).source;
    assert.equal(source?.kind, 'local', `Develop from a fork syncs a local clone: ${JSON.stringify(source)}`);
    const mappings = session.configuration['pathMappings'] as { localRoot: string; remoteRoot: string }[];
    assert.deepEqual(mappings, [
      { localRoot: source!.path, remoteRoot: `/opt/osa-dev/src/${SERVICE}` },
      { localRoot: path.join(copy, 'osalab_wsgi'), remoteRoot: `${productionSite}/osalab_wsgi` },
    ], `the project, then osalab_wsgi → the production venv; nothing for not_in_the_container: ${JSON.stringify(mappings)}`);

    // HAProxy health-checks GET / too: the condition lets only this test's request stop.
    const line = osalabStatusLine(fs.readFileSync(localFile, 'utf8'));
    const token = `t${Date.now()}`;
    const bp = await addVerifiedBreakpoint(recorder, localFile, line, tokenCondition(token));
    try {
      const stop = await stopInApplication(session, recorder, `${l.haproxy.frontends[FRONTEND]}/`, token, line);
      assert.equal(stop.top.rawPath, localFile, 'debugpy maps the top frame to the LOCAL copy');
      assert.equal(stop.top.path, localFile, `the session's top frame is the local copy: ${stop.top.frame.source?.path}`);
      assert.match(stop.locals.get('body') ?? '', /'service': 'cinder-api'/);
      const answer = await continueOnce(session, recorder, stop);
      assert.equal(answer.status, 200);
      const body = (await answer.json()) as { service: string; host: string };
      assert.equal(body.service, UNIT);
      assert.equal(body.host, CONTAINER, 'answered by the dev process in the container');
    } finally {
      vscode.debug.removeBreakpoints([bp]);
    }
  });

  test('osaDev.debug.sitePackages naming a folder that does not exist: the attach is refused naming it, no session, the host unchanged', async function () {
    this.timeout(120_000);
    const l = needLab(this);
    assert.ok(devStarted, 'Develop ran');
    const attached = vscode.debug.activeDebugSession;
    const missing = path.join(work, 'no-such-site-packages');
    await vscode.workspace.getConfiguration('osaDev').update('debug.sitePackages', missing, vscode.ConfigurationTarget.Global);
    const before = await productionSnapshot(l);
    const spy = new ErrorMessageSpy();
    const sessions = recorder.sessions.length;
    try {
      const started = await vscode.debug.startDebugging(undefined, { type: 'osa-dev', request: 'attach', name: 'missing copy', host: LAB_ALIAS, service: UNIT, container: CONTAINER });
      assert.equal(started, false, 'startDebugging resolves false');
      const message = await eventually('the error message', () => spy.messages[0], 10_000);
      assert.ok(message.includes(`The local copy of site-packages ${missing} does not exist`), message);
      assert.match(message, /osaDev\.debug\.sitePackages/, 'says which setting to fix');
    } finally {
      spy.dispose();
      await vscode.workspace.getConfiguration('osaDev').update('debug.sitePackages', copy, vscode.ConfigurationTarget.Global);
    }
    assert.equal(recorder.sessions.length, sessions, 'no debug session started');
    assert.equal(vscode.debug.activeDebugSession?.id, attached?.id, 'the session of Develop is still the active one');
    assert.equal(fs.existsSync(missing), false, 'the folder was not created');
    assert.equal(await productionSnapshot(l), before, 'the host unchanged (dev mode as it was)');
  });

  test('Restore Production (with the session attached): snapshot identical, no debug session, the forward closed', async function () {
    this.timeout(180_000);
    const l = needLab(this);
    assert.ok(devStarted, 'Develop ran');
    const row = await containerRow(s, CONTAINER);
    const t0 = Date.now();
    assert.equal(await vscode.commands.executeCommand('osaDev.restore', row.node), true, 'osaDev.restore resolves true');
    console.log(`      (restore took ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    devStarted = false;
    await eventually('no osa-dev debug session left', () => (recorder.live().length === 0 ? true : undefined), 30_000);
    if (port) await eventually(`the forward 127.0.0.1:${port} closed`, async () => ((await localPortRefuses(port)) ? true : undefined), 15_000);
    await waitForHaproxySettled(60_000);
    assert.equal(await productionSnapshot(l), baseline, 'production snapshot after Restore equals the one before');
    assert.equal(await s.devLoop.journals(LAB_ALIAS).read(CONTAINER), undefined, 'no journal left');
    assert.equal((await containerRow(s, CONTAINER)).item.contextValue, 'runningContainer');
  });
});
