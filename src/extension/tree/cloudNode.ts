import * as vscode from 'vscode';
import type { CloudEndpoint, CloudView } from '../../core/osa/cloudEndpoints';
import { Commands, ContextValues } from '../constants';
import type { HostEntry } from '../hosts/types';
import { MessageNode } from './messageNode';
import type { TreeNode } from './treeNode';

export type CloudViewLoader = (host: HostEntry) => Promise<CloudView>;

/** "Cloud": the deployment's API endpoints and Horizon URL, read when expanded. */
export class CloudNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly host: HostEntry,
    private readonly load: CloudViewLoader,
    readonly parent: TreeNode,
  ) {
    this.id = `${parent.id}/cloud`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Cloud', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = 'endpoints';
    item.contextValue = ContextValues.cloud;
    item.iconPath = new vscode.ThemeIcon('cloud');
    item.tooltip = 'API endpoints served by HAProxy on this host; Open OpenStack CLI opens a shell in the utility container with openrc sourced.';
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      const view = await this.load(this.host);
      const nodes: TreeNode[] = [];
      if (view.horizonUrl) nodes.push(new EndpointNode({ name: 'Horizon dashboard', backend: 'horizon', url: view.horizonUrl }, this, 'dashboard'));
      nodes.push(...view.endpoints.map((endpoint) => new EndpointNode(endpoint, this, 'globe')));
      if (nodes.length === 0) nodes.push(new MessageNode(`${this.id}/empty`, 'No HAProxy frontends found', undefined, 'info', undefined, this));
      return nodes;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return [new MessageNode(`${this.id}/error`, message.split('\n')[0]!, message, 'error', { command: Commands.refresh, title: 'Retry', arguments: [this] }, this)];
    }
  }
}

class EndpointNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly endpoint: CloudEndpoint,
    readonly parent: TreeNode,
    private readonly icon: string,
  ) {
    this.id = `${parent.id}/${endpoint.backend}/${endpoint.url}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.endpoint.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.endpoint.url;
    item.tooltip = `${this.endpoint.url} (HAProxy backend ${this.endpoint.backend})`;
    item.contextValue = ContextValues.endpoint;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    if (this.endpoint.url.startsWith('http')) {
      item.command = { command: 'vscode.open', title: 'Open in Browser', arguments: [vscode.Uri.parse(this.endpoint.url)] };
    }
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return [];
  }
}
