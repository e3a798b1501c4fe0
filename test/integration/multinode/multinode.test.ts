/**
 * Multi-node on the lab: infra2, a second physical host with its own sshd on its management
 * address only, reached through the lab host aio1 (ProxyJump over the same SSH connection). The
 * host view lists both hosts' containers; a container on infra2 is developed and restored (its
 * placement-back partner on aio1 goes to maintenance and back: isolation spans hosts; the journal
 * and HAProxy stay on aio1) and both hosts are byte-identical afterwards, also after a Develop
 * killed mid-way (crash recovery from aio1's journal); a second session in the same backend from
 * the other host is refused; infra2's host key is checked like any host's; infra2 unreachable
 * gives a message naming it and its address, the rest is listed, and nothing changes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { openDebugTunnel } from '../../../src/core/debug/tunnel';
import { planDevelop, type DevelopRequest } from '../../../src/core/devloop/plan';
import { silentLogger } from '../../../src/core/log';
import { allContainers } from '../../../src/core/model/hostView';
import { loadHostView } from '../../../src/core/model/loadHostView';
import { shellJoin } from '../../../src/core/shell/quote';
import { HostKeyMismatchError, HostKeyRejectedError, NodeUnreachableError, type PtySession, type SshHost, type TrustQuestion } from '../../../src/core/ssh';
import { labCatalog, labRuntime as runtime } from '../../support/heatOnLab';
import { labHostExec, readLab, type LabContainer, type LabDescription } from '../../support/lab';
import { developKilled, osaDevWith } from '../../support/labCli';
import { connectLabWith, labClientFilesWith, labNode, nodeHostExec, nodeSnapshot, nodeSshd, type LabNode } from '../../support/labNode';
import { answerFromFrontend } from '../../support/labServices';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';

interface LabWithRepos extends LabDescription {
  readonly git: LabDescription['git'] & { readonly repos: Record<string, { readonly urlInNamespace: string }> };
}

let lab: LabWithRepos;
let node: LabNode;
let target: LabContainer;
const opened: SshHost[] = [];

const connect = (extraKnownHosts: readonly string[], askTrust?: (q: TrustQuestion) => Promise<boolean>): SshHost => {
  const ssh = connectLabWith(labClientFilesWith(lab, extraKnownHosts), askTrust);
  opened.push(ssh);
  return ssh;
};
const bothHosts = (): string => `${productionSnapshot(lab)}\n${nodeSnapshot(node)}`;
const placementStates = (): string =>
  labHostExec(['sh', '-c', `echo "show servers state placement-back" | socat stdio /var/run/haproxy.stat | awk 'NR > 2 && NF > 6 { print $4, "admin=" $7 }' | sort`]);

before(async () => {
  lab = readLab() as LabWithRepos;
  node = labNode(lab);
  target = node.containers.find((c) => c.service === 'placement')!;
  assert.ok(target, `${node.name} has a placement container`);
  await waitForHaproxySettled();
});

after(() => {
  nodeSshd('start');
  for (const ssh of opened) ssh.dispose();
});

test('the host view lists aio1’s containers, and through aio1 those of infra2 under its physical host', async (t) => {
  const ssh = connect([node.knownHostsLine]);
  const nodeHosts = new Map<string, SshHost>();
  const through = (n: { name: string; address: string }): SshHost => {
    if (!nodeHosts.has(n.name)) opened.push(nodeHosts.set(n.name, ssh.through(n.name, n.address)).get(n.name)!);
    return nodeHosts.get(n.name)!;
  };
  let started = Date.now();
  const view = await loadHostView(ssh, runtime, silentLogger, through);
  const cold = Date.now() - started;
  started = Date.now();
  await loadHostView(ssh, runtime, silentLogger, through);
  t.diagnostic(`host view of aio1 + infra2: ${cold} ms with both connections opened, ${Date.now() - started} ms warm (one round trip each, in parallel)`);
  assert.equal(view.topology.localName, 'aio1');
  const own = view.services.flatMap((g) => g.containers.map((c) => c.name));
  for (const c of lab.containers) assert.ok(own.includes(c.name), `aio1 lists its ${c.name}`);
  for (const c of node.containers) assert.ok(!own.includes(c.name), `aio1 does not list infra2’s ${c.name}`);
  assert.deepEqual(view.nodes.map((n) => [n.name, n.address, n.error]), [[node.name, node.ip, undefined]]);
  const listed = allContainers(view).find((c) => c.name === target.name);
  assert.ok(listed, `${target.name} in the view`);
  assert.deepEqual(listed.node, { name: node.name, address: node.ip });
  assert.equal(listed.state, 'running');
  assert.equal(listed.managementIp, target.ip);
  assert.deepEqual(listed.units, ['placement-api.service']);
  assert.equal(view.nodes[0]!.services.find((g) => g.service === 'placement')?.containers[0]?.name, target.name);

  // The debugger's path (SshHost.forwardOut, as Attach Debugger uses it): a local port, through
  // aio1's connection and infra2's, to the container's management IP — here its HTTP port.
  const infra2 = through({ name: node.name, address: node.ip });
  const tunnel = await openDebugTunnel(infra2, target.ip, 8780);
  try {
    const answer = (await (await fetch(`http://127.0.0.1:${tunnel.localPort}/`)).json()) as { host: string };
    assert.equal(answer.host, target.name, 'the tunnel ends in infra2’s container');
  } finally {
    await tunnel.close();
  }
  const timed = async (host: SshHost): Promise<number> => {
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) await host.exec('true');
    return (Date.now() - t0) / 10;
  };
  t.diagnostic(`exec round trip: ${await timed(ssh)} ms on aio1, ${await timed(infra2)} ms on infra2 through aio1 (mean of 10)`);

  // The CLI shows the same, one physical host after the other.
  const files = labClientFilesWith(lab, [node.knownHostsLine]);
  const cli = await osaDevWith(files, 'containers');
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, new RegExp(`^${node.name} \\(${node.ip.replace(/\./g, '\\.')}\\)$`, 'm'));
  assert.match(cli.stdout, new RegExp(`^    ${target.name}  running  ${target.ip.replace(/\./g, '\\.')}  placement-api\\.service$`, 'm'));
});

test('develop and restore a container on infra2: the dev process serves through aio1’s HAProxy, both hosts byte-identical after', async () => {
  const baseline = bothHosts();
  const statesBefore = placementStates();
  assert.match(statesBefore, new RegExp(`^${target.name} admin=0$`, 'm'));
  const files = labClientFilesWith(lab, [node.knownHostsLine]);
  const url = lab.git.repos['placement']!.urlInNamespace;
  let restored = false;
  try {
    const developed = await osaDevWith(files, 'develop', target.name, '--git', url, '--ref', 'master');
    assert.equal(developed.code, 0, developed.stderr);
    assert.match(developed.stdout, new RegExp(`${target.name} is in dev mode: placement-api runs from /opt/osa-dev/venvs/placement`));
    assert.match(developed.stdout, new RegExp(`ssh -J aio1-lab ${node.ip.replace(/\./g, '\\.')} -t`), 'the printed command reaches infra2 through aio1');
    // The journal is on aio1 (with HAProxy), none on infra2; aio1's placement server is in maintenance.
    assert.match(labHostExec(['ls', '/var/lib/osa-dev']), new RegExp(`^${target.name}\\.json$`, 'm'));
    assert.doesNotMatch(nodeHostExec(['sh', '-c', 'ls /var/lib/osa-dev 2>/dev/null || true']), /\.json/, 'no journal on infra2');
    const aio1Placement = lab.containers.find((c) => c.service === 'placement')!.name;
    assert.match(placementStates(), new RegExp(`^${aio1Placement} admin=1$`, 'm'), 'aio1’s placement server is in maintenance');
    assert.match(placementStates(), new RegExp(`^${target.name} admin=0$`, 'm'));

    // The dev process, as the dev terminal runs it: on infra2, over infra2's connection through aio1.
    const ssh = connect([node.knownHostsLine]);
    const infra2 = ssh.through(node.name, node.ip);
    opened.push(infra2);
    const request: DevelopRequest = {
      container: target.name, managementIp: target.ip, service: 'placement', unit: 'placement-api',
      source: { kind: 'git', url, ref: 'master' }, project: 'placement', node: { name: node.name, address: node.ip },
    };
    const ctx = { host: infra2, deployment: ssh, runtime, container: target.name, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
    const plan = await planDevelop(ctx, labCatalog(), request, ['placement-api']);
    const session: PtySession = await infra2.openPty(shellJoin(plan.foreground), { rows: 24, cols: 120 });
    try {
      const body = await answerFromFrontend(lab.haproxy.frontends['placement']!, target.name);
      assert.equal(body.code_version, 'lab-placement-1');
    } finally {
      session.close();
    }

    // Each CLI run is its own session: Restore takes over the one Develop left (as a user confirms).
    const restoreRun = await osaDevWith(files, 'restore', target.name, '--take-over');
    assert.equal(restoreRun.code, 0, restoreRun.stderr);
    restored = true;
  } finally {
    if (!restored) await osaDevWith(files, 'restore', target.name, '--take-over');
  }
  await waitForHaproxySettled();
  assert.equal(placementStates(), statesBefore);
  assert.equal(bothHosts(), baseline);
});

test('a Develop on infra2 killed mid-way (a crashed window): aio1’s journal shows it, Restore from another session puts both hosts back', async () => {
  const baseline = bothHosts();
  const files = labClientFilesWith(lab, [node.knownHostsLine]);
  const args = ['--git', lab.git.repos['placement']!.urlInNamespace, '--ref', 'master'];
  // Killed once the unit on infra2 is stopped (and HAProxy isolated): the journal on aio1 says so.
  await developKilled(files, target.name, args, (applied) => applied.some((id) => id.startsWith('stop-unit:')), async (done) => {
    assert.ok(done.includes('isolate'), `isolated: ${done.join(', ')}`);
    const held = nodeHostExec(['lxc-attach', '-n', target.name, '--', 'sh', '-c', 'systemctl is-active placement-api || true']).trim();
    assert.equal(held, 'inactive', 'the production unit on infra2 is stopped and held');
    const status = await osaDevWith(files, 'status');
    assert.match(status.stdout, new RegExp(`^${target.name}  `, 'm'), 'status (from aio1’s journals) shows it in dev mode');
  });
  await waitForHaproxySettled();
  assert.equal(bothHosts(), baseline);
});

test('one HAProxy backend on two physical hosts: while aio1’s placement is in dev mode, Develop on infra2’s is refused (every journal is on aio1), nothing changed', async () => {
  const baseline = bothHosts();
  const files = labClientFilesWith(lab, [node.knownHostsLine]);
  const aio1Placement = lab.containers.find((c) => c.service === 'placement')!.name;
  const url = lab.git.repos['placement']!.urlInNamespace;
  try {
    const first = await osaDevWith(files, 'develop', aio1Placement, '--git', url, '--ref', 'master');
    assert.equal(first.code, 0, first.stderr);
    const infra2Before = nodeSnapshot(node);
    const statesBefore = placementStates();
    const second = await osaDevWith(files, 'develop', target.name, '--git', url, '--ref', 'master');
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, new RegExp(`placement-back is already isolated for ${aio1Placement} .*Nothing was changed`));
    assert.equal(nodeSnapshot(node), infra2Before, 'nothing changed on infra2');
    assert.equal(placementStates(), statesBefore, 'HAProxy as the first session left it');
    assert.doesNotMatch(labHostExec(['ls', '/var/lib/osa-dev']), new RegExp(target.name), 'no journal or lock for infra2’s container');
  } finally {
    const restored = await osaDevWith(files, 'restore', aio1Placement, '--take-over');
    assert.equal(restored.code, 0, restored.stderr);
  }
  await waitForHaproxySettled();
  assert.equal(bothHosts(), baseline);
});

test('infra2’s host key: unknown → asked with its fingerprint (declined: refused); changed → refused without asking', async () => {
  const questions: TrustQuestion[] = [];
  const declining = connect([], async (q) => (questions.push(q), false));
  await assert.rejects(declining.through(node.name, node.ip).exec('true'), (error: unknown) => error instanceof HostKeyRejectedError && error.message.includes(node.ip));
  assert.deepEqual(
    questions.map((q) => [q.host, q.port, q.fingerprint, q.through]),
    [[node.ip, 22, node.hostKeyFingerprint, { name: node.name, via: `${lab.ssh.user}@${lab.ssh.host}:${lab.ssh.port}` }]],
    'asked once, about infra2 only, naming it',
  );

  const files = labClientFilesWith(lab, []);
  const trusting = connectLabWith(files, async () => true);
  opened.push(trusting);
  const nodeHost = trusting.through(node.name, node.ip);
  opened.push(nodeHost);
  assert.equal((await nodeHost.exec('hostname')).stdout.trim(), node.name);
  assert.ok(readFileSync(files.knownHosts, 'utf8').includes(`${node.ip} ssh-ed25519 `), 'the trusted key is recorded under its address');

  // A key that changed (here: aio1's key recorded for infra2's address) is refused, and nobody is asked.
  const [, keyType, key] = lab.ssh.knownHostsLine.split(' ');
  const asked: TrustQuestion[] = [];
  const wrong = connect([`${node.ip} ${keyType} ${key}`], async (q) => (asked.push(q), true));
  await assert.rejects(wrong.through(node.name, node.ip).exec('true'), (error: unknown) => error instanceof HostKeyMismatchError && error.message.includes(node.ip));
  assert.deepEqual(asked, []);
});

test('infra2 unreachable (its sshd stopped): a message naming it and its address, aio1 still listed, nothing changed', async () => {
  const baseline = bothHosts();
  nodeSshd('stop');
  try {
    const ssh = connect([node.knownHostsLine]);
    await assert.rejects(ssh.through(node.name, node.ip).exec('true'), (error: unknown) =>
      error instanceof NodeUnreachableError && error.message.includes(`Cannot reach ${node.name} at ${node.ip}:22 through`),
    );
    const view = await loadHostView(ssh, runtime, silentLogger, (n) => ssh.through(n.name, n.address));
    const own = view.services.flatMap((g) => g.containers.map((c) => c.name));
    for (const c of lab.containers) assert.ok(own.includes(c.name), `aio1’s ${c.name} is listed`);
    assert.equal(view.nodes.length, 1);
    assert.deepEqual(view.nodes[0]!.services, []);
    assert.match(view.nodes[0]!.error ?? '', new RegExp(`^${node.name} \\(${node.ip.replace(/\./g, '\\.')}\\): Cannot reach ${node.name}`));

    const files = labClientFilesWith(lab, [node.knownHostsLine]);
    const listed = await osaDevWith(files, 'containers');
    assert.equal(listed.code, 2, 'the CLI says a host could not be listed');
    assert.match(listed.stdout, new RegExp(`^${node.name} \\(${node.ip.replace(/\./g, '\\.')}\\)  UNREACHABLE: `, 'm'));
    assert.match(listed.stdout, /^aio1 \(this host\)\n {2}\S/m, 'aio1’s services are still listed');
    assert.match(listed.stdout, /^ {2}heat$/m);
    const developed = await osaDevWith(files, 'develop', target.name, '--git', lab.git.repos['placement']!.urlInNamespace, '--ref', 'master');
    assert.notEqual(developed.code, 0);
    assert.match(developed.stderr, new RegExp(`Cannot reach ${node.name} at ${node.ip.replace(/\./g, '\\.')}:22`));
  } finally {
    nodeSshd('start');
  }
  assert.equal(bothHosts(), baseline, 'nothing changed on either host');
});
