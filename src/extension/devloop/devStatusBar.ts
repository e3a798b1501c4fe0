import * as vscode from 'vscode';
import { allContainers, type ContainerView, type HostView } from '../../core/model/hostView';
import { Commands } from '../constants';
import type { HostEntry } from '../hosts/types';
import type { ContainerTarget } from '../pickers';

/** Shows while any container is in dev mode; a click restores production (asking which, if several). */
export class DevStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('osaDev.devMode', vscode.StatusBarAlignment.Left, 50);
  private readonly inDevMode = new Map<string, ContainerTarget[]>();

  constructor() {
    this.item.name = 'OSA Dev: dev mode';
  }

  update(host: HostEntry, view: HostView): void {
    const listed = allContainers(view);
    // Other physical hosts are listed when expanded; their dev-mode containers come from the journals.
    const elsewhere = view.devModeElsewhere.filter((c) => !listed.some((l) => l.name === c.name));
    const containers: ContainerView[] = [...listed, ...elsewhere].filter((c) => c.devMode !== undefined);
    this.inDevMode.set(host.host, containers.map((container) => ({ host, container })));
    this.render();
  }

  targets(): ContainerTarget[] {
    return [...this.inDevMode.values()].flat();
  }

  private render(): void {
    const targets = this.targets();
    if (targets.length === 0) {
      this.item.hide();
      return;
    }
    const failed = targets.some((t) => t.container.devMode?.state !== 'active');
    const first = targets[0]!;
    this.item.text = targets.length === 1 ? `$(debug-alt) Dev: ${first.container.devMode?.service ?? first.container.service} · ${first.container.name}` : `$(debug-alt) ${targets.length} in dev mode`;
    this.item.tooltip = new vscode.MarkdownString(
      `**In dev mode** (click to restore production):\n\n${targets.map((t) => `- ${t.container.name} on ${t.host.label}${t.container.devMode?.state === 'active' ? '' : ` — step ${t.container.devMode?.stepNumber ?? '?'} ${t.container.devMode?.state}`}`).join('\n')}`,
    );
    this.item.backgroundColor = new vscode.ThemeColor(failed ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.item.command = { command: Commands.restore, title: 'Restore Production', arguments: targets.length === 1 ? [first] : [] };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
