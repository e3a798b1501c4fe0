/**
 * Breakpoints in LIBRARY code from a local copy of site-packages (osaDev.debug.sitePackages), on the
 * lab, real everything: Develop glance-api with debug on; the dev venv imports most libraries from
 * the production venv it builds on (here the lab's shared WSGI module, osalab_wsgi), not from its
 * own site-packages. A local copy holding that package is mapped the way the extension resolves it
 * (remoteSitePackages → libraryMappings): a breakpoint set in the LOCAL copy is verified, hit by a
 * request through HAProxy, and the stop is reported at the local file. The directory-wide mapping
 * (every container site-packages → the copy; the first match, the dev venv's, wins in debugpy)
 * is shown to leave that breakpoint unverified. Restore: the snapshot equals the one before.
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { libraryMappings } from '../../../src/core/debug/resolveAttach';
import { localSitePackagesEntries, remoteSitePackages } from '../../../src/core/debug/sitePackages';
import { openDebugTunnel, type DebugTunnel } from '../../../src/core/debug/tunnel';
import { DevLoopEngine } from '../../../src/core/devloop/engine';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import { planDevelop, type DevelopRequest } from '../../../src/core/devloop/plan';
import { devVenvPath } from '../../../src/core/devloop/steps/devVenv';
import { silentLogger } from '../../../src/core/log';
import { shellJoin } from '../../../src/core/shell/quote';
import type { SshHost } from '../../../src/core/ssh';
import { endDebugRun, restoreIfOurs } from '../../support/restoreOurs';
import { developAndRun } from '../../support/foreground';
import { attachAndSetBreakpoint, attachWithBreakpoint, tokenCondition } from '../../support/heatBreakpoint';
import { labCatalog, labRuntime as runtime } from '../../support/heatOnLab';
import { connectLab, readLab, type LabContainer, type LabDescription } from '../../support/lab';
import { developableContainers } from '../../support/labServices';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';
import { waitFor } from '../../support/waitFor';

const DEBUG_PORT = 5681;
const holder = 'ci@lab (library breakpoints integration)';
let lab: LabDescription;
let ssh: SshHost;
let target: LabContainer;
let request: DevelopRequest;
let work: string;

const engine = (): DevLoopEngine =>
  new DevLoopEngine({ host: ssh, runtime, store: new JournalStore(ssh), container: target.name, holder: { holder, since: new Date().toISOString() }, logger: silentLogger });
const inContainer = async (script: string): Promise<string> => (await ssh.exec(shellJoin(runtime.execArgv(target.name, ['sh', '-c', script])))).stdout;

before(async () => {
  lab = readLab();
  ssh = connectLab();
  const glance = developableContainers(lab).find(({ container }) => container.service === 'glance');
  assert.ok(glance, 'the lab has a developable glance container');
  target = glance.container;
  request = { ...glance.request, debug: { port: DEBUG_PORT } };
  const store = new JournalStore(ssh);
  await waitFor(`${target.name} free of other dev sessions`, async () => ((await store.readLock(target.name)) === undefined && (await store.read(target.name)) === undefined ? true : undefined), 300_000);
  work = mkdtempSync(join(tmpdir(), 'osa-dev-libraries-'));
  const repos = (lab.git as LabDescription['git'] & { repos: Record<string, { url: string }> }).repos;
  execFileSync('git', ['clone', '-q', '--branch', 'master', repos['glance']!.url, join(work, 'clone')]);
  await waitForHaproxySettled();
});

after(async () => {
  await restoreIfOurs(new JournalStore(ssh), target.name, holder, engine);
  ssh.dispose();
  rmSync(work, { recursive: true, force: true });
});

test('a breakpoint in a local copy of site-packages binds to the production venv’s library the dev process imports, and the stop is reported at the local file', async () => {
  const baseline = productionSnapshot(lab);
  const ctx = { host: ssh, runtime, container: target.name, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
  const plan = await planDevelop(ctx, labCatalog(), request, target.units);
  const { session, output } = await developAndRun(ssh, engine(), plan, request);
  let tunnel: DebugTunnel | undefined;
  let dc: DebugClient | undefined;
  try {
    const listen = `${target.ip}:${DEBUG_PORT}`;
    await waitFor(`debugpy on ${listen}\n${output()}`, async () => ((await inContainer('ss -ltnH')).includes(listen) ? true : undefined));

    // Where the dev process imports from, as the extension lists it: the dev venv first, then the production venv.
    const remote = await remoteSitePackages(ssh, runtime, target.name, devVenvPath(request.service));
    assert.ok(remote.length >= 2, JSON.stringify(remote.map((r) => r.dir)));
    assert.match(remote[0]!.dir, /^\/opt\/osa-dev\/venvs\/glance\/lib\/python3\.\d+\/site-packages$/, 'the dev venv first');
    const owner = remote.find((r) => r.entries.includes('osalab_wsgi'));
    assert.ok(owner && owner !== remote[0], `osalab_wsgi comes from the production venv, not the dev venv: ${JSON.stringify(remote.map((r) => [r.dir, r.entries.length]))}`);
    assert.match(owner.dir, /^\/openstack\/venvs\/glance-[^/]+\/lib\/python3\.\d+\/site-packages$/);

    // The local copy: the library as released (here: the container's own file), plus a package the container lacks.
    const copy = join(work, 'site-packages');
    const source = await inContainer(`cat ${owner.dir}/osalab_wsgi/__init__.py`);
    mkdirSync(join(copy, 'osalab_wsgi'), { recursive: true });
    writeFileSync(join(copy, 'osalab_wsgi', '__init__.py'), source);
    mkdirSync(join(copy, 'not_in_the_container'));
    mkdirSync(join(copy, 'osalab_wsgi-1.0.dist-info'));
    const localFile = join(copy, 'osalab_wsgi', '__init__.py');
    const lines = source.split('\n');
    const line = lines.findIndex((l, i) => i > lines.findIndex((x) => x.includes('if path == "/":')) && l.trim() === 'status = "200 OK"') + 1;
    assert.ok(line > 0, 'the GET / answer has its one-line status statement');
    const mappings = libraryMappings(copy, localSitePackagesEntries(copy), remote);
    assert.deepEqual(mappings, [{ localRoot: join(copy, 'osalab_wsgi'), remoteRoot: `${owner.dir}/osalab_wsgi` }]);

    await waitForHaproxySettled();
    tunnel = await openDebugTunnel(ssh, target.ip, DEBUG_PORT);
    const attach = { localPort: tunnel.localPort, localClone: join(work, 'clone'), remoteRoot: plan.src, justMyCode: false };
    const token = `t${Date.now()}`;
    const breakpoint = { file: localFile, line, condition: tokenCondition(token) };

    // Directory-wide (every site-packages → the copy): debugpy takes the first, the dev venv's, where the file is not.
    const wide = await attachAndSetBreakpoint({ ...attach, sitePackages: remote.map((r) => ({ localRoot: copy, remoteRoot: r.dir })) }, breakpoint);
    await wide.dc.stop();
    assert.equal(wide.set.verified, false, `directory-wide mappings send the breakpoint to the dev venv: ${JSON.stringify(wide.set)}`);

    dc = await attachWithBreakpoint({ ...attach, sitePackages: mappings }, breakpoint);
    const stopped = dc.waitForEvent('stopped', 30_000) as Promise<DebugProtocol.StoppedEvent>;
    const response = fetch(`${lab.haproxy.frontends['glance_api']}/`, { headers: { 'X-OSA-Dev-Test': token } });
    const event = await stopped;
    assert.equal(event.body.reason, 'breakpoint');
    const threadId = event.body.threadId!;
    const top = (await dc.stackTraceRequest({ threadId })).body.stackFrames[0]!;
    assert.equal(top.source?.path, localFile, 'the stop is shown in the LOCAL copy');
    assert.equal(top.line, line);
    const locals = (await dc.scopesRequest({ frameId: top.id })).body.scopes.find((s) => /local/i.test(s.name))!;
    const variables = (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables;
    assert.match(variables.find((v) => v.name === 'body')?.value ?? '', /'service': 'glance-api'/);
    await dc.continueRequest({ threadId });
    const answer = await response;
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { host: string }).host, target.name);
  } finally {
    await endDebugRun({ dc, tunnel, store: new JournalStore(ssh), container: target.name, engine, session });
  }
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
});
