import * as vscode from 'vscode';
import type { ChangeSummary, GerritClient, GerritProject, Patchset } from '../../core/gerrit';
import { Commands } from '../constants';
import type { TreeNode } from '../tree/treeNode';

/** contextValues of the Gerrit view, matched by `viewItem` regexes in package.json. */
export const GerritContextValues = {
  change: 'gerritChange',
  patchset: 'gerritPatchset',
  latestPatchset: 'gerritPatchsetLatest',
  more: 'gerritMore',
} as const;

/** What "Develop this change", "Check out locally" and "Open in browser" act on. */
export interface ChangeTarget {
  readonly project: GerritProject;
  readonly change: ChangeSummary;
  /** Absent: the current patchset. */
  readonly patchset?: number;
}

/** Gerrit's timestamps are UTC `2026-01-05 09:06:00.000000000`: shown to the minute, stable (no "3 minutes ago" churn). */
export function shortDate(gerritDate: string): string {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.exec(gerritDate)?.[0] ?? gerritDate;
}

function ownerName(change: ChangeSummary): string {
  return change.owner.name ?? change.owner.username ?? `account ${change.owner.id}`;
}

export class ChangeNode implements TreeNode, ChangeTarget {
  readonly id: string;

  constructor(
    readonly project: GerritProject,
    readonly change: ChangeSummary,
    private readonly client: () => Promise<GerritClient>,
  ) {
    this.id = `gerrit:${project.baseUrl}/${change.number}`;
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.change;
    const item = new vscode.TreeItem(`${c.number} ${c.subject}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = `${ownerName(c)} · ${shortDate(c.updated)}`;
    item.contextValue = GerritContextValues.change;
    item.iconPath = new vscode.ThemeIcon('git-pull-request');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendText(`${c.number}: ${c.subject}\n\n`);
    md.appendText(`Owner: ${ownerName(c)}\nBranch: ${c.branch}${c.topic ? `\nTopic: ${c.topic}` : ''}\nUpdated: ${shortDate(c.updated)} UTC\nPatchsets: ${c.latestPatchset ?? '?'}`);
    item.tooltip = md;
    item.accessibilityInformation = { label: `Change ${c.number}, ${c.subject}, by ${ownerName(c)}, updated ${shortDate(c.updated)}` };
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const client = await this.client();
    const patchsets = await client.listPatchsets(this.change.number, { project: this.change.project });
    const latest = Math.max(...patchsets.map((ps) => ps.number));
    return [...patchsets].reverse().map((ps) => new PatchsetNode(this, ps, ps.number === latest));
  }
}

export class PatchsetNode implements TreeNode, ChangeTarget {
  readonly id: string;
  readonly project: GerritProject;
  readonly change: ChangeSummary;
  readonly patchset: number;

  constructor(
    readonly parent: ChangeNode,
    readonly info: Patchset,
    readonly latest: boolean,
  ) {
    this.id = `${parent.id}/${info.number}`;
    this.project = parent.project;
    this.change = parent.change;
    this.patchset = info.number;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Patchset ${this.info.number}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [this.latest ? 'latest' : undefined, this.info.revision.slice(0, 10), this.info.created ? shortDate(this.info.created) : undefined].filter(Boolean).join(' · ');
    item.contextValue = this.latest ? GerritContextValues.latestPatchset : GerritContextValues.patchset;
    item.iconPath = new vscode.ThemeIcon(this.latest ? 'star-full' : 'git-commit');
    item.tooltip = `${this.info.ref}\n${this.info.revision}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return [];
  }
}

/** The last row while Gerrit has more open changes: loads the next page (`S=`). */
export class LoadMoreNode implements TreeNode {
  readonly id = 'gerrit:more';

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = GerritContextValues.more;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: Commands.gerritLoadMore, title: 'Load more' };
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return [];
  }
}
