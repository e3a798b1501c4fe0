import * as vscode from 'vscode';
import { shellJoin } from '../../core/shell/quote';
import { followLogsArgv } from '../../core/model/journalLogs';
import { Settings } from '../constants';
import { ensureRunning } from '../containerGuard';
import { resolveContainer } from '../pickers';
import type { Services } from '../services';
import { PtyTerminal } from '../terminal/ptyTerminal';

/** Follows the container's service logs (its units' journal; a Kolla container's output) in a terminal. */
export async function showLogs(services: Services, node?: unknown): Promise<vscode.Terminal | undefined> {
  const target = await resolveContainer(services, node);
  if (!target) return undefined;
  await ensureRunning(services, target);
  const { host, container } = target;
  const lines = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.logLines, 200);
  const argv = followLogsArgv(services.devLoop.runtimeFor(host.host), container.name, container.units, lines);
  const line = shellJoin(argv);
  services.logger.info(`[${host.host}] show logs: ${line}`);
  const units = argv[1] === 'logs' ? `the output of ${argv[0]}'s container` : container.units.length > 0 ? container.units.join(', ') : 'the whole journal';
  const pty = new PtyTerminal(
    async ({ rows, cols }) => (await services.containerHost(host.host, container.name)).openPty(line, { rows, cols, term: 'xterm-256color' }),
    services.logger,
    `Following ${units} in ${container.name} — Ctrl-C to stop`,
  );
  const terminal = vscode.window.createTerminal({ name: `Logs: ${container.name}`, pty, iconPath: new vscode.ThemeIcon('output') });
  terminal.show();
  return terminal;
}
