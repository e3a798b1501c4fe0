import * as vscode from 'vscode';
import { checkoutGerritChange } from '../../../core/sources';
import type { Services } from '../../services';
import { withStashOffer } from '../../sources/localTree';
import { changeSpec, changeTarget } from './target';

/**
 * Check out locally: the change in the workspace's own clone, like `git review -d` (branch
 * `review/<owner>/<topic or number>`); uncommitted work is refused or stashed when the user says so.
 */
export async function gerritCheckoutChange(services: Services, node?: unknown): Promise<string | undefined> {
  const target = changeTarget(node);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder?.uri.scheme !== 'file') throw new Error('Open the project\'s clone as the workspace folder to check a change out in it.');
  const dir = folder.uri.fsPath;
  const spec = changeSpec(target);
  const client = await services.gerrit.client(target.project);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking out change ${spec}` }, () =>
    withStashOffer(services.prompter, dir, (onDirty) =>
      checkoutGerritChange(client, { dir, change: spec, project: target.change.project, onDirty, ...(target.project.branch ? { defaultBranch: target.project.branch } : {}) }),
    ),
  );
  services.logger.info(`Checked out ${result.change.number},${result.patchset.number} in ${dir} on ${result.branch ?? 'a detached HEAD'} (${result.head.slice(0, 12)})`);
  void vscode.window.showInformationMessage(`Change ${result.change.number},${result.patchset.number} is checked out on ${result.branch}.`);
  return result.branch;
}
