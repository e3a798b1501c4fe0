import * as vscode from 'vscode';
import { ContextValues } from '../constants';
import type { TreeNode } from './treeNode';

/** A leaf that explains a problem (or an empty state) and, when possible, the next step. */
export class MessageNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly message: string,
    private readonly detail: string | undefined,
    private readonly kind: 'error' | 'info',
    private readonly action?: vscode.Command,
    readonly parent?: TreeNode,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = this.kind === 'error' ? ContextValues.error : 'message';
    item.iconPath =
      this.kind === 'error'
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
        : new vscode.ThemeIcon('info');
    if (this.detail) item.tooltip = new vscode.MarkdownString(this.detail);
    if (this.action) item.command = this.action;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return [];
  }
}

/** The first line of a message, short enough for a tree label. */
export function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? text;
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
