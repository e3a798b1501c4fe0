/**
 * What "production is back exactly" means, read from the lab host directly (not through the code
 * under test): HAProxy config bytes and server admin states, each container's unit states, pip
 * configuration and /etc files, hold drop-ins, dev processes, and the journal directory.
 */
import { labHostExec, type LabDescription } from './lab';
import { labNodes, nodeHaproxySnapshot } from './labNode';
import { CONTAINER_SNAPSHOT_SCRIPT, HAPROXY_STATES_SCRIPT, HOST_SNAPSHOT_SCRIPT, unsettledServers } from './productionSnapshotScripts';

/**
 * A text snapshot; two equal snapshots mean nothing production-relevant differs. It includes the
 * HAProxy of every other physical host of the lab (infra2 runs one with aio1's configuration: OSA's
 * haproxy_hosts), read in its namespaces, so every comparison covers both HAProxys.
 */
export function productionSnapshot(lab: LabDescription): string {
  const parts = [labHostExec(['bash', '-c', HOST_SNAPSHOT_SCRIPT]), ...labNodes(lab).map((node) => nodeHaproxySnapshot(node))];
  for (const container of lab.containers) {
    parts.push(`## ${container.name}`);
    parts.push(labHostExec(['lxc-attach', '-n', container.name, '--', 'sh', '-c', CONTAINER_SNAPSHOT_SCRIPT, 'sh', ...container.units]));
  }
  return parts.join('\n');
}

/** Waits until HAProxy's health checks agree with the admin states (UP servers really are UP). */
export async function waitForHaproxySettled(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = labHostExec(['bash', '-c', HAPROXY_STATES_SCRIPT]);
    if (unsettledServers(states).length === 0) return;
    if (Date.now() > deadline) throw new Error(`HAProxy servers still not UP after ${timeoutMs} ms:\n${states}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
