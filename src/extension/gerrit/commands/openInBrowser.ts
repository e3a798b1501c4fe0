import * as vscode from 'vscode';
import type { Services } from '../../services';
import { changeTarget, changeWebUrl } from './target';

/** Open in browser: the change (or patchset) on Gerrit. */
export async function gerritOpenInBrowser(_services: Services, node?: unknown): Promise<boolean> {
  return vscode.env.openExternal(vscode.Uri.parse(changeWebUrl(changeTarget(node))));
}
