import * as vscode from 'vscode';
import type { ContainerView } from '../../core/model/hostView';
import { ContextValues } from '../constants';
import type { HostEntry } from '../hosts/types';
import type { TreeNode } from './treeNode';

const stateIcons: Record<string, { icon: string; color?: string }> = {
  running: { icon: 'vm-running', color: 'charts.green' },
  stopped: { icon: 'vm-outline', color: 'disabledForeground' },
  frozen: { icon: 'debug-pause', color: 'charts.blue' },
  starting: { icon: 'loading~spin', color: 'charts.yellow' },
  stopping: { icon: 'loading~spin', color: 'charts.yellow' },
  aborting: { icon: 'warning', color: 'charts.red' },
  unknown: { icon: 'question' },
};

export class ContainerNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly host: HostEntry,
    readonly container: ContainerView,
    readonly parent: TreeNode,
  ) {
    this.id = `${parent.id}/${container.name}`;
  }

  /** The address a user means by "the container's IP": management network first. */
  get primaryIp(): string | undefined {
    return this.container.managementIp ?? this.container.ipv4[0];
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.container;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const dev = devModeLabel(c.devMode);
    item.description = [this.primaryIp ?? c.state, dev].filter(Boolean).join(' · ');
    item.contextValue = ContextValues.container(c.state, c.devMode !== undefined);
    const look = c.devMode
      ? { icon: c.devMode.state === 'active' ? 'debug-alt' : 'warning', color: c.devMode.state === 'active' ? 'charts.orange' : 'charts.red' }
      : (stateIcons[c.state] ?? stateIcons.unknown);
    item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    item.tooltip = this.tooltip();
    item.accessibilityInformation = { label: `${c.name}, ${c.state}${this.primaryIp ? `, ${this.primaryIp}` : ''}` };
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const c = this.container;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escape(c.name)}** — ${c.state}\n\n`);
    md.appendMarkdown(`Service: ${escape(c.service)}${c.component ? ` (${escape(c.component)})` : ''}\n\n`);
    if (c.node) md.appendMarkdown(`Physical host: ${escape(c.node.name)} (${escape(c.node.address)}), reached through ${escape(this.host.host)}\n\n`);
    md.appendMarkdown(`IPv4: ${c.ipv4.length > 0 ? c.ipv4.map(escape).join(', ') : '—'}\n\n`);
    md.appendMarkdown(`Groups: ${c.groups.length > 0 ? c.groups.map(escape).join(', ') : '—'}\n\n`);
    md.appendMarkdown(`Units: ${c.units.length > 0 ? c.units.map(escape).join(', ') : '—'}`);
    if (c.devMode) {
      md.appendMarkdown(`\n\n---\n\n**${escape(devModeLabel(c.devMode) ?? '')}** since ${escape(c.devMode.updatedAt)}`);
      if (c.devMode.error) md.appendMarkdown(`\n\n${escape(c.devMode.error)}`);
      md.appendMarkdown('\n\nResume with Develop this service, or Restore production.');
    }
    return md;
  }

  async getChildren(): Promise<TreeNode[]> {
    return [];
  }
}

function devModeLabel(devMode: ContainerView['devMode']): string | undefined {
  if (!devMode) return undefined;
  if (devMode.state === 'active') return 'in dev mode';
  return `in dev mode (step ${devMode.stepNumber ?? '?'} ${devMode.state === 'failed' ? 'failed' : 'interrupted'})`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
