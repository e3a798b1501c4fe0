import * as vscode from 'vscode';
import { loadHostView } from '../core/model/loadHostView';
import { LxcRuntime } from '../core/runtime/lxc/lxcRuntime';
import { registerCommands } from './commands/registerCommands';
import { Views } from './constants';
import { ConnectionPool } from './hosts/connectionPool';
import { HostRegistry } from './hosts/hostRegistry';
import type { Services } from './services';
import { HostTreeProvider } from './tree/hostTreeProvider';

/**
 * Activation is lazy (the view or a command) and cheap: nothing here opens an SSH connection.
 * Hosts are contacted when their tree node is first expanded or a command needs them.
 */
export function activate(context: vscode.ExtensionContext): Services {
  const logger = vscode.window.createOutputChannel('OSA Dev', { log: true });
  const registry = new HostRegistry();
  const runtime = new LxcRuntime();
  const connections = new ConnectionPool(context, logger);
  const tree = new HostTreeProvider(registry, (host) => loadHostView(connections.get(host.host), runtime, logger));
  const treeView = vscode.window.createTreeView(Views.hosts, { treeDataProvider: tree, showCollapseAll: true });

  const services: Services = {
    context,
    logger,
    registry,
    tree,
    runtime,
    connection: (host) => connections.get(host),
    probe: (host) => connections.probe(host),
  };

  context.subscriptions.push(
    logger,
    registry,
    tree,
    treeView,
    connections,
    // A host whose settings changed gets a fresh connection next time.
    registry.onDidChange(() => connections.retain(registry.list().map((h) => h.host))),
    ...registerCommands(services),
  );
  logger.info(`OSA Dev ${context.extension.packageJSON.version as string} activated`);
  return services;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
