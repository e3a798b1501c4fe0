/**
 * Isolate on every HAProxy host, on the lab: aio1 and infra2 both run HAProxy with the same
 * configuration (lib/node-haproxy.sh; the lab inventory lists both in OSA's haproxy_hosts), as
 * OSA's infra hosts do. A Develop through the CLI leaves only the container's server in service on
 * BOTH (read through each one's admin socket), Restore puts both back byte for byte; a Develop
 * killed mid-way is restored from another session on both; with infra2 unreachable, Develop is
 * refused naming infra2 and its address, and nothing changes on aio1 (nor on infra2).
 */
import assert from 'node:assert/strict';
import { before, after, test } from 'node:test';
import { labHostExec, readLab, type LabContainer, type LabDescription } from '../../support/lab';
import { developKilled, osaDevWith } from '../../support/labCli';
import { labClientFilesWith, labNode, nodeHostExec, nodeSnapshot, nodeSshd, type LabNode } from '../../support/labNode';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';

interface LabWithRepos extends LabDescription {
  readonly git: LabDescription['git'] & { readonly repos: Record<string, { readonly urlInNamespace: string }> };
}

let lab: LabWithRepos;
let node: LabNode;
let aio1Placement: LabContainer;
let infra2Placement: LabContainer;

/** "server admin=N" of one backend, read through a host's own admin socket (not through the code under test). */
const statesScript = (backend: string): string[] => [
  'sh',
  '-c',
  `echo "show servers state ${backend}" | socat stdio /var/run/haproxy.stat | awk 'NR > 2 && NF > 6 { print $4, "admin=" $7 }' | sort`,
];
const onAio1 = (backend: string): string => labHostExec(statesScript(backend));
const onInfra2 = (backend: string): string => nodeHostExec(statesScript(backend));
const bothHosts = (): string => `${productionSnapshot(lab)}\n${nodeSnapshot(node)}`;
const journalOf = (container: string): string => labHostExec(['sh', '-c', `cat /var/lib/osa-dev/${container}.json 2>/dev/null || true`]);

before(async () => {
  lab = readLab() as LabWithRepos;
  node = labNode(lab);
  aio1Placement = lab.containers.find((c) => c.service === 'placement')!;
  infra2Placement = node.containers.find((c) => c.service === 'placement')!;
  const inventory = JSON.parse(labHostExec(['cat', '/etc/openstack_deploy/openstack_inventory.json'])) as Record<string, { hosts?: string[] }>;
  assert.deepEqual(inventory['haproxy_hosts']?.hosts, ['aio1', node.name], 'the lab inventory lists both HAProxy hosts (run test/lab/up.sh)');
  assert.equal(onInfra2('placement-back'), onAio1('placement-back'), 'infra2 runs a HAProxy with the same servers');
  await waitForHaproxySettled();
});

after(() => nodeSshd('start'));

test('Develop isolates on aio1’s HAProxy AND infra2’s (only the container’s server in service on both); Restore puts both back byte for byte', async () => {
  const baseline = bothHosts();
  const files = labClientFilesWith(lab, [node.knownHostsLine]);
  const inService = `${aio1Placement.name} admin=0\n${infra2Placement.name} admin=1\n`;
  try {
    const developed = await osaDevWith(files, 'develop', aio1Placement.name, '--git', lab.git.repos['placement']!.urlInNamespace, '--ref', 'master');
    assert.equal(developed.code, 0, developed.stderr);
    assert.equal(onAio1('placement-back'), inService, 'aio1’s HAProxy: only the dev container in service');
    assert.equal(onInfra2('placement-back'), inService, 'infra2’s HAProxy: only the dev container in service');
    // Journaled per host on aio1 (infra2 with the address Restore reaches it at); no journal on infra2.
    const isolate = (JSON.parse(journalOf(aio1Placement.name)) as { steps: { id: string; original: { hosts: { name: string; node?: { address: string } }[] } }[] }).steps.find(
      (s) => s.id === 'isolate',
    )!;
    assert.deepEqual(isolate.original.hosts.map((h) => [h.name, h.node?.address]), [['aio1', undefined], [node.name, node.ip]]);
    assert.doesNotMatch(nodeHostExec(['sh', '-c', 'ls /var/lib/osa-dev 2>/dev/null || true']), /\.json/);
  } finally {
    // Each CLI run is its own session: Restore takes over the one Develop left.
    const restore = await osaDevWith(files, 'restore', aio1Placement.name, '--take-over');
    assert.equal(restore.code, 0, restore.stderr);
  }
  await waitForHaproxySettled();
  assert.equal(bothHosts(), baseline);
});

test('a Develop killed mid-way (a crashed session): both HAProxys isolated, Restore from another session puts both back', async () => {
  const baseline = bothHosts();
  const files = labClientFilesWith(lab, [node.knownHostsLine]);
  const args = ['--git', lab.git.repos['placement']!.urlInNamespace, '--ref', 'master'];
  await developKilled(files, aio1Placement.name, args, (applied) => applied.includes('isolate'), async () => {
    assert.match(onAio1('placement-back'), new RegExp(`^${infra2Placement.name} admin=1$`, 'm'));
    assert.match(onInfra2('placement-back'), new RegExp(`^${infra2Placement.name} admin=1$`, 'm'));
  });
  await waitForHaproxySettled();
  assert.equal(bothHosts(), baseline);
});

test('infra2 unreachable (its sshd stopped): Develop on aio1 is refused naming infra2 and its address; nothing changed on aio1 nor infra2', async () => {
  const heat = lab.containers.find((c) => c.name === 'aio1-heat-api-container-5d2a9f10')!;
  const baseline = bothHosts();
  const files = labClientFilesWith(lab, [node.knownHostsLine]);
  nodeSshd('stop');
  try {
    // heat_api-back's servers are all on aio1, but infra2's HAProxy balances them too.
    const developed = await osaDevWith(files, 'develop', heat.name, '--git', lab.git.repos['heat']!.urlInNamespace, '--ref', 'master');
    assert.notEqual(developed.code, 0);
    const ip = node.ip.replace(/\./g, '\\.');
    assert.match(developed.stderr, new RegExp(`HAProxy also runs on ${node.name} \\(${ip}\\), which cannot be reached: Cannot reach ${node.name} at ${ip}:22.*Nothing was changed\\.`));
    assert.equal(journalOf(heat.name), '', 'no journal or lock left on aio1');
  } finally {
    nodeSshd('start');
  }
  assert.equal(bothHosts(), baseline, 'nothing changed on either host');
});
