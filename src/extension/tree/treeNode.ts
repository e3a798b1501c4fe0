import type * as vscode from 'vscode';

/** A node of the OSA Dev tree: it builds its own TreeItem; the provider only delegates. */
export interface TreeNode {
  readonly id: string;
  readonly parent?: TreeNode;
  getTreeItem(): vscode.TreeItem;
  getChildren(): Promise<TreeNode[]>;
}
