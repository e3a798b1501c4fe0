import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { SourceSync } from '../../core/sync';
import { Settings } from '../constants';
import type { DevLoop } from './devLoop';
import type { DevTerminals } from './devTerminals';

export interface WatchedTree {
  readonly host: string;
  readonly container: string;
  readonly unit: string;
  readonly localDir: string;
  readonly dest: string;
}

/**
 * The inner loop: while a service is in dev mode from a local working tree, each save under that
 * tree is synced into the container (only the saved file, one round trip) and, with
 * `osaDev.restartOnSave`, the dev process restarts.
 */
export class InnerLoop implements vscode.Disposable {
  private readonly trees = new Map<string, { tree: WatchedTree; sync: SourceSync }>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly devLoop: DevLoop,
    private readonly devTerminals: DevTerminals,
    private readonly logger: vscode.LogOutputChannel,
  ) {
    this.subscription = vscode.workspace.onDidSaveTextDocument((document) => void this.onSaved(document.uri));
  }

  watch(tree: WatchedTree): void {
    const sync = new SourceSync({
      host: this.devLoop.containerRunner(tree.host, tree.container),
      runtime: this.devLoop.runtimeFor(tree.host),
      container: tree.container,
      localDir: tree.localDir,
      dest: tree.dest,
      logger: this.logger,
    });
    this.trees.set(`${tree.host}/${tree.container}`, { tree, sync });
  }

  unwatch(host: string, container: string): void {
    this.trees.delete(`${host}/${container}`);
  }

  private async onSaved(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file') return;
    for (const { tree, sync } of this.trees.values()) {
      const path = relative(tree.localDir, uri.fsPath);
      if (path === '' || path.startsWith('..') || path.startsWith(sep)) continue;
      try {
        const started = Date.now();
        const result = await sync.syncChanged([path.split(sep).join('/')]);
        this.logger.info(`[${tree.host}] synced ${path} into ${tree.container} in ${Date.now() - started} ms (${result.sent} sent, ${result.deleted.length} deleted)`);
        if (vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.restartOnSave, true)) this.devTerminals.restartUnit(tree.host, tree.container, tree.unit);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error(`Syncing ${path} into ${tree.container} failed: ${message}`);
        void vscode.window.showErrorMessage(`Syncing ${path} into ${tree.container} failed: ${message}`);
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
