import type { OsaInventory } from '../osa/inventory';
import { parsePort } from '../ssh/hostSpec';

/** A physical host other than the deployment host, reached through it over SSH. */
export interface PhysicalNode {
  /** Its inventory name (`infra2`, `compute1`): what its containers' `physical_host` says. */
  readonly name: string;
  /** The address the deployment host reaches it at (its `ansible_host`). */
  readonly address: string;
  /** Its sshd's port (its `ansible_port`); absent when the inventory sets none: 22. */
  readonly port?: number;
}

/** A physical host of a multi-node inventory that the deployment host does not run itself. */
export interface RemoteHost {
  readonly name: string;
  /** Undefined when the inventory gives it no address: it cannot be listed, and says why. */
  readonly address?: string;
  /** Its `ansible_port` as the inventory writes it, when set: validated by nodeFrom. */
  readonly ansiblePort?: string;
  /** Its containers, by name, as the inventory places them. */
  readonly containers: readonly string[];
}

/** Where a deployment's containers run: on the deployment host itself, or on the other physical hosts. */
export interface Topology {
  /** The deployment host's own inventory name, when some of its containers are in the inventory. */
  readonly localName?: string;
  /** Physical hosts with containers that the deployment host does not list: sorted by name. */
  readonly remote: readonly RemoteHost[];
  /**
   * The physical hosts that run HAProxy, each with the FULL configuration (every backend), from
   * OSA's HAProxy groups; absent when the inventory has none (an all-in-one, an older inventory):
   * HAProxy is then taken to run on the deployment host.
   */
  readonly haproxy?: readonly HaproxyHost[];
}

/**
 * OSA's groups of the hosts that run HAProxy (inventory/env.d/haproxy.yml): the physical_skel
 * groups openstack_user_config fills (`haproxy_hosts`, `load_balancer_hosts` in newer configs),
 * and the metal component group `haproxy` with its meta group `haproxy_all`.
 */
export const HAPROXY_GROUPS: readonly string[] = ['haproxy_hosts', 'load_balancer_hosts', 'haproxy_all', 'haproxy'];

/** A physical host running HAProxy (on metal, keepalived holding the VIP on one of them). */
export interface HaproxyHost extends RemoteHost {
  /** It is the deployment host itself: reached over its own connection, no hop. */
  readonly local: boolean;
}

/**
 * Splits the inventory's physical hosts into the deployment host and the others. The deployment
 * host is the physical host whose containers its own runtime lists (its `lxc-ls`): LXC only lists
 * the containers of the host it runs on, so this needs neither its hostname nor its addresses.
 * A physical host's address is its own `_meta.hostvars` entry's `ansible_host` (osa_toolkit's
 * generate.py writes each host from openstack_user_config's `ip`), else a container's
 * `physical_host_addr` (older or hand-written inventories). Metal-only hosts (no containers) and
 * an inventory with one physical host give no remote hosts: an all-in-one stays as it is.
 */
export function topologyOf(inventory: OsaInventory | undefined, listedHere: ReadonlySet<string>): Topology {
  if (inventory === undefined) return { remote: [] };
  const byHost = new Map<string, string[]>();
  for (const container of inventory.containers.values()) {
    if (container.physicalHost === undefined) continue;
    byHost.set(container.physicalHost, [...(byHost.get(container.physicalHost) ?? []), container.containerName]);
  }
  const local = [...byHost.entries()].filter(([, containers]) => containers.some((c) => listedHere.has(c))).map(([name]) => name);
  const remote: RemoteHost[] = [];
  for (const [name, containers] of [...byHost.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (local.includes(name)) continue;
    const address = addressOf(inventory, name, containers);
    const ansiblePort = inventory.hosts.get(name)?.ansiblePort;
    remote.push({ name, ...(address === undefined ? {} : { address }), ...(ansiblePort === undefined ? {} : { ansiblePort }), containers: [...containers].sort() });
  }
  // A single physical host is the all-in-one even when its containers are not built yet.
  if (local.length === 0 && remote.length <= 1) {
    // ...and so is its HAProxy host; with no container anywhere, only one physical host can be told to be it.
    const allInOne = remote.length === 1 || inventory.physicalHosts.length <= 1;
    return { remote: [], ...haproxyOf(inventory, () => allInOne) };
  }
  const localName = local.sort()[0];
  return { ...(localName === undefined ? {} : { localName }), remote, ...haproxyOf(inventory, (name) => name === localName) };
}

/**
 * The physical hosts in any of OSA's HAProxy groups (a member that is a metal "container" entry
 * counts as its physical_host), with their addresses. `isLocal` tells the deployment host: the
 * physical host whose containers it lists, or the only physical host of an all-in-one. A
 * deployment host that lists no container of its own is reached like any other HAProxy host
 * (through itself, at its ansible_host: an extra hop, not a wrong host).
 */
function haproxyOf(inventory: OsaInventory, isLocal: (name: string) => boolean): Pick<Topology, 'haproxy'> {
  const names = new Set<string>();
  for (const host of inventory.hosts.values()) {
    if (host.groups.some((g) => HAPROXY_GROUPS.includes(g))) names.add(host.physicalHost ?? host.inventoryName);
  }
  if (names.size === 0) return {};
  const haproxy = [...names].sort().map((name): HaproxyHost => {
    const containers = [...inventory.containers.values()].filter((c) => c.physicalHost === name).map((c) => c.containerName).sort();
    const address = addressOf(inventory, name, containers);
    const ansiblePort = inventory.hosts.get(name)?.ansiblePort;
    return { name, local: isLocal(name), ...(address === undefined ? {} : { address }), ...(ansiblePort === undefined ? {} : { ansiblePort }), containers };
  });
  return { haproxy };
}

/** The physical host a container runs on; undefined when that is the deployment host itself. */
export function nodeOf(topology: Topology, container: string): PhysicalNode | undefined {
  const host = topology.remote.find((h) => h.containers.includes(container));
  return host === undefined ? undefined : nodeFrom(host);
}

/** How to dial a remote host: its address, and its `ansible_port` checked (1–65535) before anything is dialled. */
export function nodeFrom(host: RemoteHost): PhysicalNode {
  if (host.address === undefined) throw new NoAddressError(host.name);
  if (host.ansiblePort === undefined) return { name: host.name, address: host.address };
  return { name: host.name, address: host.address, port: parsePort(host.ansiblePort.trim(), `ansible_port of physical host ${host.name} in the inventory`) };
}

/** The inventory names a physical host but gives no address to reach it at. */
export class NoAddressError extends Error {
  constructor(readonly host: string) {
    super(
      `The inventory gives physical host ${host} no address (its _meta.hostvars entry has no ansible_host): ` +
        `its containers cannot be reached. Check ${host}'s ip in openstack_user_config.yml and regenerate the inventory.`,
    );
    this.name = 'NoAddressError';
  }
}

function addressOf(inventory: OsaInventory, name: string, containers: readonly string[]): string | undefined {
  const own = inventory.hosts.get(name)?.managementAddress;
  if (own !== undefined) return own;
  return containers.map((c) => inventory.containers.get(c)?.physicalHostAddr).find((a) => a !== undefined);
}
