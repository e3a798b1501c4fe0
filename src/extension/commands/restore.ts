import * as vscode from 'vscode';
import { RestoreCancelledError } from '../../core/devloop/engine';
import { ContainerLockedError } from '../../core/devloop/journalStore';
import { stepsForRestore } from '../../core/devloop/plan';
import { Commands } from '../constants';
import { withStepProgress } from '../devloop/devLoop';
import { resolveContainer } from '../pickers';
import type { Services } from '../services';

/**
 * Restore production: stop the dev process, then undo every journaled step, last first, from the
 * originals recorded on the host — HAProxy states, the unit, pip.conf and edited files come back
 * exactly. Works after a crash, a reload, or from another window (after confirming a take-over).
 */
export async function restore(services: Services, node?: unknown): Promise<boolean> {
  const target = await resolveContainer(services, node);
  if (!target) return false;
  const { host, container } = target;
  const journal = await services.devLoop.journals(host.host).read(container.name);
  if (!journal) {
    void vscode.window.showInformationMessage(`${container.name} is not in dev mode on ${host.label}: nothing to restore.`);
    return false;
  }
  services.devTerminals.closeAll(host.host, container.name);
  services.innerLoop.unwatch(host.host, container.name);
  const steps = stepsForRestore(journal);
  const run = (takeOverLock: boolean): Thenable<void> =>
    withStepProgress(`Restore production in ${container.name}`, (signal, onProgress) =>
      services.devLoop.engine(host.host, container.name).restore(steps, { signal, onProgress, takeOverLock }),
    );
  try {
    await run(false);
  } catch (error) {
    if (error instanceof RestoreCancelledError) {
      // Not a failure: the rest stays journaled; the next Restore finishes it.
      void vscode.window.showWarningMessage(error.message, 'Restore Production').then((choice) => {
        if (choice) void vscode.commands.executeCommand(Commands.restore, target);
      });
      return false;
    }
    if (!(error instanceof ContainerLockedError)) throw error;
    const takeOver = await services.prompter.confirm(error.message, 'The other session is stopped where it is; its journal is undone from here.', 'Take Over and Restore');
    if (!takeOver) return false;
    await run(true);
  } finally {
    services.tree.refresh(services.tree.hostNode(host.host));
  }
  services.logger.info(`[${host.host}] ${container.name}: production restored`);
  vscode.window.setStatusBarMessage(`$(check) ${container.name}: production restored`, 5000);
  return true;
}
