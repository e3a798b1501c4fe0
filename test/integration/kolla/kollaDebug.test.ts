/**
 * Debugging on the lab's Kolla host, real everything: heat_api runs with host networking, so the
 * listing gives it kolla1's own management address; Develop with "Run under the debugger" runs
 * the dev venv under debugpy listening there (never a wildcard), a local port is tunnelled over
 * the SSH connection to kolla1, Microsoft's DAP client attaches and a request stops at a
 * breakpoint in a LOCAL clone; continue, the answer comes. The port is bound on that address only
 * (not on loopback); Restore gives the Kolla host back byte for byte.
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
import { planDevelop, stepsForRestore, type DevelopRequest } from '../../../src/core/devloop/plan';
import { silentLogger } from '../../../src/core/log';
import { loadDetectedHostView } from '../../../src/core/model/loadDetectedHostView';
import { HostRuntimes } from '../../../src/core/runtime/hostRuntimes';
import { shellJoin } from '../../../src/core/shell/quote';
import type { SshHost } from '../../../src/core/ssh';
import { readLab } from '../../support/lab';
import { developAndRun } from '../../support/foreground';
import { endDebugRun } from '../../support/restoreOurs';
import { assertOnlyListener, tcpProbeScript } from '../../support/debugPort';
import { attachAtHeatRoot } from '../../support/heatBreakpoint';
import { waitFor } from '../../support/waitFor';
import { connectKollaHost, kollaCatalog, kollaSnapshot, readKollaHost, type KollaHostDescription } from '../../support/kollaHost';

const DEBUG_PORT = 5679;
const CONTAINER = 'heat_api';
let kolla: KollaHostDescription;
let ssh: SshHost;
let runtimes: HostRuntimes;
let localClone: string;
let request: DevelopRequest;

const engine = (): DevLoopEngine =>
  new DevLoopEngine({ host: ssh, runtime: runtimes.router, store: new JournalStore(ssh), container: CONTAINER, holder: { holder: 'ci@lab (kolla debug)', since: new Date().toISOString() }, logger: silentLogger });

const inContainer = (script: string): Promise<{ code: number | null; stdout: string }> => ssh.exec(shellJoin(['podman', 'exec', CONTAINER, 'sh', '-c', script]));

before(async () => {
  kolla = readKollaHost();
  const heatRepo = readLab().git.heatRepoUrl;
  ssh = connectKollaHost();
  runtimes = new HostRuntimes();
  const view = await loadDetectedHostView(kolla.hostName, ssh, runtimes, silentLogger);
  const listed = view.services.flatMap((g) => g.containers).find((c) => c.name === CONTAINER);
  // Host networking: the container is reached at the Kolla host's management address.
  assert.equal(listed?.managementIp, kolla.ip, JSON.stringify(listed));
  request = {
    container: CONTAINER,
    service: 'heat',
    unit: 'heat-api',
    project: 'heat',
    source: { kind: 'git', url: heatRepo.replace('127.0.0.1:19418', '172.29.236.100'), ref: 'master' },
    managementIp: listed!.managementIp!,
    debug: { port: DEBUG_PORT },
  };
  localClone = mkdtempSync(join(tmpdir(), 'osa-dev-kolla-heat-'));
  execFileSync('git', ['clone', '-q', '--branch', 'master', heatRepo, localClone]);
});

after(async () => {
  const journal = ssh ? await new JournalStore(ssh).read(CONTAINER).catch(() => undefined) : undefined;
  if (journal) await engine().restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
  ssh?.dispose();
  if (localClone) rmSync(localClone, { recursive: true, force: true });
});

test('debug heat_api on Kolla: debugpy on the host\'s management address only, attached through the SSH forward, a request stops at a breakpoint in a local clone; Restore byte-identical', async () => {
  const baseline = await kollaSnapshot(ssh);
  const ctx = { host: ssh, runtime: runtimes.router, container: CONTAINER, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
  const plan = await planDevelop(ctx, kollaCatalog(), request, []);
  assert.equal(plan.debug?.listenHost, kolla.ip);
  const { session, output } = await developAndRun(ssh, engine(), plan, request);
  let tunnel: DebugTunnel | undefined;
  let dc: DebugClient | undefined;
  try {
    const listen = `${kolla.ip}:${DEBUG_PORT}`;
    await waitFor(`debugpy on ${listen}\n${output()}`, async () => ((await inContainer('ss -ltnH')).stdout.includes(listen) ? true : undefined), 60_000);
    // Bound on the management address only: one listener, not loopback nor a wildcard.
    assertOnlyListener((await inContainer('ss -ltnH')).stdout, DEBUG_PORT, listen);
    assert.equal((await inContainer(tcpProbeScript('127.0.0.1', DEBUG_PORT))).stdout.trim(), 'closed', 'not on loopback');

    // The debugger's path: 127.0.0.1:<local> → SSH to kolla1 → <kolla1 mgmt ip>:port.
    tunnel = await openDebugTunnel(ssh, kolla.ip, DEBUG_PORT);
    const attachedAt = await attachAtHeatRoot({ localPort: tunnel.localPort, localClone, remoteRoot: plan.src, justMyCode: true });
    dc = attachedAt.dc;
    const { localFile, line, token } = attachedAt;

    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const response = ssh.exec(shellJoin(['curl', '-sS', '-m', '60', '-H', `X-OSA-Dev-Test: ${token}`, kolla.heatApiUrlInNamespace]));
    const event = await stopped;
    assert.equal(event.body.reason, 'breakpoint');
    const threadId = event.body.threadId!;
    const top = (await dc.stackTraceRequest({ threadId })).body.stackFrames[0]!;
    assert.equal(top.source?.path, localFile, 'the frame maps to the local file');
    assert.equal(top.line, line);
    const scopes = await dc.scopesRequest({ frameId: top.id });
    const locals = scopes.body.scopes.find((s) => /local/i.test(s.name))!;
    const variables = (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables;
    assert.equal(variables.find((v) => v.name === 'path')?.value, "'/'");
    // Cleared first: Python 3.11+ comes back to the multi-line return's first line for the call (a second stop).
    await dc.setBreakpointsRequest({ source: { path: localFile }, breakpoints: [] });
    await dc.continueRequest({ threadId });
    const answer = await response;
    assert.equal(answer.code, 0, answer.stderr);
    assert.equal((JSON.parse(answer.stdout) as { service: string }).service, 'heat-api');
  } finally {
    await endDebugRun({ dc, tunnel, store: new JournalStore(ssh), container: CONTAINER, engine, session });
  }
  assert.equal(await kollaSnapshot(ssh), baseline);
  assert.equal((await inContainer("ps -eo args | grep '[-]m debugpy' || true")).stdout.trim(), '', 'no debugpy process is left behind');
});
