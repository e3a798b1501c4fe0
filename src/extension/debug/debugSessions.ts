import type { Server } from 'node:net';
import * as vscode from 'vscode';
import { debugpyUnreachable } from '../../core/debug/preflight';
import { localSitePackages, resolveAttach, type DebugSettings } from '../../core/debug/resolveAttach';
import { localSitePackagesEntries, remoteSitePackages } from '../../core/debug/sitePackages';
import type { DevelopRequest } from '../../core/devloop/plan';
import { devSourceDir } from '../../core/devloop/steps/codeStep';
import { devVenvPath } from '../../core/devloop/steps/devVenv';
import type { SshHost } from '../../core/ssh';
import { Settings } from '../constants';
import type { DevLoop } from '../devloop/devLoop';

export const DEBUG_TYPE = 'osa-dev';
/** The Python debugger extension: when installed, OSA Dev hands it a standard `debugpy` attach. */
export const PYTHON_DEBUGGER = 'ms-python.debugpy';

/** What a user writes in launch.json: `{ type: 'osa-dev', request: 'attach', host, service }`. */
export interface OsaDevDebugConfiguration extends vscode.DebugConfiguration {
  host?: string;
  /** A unit (heat-engine) or a service (heat) in dev mode on that host. */
  service?: string;
  container?: string;
  localRoot?: string;
  justMyCode?: boolean;
  /** Local copy of the service's site-packages (with justMyCode false). */
  sitePackages?: string;
}

/** The `osaDev.debug.*` settings. */
function debugSettings(): DebugSettings {
  const config = vscode.workspace.getConfiguration(Settings.section);
  return { justMyCode: config.get<boolean>(Settings.debugJustMyCode, true), sitePackages: config.get<string>(Settings.debugSitePackages, '') };
}

/**
 * Debug sessions on dev processes: finds the dev session (journal on the host), forwards a local
 * port to debugpy on the container's management IP through the SSH connection, and attaches —
 * with the Python debugger extension when it is installed, else by talking DAP to debugpy itself.
 * The forward closes when the debug session ends.
 */
export class DebugSessions implements vscode.DebugConfigurationProvider, vscode.DebugAdapterDescriptorFactory, vscode.Disposable {
  private readonly forwards = new Map<string, Server>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly devLoop: DevLoop,
    /** The connection to the physical host that runs a container. */
    private readonly connection: (host: string, container: string) => Promise<SshHost>,
    private readonly logger: vscode.LogOutputChannel,
    private readonly hosts: () => readonly string[],
  ) {
    this.subscriptions.push(
      vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, this),
      // Only the list: registered with resolveDebugConfiguration too, VS Code would resolve every
      // configuration twice (a second forward, leaked, and the second pass sees the resolved body).
      vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, { provideDebugConfigurations: () => this.provideDebugConfigurations() }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
      vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, this),
      vscode.debug.onDidTerminateDebugSession((session) => this.closeForward(session.configuration['osaDevForward'] as string | undefined)),
    );
  }

  /** Starts a debug session on a container's dev process (after Develop with Debug, or Attach Debugger). */
  async attach(host: string, container: string, unit: string): Promise<boolean> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return vscode.debug.startDebugging(folder, { type: DEBUG_TYPE, request: 'attach', name: `${unit} in ${container}`, host, service: unit, container });
  }

  /** Run and Debug's dynamic list: one attach per dev session with debugging on. */
  async provideDebugConfigurations(): Promise<vscode.DebugConfiguration[]> {
    const configurations: vscode.DebugConfiguration[] = [];
    for (const host of this.hosts()) {
      const journals = await this.devLoop.journals(host).list().catch(() => []);
      for (const journal of journals) {
        const request = journal.request as Partial<DevelopRequest>;
        if (request.unit && request.debug) {
          configurations.push({ type: DEBUG_TYPE, request: 'attach', name: `OSA Dev: ${request.unit} on ${host}`, host, service: request.unit, container: journal.container });
        }
      }
    }
    return configurations;
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: OsaDevDebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    try {
      return await this.resolve(folder, config);
    } catch (error) {
      // A clear message, no session; nothing on the host was changed by resolving.
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`debug ${config.name ?? ''}: ${message}`);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  private async resolve(folder: vscode.WorkspaceFolder | undefined, config: OsaDevDebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (!config.host || !config.service) {
      throw new Error('An osa-dev debug configuration needs "host" (an OSA host alias) and "service" (e.g. "heat-engine").');
    }
    const found = await this.findSession(config.host, config.service, config.container);
    const ip = found.request.managementIp;
    if (!found.request.debug || !ip) {
      throw new Error(`${found.request.unit} in ${found.container} does not run under the debugger: run Develop This Service with "Run under the debugger".`);
    }
    const runner = this.devLoop.containerRunner(config.host, found.container);
    const unreachable = await debugpyUnreachable(runner, this.devLoop.runtimeFor(config.host), found.container, ip, found.request.debug.port);
    if (unreachable) throw new Error(unreachable);
    const localRoot = config.localRoot ?? (found.request.source?.kind === 'local' ? found.request.source.path : folder?.uri.fsPath);
    if (!localRoot) throw new Error('No local working tree to map breakpoints from: open the project folder or set "localRoot".');
    const remoteRoot = found.request.source?.kind === 'container-path' ? found.request.source.path : devSourceDir(found.request.project ?? found.request.service ?? 'project');
    const settings = debugSettings();
    const localLibraries = localSitePackages(config, settings);
    const localEntries = localLibraries ? localSitePackagesEntries(localLibraries) : [];
    const remoteLibraries = localLibraries
      ? await remoteSitePackages(runner, this.devLoop.runtimeFor(config.host), found.container, devVenvPath(found.request.service ?? config.service))
      : [];
    const server = await (await this.connection(config.host, found.container)).forwardOut(ip, found.request.debug.port);
    const address = server.address();
    const localPort = typeof address === 'object' && address ? address.port : 0;
    const key = `${config.host}/${found.container}/${localPort}`;
    this.forwards.set(key, server);
    this.logger.info(`[${config.host}] debug: 127.0.0.1:${localPort} → ${ip}:${found.request.debug.port} through SSH`);
    // With ms-python.debugpy: a `debugpy` attach for it; without: VS Code talks DAP to debugpy (createDebugAdapterDescriptor).
    return resolveAttach({
      launch: config,
      settings,
      pythonDebugger: vscode.extensions.getExtension(PYTHON_DEBUGGER) !== undefined,
      localPort,
      localRoot,
      remoteRoot,
      remoteSitePackages: remoteLibraries,
      localSitePackagesEntries: localEntries,
      forwardKey: key,
    }) as vscode.DebugConfiguration;
  }

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    return new vscode.DebugAdapterServer(session.configuration['osaDevPort'] as number, '127.0.0.1');
  }

  private async findSession(host: string, service: string, container?: string): Promise<{ container: string; request: Partial<DevelopRequest> & { unit: string } }> {
    const journals = await this.devLoop.journals(host).list();
    const matches = journals.filter((j) => {
      const request = j.request as Partial<DevelopRequest>;
      return (container === undefined || j.container === container) && (request.unit === service || request.service === service);
    });
    if (matches.length === 0) throw new Error(`Nothing named ${service} is in dev mode on ${host}: run Develop This Service first.`);
    if (matches.length > 1 && container === undefined) throw new Error(`${service} is in dev mode in several containers on ${host}: add "container" to the configuration.`);
    const match = matches[0]!;
    return { container: match.container, request: match.request as Partial<DevelopRequest> & { unit: string } };
  }

  private closeForward(key: string | undefined): void {
    if (!key) return;
    this.forwards.get(key)?.close();
    this.forwards.delete(key);
  }

  dispose(): void {
    for (const server of this.forwards.values()) server.close();
    this.forwards.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
