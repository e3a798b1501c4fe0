import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { loadCatalog, shippedCatalogPath, type Catalog } from '../../core/catalog';
import { DevLoopEngine, type ProgressEvent } from '../../core/devloop/engine';
import { JournalStore } from '../../core/devloop/journalStore';
import { haproxyHostsFrom } from '../../core/devloop/haproxyHosts';
import type { HaproxyHosts, StepContext } from '../../core/devloop/types';
import { DeferredRunner } from '../../core/process/deferredRunner';
import { LoggingRunner } from '../../core/process/loggingRunner';
import type { ShellRunner } from '../../core/process/types';
import type { ContainerRuntime } from '../../core/runtime/types';
import type { SshHost } from '../../core/ssh';
import { Settings } from '../constants';
import type { Placements } from '../hosts/placements';
import { windowHolder } from './holder';

/** Builds what one Develop or Restore on one container needs: engine, step context, catalog. */
export class DevLoop {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly connection: (host: string) => SshHost,
    readonly runtime: ContainerRuntime,
    private readonly logger: vscode.LogOutputChannel,
    private readonly placements: Placements,
    // Kolla names containers alike on every host: commands route by (host, container).
    private readonly runtimeOn: (host: string) => ContainerRuntime = () => runtime,
  ) {}

  /** The runtime commands on `host`'s containers are built with. */
  runtimeFor(host: string): ContainerRuntime {
    return this.runtimeOn(host);
  }

  /** The shipped catalog, under the user's file and the workspace's `.osa-dev.yaml`. Read fresh each time. */
  catalog(): Catalog {
    const userSetting = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.catalogFile, '');
    const user = userSetting.replace(/^~(?=\/|$)/, homedir()) || join(homedir(), '.config', 'osa-dev', 'services.yaml');
    const folder = vscode.workspace.workspaceFolders?.[0];
    return loadCatalog({
      shipped: { path: shippedCatalogPath(this.context.extensionPath) },
      user: { path: user },
      ...(folder?.uri.scheme === 'file' ? { workspace: { path: join(folder.uri.fsPath, '.osa-dev.yaml') } } : {}),
    });
  }

  /** The deployment host (the configured host): HAProxy and the dev-mode journals. */
  runner(host: string): ShellRunner {
    return new LoggingRunner(this.connection(host), this.logger, host);
  }

  /** The physical host that runs the container: the deployment host, or another one through it. */
  containerRunner(host: string, container: string): ShellRunner {
    return new DeferredRunner(async () => new LoggingRunner(await this.placements.connection(host, container), this.logger, await this.placements.label(host, container)));
  }

  engine(host: string, container: string): DevLoopEngine {
    const deployment = this.runner(host);
    return new DevLoopEngine({
      host: this.containerRunner(host, container),
      deployment,
      haproxy: this.haproxyHosts(host),
      runtime: this.runtimeOn(host),
      store: new JournalStore(deployment),
      container,
      holder: windowHolder(),
      logger: this.logger,
    });
  }

  /** Every HAProxy host of `host`'s deployment (its inventory's haproxy_hosts), the others through `host`. */
  haproxyHosts(host: string): HaproxyHosts {
    return haproxyHostsFrom(
      () => this.placements.topology(host),
      (node) => new LoggingRunner(this.placements.nodeConnection(host, node), this.logger, `${host}>${node.name}`),
    );
  }

  journals(host: string): JournalStore {
    return new JournalStore(this.runner(host));
  }

  stepContext(host: string, container: string, signal: AbortSignal, onProgress?: (event: ProgressEvent) => void): StepContext {
    return {
      host: this.containerRunner(host, container),
      deployment: this.runner(host),
      runtime: this.runtimeOn(host),
      container,
      logger: this.logger,
      signal,
      report: (message) => onProgress?.({ step: 'plan', title: 'Plan', index: -1, total: -1, status: 'running', message }),
    };
  }
}

/** Runs `body` under a cancellable progress notification that shows each step as "N/M title". */
export function withStepProgress<T>(
  title: string,
  body: (signal: AbortSignal, onProgress: (event: ProgressEvent) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    let lastIndex = -1;
    return body(controller.signal, (event) => {
      const increment = event.index > lastIndex && event.total > 0 ? ((event.index - lastIndex) * 100) / event.total : undefined;
      if (event.index > lastIndex) lastIndex = event.index;
      const counter = event.total > 0 ? `${event.index + 1}/${event.total} ` : '';
      const status = event.status === 'running' ? '' : ` — ${event.status.replace('-', ' ')}`;
      progress.report({ message: `${counter}${event.title}${status}${event.message ? `: ${event.message}` : ''}`, ...(increment ? { increment } : {}) });
    });
  });
}
