import * as vscode from 'vscode';
import { ContextKeys, Settings } from '../constants';
import type { HostEntry } from './types';

interface HostSetting {
  host?: unknown;
  label?: unknown;
}

/** Reads and writes the configured hosts (`osaDev.hosts`), and tells when they change. */
export class HostRegistry implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${Settings.section}.${Settings.hosts}`)) {
        void this.updateContext();
        this.changed.fire();
      }
    });
    void this.updateContext();
  }

  list(): HostEntry[] {
    const raw = vscode.workspace.getConfiguration(Settings.section).get<HostSetting[]>(Settings.hosts, []);
    const seen = new Set<string>();
    const hosts: HostEntry[] = [];
    for (const item of Array.isArray(raw) ? raw : []) {
      if (typeof item?.host !== 'string' || item.host.trim() === '' || seen.has(item.host)) continue;
      seen.add(item.host);
      const label = typeof item.label === 'string' && item.label.trim() !== '' ? item.label : item.host;
      hosts.push({ host: item.host, label });
    }
    return hosts;
  }

  async add(entry: { host: string; label?: string }): Promise<void> {
    if (this.list().some((h) => h.host === entry.host)) return;
    const next = [...this.rawSettings(), entry.label ? { host: entry.host, label: entry.label } : { host: entry.host }];
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.hosts, next, vscode.ConfigurationTarget.Global);
  }

  async remove(host: string): Promise<void> {
    const next = this.rawSettings().filter((item) => item.host !== host);
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.hosts, next, vscode.ConfigurationTarget.Global);
  }

  private rawSettings(): HostSetting[] {
    const inspected = vscode.workspace.getConfiguration(Settings.section).inspect<HostSetting[]>(Settings.hosts);
    return [...(inspected?.globalValue ?? [])];
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.hostCount, this.list().length);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
