import * as vscode from 'vscode';
import { loadDetectedDeployment } from '../core/model/loadDetectedHostView';
import type { PhysicalNode } from '../core/model/topology';
import { LoggingRunner } from '../core/process/loggingRunner';
import type { SshHost } from '../core/ssh';
import { loadCloudView } from '../core/osa/loadCloudView';
import { HostRuntimes } from '../core/runtime/hostRuntimes';
import { registerCommands } from './commands/registerCommands';
import { Settings, Views } from './constants';
import { ContainerFileSystem, SCHEME } from './fs/containerFileSystem';
import { ConnectionPool } from './hosts/connectionPool';
import { HostRegistry } from './hosts/hostRegistry';
import { Placements } from './hosts/placements';
import type { Services } from './services';
import { HostTreeProvider } from './tree/hostTreeProvider';
import { DevLoop } from './devloop/devLoop';
import { DevStatusBar } from './devloop/devStatusBar';
import { DevTerminals } from './devloop/devTerminals';
import { InnerLoop } from './devloop/innerLoop';
import { DebugSessions } from './debug/debugSessions';
import { QuickInputPrompter } from './wizard/prompter';
import { GerritTreeProvider } from './gerrit/gerritTreeProvider';

/**
 * Activation is lazy (the view or a command) and cheap: nothing here opens an SSH connection.
 * Hosts are contacted when their tree node is first expanded or a command needs them.
 */
export function activate(context: vscode.ExtensionContext): Services {
  const logger = vscode.window.createOutputChannel('OSA Dev', { log: true });
  const registry = new HostRegistry();
  // Each host's runtime (LXC, podman, docker) is detected on first listing; commands on a
  // container use the runtime of the host that listed it.
  const runtimes = new HostRuntimes();
  const runtime = runtimes.router;
  const connections = new ConnectionPool(context, logger);
  const placements = new Placements(connections, runtime, logger);
  const containerHost = (host: string, container: string): Promise<SshHost> => placements.connection(host, container);
  const tree = new HostTreeProvider(registry, async (host) => {
    try {
      const load = await loadDetectedDeployment(host.host, connections.get(host.host), runtimes, logger);
      placements.learn(host.host, load.view);
      const nodeRunner = (node: PhysicalNode): LoggingRunner => new LoggingRunner(connections.node(host.host, node), logger, `${host.host}>${node.name}`);
      return { view: load.view, listNode: (remote) => load.listNode(remote, nodeRunner) };
    } catch (error) {
      logger.error(`${host.host}: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }, (host) => loadCloudView(connections.get(host.host)));
  const devLoop = new DevLoop(context, (host) => connections.get(host), runtime, logger, placements, (host) => runtimes.on(host));
  const devTerminals = new DevTerminals(containerHost, (host) => runtimes.on(host), logger);
  const statusBar = new DevStatusBar();
  const innerLoop = new InnerLoop(devLoop, devTerminals, logger);
  const debugSessions = new DebugSessions(devLoop, containerHost, logger, () => registry.list().map((h) => h.host));
  const treeView = vscode.window.createTreeView(Views.hosts, { treeDataProvider: tree, showCollapseAll: true });
  const gerrit = new GerritTreeProvider(context.secrets, logger);
  const gerritView = vscode.window.createTreeView(Views.gerrit, { treeDataProvider: gerrit, showCollapseAll: true });
  void gerrit.project(); // sets the context key that shows the Gerrit view

  const services: Services = {
    context,
    logger,
    registry,
    tree,
    runtime,
    devLoop,
    devTerminals,
    innerLoop,
    debugSessions,
    gerrit,
    prompter: new QuickInputPrompter(),
    connection: (host) => connections.get(host),
    containerHost,
    probe: (host) => connections.probe(host),
  };

  context.subscriptions.push(
    logger,
    registry,
    tree,
    treeView,
    gerrit,
    gerritView,
    connections,
    devTerminals,
    innerLoop,
    debugSessions,
    statusBar,
    tree.onDidLoadHost(({ host, view }) => statusBar.update(host, view)),
    // A removed host loses its connection; changed SSH settings reconnect every host on next use.
    registry.onDidChange(() => connections.retain(registry.list().map((h) => h.host))),
    vscode.workspace.onDidChangeConfiguration((event) => {
      const ssh = [Settings.sshConfigFile, Settings.knownHostsFile].map((key) => `${Settings.section}.${key}`);
      if (ssh.some((key) => event.affectsConfiguration(key))) {
        connections.reset();
        registry.list().forEach((h) => runtimes.forget(h.host));
        tree.refresh();
      }
    }),
    vscode.workspace.registerFileSystemProvider(SCHEME, new ContainerFileSystem(services), { isCaseSensitive: true }),
    ...registerCommands(services),
  );
  logger.info(`OSA Dev ${context.extension.packageJSON.version as string} activated`);
  return services;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
