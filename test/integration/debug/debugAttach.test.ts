/**
 * Remote debugging on the lab, real everything: Develop heat-api with debug on (debugpy listening on
 * the container's management IP), tunnel a local port over the SSH connection, attach with
 * Microsoft's DAP client, stop at a (conditional) breakpoint in the GET / handler of a LOCAL clone
 * of the repo, read a local variable, step into the project's _json and on into the standard
 * library's json.dumps (justMyCode false; its source served by debugpy), continue, get the HTTP answer. Then: the debug port is bound on the
 * management IP only; Restore; the production snapshot equals the one before.
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
import type { DevLoopEngine } from '../../../src/core/devloop/engine';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import type { DevelopRequest } from '../../../src/core/devloop/plan';
import { shellJoin } from '../../../src/core/shell/quote';
import type { SshHost } from '../../../src/core/ssh';
import { connectLab, labHostExec, readLab, type LabDescription } from '../../support/lab';
import { heatRequest, labEngine, labRuntime as runtime, planHeat } from '../../support/heatOnLab';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';
import { endDebugRun, restoreIfOurs } from '../../support/restoreOurs';
import { developAndRun } from '../../support/foreground';
import { assertOnlyListener, assertReachableOnlyAt, tcpProbeScript } from '../../support/debugPort';
import { attachAtHeatRoot } from '../../support/heatBreakpoint';
import { waitFor } from '../../support/waitFor';

const DEBUG_PORT = 5678;
const CONTAINER = 'aio1-heat-api-container-5d2a9f10';
const holder = { holder: 'ci@lab (debug integration)', since: new Date().toISOString() };
let lab: LabDescription;
let ssh: SshHost;
let baseline: string;
let request: DevelopRequest;
let localClone: string;

function engine(): DevLoopEngine {
  return labEngine(ssh, request.container, holder.holder);
}

async function inContainer(script: string, ...args: string[]): Promise<{ code: number | null; stdout: string }> {
  return ssh.exec(shellJoin(runtime.execArgv(request.container, ['sh', '-c', script, 'sh', ...args])));
}

before(async () => {
  lab = readLab();
  ssh = connectLab();
  request = heatRequest(lab, { container: CONTAINER, debug: { port: DEBUG_PORT } });
  // The lab is shared: wait until no other session (another test, the CLI) is in dev mode here.
  const store = new JournalStore(ssh);
  await waitFor(
    `${CONTAINER} free of other dev sessions`,
    async () => ((await store.readLock(CONTAINER)) === undefined && (await store.read(CONTAINER)) === undefined ? true : undefined),
    300_000,
  );
  localClone = mkdtempSync(join(tmpdir(), 'osa-dev-heat-'));
  execFileSync('git', ['clone', '-q', '--branch', 'master', 'git://127.0.0.1:19418/openstack/heat', localClone]);
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

after(async () => {
  // Leave the lab in production whatever happened (our session only: the lab is shared).
  await restoreIfOurs(new JournalStore(ssh), request.container, holder.holder, engine);
  ssh.dispose();
  rmSync(localClone, { recursive: true, force: true });
});

test('debug heat-api: breakpoint in a local clone hit through HAProxy, variables, step into a library, continue, port on the management IP only, restore byte-identical', async () => {
  const plan = await planHeat(ssh, request);
  assert.ok(plan.debug, 'the plan carries the debug run');
  assert.equal(plan.debug.listenHost, request.managementIp);
  assert.ok(plan.debug.notes.some((n) => /health-checks heat-api/.test(n)), plan.debug.notes.join('\n'));
  assert.ok(plan.steps.some((s) => s.id.startsWith('debugpy:')));
  const { session, output } = await developAndRun(ssh, engine(), plan, request);
  let tunnel: DebugTunnel | undefined;
  let dc: DebugClient | undefined;
  try {
    const listen = `${request.managementIp}:${DEBUG_PORT}`;
    await waitFor(`debugpy on ${listen}\n${output()}`, async () => ((await inContainer('ss -ltnH')).stdout.includes(listen) ? true : undefined));
    const cmdline = await inContainer('cat /proc/$(cat /run/osa-dev/heat-api.pid)/cmdline | tr "\\0" " "');
    assert.match(cmdline.stdout, new RegExp(`^/opt/osa-dev/venvs/heat/bin/python -m debugpy --listen ${listen.replace(/\./g, '\\.')} /opt/osa-dev/venvs/heat/bin/heat-api `));
    await waitForHaproxySettled();

    // The debugger's path: 127.0.0.1:<local> → SSH → <mgmt ip>:5678.
    tunnel = await openDebugTunnel(ssh, request.managementIp!, DEBUG_PORT);
    // The GET / handler, in the LOCAL clone; HAProxy health-checks GET / every 2 s: the condition lets only this test's request stop.
    const attachedAt = await attachAtHeatRoot({ localPort: tunnel.localPort, localClone, remoteRoot: plan.src, justMyCode: false });
    dc = attachedAt.dc;
    const { localFile, line, token } = attachedAt;

    const client = dc;
    const stops: DebugProtocol.StoppedEvent[] = [];
    let wake: (() => void) | undefined;
    client.on('stopped', (e: DebugProtocol.StoppedEvent) => {
      stops.push(e);
      wake?.();
    });
    const nextStop = async (): Promise<DebugProtocol.StoppedEvent> => {
      const deadline = Date.now() + 30_000;
      while (stops.length === 0) {
        if (Date.now() > deadline) throw new Error('no stopped event within 30 s');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 500);
        });
      }
      return stops.shift()!;
    };
    const response = fetch(`${lab.haproxy.frontends['heat_api']}/`, { headers: { 'X-OSA-Dev-Test': token } });
    const event = await nextStop();
    assert.equal(event.body.reason, 'breakpoint');
    const threadId = event.body.threadId!;
    const topFrame = async (): Promise<DebugProtocol.StackFrame> => (await client.stackTraceRequest({ threadId })).body.stackFrames[0]!;
    const top = await topFrame();
    assert.equal(top.source?.path, localFile, 'the frame maps to the local file');
    assert.equal(top.line, line);
    assert.equal(top.name, 'application');
    const scopes = await dc.scopesRequest({ frameId: top.id });
    const locals = scopes.body.scopes.find((s) => /local/i.test(s.name))!;
    const variables = (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables;
    assert.equal(variables.find((v) => v.name === 'path')?.value, "'/'");
    assert.match(variables.find((v) => v.name === 'req_id')?.value ?? '', /^'req-[0-9a-f-]{36}'$/);

    // Stepping into libraries (justMyCode false): into _json (the project, mapped), then into
    // json.dumps — the standard library in the container, not mapped: debugpy serves its source.
    // Clear the breakpoint first: the return statement spans lines and Python (3.11+) comes back to
    // its first line for the call, where the breakpoint would stop again.
    await dc.setBreakpointsRequest({ source: { path: localFile }, breakpoints: [] });
    // Step in until the top frame is `name` (the multi-line return first steps over its argument lines).
    const stepInto = async (name: string): Promise<DebugProtocol.StackFrame> => {
      const seen: string[] = [];
      for (let i = 0; i < 10; i++) {
        await client.stepInRequest({ threadId });
        const stepped = await nextStop();
        assert.equal(stepped.body.reason, 'step', JSON.stringify(stepped.body));
        const frame = await topFrame();
        if (frame.name === name) return frame;
        seen.push(`${frame.name}:${frame.line}`);
      }
      throw new Error(`step in never reached ${name}: ${seen.join(' → ')}`);
    };
    const inJson = await stepInto('_json');
    assert.equal(inJson.source?.path, localFile);
    const library = await stepInto('dumps');
    assert.match(library.source?.path ?? '', /\/json\/__init__\.py$/, 'the container\'s own path, unmapped');
    const reference = library.source?.sourceReference ?? 0;
    assert.ok(reference > 0, `debugpy offers the unmapped library source: ${JSON.stringify(library.source)}`);
    const source = await client.sourceRequest({ source: library.source!, sourceReference: reference });
    assert.match(source.body.content, /def dumps\(/, 'the library source, from the container');
    const t0 = Date.now();
    await dc.continueRequest({ threadId });
    const answer = await response;
    console.log(`answer after continue: ${Date.now() - t0} ms`);
    assert.equal(answer.status, 200);
    const body = (await answer.json()) as { service: string; host: string };
    assert.equal(body.service, 'heat-api');
    assert.equal(body.host, request.container);

    // Bound on the management IP only.
    assertOnlyListener((await inContainer('ss -ltnH')).stdout, DEBUG_PORT, listen);
    // Reachable on the management IP from the host (the tunnel's path), nowhere else.
    assertReachableOnlyAt((argv) => labHostExec(argv), request.managementIp!, DEBUG_PORT, 'the lab host');
    assert.equal((await inContainer(tcpProbeScript('127.0.0.1', DEBUG_PORT))).stdout.trim(), 'closed');
  } finally {
    await endDebugRun({ dc, tunnel, store: new JournalStore(ssh), container: request.container, engine, session });
  }
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
  const leftovers = await inContainer("ps -eo args | grep '[-]m debugpy' || true");
  assert.equal(leftovers.stdout.trim(), '', 'no debugpy process is left behind');
});
