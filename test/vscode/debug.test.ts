import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';
import type { Prompter } from '../../src/extension/wizard/prompter';
import { suite, suiteSetup, suiteTeardown, test, type TestContext } from './mocha';
import {
  activeOsaDevSession, addVerifiedBreakpoint, containerRow, continueToAnswer, DapRecorder, developFailingOnError, ErrorMessageSpy, eventually, findLab, LAB_ALIAS, labOrSkip,
  localPortRefuses, productionBaseline, productionSnapshot, restoreIfLeftInDevMode, ScriptedPrompter, services, stopInApplication, tokenCondition, waitForHaproxySettled, type Lab,
} from './support';

/**
 * Debugging a dev process through the extension, against the lab (`npm run lab:up`): Develop This
 * Service with "Run under the debugger" (scripted wizard) starts an `osa-dev` debug session that
 * talks DAP to debugpy in the container through a local port forwarded over SSH (ms-python.debugpy
 * is not installed in code-server). A breakpoint in the LOCAL clone's GET / handler is hit by a
 * request through HAProxy; stack, variables, continue → the HTTP answer. Then a launch.json-style
 * configuration, a configuration missing "service" (refused), Restore Production (snapshot
 * identical, no session, the forward closed).
 * In CI (CI=true) a lab that is down fails these tests; locally they are skipped, saying why.
 */

// The old-style name (the core debug integration test and others use the new-style one).
const CONTAINER = 'aio1_heat_api_container-36e270c9';
const UNIT = 'heat-api';

/** The GET / handler's `return _json(..., "200 OK", ...)` line (1-based) in heat/api/app.py. */
function getRootLine(file: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes('if path == "/":'));
  assert.ok(at >= 0, `the GET / handler in ${file}`);
  assert.match(lines[at + 1]!, /return _json\(start_response, "200 OK"/);
  return at + 2;
}

suite('Debugging a dev process (lab)', () => {
  let lab: Lab | undefined;
  let why = '';
  let s: Services;
  let initialHosts: unknown;
  let originalPrompter: Prompter;
  let baseline = '';
  let devStarted = false;
  let localFile = '';
  let line = 0;
  let recorder: DapRecorder;
  // The local end of the SSH forward of each osa-dev session this suite started.
  const forwardPorts: number[] = [];

  suiteSetup(async function () {
    this.timeout(400_000);
    const found = await findLab();
    if (typeof found === 'string') why = found;
    else lab = found;
    s = await services();
    originalPrompter = s.prompter;
    recorder = new DapRecorder('osa-dev');
    const config = vscode.workspace.getConfiguration('osaDev');
    initialHosts = config.inspect('hosts')?.globalValue;
    await config.update('hosts', [{ host: LAB_ALIAS }], vscode.ConfigurationTarget.Global);
    await eventually('the lab host in the registry', () => (s.registry.list().length === 1 ? true : undefined));
    if (!lab) return;
    // The lab is shared: wait until nobody has a container in dev mode, then take the baseline.
    baseline = await productionBaseline(s, lab);
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    s.prompter = originalPrompter;
    for (const session of recorder?.sessions ?? []) await vscode.debug.stopDebugging(session).then(undefined, () => undefined);
    recorder?.dispose();
    if (lab && devStarted) await restoreIfLeftInDevMode(s, CONTAINER);
    await vscode.workspace.getConfiguration('osaDev').update('hosts', initialHosts, vscode.ConfigurationTarget.Global);
  });

  const needLab = (ctx: TestContext): Lab => labOrSkip(ctx, lab, why);

  test('Develop with "Run under the debugger" → an osa-dev session; breakpoint in the local clone hit by GET / through HAProxy; stack, variables, continue → 200', async function () {
    this.timeout(400_000);
    const l = needLab(this);
    const row = await containerRow(s, CONTAINER);
    assert.equal(row.item.contextValue, 'runningContainer');
    const prompter = new ScriptedPrompter([{ pick: UNIT }, { pick: 'fork' }, { input: l.git.heatRepoUrl }, { pick: 'master' }, { pick: true }]);
    const t0 = Date.now();
    devStarted = true;
    const ok = await developFailingOnError(s, prompter, row.node, 400_000);
    console.log(`      (develop + attach took ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    assert.equal(ok, true, 'osaDev.develop resolves true');
    assert.equal(prompter.remaining(), 0, 'every scripted answer was asked for');
    assert.match(prompter.asked[4]!, /^pick 5\/5 .*\[false, true\]/, 'the 5th question is Run / Run under the debugger');

    const session = await activeOsaDevSession();
    assert.equal(session.configuration['osaDevHost'], LAB_ALIAS);
    assert.equal(session.configuration['host'], undefined, 'no "host" in the DAP attach body (debugpy: exclusive with "connect")');
    assert.equal(session.configuration['service'], UNIT);
    assert.equal(session.configuration['container'], CONTAINER);
    const port = session.configuration['osaDevPort'] as number;
    assert.ok(Number.isInteger(port) && port > 0, `the forwarded local port: ${port}`);
    forwardPorts.push(port);
    assert.deepEqual(session.configuration['connect'], { host: '127.0.0.1', port });

    // The product's clone of the fork on this machine (the journaled request names it).
    const journal = await s.devLoop.journals(LAB_ALIAS).read(CONTAINER);
    const source = (journal?.request as { source?: { kind: string; path?: string } }).source;
    assert.equal(source?.kind, 'local', `Develop from a fork syncs a local clone: ${JSON.stringify(source)}`);
    assert.match(source!.path!, /sources[\\/]heat$/, 'cloned into the sources folder');
    const mappings = session.configuration['pathMappings'] as { localRoot: string; remoteRoot: string }[];
    assert.equal(mappings[0]?.localRoot, source!.path, 'breakpoints are mapped from the local clone');
    assert.equal(mappings[0]?.remoteRoot, '/opt/osa-dev/src/heat');
    localFile = join(source!.path!, 'heat', 'api', 'app.py');
    line = getRootLine(localFile);

    // HAProxy health-checks GET / every 2 s: the condition lets only this test's request stop.
    const token = `t${Date.now()}`;
    const bp = await addVerifiedBreakpoint(recorder, localFile, line, tokenCondition(token));
    try {
      const { response, threadId, top, locals } = await stopInApplication(session, recorder, `${l.haproxy.frontends['heat_api']}/`, token, line);
      // debugpy answers with the local path (pathMappings).
      assert.equal(top.rawPath, localFile, 'debugpy maps the top frame to the LOCAL file');
      assert.equal(top.path, localFile, `the session's top frame is the local file: ${top.frame.source?.path}`);
      assert.match(locals.get('method') ?? '', /^'GET'$/);
      assert.match(locals.get('req_id') ?? '', /^'req-[0-9a-f-]{36}'$/);

      // Clear the breakpoint before continuing: the return statement spans lines and Python (3.11+)
      // comes back to its first line for the call, so debugpy would stop there again.
      const cleared = recorder.messages.length;
      vscode.debug.removeBreakpoints([bp]);
      await recorder.waitFor('the breakpoint cleared', (m) =>
        m.type === 'response' && m.command === 'setBreakpoints' && recorder.requestOf(m)?.arguments?.breakpoints?.length === 0 ? m : undefined, 10_000, cleared);
      const answer = await continueToAnswer(session, recorder, threadId, response);
      assert.equal(answer.status, 200);
      assert.match(answer.headers.get('content-type') ?? '', /application\/json/);
      const body = (await answer.json()) as { service: string; host: string };
      assert.equal(body.service, 'heat-api');
      assert.equal(body.host, CONTAINER, 'answered by the dev process in the container');
    } finally {
      vscode.debug.removeBreakpoints([bp]);
    }
  });

  test('launch.json-style attach {type, request, name, host, service, container} resolves and attaches; missing "service" is refused with a message', async function () {
    this.timeout(120_000);
    needLab(this);
    assert.ok(devStarted, 'Develop ran');
    // Stop the session of Develop first (when the previous test got one): its forward closes with it.
    const first = vscode.debug.activeDebugSession;
    if (first?.type === 'osa-dev') {
      await vscode.debug.stopDebugging(first);
      await recorder.waitForTermination(first, 30_000);
      const port = first.configuration['osaDevPort'] as number;
      await eventually(`the forward 127.0.0.1:${port} closed with the session`, async () => ((await localPortRefuses(port)) ? true : undefined), 15_000);
    }

    const t0 = Date.now();
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'osa-dev', request: 'attach', name: 'OSA Dev: heat-api (launch.json)', host: LAB_ALIAS, service: UNIT, container: CONTAINER,
    });
    assert.equal(started, true, 'startDebugging resolves true');
    const session = await eventually('the launch.json session active', () => {
      const a = vscode.debug.activeDebugSession;
      return a?.type === 'osa-dev' && a.name === 'OSA Dev: heat-api (launch.json)' ? a : undefined;
    }, 30_000);
    const port = session.configuration['osaDevPort'] as number;
    assert.ok(Number.isInteger(port) && port > 0);
    forwardPorts.push(port);
    const threads = (await session.customRequest('threads')) as { threads: { id: number; name: string }[] };
    assert.ok(threads.threads.length > 0, `debugpy lists the threads of the dev process: ${JSON.stringify(threads)}`);
    console.log(`      (launch.json attach took ${Date.now() - t0} ms, ${threads.threads.length} threads)`);

    // No "service": refused with a clear message, no session.
    const spy = new ErrorMessageSpy();
    const before = recorder.sessions.length;
    try {
      const refused = await vscode.debug.startDebugging(undefined, { type: 'osa-dev', request: 'attach', name: 'no service', host: LAB_ALIAS });
      assert.equal(refused, false, 'startDebugging resolves false');
      const message = await eventually('the error message', () => spy.messages[0], 5000);
      assert.match(message, /needs "host".*and "service"/, message);
    } finally {
      spy.dispose();
    }
    assert.equal(recorder.sessions.length, before, 'no debug session started');
    assert.equal(vscode.debug.activeDebugSession?.id, session.id, 'the launch.json session is still the active one');
  });

  test('Restore Production (with the session attached): snapshot identical, no debug session, the forward closed', async function () {
    this.timeout(180_000);
    const l = needLab(this);
    assert.ok(devStarted, 'Develop ran');
    assert.equal(vscode.debug.activeDebugSession?.type, 'osa-dev', 'a session is attached while restoring');
    const row = await containerRow(s, CONTAINER);
    const t0 = Date.now();
    assert.equal(await vscode.commands.executeCommand('osaDev.restore', row.node), true, 'osaDev.restore resolves true');
    console.log(`      (restore took ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    assert.equal((await containerRow(s, CONTAINER)).item.contextValue, 'runningContainer');
    await eventually('no debug session left', () => (vscode.debug.activeDebugSession === undefined && recorder.live().length === 0 ? true : undefined), 30_000);
    for (const port of forwardPorts) {
      await eventually(`the forward 127.0.0.1:${port} closed`, async () => ((await localPortRefuses(port)) ? true : undefined), 15_000);
    }
    await waitForHaproxySettled(60_000);
    const now = await productionSnapshot(l);
    assert.equal(now, baseline, 'production snapshot after Restore equals the one before');
    const leftovers = await s.devLoop.journals(LAB_ALIAS).read(CONTAINER);
    assert.equal(leftovers, undefined, 'no journal left');
  });
  test('attach once the service is back in production: refused with a message saying what to do, no session', async function () {
    this.timeout(60_000);
    needLab(this);
    const spy = new ErrorMessageSpy();
    const before = recorder.sessions.length;
    try {
      const started = await vscode.debug.startDebugging(undefined, { type: 'osa-dev', request: 'attach', name: 'after restore', host: LAB_ALIAS, service: UNIT, container: CONTAINER });
      assert.equal(started, false, 'startDebugging resolves false');
      const message = await eventually('the error message', () => spy.messages[0], 10_000);
      assert.match(message, new RegExp(`Nothing named ${UNIT} is in dev mode on ${LAB_ALIAS}: run Develop This Service first`), message);
    } finally {
      spy.dispose();
    }
    assert.equal(recorder.sessions.length, before, 'no debug session started');
  });
});
