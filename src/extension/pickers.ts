import * as vscode from 'vscode';
import type { ContainerView, ServiceGroup } from '../core/model/hostView';
import type { HostEntry } from './hosts/types';
import type { Services } from './services';
import { ContainerNode } from './tree/containerNode';
import { PhysicalHostNode } from './tree/physicalHostNode';
import { ServiceNode } from './tree/serviceNode';

export interface ContainerTarget {
  readonly host: HostEntry;
  readonly container: ContainerView;
}

/** A target passed by code (the status bar, a notification's action) rather than a tree node. */
function isContainerTarget(value: unknown): value is ContainerTarget {
  return typeof value === 'object' && value !== null && 'host' in value && 'container' in value && !('getTreeItem' in value);
}

/** The container a command acts on: the tree selection, or asked with quick picks. */
export async function resolveContainer(services: Services, node: unknown): Promise<ContainerTarget | undefined> {
  if (node instanceof ContainerNode) return { host: node.host, container: node.container };
  if (isContainerTarget(node)) return node;
  const hosts = services.registry.list();
  const host = hosts.length === 1 ? hosts[0] : await pickHost(hosts);
  if (!host) return undefined;
  const containers = await listContainers(services, host);
  if (containers.length === 0) {
    void vscode.window.showWarningMessage(`No containers are listed for ${host.label}: refresh the OSA Dev view.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    containers.map((c) => ({ label: c.name, description: `${c.service} · ${c.state}${c.node ? ` · on ${c.node.name}` : ''}`, detail: c.managementIp, container: c })),
    { title: `Container on ${host.label}`, matchOnDescription: true },
  );
  return picked ? { host, container: picked.container } : undefined;
}

/** The host a command acts on: the tree node's host (any node under it), or asked. */
export async function resolveHost(services: Services, node: unknown): Promise<HostEntry | undefined> {
  const hosts = services.registry.list();
  if (typeof node === 'object' && node !== null && 'host' in node) {
    const entry = (node as { host: unknown }).host;
    const known = hosts.find((h) => typeof entry === 'object' && entry !== null && h.host === (entry as HostEntry).host);
    if (known) return known;
  }
  return hosts.length === 1 ? hosts[0] : pickHost(hosts);
}

/** The service groups the tree listed for a host (loading it when needed). */
export async function listedServices(services: Services, host: HostEntry): Promise<ServiceGroup[]> {
  await services.tree.getChildren();
  const hostNode = services.tree.hostNode(host.host);
  if (!hostNode) return [];
  const children = await hostNode.getChildren();
  // Multi-node: then the services of every other physical host (listed now if they were not yet).
  const groups: ServiceGroup[] = children.flatMap((child) => (child instanceof ServiceNode ? [child.group] : []));
  for (const child of children) if (child instanceof PhysicalHostNode) groups.push(...(await child.services()).services);
  return groups;
}

/** The containers the tree lists for a host (loading it when needed: one round trip). */
export async function listContainers(services: Services, host: HostEntry): Promise<ContainerView[]> {
  return (await listedServices(services, host)).flatMap((group) => group.containers);
}

async function pickHost(hosts: readonly HostEntry[]): Promise<HostEntry | undefined> {
  const picked = await vscode.window.showQuickPick(
    hosts.map((h) => ({ label: h.label, description: h.label === h.host ? undefined : h.host, host: h })),
    { title: 'OSA host' },
  );
  return picked?.host;
}
