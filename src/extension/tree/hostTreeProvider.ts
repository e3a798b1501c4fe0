import * as vscode from 'vscode';
import type { HostView } from '../../core/model/hostView';
import type { HostRegistry } from '../hosts/hostRegistry';
import type { HostEntry } from '../hosts/types';
import type { CloudViewLoader } from './cloudNode';
import { HostNode, type HostViewLoader } from './hostNode';
import type { TreeNode } from './treeNode';

export class HostTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private hostNodes = new Map<string, HostNode>();
  private readonly loaded = new vscode.EventEmitter<{ host: HostEntry; view: HostView }>();
  /** Fires each time a host's containers were listed (the status bar follows dev mode with it). */
  readonly onDidLoadHost = this.loaded.event;
  private readonly subscription: vscode.Disposable;
  private readonly load: HostViewLoader;

  constructor(
    private readonly registry: HostRegistry,
    load: HostViewLoader,
    private readonly loadCloud?: CloudViewLoader,
  ) {
    this.load = async (host) => {
      const loaded = await load(host);
      this.loaded.fire({ host, view: loaded.view });
      return loaded;
    };
    this.subscription = registry.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.getChildren();
    const next = new Map<string, HostNode>();
    for (const entry of this.registry.list()) {
      const existing = this.hostNodes.get(entry.host);
      next.set(entry.host, existing && existing.host.label === entry.label ? existing : new HostNode(entry, this.load, this.loadCloud));
    }
    this.hostNodes = next;
    return [...next.values()];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /** Reload one host (or all): the host is asked again, once, in one round trip. */
  refresh(node?: TreeNode): void {
    let target: TreeNode | undefined = node;
    while (target && !(target instanceof HostNode)) target = target.parent;
    if (target instanceof HostNode) {
      target.invalidate();
      this.changed.fire(target);
      return;
    }
    for (const hostNode of this.hostNodes.values()) hostNode.invalidate();
    this.changed.fire(undefined);
  }

  hostNode(host: string): HostNode | undefined {
    return this.hostNodes.get(host);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.loaded.dispose();
  }
}
