/**
 * Remote debugging of a container on another physical host: Develop infra2's placement container
 * with debug on (debugpy on its management address only), tunnel a local port through aio1's SSH
 * connection and infra2's, attach with Microsoft's DAP client, stop at a conditional breakpoint in
 * the GET / handler (the lab sample's osalab_wsgi, by its path in the container: placement's own
 * tree has no per-request code) hit by a request through aio1's HAProxy placement frontend, read a
 * local variable, continue, get the answer from infra2. Restore: both hosts byte-identical.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openDebugTunnel, type DebugTunnel } from '../../../src/core/debug/tunnel';
import { DevLoopEngine } from '../../../src/core/devloop/engine';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import { planDevelop, type DevelopRequest } from '../../../src/core/devloop/plan';
import { silentLogger } from '../../../src/core/log';
import { shellJoin } from '../../../src/core/shell/quote';
import type { SshHost } from '../../../src/core/ssh';
import { endDebugRun, restoreIfOurs } from '../../support/restoreOurs';
import { developAndRun } from '../../support/foreground';
import { assertOnlyListener, assertReachableOnlyAt, tcpProbeScript } from '../../support/debugPort';
import { attachWithBreakpoint, tokenCondition } from '../../support/heatBreakpoint';
import { labCatalog, labRuntime as runtime } from '../../support/heatOnLab';
import { labHostExec, readLab, type LabContainer, type LabDescription } from '../../support/lab';
import { connectLabWith, labClientFilesWith, labNode, nodeHostExec, nodeSnapshot, type LabNode } from '../../support/labNode';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';
import { waitFor } from '../../support/waitFor';

interface LabWithRepos extends LabDescription {
  readonly git: LabDescription['git'] & { readonly repos: Record<string, { readonly url: string; readonly urlInNamespace: string }> };
}

const DEBUG_PORT = 5678;
const holder = 'ci@lab (multi-node debug integration)';
let lab: LabWithRepos;
let node: LabNode;
let target: LabContainer;
let aio1: SshHost;
let infra2: SshHost;
let request: DevelopRequest;
let localClone: string;

const bothHosts = (): string => `${productionSnapshot(lab)}\n${nodeSnapshot(node)}`;
/** Journal and lock on aio1 (with HAProxy), the steps on infra2: as the extension builds it. */
const engine = (): DevLoopEngine =>
  new DevLoopEngine({ host: infra2, deployment: aio1, runtime, store: new JournalStore(aio1), container: target.name, holder: { holder, since: new Date().toISOString() }, logger: silentLogger });
const inContainer = async (script: string): Promise<string> => (await infra2.exec(shellJoin(runtime.execArgv(target.name, ['sh', '-c', script])))).stdout;

before(async () => {
  lab = readLab() as LabWithRepos;
  node = labNode(lab);
  target = node.containers.find((c) => c.service === 'placement')!;
  assert.ok(target, `${node.name} has a placement container`);
  aio1 = connectLabWith(labClientFilesWith(lab, [node.knownHostsLine]));
  infra2 = aio1.through(node.name, node.ip);
  request = {
    container: target.name, managementIp: target.ip, service: 'placement', unit: 'placement-api',
    source: { kind: 'git', url: lab.git.repos['placement']!.urlInNamespace, ref: 'master' }, project: 'placement',
    node: { name: node.name, address: node.ip }, debug: { port: DEBUG_PORT },
  };
  localClone = mkdtempSync(join(tmpdir(), 'osa-dev-placement-'));
  execFileSync('git', ['clone', '-q', '--branch', 'master', lab.git.repos['placement']!.url, localClone]);
  await waitForHaproxySettled();
});

after(async () => {
  // Leave both hosts in production whatever happened (our session only: the lab is shared).
  await restoreIfOurs(new JournalStore(aio1), target.name, holder, engine);
  infra2.dispose();
  aio1.dispose();
  rmSync(localClone, { recursive: true, force: true });
});

test('debug placement on infra2: tunnel through aio1, breakpoint hit through aio1’s HAProxy, port on the management IP only, restore byte-identical on both hosts', async () => {
  const baseline = bothHosts();
  const ctx = { host: infra2, deployment: aio1, runtime, container: target.name, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
  const plan = await planDevelop(ctx, labCatalog(), request, ['placement-api']);
  assert.ok(plan.debug, 'the plan carries the debug run');
  assert.equal(plan.debug.listenHost, target.ip);
  const { session, output } = await developAndRun(infra2, engine(), plan, request);
  let tunnel: DebugTunnel | undefined;
  let dc: DebugClient | undefined;
  try {
    const listen = `${target.ip}:${DEBUG_PORT}`;
    await waitFor(`debugpy on ${listen}\n${output()}`, async () => ((await inContainer('ss -ltnH')).includes(listen) ? true : undefined));
    const cmdline = await inContainer('cat /proc/$(cat /run/osa-dev/placement-api.pid)/cmdline | tr "\\0" " "');
    assert.match(cmdline, new RegExp(`^/opt/osa-dev/venvs/placement/bin/python -m debugpy --listen ${listen.replace(/\./g, '\\.')} `));
    assert.equal(labHostExec(['sh', '-c', 'ls /var/lib/osa-dev']).includes(`${target.name}.json`), true, 'the journal is on aio1');
    await waitForHaproxySettled();

    // The debugger's path: 127.0.0.1:<local> → aio1's SSH connection → infra2's → <mgmt ip>:5678.
    tunnel = await openDebugTunnel(infra2, target.ip, DEBUG_PORT);
    const remoteFile = (await inContainer('/opt/osa-dev/venvs/placement/bin/python -c "import osalab_wsgi; print(osalab_wsgi.__file__)"')).trim();
    // The dev venv's python imports it from wherever it resolves (the dev venv, or the production venv it builds on).
    assert.match(remoteFile, /^\/.*\/site-packages\/osalab_wsgi\/__init__\.py$/);
    const lines = (await inContainer(`cat ${remoteFile}`)).split('\n');
    // A one-line statement: on a statement spanning lines (the `body = {...}` display above it),
    // Python 3.11 reports the first line again when the store runs, so the same request stops twice.
    const line = lines.findIndex((l, i) => i > lines.findIndex((x) => x.includes('if path == "/":')) && l.trim() === 'status = "200 OK"') + 1;
    assert.ok(line > 0, 'the GET / answer has its status line');
    // HAProxy health-checks GET / too: the condition lets only this test's request stop.
    const token = `t${Date.now()}`;

    const client = await attachWithBreakpoint(
      { localPort: tunnel.localPort, localClone, remoteRoot: plan.src, justMyCode: false },
      { file: remoteFile, line, condition: tokenCondition(token) },
    );
    dc = client;
    const stopped = client.waitForEvent('stopped', 30_000) as Promise<DebugProtocol.StoppedEvent>;
    const response = fetch(`${lab.haproxy.frontends['placement']}/`, { headers: { 'X-OSA-Dev-Test': token } });
    const event = await stopped;
    assert.equal(event.body.reason, 'breakpoint');
    const threadId = event.body.threadId!;
    const top = (await client.stackTraceRequest({ threadId })).body.stackFrames[0]!;
    assert.equal(top.source?.path, remoteFile);
    assert.equal(top.line, line);
    assert.equal(top.name, 'application');
    const scopes = await client.scopesRequest({ frameId: top.id });
    const locals = scopes.body.scopes.find((s) => /local/i.test(s.name))!;
    const variables = (await client.variablesRequest({ variablesReference: locals.variablesReference })).body.variables;
    assert.equal(variables.find((v) => v.name === 'path')?.value, "'/'");
    assert.match(variables.find((v) => v.name === 'body')?.value ?? '', /'service': 'placement-api'/);
    const stoppedAgain: DebugProtocol.StoppedEvent[] = [];
    client.on('stopped', (e: DebugProtocol.StoppedEvent) => stoppedAgain.push(e));
    await client.continueRequest({ threadId });
    const answer = await response;
    assert.deepEqual(stoppedAgain, [], 'one stop per request');
    assert.equal(answer.status, 200);
    const body = (await answer.json()) as { service: string; host: string };
    assert.equal(body.service, 'placement-api');
    assert.equal(body.host, target.name, 'answered by infra2’s container through aio1’s HAProxy');

    // Bound on the management IP only: reachable there from infra2, not on infra2's own addresses nor the container's loopback.
    assertOnlyListener(await inContainer('ss -ltnH'), DEBUG_PORT, listen);
    assertReachableOnlyAt(nodeHostExec, target.ip, DEBUG_PORT, node.name);
    assert.equal((await inContainer(tcpProbeScript('127.0.0.1', DEBUG_PORT))).trim(), 'closed');
  } finally {
    await endDebugRun({ dc, tunnel, store: new JournalStore(aio1), container: target.name, engine, session });
  }
  await waitForHaproxySettled();
  assert.equal(bothHosts(), baseline, 'both hosts byte-identical');
  assert.equal((await inContainer("ps -eo args | grep '[-]m debugpy' || true")).trim(), '', 'no debugpy process is left behind');
});
