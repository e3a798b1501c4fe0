import * as vscode from 'vscode';
import type { NodeView } from '../../core/model/hostView';
import type { RemoteHost } from '../../core/model/topology';
import { Commands, ContextValues } from '../constants';
import type { HostEntry } from '../hosts/types';
import { firstLine, MessageNode } from './messageNode';
import { ServiceNode } from './serviceNode';
import type { TreeNode } from './treeNode';

/**
 * Another physical host of a multi-node deployment, reached through the configured host: listed
 * (one round trip) when expanded, then its services and containers, or why it could not be listed.
 */
export class PhysicalHostNode implements TreeNode {
  readonly id: string;
  private listed: Promise<NodeView> | undefined;

  constructor(
    readonly host: HostEntry,
    readonly remote: RemoteHost,
    private readonly list: (remote: RemoteHost) => Promise<NodeView>,
    readonly parent: TreeNode,
    /** One of its containers is in dev mode (from the journals): shown expanded, so it is seen. */
    private readonly inDevMode = false,
  ) {
    this.id = `${parent.id}/node:${remote.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const { remote } = this;
    const item = new vscode.TreeItem(remote.name, this.inDevMode ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = remote.address ?? 'no address in the inventory';
    item.contextValue = ContextValues.physicalHost;
    item.iconPath = new vscode.ThemeIcon('server');
    item.tooltip =
      `Physical host ${remote.name}${remote.address ? ` (${remote.address})` : ''}: ${remote.containers.length} containers in the inventory, ` +
      `reached through ${this.host.host} over its SSH connection. HAProxy and the dev-mode journals stay on ${this.host.host}.`;
    return item;
  }

  /** Its services, listed once per refresh of the host. */
  async services(): Promise<NodeView> {
    this.listed ??= this.list(this.remote);
    return this.listed;
  }

  async getChildren(): Promise<TreeNode[]> {
    const node = await this.services();
    if (node.error) {
      this.listed = undefined; // expanding again retries
      return [new MessageNode(`${this.id}/error`, firstLine(node.error), node.error, 'error', { command: Commands.refresh, title: 'Retry', arguments: [this] }, this)];
    }
    if (node.services.length === 0) return [new MessageNode(`${this.id}/empty`, 'No LXC containers on this host', undefined, 'info', undefined, this)];
    return node.services.map((group) => new ServiceNode(this.host, group, this));
  }
}
