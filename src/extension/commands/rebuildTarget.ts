import * as vscode from 'vscode';
import type { OsaInventory } from '../../core/osa/inventory';
import type { HostEntry } from '../hosts/types';
import { listContainers, resolveHost } from '../pickers';
import type { Services } from '../services';
import { ContainerNode } from '../tree/containerNode';

export interface RebuildTarget {
  readonly host: HostEntry;
  readonly name: string;
}

/**
 * The container to rebuild: the tree's selection, else picked from the inventory. Picking from the
 * inventory (not the runtime's listing) is what lets a container that a cancelled or failed rebuild
 * left destroyed be rebuilt: it is gone from `lxc-ls`, so the tree no longer shows it.
 */
export async function resolveRebuildTarget(
  services: Services,
  node: unknown,
  readInventory: (host: HostEntry) => Promise<OsaInventory>,
): Promise<RebuildTarget | undefined> {
  if (node instanceof ContainerNode) return { host: node.host, name: node.container.name };
  if (typeof node === 'object' && node !== null && 'container' in node && 'host' in node) {
    const target = node as { host: HostEntry; container: { name: string } };
    return { host: target.host, name: target.container.name };
  }
  const host = await resolveHost(services, node);
  if (!host) return undefined;
  const inventory = await readInventory(host);
  const present = new Set((await listContainers(services, host)).map((c) => c.name));
  const items = [...inventory.containers.values()]
    .sort((a, b) => a.containerName.localeCompare(b.containerName))
    .map((entry) => ({
      label: entry.containerName,
      description: [entry.component ?? entry.serviceName, present.has(entry.containerName) ? undefined : 'not on the host: destroyed?']
        .filter((part) => part !== undefined)
        .join(' · '),
      detail: entry.physicalHost ? `on ${entry.physicalHost}` : undefined,
      value: entry.containerName,
    }));
  if (items.length === 0) {
    void vscode.window.showWarningMessage(`The inventory of ${host.label} defines no containers.`);
    return undefined;
  }
  const name = await services.prompter.pick({ title: `Rebuild Container on ${host.label}`, step: 1, totalSteps: 1 }, items, 'The container to destroy and create again');
  return name === undefined ? undefined : { host, name };
}
