import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { silentLogger } from '../../../src/core/log';
import { allContainers } from '../../../src/core/model/hostView';
import { loadHostView } from '../../../src/core/model/loadHostView';
import { journaledNode } from '../../../src/core/model/placement';
import { haproxyHostsFrom, haproxyPlaces } from '../../../src/core/devloop/haproxyHosts';
import { NoAddressError, nodeOf, topologyOf, type PhysicalNode } from '../../../src/core/model/topology';
import { parseInventory } from '../../../src/core/osa/inventory';
import type { ExecResult, ShellRunner } from '../../../src/core/process/types';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import { HostRuntimes, runtimeKindOf } from '../../../src/core/runtime/hostRuntimes';
import { loadDetectedDeployment } from '../../../src/core/model/loadDetectedHostView';

const inventoryText = readFileSync(new URL('../../fixtures/osa/openstack_inventory.multinode.json', import.meta.url), 'utf8');
const inventory = parseInventory(inventoryText);
const INFRA1 = ['infra1-heat-api-container-5d2a9f10', 'infra1_keystone_container-821e7cf8'];
const INFRA2 = ['infra2-heat-api-container-1b2c3d4e', 'infra2_keystone_container-9f8e7d6c'];

test('the deployment host is the physical host whose containers it lists; the others are remote, with their ansible_host', () => {
  const topology = topologyOf(inventory, new Set(INFRA1));
  assert.equal(topology.localName, 'infra1');
  // compute1 runs only metal services (nova_compute): no containers, no node in the tree.
  assert.deepEqual(topology.remote, [{ name: 'infra2', address: '172.29.236.12', containers: INFRA2 }]);
  assert.deepEqual(nodeOf(topology, INFRA2[0]!), { name: 'infra2', address: '172.29.236.12' });
  assert.equal(nodeOf(topology, INFRA1[0]!), undefined, 'on the deployment host itself');
  assert.equal(nodeOf(topology, 'not-in-the-inventory'), undefined);
});

test('a dedicated deployment host (no containers of its own) reaches every physical host', () => {
  const topology = topologyOf(inventory, new Set(['scratch.dev']));
  assert.equal(topology.localName, undefined);
  assert.deepEqual(topology.remote.map((h) => [h.name, h.address]), [['infra1', '172.29.236.11'], ['infra2', '172.29.236.12']]);
});

test('an all-in-one stays flat: one physical host, even before its containers are built', () => {
  const aio = parseInventory(readFileSync(new URL('../../fixtures/osa/openstack_inventory.aio.json', import.meta.url), 'utf8'));
  assert.deepEqual(topologyOf(aio, new Set()).remote, []);
  assert.deepEqual(topologyOf(aio, new Set(['aio1_galera_container-2f36d624'])), { localName: 'aio1', remote: [] });
  assert.deepEqual(topologyOf(undefined, new Set(INFRA1)), { remote: [] });
});

test("without the physical host's own entry, a container's physical_host_addr gives the address; with neither, it is said", () => {
  const doc = JSON.parse(inventoryText) as { _meta: { hostvars: Record<string, Record<string, unknown>> } };
  delete doc._meta.hostvars['infra2'];
  doc._meta.hostvars[INFRA2[1]!]!['physical_host_addr'] = '172.29.236.112';
  assert.deepEqual(topologyOf(parseInventory(JSON.stringify(doc)), new Set(INFRA1)).remote[0]?.address, '172.29.236.112');
  delete doc._meta.hostvars[INFRA2[1]!]!['physical_host_addr'];
  const topology = topologyOf(parseInventory(JSON.stringify(doc)), new Set(INFRA1));
  assert.deepEqual(topology.remote, [{ name: 'infra2', containers: INFRA2 }]);
  assert.throws(() => nodeOf(topology, INFRA2[0]!), (error: unknown) => error instanceof NoAddressError && /infra2/.test(error.message) && /ansible_host/.test(error.message));
});

test('journaledNode reads a recorded node and ignores anything else', () => {
  assert.deepEqual(journaledNode({ unit: 'heat-api', node: { name: 'infra2', address: '172.29.236.12' } }), { name: 'infra2', address: '172.29.236.12' });
  assert.equal(journaledNode({ unit: 'heat-api' }), undefined);
  assert.equal(journaledNode({ node: { name: 'infra2' } }), undefined);
  assert.equal(journaledNode(undefined), undefined);
});

// The snapshot script's output, as each host would print it (lxc-ls -f -F NAME,STATE,PID,IPV4,GROUPS,AUTOSTART).
function snapshot(rows: readonly string[], extra: readonly string[] = []): ExecResult {
  const cells = [['NAME', 'STATE', 'PID', 'IPV4', 'GROUPS', 'AUTOSTART'], ...rows.map((row) => row.split(' '))];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)) + 1);
  const table = cells.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join(''));
  return { code: 0, stdout: [...table, '@@osa-dev:rc=0', ...extra].join('\n'), stderr: '' };
}
const deploymentOutput = snapshot(
  [`${INFRA1[0]} RUNNING 101 172.29.238.10 openstack 1`, `${INFRA1[1]} RUNNING 102 172.29.238.11 openstack 1`],
  ['@@osa-dev:inventory', inventoryText, '@@osa-dev:units', `${INFRA1[0]} heat-api.service`],
);
const infra2Output = snapshot([`${INFRA2[0]} RUNNING 201 172.29.238.20 openstack 1`, `${INFRA2[1]} STOPPED - - openstack 1`], ['@@osa-dev:units', `${INFRA2[0]} heat-api.service`]);
const answering = (result: ExecResult | Error): ShellRunner => ({ exec: async () => (result instanceof Error ? Promise.reject(result) : result) });

test('loadHostView lists each other physical host through its own runner; its containers carry the node', async () => {
  const asked: PhysicalNode[] = [];
  const view = await loadHostView(answering(deploymentOutput), new LxcRuntime({ host: 'infra1' }), silentLogger, (node) => {
    asked.push(node);
    return answering(infra2Output);
  });
  assert.deepEqual(asked, [{ name: 'infra2', address: '172.29.236.12' }]);
  assert.equal(view.topology.localName, 'infra1');
  assert.deepEqual(view.services.flatMap((g) => g.containers.map((c) => c.name)), [INFRA1[0], INFRA1[1]]);
  assert.equal(view.nodes.length, 1);
  const infra2 = view.nodes[0]!;
  assert.equal(infra2.error, undefined);
  assert.deepEqual(infra2.services.map((g) => [g.service, g.containers.map((c) => `${c.name} ${c.state}`)]), [
    ['heat', [`${INFRA2[0]} running`]],
    ['keystone', [`${INFRA2[1]} stopped`]],
  ]);
  const heat2 = allContainers(view).find((c) => c.name === INFRA2[0])!;
  assert.deepEqual(heat2.node, { name: 'infra2', address: '172.29.236.12' });
  assert.equal(heat2.managementIp, '172.29.238.20');
  assert.deepEqual(heat2.units, ['heat-api.service']);
  assert.equal(allContainers(view).find((c) => c.name === INFRA1[0])!.node, undefined);
});

test('an unreachable physical host gets a message naming it and its address; the rest of the view stands', async () => {
  const view = await loadHostView(answering(deploymentOutput), new LxcRuntime({ host: 'infra1' }), silentLogger, () =>
    answering(new Error('Cannot reach infra2 at 172.29.236.12:22 through root@infra1: Connection refused')),
  );
  assert.equal(view.services.length, 2, 'the deployment host is listed');
  assert.equal(view.nodes.length, 1);
  assert.deepEqual(view.nodes[0]!.services, []);
  assert.match(view.nodes[0]!.error ?? '', /^infra2 \(172\.29\.236\.12\): Cannot reach infra2 .*Connection refused/);
});

test('without node runners (the CLI placing a container) only the deployment host is asked', async () => {
  const view = await loadHostView(answering(deploymentOutput), new LxcRuntime({ host: 'infra1' }), silentLogger);
  assert.deepEqual(view.nodes, []);
  assert.deepEqual(view.topology.remote.map((h) => h.name), ['infra2']);
});

test('dev mode on another physical host is known from the deployment host’s journals alone (the tree shows it before listing that host)', async () => {
  const journal = JSON.stringify(
    {
      format: 'osa-dev-journal/1',
      container: INFRA2[0],
      request: { container: INFRA2[0], service: 'heat', unit: 'heat-api', node: { name: 'infra2', address: '172.29.236.12' } },
      createdAt: '2026-11-25T16:40:01.120Z',
      updatedAt: '2026-11-25T16:40:09.877Z',
      steps: [{ id: 'stop-unit:heat-api', title: 'Stop heat-api.service', status: 'applied', original: {}, updatedAt: '2026-11-25T16:40:09.877Z' }],
    },
    null,
    1,
  );
  const withJournal: ExecResult = { ...deploymentOutput, stdout: `${deploymentOutput.stdout}\n@@osa-dev:journal\n${journal}\n` };
  // Without node runners: infra2 cannot have been contacted.
  const view = await loadHostView(answering(withJournal), new LxcRuntime({ host: 'infra1' }), silentLogger);
  assert.deepEqual(view.devModeElsewhere.map((c) => [c.name, c.node?.name, c.devMode?.state, c.state, c.managementIp]), [[INFRA2[0], 'infra2', 'active', 'unknown', '172.29.238.20']]);
  assert.equal(allContainers(view).some((c) => c.name === INFRA2[0]), false, 'not listed as if its host had been asked');
});

test("a node's SSH port is its inventory's ansible_port (a number or a string), 22 when unset; anything else is refused naming the host", () => {
  const withPort = (port: unknown): string => {
    const json = JSON.parse(inventoryText) as { _meta: { hostvars: Record<string, Record<string, unknown>> } };
    json._meta.hostvars['infra2']!['ansible_port'] = port;
    return JSON.stringify(json);
  };
  const node = (text: string): PhysicalNode | undefined => nodeOf(topologyOf(parseInventory(text), new Set(INFRA1)), INFRA2[0]!);
  assert.equal(node(inventoryText)?.port, undefined, 'unset: the SshHost default, 22');
  assert.deepEqual(node(withPort(2022)), { name: 'infra2', address: '172.29.236.12', port: 2022 });
  assert.deepEqual(node(withPort('2200')), { name: 'infra2', address: '172.29.236.12', port: 2200 });
  for (const bad of ['0', '65536', '22; reboot', '-p1', '', 'ssh']) {
    assert.throws(() => node(withPort(bad)), (e: Error) => e.message.includes('ansible_port of physical host infra2') && e.message.includes('1 to 65535'), String(bad));
  }
  assert.throws(() => node(withPort(22.5)), /ansible_port of physical host infra2/);
  // A journal records the port it dialled: Restore dials it again without the inventory.
  assert.deepEqual(journaledNode({ node: { name: 'infra2', address: '172.29.236.12', port: 2022 } }), { name: 'infra2', address: '172.29.236.12', port: 2022 });
  assert.deepEqual(journaledNode({ node: { name: 'infra2', address: '172.29.236.12' } }), { name: 'infra2', address: '172.29.236.12' });
});

test('mixed runtimes in one deployment: LXC on the deployment host, podman on a node; each container routes to the runtime that listed it (one probe per node)', async () => {
  const kollaPs = readFileSync(new URL('../../fixtures/podman/ps-kolla-lab-4.3.1.json', import.meta.url), 'utf8');
  const lines: string[] = [];
  // Each host answers its probe (the detect script, one line) and its snapshot, literally.
  const host = (probe: string, output: ExecResult): ShellRunner => ({
    exec: async (line) => {
      lines.push(line);
      return line.includes('probe lxc lxc-ls -1') ? { code: 0, stdout: probe, stderr: '' } : output;
    },
  });
  const infra1 = host('lxc ok 2\npodman ok 0\n', deploymentOutput);
  const infra2 = host('lxc ok 0\npodman ok 2\n', { code: 0, stdout: `${kollaPs}\n@@osa-dev:rc=0\n@@osa-dev:units`, stderr: '' });
  const runtimes = new HostRuntimes();
  const load = await loadDetectedDeployment('aio1', infra1, runtimes, silentLogger);
  const remote = load.view.topology.remote[0]!;
  const node = await load.listNode(remote, () => infra2);
  await load.listNode(remote, () => infra2);
  assert.equal(node.error, undefined);
  assert.deepEqual(node.services.flatMap((g) => g.containers.map((c) => c.name)).sort(), ['heat_api', 'heat_engine']);
  assert.equal(lines.filter((line) => line.includes('probe lxc lxc-ls -1')).length, 2, 'one probe for aio1, one for its node infra2');
  assert.ok(lines.every((line) => !line.includes('probe lxc') || !line.includes('\n')), 'the probe stays one line');
  assert.ok(lines.some((line) => line.includes('podman ps -a --format json')), "the node is listed with its own runtime");
  const onAio1 = runtimes.on('aio1');
  assert.equal(onAio1.execArgv('heat_api', ['id'])[0], 'podman');
  assert.equal(onAio1.execArgv(INFRA1[0]!, ['id'])[0], 'lxc-attach');
  assert.equal(runtimeKindOf(onAio1, 'heat_engine'), 'podman');
  assert.equal(runtimes.router.execArgv('heat_api', ['id'])[0], 'podman', 'by name alone too');
  // The same name on the deployment host and a node with different runtimes: the router names both.
  runtimes.remember('aio1', await runtimes.forHost('aio1', infra1), ['heat_api']);
  assert.equal(onAio1.execArgv('heat_api', ['id'])[0], 'lxc-attach', "the deployment host's own listing first, as the placement");
  assert.throws(() => runtimes.router.execArgv('heat_api', ['id']), /several hosts with different runtimes: aio1 \(lxc\), aio1>infra2 \(podman\)/);
});

test('a node listed without detection (the CLI) keeps the deployment host runtime, as before', async () => {
  const lines: string[] = [];
  const view = await loadHostView(answering(deploymentOutput), new LxcRuntime({ host: 'infra1' }), silentLogger, () => ({
    exec: async (line) => {
      lines.push(line);
      return infra2Output;
    },
  }));
  assert.equal(view.nodes[0]!.error, undefined);
  assert.equal(lines.length, 1, 'no probe: one round trip');
  assert.match(lines[0]!, /lxc-ls/);
});

/** The multi-node fixture with OSA's HAProxy groups as generate.py writes them from env.d/haproxy.yml (metal: the physical hosts themselves). */
function withHaproxy(groups: Record<string, { hosts: string[]; children: string[] }>): ReturnType<typeof parseInventory> {
  const doc = JSON.parse(inventoryText) as Record<string, unknown>;
  return parseInventory(JSON.stringify({ ...doc, ...groups }));
}
const OSA_HAPROXY_GROUPS = {
  haproxy_hosts: { hosts: ['infra1', 'infra2'], children: [] },
  haproxy: { hosts: ['infra1', 'infra2'], children: [] },
  haproxy_all: { hosts: [], children: ['haproxy'] },
  haproxy_container: { hosts: [], children: [] },
  haproxy_containers: { hosts: [], children: [] },
};

test("HAProxy hosts: every host of OSA's HAProxy groups with its ansible_host; the deployment host is the one it lists", () => {
  const topology = topologyOf(withHaproxy(OSA_HAPROXY_GROUPS), new Set(INFRA1));
  assert.deepEqual(
    topology.haproxy?.map((h) => [h.name, h.local, h.address]),
    [['infra1', true, '172.29.236.11'], ['infra2', false, '172.29.236.12']],
  );
  assert.deepEqual(haproxyPlaces(topology), [{ name: 'infra1' }, { name: 'infra2', node: { name: 'infra2', address: '172.29.236.12' } }]);
  // A dedicated deployment host (HAProxy not on it): every HAProxy host is reached through it.
  assert.deepEqual(haproxyPlaces(topologyOf(withHaproxy(OSA_HAPROXY_GROUPS), new Set())).map((p) => [p.name, p.node?.address]), [
    ['infra1', '172.29.236.11'],
    ['infra2', '172.29.236.12'],
  ]);
  // Only the component group (haproxy_all → haproxy), or newer configs' load_balancer_hosts: the same hosts.
  const componentOnly = topologyOf(withHaproxy({ haproxy: OSA_HAPROXY_GROUPS.haproxy, haproxy_all: OSA_HAPROXY_GROUPS.haproxy_all }), new Set(INFRA1));
  assert.deepEqual(componentOnly.haproxy?.map((h) => h.name), ['infra1', 'infra2']);
  const loadBalancer = topologyOf(withHaproxy({ load_balancer_hosts: { hosts: ['infra2'], children: [] } }), new Set(INFRA1));
  assert.deepEqual(haproxyPlaces(loadBalancer), [{ name: 'infra2', node: { name: 'infra2', address: '172.29.236.12' } }]);
});

test('no HAProxy group (an older inventory, an all-in-one without one): the deployment host alone; an all-in-one with one: itself', () => {
  const topology = topologyOf(inventory, new Set(INFRA1));
  assert.equal(topology.haproxy, undefined);
  assert.deepEqual(haproxyPlaces(topology), [{ name: 'infra1' }]);
  assert.deepEqual(haproxyPlaces(topologyOf(undefined, new Set())), [{ name: 'the deployment host' }]);
  const aio = JSON.parse(readFileSync(new URL('../../fixtures/osa/openstack_inventory.aio.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const aioWithGroup = parseInventory(JSON.stringify({ ...aio, haproxy_hosts: { hosts: ['aio1'], children: [] } }));
  for (const listed of [new Set<string>(), new Set(['aio1_galera_container-2f36d624'])]) {
    assert.deepEqual(haproxyPlaces(topologyOf(aioWithGroup, listed)), [{ name: 'aio1' }], 'no hop to itself, built or not');
  }
});

test("a HAProxy host without an address or with a bad ansible_port is refused by name when listed", async () => {
  const doc = JSON.parse(inventoryText) as { _meta: { hostvars: Record<string, Record<string, unknown>> } } & Record<string, unknown>;
  doc._meta.hostvars['infra2']!['ansible_port'] = 70000;
  const badPort = topologyOf(parseInventory(JSON.stringify({ ...doc, ...OSA_HAPROXY_GROUPS })), new Set(INFRA1));
  assert.throws(() => haproxyPlaces(badPort), /ansible_port of physical host infra2/);
  for (const key of ['ansible_host', 'container_address', 'ansible_port']) delete doc._meta.hostvars['infra2']![key];
  for (const container of INFRA2) delete doc._meta.hostvars[container]!['physical_host_addr'];
  const noAddress = topologyOf(parseInventory(JSON.stringify({ ...doc, ...OSA_HAPROXY_GROUPS })), new Set(INFRA1));
  const hosts = haproxyHostsFrom(async () => noAddress, () => assert.fail('nothing is dialled'));
  await assert.rejects(hosts.list(), (error: unknown) => error instanceof NoAddressError && error.host === 'infra2');
});
