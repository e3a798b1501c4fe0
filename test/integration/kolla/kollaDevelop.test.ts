/**
 * Kolla's containers on the lab's Kolla host (podman, host networking): listed over SSH with the
 * detected runtime; Develop heat_api (config.json's command replaced by a keeper, the container
 * restarted, code from the lab's git server, the dev process run through podman exec and serving);
 * Restore gives the host back byte for byte and heat-api serves from production again. Bad input
 * (no such container, podman missing) is refused with nothing changed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DevLoopEngine } from '../../../src/core/devloop/engine';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import { planDevelop, stepsForRestore, type DevelopRequest } from '../../../src/core/devloop/plan';
import { kollaDevModeCheckout } from '../../../src/core/kolla/devModeCheckout';
import { KOLLA_KEEPER } from '../../../src/core/kolla/kollaHold';
import { silentLogger } from '../../../src/core/log';
import { loadDetectedHostView } from '../../../src/core/model/loadDetectedHostView';
import { runCommand } from '../../../src/core/process/runCommand';
import type { ShellRunner } from '../../../src/core/process/types';
import { HostRuntimes } from '../../../src/core/runtime/hostRuntimes';
import { OciCliNotFoundError } from '../../../src/core/runtime/oci/errors';
import { OciRuntime } from '../../../src/core/runtime/oci/ociRuntime';
import { shellJoin } from '../../../src/core/shell/quote';
import type { PtySession, SshHost } from '../../../src/core/ssh';
import { readLab, type LabDescription } from '../../support/lab';
import { osaDevOnLab } from '../../support/labCli';
import { connectKollaHost, kollaCatalog, kollaSnapshot, readKollaHost, type KollaHostDescription } from '../../support/kollaHost';

let kolla: KollaHostDescription;
let ssh: SshHost;
let runtimes: HostRuntimes;
let heatRepo: string;

const engine = (container: string): DevLoopEngine =>
  new DevLoopEngine({ host: ssh, runtime: runtimes.router, store: new JournalStore(ssh), container, holder: { holder: 'ci@lab (kolla integration)', since: new Date().toISOString() }, logger: silentLogger });

const request = (container: string): DevelopRequest => ({ container, service: 'heat', unit: container === 'heat_engine' ? 'heat-engine' : 'heat-api', source: { kind: 'git', url: heatRepo, ref: 'master' }, project: 'heat' });

async function heatApi(): Promise<{ code_version: string; host: string } | string> {
  const result = await ssh.exec(shellJoin(['curl', '-fsS', '-m', '5', kolla.heatApiUrlInNamespace]));
  return result.code === 0 ? (JSON.parse(result.stdout) as { code_version: string; host: string }) : `curl exit ${result.code}: ${result.stderr.trim()}`;
}

async function poll<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, seconds = 60): Promise<T> {
  let last: T = await read();
  for (let i = 0; i < seconds * 5 && !ok(last); i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await read();
  }
  assert.ok(ok(last), `${what}: ${JSON.stringify(last)}`);
  return last;
}

before(async () => {
  kolla = readKollaHost();
  heatRepo = readLab().git.heatRepoUrl.replace('127.0.0.1:19418', '172.29.236.100');
  ssh = connectKollaHost();
  runtimes = new HostRuntimes();
  await loadDetectedHostView(kolla.hostName, ssh, runtimes, silentLogger);
});

after(async () => {
  if (!ssh) return;
  for (const container of kolla.containers.map((c) => c.name)) {
    const journal = await new JournalStore(ssh).read(container).catch(() => undefined);
    if (journal) await engine(container).restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
  }
  ssh.dispose();
});

test('the Kolla host is detected as podman and lists heat_api and heat_engine under heat, running', async () => {
  assert.equal((await runtimes.forHost(kolla.hostName, ssh)).kind, 'podman');
  const view = await loadDetectedHostView(kolla.hostName, ssh, runtimes, silentLogger);
  const heat = view.services.find((g) => g.service === 'heat')?.containers ?? [];
  assert.deepEqual(heat.map((c) => [c.name, c.component, c.state]).sort(), [
    ['heat_api', 'heat_api', 'running'],
    ['heat_engine', 'heat_engine', 'running'],
  ]);
  assert.deepEqual(view.warnings, []);
  const production = await heatApi();
  assert.equal(typeof production === 'object' && production.code_version, 'lab-heat-1');
});

test('Develop heat_api: the container keeps running with a keeper, the dev process serves from git; Restore is byte-identical', async () => {
  const baseline = await kollaSnapshot(ssh);
  const req = request('heat_api');
  const ctx = { host: ssh, runtime: runtimes.router, container: req.container, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
  const plan = await planDevelop(ctx, kollaCatalog(), req, []);
  assert.deepEqual(plan.steps.map((s) => s.id).slice(0, 2), ['kolla-hold', 'code']);
  assert.equal(plan.prodVenv, '/var/lib/kolla/venv');
  assert.match(shellJoin(plan.foreground), /^podman exec -i --user root/);
  const started = Date.now();
  const doc = await engine(req.container).develop(plan.steps, { ...req });
  console.log(`      Kolla Develop of heat_api (git source, cold): ${Date.now() - started} ms`);
  assert.ok(doc.steps.every((s) => s.status === 'applied' || s.status === 'skipped'), JSON.stringify(doc.steps.map((s) => [s.id, s.status, s.error])));

  // The container runs the keeper (same container: its id is unchanged); nothing serves yet.
  const runs = await ssh.exec('podman exec heat_api cat /run_command');
  assert.equal(runs.stdout, KOLLA_KEEPER);
  const config = await ssh.exec('cat /etc/kolla/heat-api/config.json');
  assert.equal((JSON.parse(config.stdout) as { command: string }).command, KOLLA_KEEPER);
  assert.match(String(await heatApi()), /curl exit 7/, 'production heat-api is not listening');

  const session: PtySession = await ssh.openPty(shellJoin(plan.foreground), { rows: 24, cols: 120 });
  let output = '';
  const decoder = new TextDecoder();
  session.onData((chunk) => (output += decoder.decode(chunk, { stream: true })));
  try {
    const served = await poll('the dev process answers', heatApi, (r) => typeof r === 'object');
    assert.equal(typeof served === 'object' && served.code_version, 'lab-heat-1');
    const pid = await ssh.exec(shellJoin(['podman', 'exec', 'heat_api', 'sh', '-c', 'tr "\\0" " " < /proc/$(cat /run/osa-dev/heat-api.pid)/cmdline']));
    assert.match(pid.stdout, /\/opt\/osa-dev\/venvs\/heat\/bin\/\S*heat-api/, 'the dev venv serves');
    const head = await ssh.exec(shellJoin(['podman', 'exec', 'heat_api', 'git', '-C', '/opt/osa-dev/src/heat', 'rev-parse', 'HEAD']));
    const master = await ssh.exec(shellJoin(['git', 'ls-remote', heatRepo, 'refs/heads/master']));
    assert.equal(head.stdout.trim(), master.stdout.split('\t')[0], 'the code is the lab repository master');
    const imported = await ssh.exec(shellJoin(['podman', 'exec', 'heat_api', '/opt/osa-dev/venvs/heat/bin/python', '-c', 'import heat; print(heat.__file__)']));
    assert.equal(imported.stdout.trim(), '/opt/osa-dev/src/heat/heat/__init__.py');
    assert.match(output, /INFO/, 'oslo.log lines stream to the terminal');
    // Develop again with nothing changed: the keeper is seen in place, no second restart.
    const statuses: string[] = [];
    await engine(req.container).develop(plan.steps, { ...req }, { onProgress: (e) => e.index >= 0 && e.status !== 'running' && statuses.push(`${e.step}:${e.status}`) });
    assert.equal(statuses[0], 'kolla-hold:already-done');
    assert.equal(typeof (await heatApi()), 'object', 'the dev process still serves');
  } finally {
    const journal = await new JournalStore(ssh).read(req.container);
    const restoring = Date.now();
    await engine(req.container).restore(stepsForRestore(journal!));
    console.log(`      Kolla Restore of heat_api: ${Date.now() - restoring} ms`);
    session.close();
  }
  assert.equal(await new JournalStore(ssh).read(req.container), undefined);
  assert.equal(await kollaSnapshot(ssh), baseline);
  const back = await poll('production heat-api answers again', heatApi, (r) => typeof r === 'object');
  assert.equal(typeof back === 'object' && back.code_version, 'lab-heat-1');
  const pid1 = await ssh.exec('podman exec heat_api cat /run_command');
  assert.equal(pid1.stdout, kolla.containers.find((c) => c.name === 'heat_api')!.command);
});

test('bad input: a container that does not exist is refused, nothing changed, no journal', async () => {
  const baseline = await kollaSnapshot(ssh);
  runtimes.remember(kolla.hostName, await runtimes.forHost(kolla.hostName, ssh), ['heat_nothere']);
  const req = request('heat_nothere');
  const ctx = { host: ssh, runtime: runtimes.router, container: req.container, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
  const plan = await planDevelop(ctx, kollaCatalog(), { ...req, unit: 'heat-api' }, []);
  await assert.rejects(engine(req.container).develop(plan.steps, { ...req }), /No container heat_nothere on this host \(podman\)\. Nothing was changed/);
  assert.equal(await new JournalStore(ssh).read(req.container), undefined);
  assert.equal(await kollaSnapshot(ssh), baseline);
});

test('bad input: a podman container that is not Kolla-shaped (no config mount) is refused, nothing changed', async () => {
  const created = await ssh.exec('podman run -d --name osa_dev_not_kolla --network host localhost/kolla/heat-api:lab sleep infinity');
  assert.equal(created.code, 0, created.stderr);
  try {
    const baseline = await kollaSnapshot(ssh);
    runtimes.remember(kolla.hostName, await runtimes.forHost(kolla.hostName, ssh), ['osa_dev_not_kolla']);
    const req = { ...request('osa_dev_not_kolla'), unit: 'heat-api' };
    const ctx = { host: ssh, runtime: runtimes.router, container: req.container, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
    const plan = await planDevelop(ctx, kollaCatalog(), req, []);
    await assert.rejects(engine(req.container).develop(plan.steps, { ...req }), /osa_dev_not_kolla is not a Kolla container: nothing is bind-mounted at \/var\/lib\/kolla\/config_files\. Nothing was changed/);
    assert.equal(await new JournalStore(ssh).read(req.container), undefined);
    assert.equal(await kollaSnapshot(ssh), baseline);
  } finally {
    await ssh.exec('podman rm -f -t 0 osa_dev_not_kolla');
  }
});

test('bad input: podman missing on the host is said plainly, for the listing and for Develop; nothing changed', async () => {
  const baseline = await kollaSnapshot(ssh);
  const withoutPodman: ShellRunner = { exec: (line, options) => ssh.exec(`PATH=/nonexistent; ${line}`, options) };
  await assert.rejects(runCommand(withoutPodman, new OciRuntime('podman', { host: 'kolla1' }).listContainers()), (e: unknown) => e instanceof OciCliNotFoundError && /podman not found on kolla1/.test(e.message));
  const req = request('heat_api');
  const ctx = { host: withoutPodman, runtime: runtimes.router, container: req.container, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
  const plan = await planDevelop(ctx, kollaCatalog(), req, []);
  const refusing = new DevLoopEngine({ host: withoutPodman, runtime: runtimes.router, store: new JournalStore(ssh), container: req.container, holder: { holder: 'ci', since: new Date().toISOString() }, logger: silentLogger });
  await assert.rejects(refusing.develop(plan.steps, { ...req }), /podman not found on this host/);
  assert.equal(await new JournalStore(ssh).read(req.container), undefined);
  assert.equal(await kollaSnapshot(ssh), baseline);
});

test('the osa-dev CLI on the Kolla host: containers, develop, status, restore (byte-identical)', async () => {
  const baseline = await kollaSnapshot(ssh);
  const target = { ssh: kolla.ssh } as LabDescription;
  const listed = await osaDevOnLab(target, 'containers');
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /heat[\s\S]*heat_api[\s\S]*heat_engine/);
  const developed = await osaDevOnLab(target, 'develop', 'heat_engine', '--git', heatRepo, '--ref', 'master');
  assert.equal(developed.code, 0, developed.stderr);
  assert.match(developed.stdout, /heat_engine is in dev mode: heat-engine runs from \/opt\/osa-dev\/venvs\/heat/);
  assert.match(developed.stdout, /podman exec -i --user root/, 'the foreground command it prints runs through podman');
  assert.equal((await ssh.exec('podman exec heat_engine cat /run_command')).stdout, KOLLA_KEEPER);
  const status = await osaDevOnLab(target, 'status');
  assert.match(status.stdout, /heat_engine/);
  const restored = await osaDevOnLab(target, 'restore', 'heat_engine');
  assert.equal(restored.code, 0, restored.stderr);
  assert.equal(await kollaSnapshot(ssh), baseline);
});

test("the docker runtime for real: docker CLI 28 against podman's Docker-compatible API on kolla1 (no Docker engine here): list, state, exec, Develop/Restore byte-identical", async () => {
  const baseline = await kollaSnapshot(ssh);
  const docker = new OciRuntime('docker', { host: 'kolla1' });
  const listed = await runCommand(ssh, docker.listContainers());
  assert.deepEqual(listed.map((c) => [c.name, c.state]).sort(), [['heat_api', 'running'], ['heat_engine', 'running']]);
  assert.equal(await runCommand(ssh, docker.stateOf('heat_api')), 'running');
  assert.equal(await runCommand(ssh, docker.stateOf('heat_nothere')), undefined);
  const whoami = await ssh.exec(shellJoin(docker.execArgv('heat_api', ['id', '-un'], { user: 'heat', cwd: '/var/lib/heat' })));
  assert.equal(whoami.stdout.trim(), 'heat', whoami.stderr);

  const req = request('heat_api');
  const ctx = { host: ssh, runtime: docker, container: req.container, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
  const plan = await planDevelop(ctx, kollaCatalog(), req, []);
  assert.match(shellJoin(plan.foreground), /^docker exec -i --user root/);
  const store = new JournalStore(ssh);
  const dockerEngine = new DevLoopEngine({ host: ssh, runtime: docker, store, container: req.container, holder: { holder: 'ci (docker)', since: new Date().toISOString() }, logger: silentLogger });
  try {
    await dockerEngine.develop(plan.steps, { ...req });
    assert.equal((await ssh.exec('docker exec heat_api cat /run_command')).stdout, KOLLA_KEEPER);
    const journal = await store.read(req.container);
    assert.equal((journal!.steps[0]!.original as { cli: string }).cli, 'docker', 'Restore uses the CLI that made the change');
  } finally {
    const journal = await store.read(req.container);
    if (journal) await dockerEngine.restore(stepsForRestore(journal));
  }
  assert.equal(await kollaSnapshot(ssh), baseline);
  await poll('production heat-api answers again', heatApi, (r) => typeof r === 'object');
});

test('interrupted while the container restarts with the keeper (config.json already edited): Restore from the journal is byte-identical', async () => {
  const baseline = await kollaSnapshot(ssh);
  const req = request('heat_api');
  const ctx = { host: ssh, runtime: runtimes.router, container: req.container, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
  const plan = await planDevelop(ctx, kollaCatalog(), req, []);
  const interrupt = new AbortController();
  await assert.rejects(
    engine(req.container).develop(plan.steps, { ...req }, { signal: interrupt.signal, onProgress: (e) => e.message?.startsWith('Restarting') && interrupt.abort() }),
  );
  const journal = await new JournalStore(ssh).read(req.container);
  assert.ok(journal, 'the journal holds the original');
  assert.equal((JSON.parse((await ssh.exec('cat /etc/kolla/heat-api/config.json')).stdout) as { command: string }).command, KOLLA_KEEPER, 'config.json was edited before the interruption');
  // Another window (or the CLI) takes over and restores from what the host recorded.
  await engine(req.container).restore(stepsForRestore(journal), { takeOverLock: true });
  assert.equal(await kollaSnapshot(ssh), baseline);
  const back = await poll('production heat-api answers again', heatApi, (r) => typeof r === 'object');
  assert.equal(typeof back === 'object' && back.code_version, 'lab-heat-1');
});

test('kolla_dev_mode: heat_engine has the lab heat at /dev-mode/heat; Develop from that checkout runs the dev venv on it; Restore is byte-identical', async () => {
  const mounts = await ssh.exec("podman container inspect --format '{{range .Mounts}}{{.Destination}} {{end}}' heat_engine");
  assert.match(mounts.stdout, /\/dev-mode\/heat /, 'deployed with heat_dev_mode');
  const baseline = await kollaSnapshot(ssh);
  const req: DevelopRequest = { container: 'heat_engine', service: 'heat', unit: 'heat-engine', source: { kind: 'container-path', path: '/dev-mode/heat' }, project: 'heat' };
  const ctx = { host: ssh, runtime: runtimes.router, container: req.container, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
  // Read from the container's mounts through the runtime: heat_engine has the checkout, heat_api not.
  assert.equal(await kollaDevModeCheckout(ctx, 'heat'), '/dev-mode/heat');
  assert.equal(await kollaDevModeCheckout({ ...ctx, container: 'heat_api' }, 'heat'), undefined);
  const plan = await planDevelop(ctx, kollaCatalog(), req, []);
  assert.equal(plan.src, '/dev-mode/heat');
  const started = Date.now();
  await engine(req.container).develop(plan.steps, { ...req });
  console.log(`      Kolla Develop of heat_engine (kolla_dev_mode source): ${Date.now() - started} ms`);
  const session: PtySession = await ssh.openPty(shellJoin(plan.foreground), { rows: 24, cols: 120 });
  try {
    const imported = await ssh.exec(shellJoin(['podman', 'exec', 'heat_engine', '/opt/osa-dev/venvs/heat/bin/python', '-c', 'import heat; print(heat.__file__)']));
    assert.equal(imported.stdout.trim(), '/dev-mode/heat/heat/__init__.py', 'the dev venv runs the kolla_dev_mode checkout');
    const running = await poll(
      'the dev heat-engine runs',
      async () => (await ssh.exec(shellJoin(['podman', 'exec', 'heat_engine', 'sh', '-c', 'tr "\\0" " " < /proc/$(cat /run/osa-dev/heat-engine.pid)/cmdline']))).stdout,
      (out) => /\/opt\/osa-dev\/venvs\/heat\/bin\/\S*heat-engine/.test(out),
    );
    assert.ok(running);
  } finally {
    const journal = await new JournalStore(ssh).read(req.container);
    const restoring = Date.now();
    await engine(req.container).restore(stepsForRestore(journal!));
    console.log(`      Kolla Restore of heat_engine: ${Date.now() - restoring} ms`);
    session.close();
  }
  assert.equal(await kollaSnapshot(ssh), baseline);
  assert.equal((await ssh.exec('podman exec heat_engine cat /run_command')).stdout, 'heat-engine --config-file /etc/heat/heat.conf');
});

test('the CLI without --path or --git: heat_engine is developed from its kolla_dev_mode checkout (said on the output); heat_api has none and is refused, nothing changed', async () => {
  const baseline = await kollaSnapshot(ssh);
  const target = { ssh: kolla.ssh } as LabDescription;
  const refused = await osaDevOnLab(target, 'develop', 'heat_api');
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /develop needs --git URL --ref REF, or --path DIR: heat_api has no kolla_dev_mode checkout \(\/dev-mode\/heat\)/);
  assert.equal(await kollaSnapshot(ssh), baseline);
  const developed = await osaDevOnLab(target, 'develop', 'heat_engine');
  assert.equal(developed.code, 0, developed.stderr);
  assert.match(developed.stdout, /code: the kolla_dev_mode checkout \/dev-mode\/heat \(bind-mounted in heat_engine/);
  assert.equal(((await new JournalStore(ssh).read('heat_engine'))?.request as DevelopRequest | undefined)?.source.kind, 'container-path');
  const restored = await osaDevOnLab(target, 'restore', 'heat_engine');
  assert.equal(restored.code, 0, restored.stderr);
  assert.equal(await kollaSnapshot(ssh), baseline);
});
