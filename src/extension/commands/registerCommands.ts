import * as vscode from 'vscode';
import { Commands, type CommandId } from '../constants';
import type { Services } from '../services';
import type { TreeNode } from '../tree/treeNode';
import { addHost } from './addHost';
import { attachDebugger } from './attachDebugger';
import { copyIp } from './copyIp';
import { createAio } from './createAio';
import { develop } from './develop';
import { restartDevProcess } from './restartDevProcess';
import { restore } from './restore';
import { openConfig } from './openConfig';
import { openOpenStackCli } from './openOpenStackCli';
import { openShell } from './openShell';
import { rebuildContainer } from './rebuildContainer';
import { refresh } from './refresh';
import { removeHost } from './removeHost';
import { showLogs } from './showLogs';
import { gerritCheckoutChange } from '../gerrit/commands/checkoutChange';
import { gerritDevelopChange } from '../gerrit/commands/developChange';
import { gerritOpenInBrowser } from '../gerrit/commands/openInBrowser';
import { gerritSetHttpPassword } from '../gerrit/commands/setHttpPassword';

type Handler = (services: Services, ...args: never[]) => Promise<unknown>;

/** The one place commands are registered; scripts/check-commands.mjs checks it against package.json. */
export function registerCommands(services: Services): vscode.Disposable[] {
  const table: Record<CommandId, Handler> = {
    [Commands.addHost]: addHost,
    [Commands.removeHost]: removeHost,
    [Commands.refresh]: (s, node?: TreeNode) => refresh(s, node),
    [Commands.openShell]: openShell,
    [Commands.showLogs]: showLogs,
    [Commands.copyIp]: copyIp,
    [Commands.openConfig]: openConfig,
    [Commands.develop]: (s, node?: unknown) => develop(s, node),
    [Commands.restore]: restore,
    [Commands.restartDevProcess]: restartDevProcess,
    [Commands.attachDebugger]: attachDebugger,
    [Commands.showOutput]: async (s) => s.logger.show(),
    [Commands.openOpenStackCli]: openOpenStackCli,
    [Commands.gerritRefresh]: async (s) => s.gerrit.refresh(),
    [Commands.gerritLoadMore]: (s) => s.gerrit.loadMore(),
    [Commands.gerritDevelopChange]: gerritDevelopChange,
    [Commands.gerritCheckoutChange]: gerritCheckoutChange,
    [Commands.gerritOpenInBrowser]: gerritOpenInBrowser,
    [Commands.gerritSetHttpPassword]: gerritSetHttpPassword,
    [Commands.rebuildContainer]: rebuildContainer,
    [Commands.createAio]: (s, node?: unknown, from?: string) => createAio(s, node, from),
  };
  return Object.entries(table).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as (s: Services, ...a: unknown[]) => Promise<unknown>)(services, ...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        services.logger.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
          if (choice) services.logger.show();
        });
        return undefined;
      }
    }),
  );
}
