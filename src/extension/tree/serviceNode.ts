import * as vscode from 'vscode';
import type { ServiceGroup } from '../../core/model/hostView';
import { ContextValues } from '../constants';
import type { HostEntry } from '../hosts/types';
import { ContainerNode } from './containerNode';
import type { TreeNode } from './treeNode';

export class ServiceNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly host: HostEntry,
    readonly group: ServiceGroup,
    readonly parent: TreeNode,
  ) {
    this.id = `${parent.id}/service:${group.service}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.service, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const running = this.group.containers.filter((c) => c.state === 'running').length;
    const total = this.group.containers.length;
    item.description = running === total ? `${total}` : `${running}/${total} running`;
    item.contextValue = ContextValues.service;
    item.iconPath = new vscode.ThemeIcon('layers');
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return this.group.containers.map((c) => new ContainerNode(this.host, c, this));
  }
}
