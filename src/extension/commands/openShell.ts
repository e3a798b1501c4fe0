import * as vscode from 'vscode';
import { shellJoin } from '../../core/shell/quote';
import { ensureRunning } from '../containerGuard';
import { resolveContainer } from '../pickers';
import type { Services } from '../services';
import { PtyTerminal } from '../terminal/ptyTerminal';

/** An integrated terminal running `lxc-attach -n NAME` over the host's SSH connection, with a PTY. */
export async function openShell(services: Services, node?: unknown): Promise<vscode.Terminal | undefined> {
  const target = await resolveContainer(services, node);
  if (!target) return undefined;
  await ensureRunning(services, target);
  const { host, container } = target;
  const line = shellJoin(services.devLoop.runtimeFor(host.host).shellArgv(container.name));
  services.logger.info(`[${host.host}] open shell: ${line}`);
  const pty = new PtyTerminal(
    async ({ rows, cols }) => (await services.containerHost(host.host, container.name)).openPty(line, { rows, cols, term: 'xterm-256color' }),
    services.logger,
  );
  const terminal = vscode.window.createTerminal({
    name: `${container.name} (${host.label})`,
    pty,
    iconPath: new vscode.ThemeIcon('vm'),
  });
  terminal.show();
  return terminal;
}
