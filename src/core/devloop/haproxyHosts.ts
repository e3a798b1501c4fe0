import { nodeFrom, type PhysicalNode, type Topology } from '../model/topology';
import type { ShellRunner } from '../process/types';
import type { HaproxyHosts, HaproxyPlace } from './types';

/** How the deployment host is named where the inventory gives it no name (no HAProxy group, an all-in-one). */
export const DEPLOYMENT_HOST = 'the deployment host';

/**
 * Where HAProxy runs, from a topology (the deployment host's inventory, see topologyOf): every host
 * of OSA's HAProxy groups, the deployment host by its own connection and the others through it;
 * without such a group, the deployment host alone (what OSA Dev did before it read the groups).
 * A host the inventory gives no usable address makes list() throw (NoAddressError names it).
 */
export function haproxyHostsFrom(topology: () => Promise<Topology>, reach: (node: PhysicalNode) => ShellRunner): HaproxyHosts {
  return { list: async () => haproxyPlaces(await topology()), reach };
}

export function haproxyPlaces(topology: Topology): HaproxyPlace[] {
  const hosts = topology.haproxy ?? [];
  if (hosts.length === 0) return [{ name: topology.localName ?? DEPLOYMENT_HOST }];
  const local = hosts.find((h) => h.local);
  return [...(local ? [{ name: local.name }] : []), ...hosts.filter((h) => !h.local).map((h) => ({ name: h.name, node: nodeFrom(h) }))];
}
