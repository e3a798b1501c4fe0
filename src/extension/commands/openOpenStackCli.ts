import * as vscode from 'vscode';
import { openstackCliArgv, utilityContainerOf } from '../../core/osa/utilityCli';
import { shellJoin } from '../../core/shell/quote';
import { listedServices, resolveHost } from '../pickers';
import type { Services } from '../services';
import { PtyTerminal } from '../terminal/ptyTerminal';

/** A terminal in the host's utility container with /root/openrc sourced: the `openstack` CLI, ready. */
export async function openOpenStackCli(services: Services, node?: unknown): Promise<vscode.Terminal | undefined> {
  const host = await resolveHost(services, node);
  if (!host) return undefined;
  const container = utilityContainerOf(await listedServices(services, host), host.label);
  const line = shellJoin(openstackCliArgv(services.devLoop.runtimeFor(host.host), container));
  services.logger.info(`[${host.host}] OpenStack CLI in ${container}`);
  const pty = new PtyTerminal(
    async ({ rows, cols }) => (await services.containerHost(host.host, container)).openPty(line, { rows, cols, term: 'xterm-256color' }),
    services.logger,
  );
  const terminal = vscode.window.createTerminal({ name: `OpenStack CLI (${host.label})`, pty, iconPath: new vscode.ThemeIcon('terminal') });
  terminal.show();
  return terminal;
}
