import * as vscode from 'vscode';
import type { HostView, NodeView } from '../../core/model/hostView';
import type { RemoteHost } from '../../core/model/topology';
import { Commands, ContextValues } from '../constants';
import type { HostEntry } from '../hosts/types';
import { CloudNode, type CloudViewLoader } from './cloudNode';
import { firstLine, MessageNode } from './messageNode';
import { PhysicalHostNode } from './physicalHostNode';
import { ServiceNode } from './serviceNode';
import type { TreeNode } from './treeNode';

/** A host's view (one round trip) and, on a multi-node deployment, how to list each other physical host. */
export interface HostLoad {
  readonly view: HostView;
  listNode(remote: RemoteHost): Promise<NodeView>;
}

export type HostViewLoader = (host: HostEntry) => Promise<HostLoad>;

/** A configured host. Loads its containers on first expansion (no SSH before the view shows). */
export class HostNode implements TreeNode {
  readonly id: string;
  private view: Promise<HostLoad> | undefined;
  private lastError: unknown;

  constructor(
    readonly host: HostEntry,
    private readonly load: HostViewLoader,
    private readonly loadCloud?: CloudViewLoader,
  ) {
    this.id = `host:${host.host}`;
  }

  /** Forget what was loaded: the next expansion asks the host again. */
  invalidate(): void {
    this.view = undefined;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.host.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = this.host.label === this.host.host ? undefined : this.host.host;
    item.contextValue = this.lastError ? ContextValues.hostError : ContextValues.host;
    item.iconPath = new vscode.ThemeIcon(this.lastError ? 'vm-outline' : 'server-environment');
    item.tooltip = `OpenStack-Ansible host ${this.host.host}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    this.view ??= this.load(this.host);
    try {
      const load = await this.view;
      this.lastError = undefined;
      return this.nodesFor(load);
    } catch (error) {
      this.lastError = error;
      this.view = undefined;
      const message = error instanceof Error ? error.message : String(error);
      return [
        new MessageNode(
          `${this.id}/error`,
          firstLine(message),
          message,
          'error',
          { command: Commands.refresh, title: 'Retry', arguments: [this] },
          this,
        ),
      ];
    }
  }

  private nodesFor({ view, listNode }: HostLoad): TreeNode[] {
    const nodes: TreeNode[] = view.warnings.map(
      (warning, i) => new MessageNode(`${this.id}/warning-${i}`, firstLine(warning), warning, 'info', undefined, this),
    );
    if (view.services.length === 0) {
      nodes.push(new MessageNode(`${this.id}/empty`, 'No LXC containers on this host', undefined, 'info', undefined, this));
    }
    if (this.loadCloud && view.inventoryFound) nodes.push(new CloudNode(this.host, this.loadCloud, this));
    for (const group of view.services) nodes.push(new ServiceNode(this.host, group, this));
    // Multi-node: the host's own services stay as on an all-in-one; each other physical host follows,
    // listed when expanded (no SSH to it, and no host-key question, before the user asks).
    for (const remote of view.topology.remote) {
      const inDevMode = view.devModeElsewhere.some((c) => remote.containers.includes(c.name));
      nodes.push(new PhysicalHostNode(this.host, remote, listNode, this, inDevMode));
    }
    return nodes;
  }
}
