import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseChangeRef } from '../../core/gerrit';
import { gerritClient } from '../gerrit/credentials';
import { checkoutChange, cloneOrFetch, UncommittedChangesError, type CheckoutResult, type DirtyPolicy } from '../../core/sources';
import { Settings } from '../constants';
import type { Prompter } from '../wizard/prompter';
import type { Services } from '../services';

/** Where the code comes from, as the wizard asked it; all but container-* end as a local working tree. */
export type WizardSource =
  | { readonly kind: 'upstream' | 'fork'; readonly url: string; readonly ref: string }
  | { readonly kind: 'gerrit'; readonly change: string; readonly gerritUrl: string; readonly upstream: string }
  | { readonly kind: 'workspace'; readonly path: string };

/** The folder holding the project's clone: the setting, else the extension's global storage. */
export function cloneFolder(context: vscode.ExtensionContext, project: string): string {
  const base = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.sourcesFolder, '') || join(context.globalStorageUri.fsPath, 'sources');
  return join(base, project);
}

/**
 * Makes the local working tree the user will edit: clones or only fetches, checks out a Gerrit
 * change on a git-review-style branch. Uncommitted work is never lost: the user is asked whether to
 * stash it, otherwise nothing changes.
 */
export async function prepareLocalTree(services: Services, source: WizardSource, project: string): Promise<CheckoutResult | { dir: string }> {
  if (source.kind === 'workspace') return { dir: source.path };
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(services.context.globalStorageUri, 'sources')); // VS Code does not create global storage: the default clone folder's parent
  const dir = cloneFolder(services.context, project);
  return withStashOffer(services.prompter, dir, (onDirty) =>
    source.kind === 'gerrit' ? checkoutReview(services, source, dir, onDirty) : cloneOrFetch({ url: source.url, ref: source.ref, dir, onDirty }),
  );
}

/**
 * Runs a checkout that refuses to touch uncommitted work; when it refuses, asks whether to stash
 * the work and run again. Declined: nothing changed.
 */
export async function withStashOffer<T extends CheckoutResult>(prompter: Prompter, dir: string, run: (onDirty: DirtyPolicy) => Promise<T>): Promise<T> {
  try {
    return await run('refuse');
  } catch (error) {
    if (!(error instanceof UncommittedChangesError)) throw error;
    const stash = await prompter.confirm(error.message, '`git stash` keeps the work; `git stash pop` brings it back.', 'Stash and Continue');
    if (!stash) throw error;
    const result = await run('stash');
    if (result.stashed) void vscode.window.showInformationMessage(`Your uncommitted work in ${dir} is in the stash (${result.stashed.slice(0, 12)}): \`git stash pop\` brings it back.`);
    return result;
  }
}

async function checkoutReview(services: Services, source: Extract<WizardSource, { kind: 'gerrit' }>, dir: string, onDirty: DirtyPolicy): Promise<CheckoutResult> {
  const client = await gerritClient(services.context.secrets, source.gerritUrl, services.logger);
  const typed = parseChangeRef(source.change);
  const { change, patchset } = await client.resolvePatchset(typed.number, typed.patchset);
  // A fresh machine has no clone yet: clone upstream on the change's branch first.
  await cloneOrFetch({ url: source.upstream, ref: change.branch, dir, onDirty });
  const remoteUrl = patchset.fetchUrls['anonymous http'] ?? patchset.fetchUrls['http'] ?? `${source.gerritUrl.replace(/\/$/, '')}/${change.project}`;
  return checkoutChange({ dir, remoteUrl, change, patchset, explicitPatchset: typed.patchset !== undefined, onDirty });
}
