/**
 * The code users edit LOCALLY: a clone of upstream or a fork at a branch/tag, or a Gerrit change
 * checked out like `git review -d` does. Uncommitted work is never lost: refused by default,
 * stashed on request.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { changeRefName } from '../gerrit/changeRef';
import type { GerritClient } from '../gerrit/client';
import { parseChangeRef } from '../gerrit/changeRef';
import { reviewBranchName } from '../gerrit/reviewBranch';
import type { Change, Patchset } from '../gerrit/types';
import { parseRemoteRefs } from '../git/remoteRefs';
import { assertGitRef, assertGitUrl } from '../git/validate';

export class SourcesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourcesError';
  }
}

export class UncommittedChangesError extends SourcesError {
  constructor(readonly dir: string, readonly files: readonly string[]) {
    super(
      `${dir} has uncommitted changes (${files.slice(0, 5).join(', ')}${files.length > 5 ? `, … ${files.length} in all` : ''}): ` +
        'commit them, or choose "stash" to set them aside (git stash list shows them).',
    );
  }
}

/** What to do with uncommitted changes to tracked files: refuse (default) or stash them. */
export type DirtyPolicy = 'refuse' | 'stash';

export interface CheckoutResult {
  readonly dir: string;
  readonly head: string;
  /** The local branch now checked out; undefined when detached (a tag). */
  readonly branch?: string;
  /** The stash entry's commit when uncommitted work was stashed. */
  readonly stashed?: string;
  readonly cloned: boolean;
}

// simple-git refuses to pass variables like GIT_SSL_CAINFO or GIT_SSH_COMMAND through (its
// environment guard); git gets what it needs to reach remotes and never prompts on a terminal.
const PASSED_ENV = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'SSH_AUTH_SOCK', 'XDG_CONFIG_HOME', 'http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'];

function git(dir: string): SimpleGit {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0' };
  for (const key of PASSED_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return simpleGit({ baseDir: dir, allowEnvironment: ['GIT_TERMINAL_PROMPT'] }).env(env);
}

function assertDir(dir: string): string {
  if (!isAbsolute(dir) || dir.includes('\0')) throw new SourcesError(`"${dir}" is not an absolute folder path.`);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new SourcesError(`${dir} exists and is not a folder.`);
  if (!existsSync(dirname(dir))) throw new SourcesError(`The parent folder of ${dir} does not exist.`);
  return dir;
}

function gitMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().split('\n').filter((line) => line.trim() !== '').slice(-3).join(' | ');
}

async function isRepo(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
  try {
    return (await git(dir).raw(['rev-parse', '--show-toplevel'])).trim() === dir || existsSync(`${dir}/.git`);
  } catch {
    return false;
  }
}

/** Refuses or stashes uncommitted changes to tracked files (untracked files are never touched by checkout). */
async function protectWork(dir: string, policy: DirtyPolicy, what: string): Promise<string | undefined> {
  const porcelain = await git(dir).raw(['status', '--porcelain=v1', '-z', '--untracked-files=no']);
  const files = porcelain.split('\0').filter((e) => e !== '').map((e) => e.slice(3));
  if (files.length === 0) return undefined;
  if (policy === 'refuse') throw new UncommittedChangesError(dir, files);
  await git(dir).raw(['stash', 'push', '--include-untracked', '-m', `osa-dev: before ${what}`]);
  return (await git(dir).raw(['rev-parse', 'refs/stash'])).trim();
}

export interface GitSource {
  /** Upstream or a fork. */
  readonly url: string;
  /** A branch or a tag. */
  readonly ref: string;
  /** Local folder: created by a clone, or an existing clone that is only fetched. */
  readonly dir: string;
  readonly onDirty?: DirtyPolicy;
}

/**
 * Clone `url` into `dir` (or reuse the clone there: fetch only) and check out `ref`: a branch as a
 * local branch fast-forwarded to the remote's, a tag detached. Nothing is changed on error.
 */
export async function cloneOrFetch(source: GitSource): Promise<CheckoutResult> {
  const url = assertGitUrl(source.url);
  const ref = assertGitRef(source.ref);
  const dir = assertDir(source.dir);
  const existing = await isRepo(dir);
  if (!existing && existsSync(dir) && readdirSync(dir).length > 0) {
    throw new SourcesError(`${dir} is a non-empty folder but not a git clone: choose an empty or new folder.`);
  }
  // Which kind of ref is it? One ls-remote answers, and checks the URL before anything is written.
  let advertised: string;
  try {
    advertised = await git(existing ? dir : dirname(dir)).listRemote([url, `refs/heads/${ref}`, `refs/tags/${ref}`]);
  } catch (error) {
    throw new SourcesError(`Cannot read ${url}: ${gitMessage(error)}`);
  }
  const isBranch = advertised.includes(`\trefs/heads/${ref}\n`);
  const isTag = advertised.includes(`\trefs/tags/${ref}`);
  if (!isBranch && !isTag) throw new SourcesError(`${url} has no branch or tag named "${ref}".`);

  let created = false;
  if (!existing) {
    created = !existsSync(dir);
    mkdirSync(dir, { recursive: true });
    try {
      await git(dir).init().addRemote('origin', url);
    } catch (error) {
      if (created) rmSync(dir, { recursive: true, force: true });
      throw new SourcesError(`Cannot create a clone in ${dir}: ${gitMessage(error)}`);
    }
  }
  const repo = git(dir);
  const remoteRef = isBranch ? `refs/heads/${ref}` : `refs/tags/${ref}`;
  try {
    await repo.raw(['fetch', '--quiet', '--tags', url, `+${remoteRef}:${isBranch ? `refs/remotes/origin/${ref}` : remoteRef}`]);
  } catch (error) {
    if (!existing) rmSync(dir, { recursive: true, force: true });
    throw new SourcesError(`Fetching ${ref} from ${url} failed: ${gitMessage(error)}`);
  }
  const target = isBranch ? `refs/remotes/origin/${ref}` : remoteRef;
  const stashed = existing ? await protectWork(dir, source.onDirty ?? 'refuse', `checking out ${ref}`) : undefined;
  try {
    if (isBranch) {
      const hasLocal = (await repo.raw(['branch', '--list', ref])).trim() !== '';
      if (hasLocal) {
        await repo.raw(['checkout', '--quiet', ref]);
        await repo.raw(['merge', '--ff-only', '--quiet', target]);
      } else {
        await repo.raw(['checkout', '--quiet', '-b', ref, '--track', target]);
      }
    } else {
      await repo.raw(['checkout', '--quiet', '--detach', target]);
    }
  } catch (error) {
    throw new SourcesError(
      `Checking out ${ref} in ${dir} failed: ${gitMessage(error)}` + (/ff-only|fast-forward|diverg/i.test(gitMessage(error)) ? ' (your local branch has commits the remote lacks: rebase or check out another branch).' : ''),
    );
  }
  const head = (await repo.revparse(['HEAD'])).trim();
  return { dir, head, ...(isBranch ? { branch: ref } : {}), ...(stashed ? { stashed } : {}), cloned: !existing };
}

export interface ChangeCheckout {
  /** An existing clone of the project. */
  readonly dir: string;
  /** Where to fetch refs/changes from (the Gerrit project's git URL). */
  readonly remoteUrl: string;
  readonly change: Change;
  readonly patchset: Patchset;
  /** true when the user asked for this patchset explicitly (git-review adds -patch<PS>). */
  readonly explicitPatchset: boolean;
  /** The repo's .gitreview defaultbranch (a topic equal to it is not used as a name). */
  readonly defaultBranch?: string;
  readonly onDirty?: DirtyPolicy;
}

/**
 * Fetch `refs/changes/NN/C/PS` and check it out on `review/<owner>/<topic or C>[-patch<PS>]`,
 * reusing an existing branch with `reset --keep` like git-review.
 */
export async function checkoutChange(spec: ChangeCheckout): Promise<CheckoutResult> {
  const dir = assertDir(spec.dir);
  if (!(await isRepo(dir))) throw new SourcesError(`${dir} is not a git clone: clone the project first.`);
  const url = assertGitUrl(spec.remoteUrl);
  const ref = changeRefName(spec.change.number, spec.patchset.number);
  if (spec.patchset.ref !== ref) throw new SourcesError(`Gerrit gave ${spec.patchset.ref} for ${spec.change.number},${spec.patchset.number}; expected ${ref}.`);
  const branch = assertGitRef(reviewBranchName(spec.change, { ...(spec.explicitPatchset ? { patchset: spec.patchset.number } : {}), ...(spec.defaultBranch ? { defaultBranch: spec.defaultBranch } : {}) }));
  const repo = git(dir);
  try {
    await repo.raw(['fetch', '--quiet', url, ref]);
  } catch (error) {
    throw new SourcesError(`Fetching ${ref} from ${url} failed: ${gitMessage(error)}`);
  }
  const fetched = (await repo.revparse(['FETCH_HEAD'])).trim();
  if (fetched !== spec.patchset.revision) {
    throw new SourcesError(`${url} has ${fetched.slice(0, 12)} at ${ref} but Gerrit says ${spec.patchset.revision.slice(0, 12)}: is the git URL the same Gerrit?`);
  }
  const stashed = await protectWork(dir, spec.onDirty ?? 'refuse', `checking out change ${spec.change.number},${spec.patchset.number}`);
  const exists = (await repo.raw(['branch', '--list', branch])).trim() !== '';
  try {
    if (exists) {
      await repo.raw(['checkout', '--quiet', branch]);
      await repo.raw(['reset', '--quiet', '--keep', fetched]);
    } else {
      await repo.raw(['checkout', '--quiet', '-b', branch, fetched]);
    }
  } catch (error) {
    throw new SourcesError(`Checking out ${branch} in ${dir} failed: ${gitMessage(error)}`);
  }
  return { dir, head: (await repo.revparse(['HEAD'])).trim(), branch, ...(stashed ? { stashed } : {}), cloned: false };
}

/**
 * What the user typed (`12345`, `12345,3`, a review URL) → Gerrit query → checkout. The git URL
 * defaults to the patchset's FetchInfo (`anonymous http`, then `http`, then `ssh`).
 */
export async function checkoutGerritChange(
  client: GerritClient,
  options: { dir: string; change: string; project?: string; remoteUrl?: string; defaultBranch?: string; onDirty?: DirtyPolicy; signal?: AbortSignal },
): Promise<CheckoutResult & { change: Change; patchset: Patchset }> {
  const typed = parseChangeRef(options.change);
  const project = options.project ?? typed.project;
  const { change, patchset } = await client.resolvePatchset(typed.number, typed.patchset, { ...(project ? { project } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const remoteUrl = options.remoteUrl ?? patchset.fetchUrls['anonymous http'] ?? patchset.fetchUrls['http'] ?? patchset.fetchUrls['ssh'];
  if (remoteUrl === undefined) throw new SourcesError(`Gerrit offers no download URL for ${change.number},${patchset.number}: give the project's git URL.`);
  const result = await checkoutChange({
    dir: options.dir,
    remoteUrl,
    change,
    patchset,
    explicitPatchset: typed.patchset !== undefined,
    ...(options.defaultBranch ? { defaultBranch: options.defaultBranch } : {}),
    ...(options.onDirty ? { onDirty: options.onDirty } : {}),
  });
  return { ...result, change, patchset };
}

/**
 * The branches and tags a repository advertises (`git ls-remote --heads --tags`), master and
 * stable branches first, for a picker. Times out after `timeoutMs` so an unreachable URL falls
 * back to typing the ref.
 */
export async function listRemoteRefs(url: string, timeoutMs = 15_000): Promise<string[]> {
  assertGitUrl(url);
  const listing = git(tmpdir()).listRemote(['--heads', '--tags', url]);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new SourcesError(`${url} did not answer within ${timeoutMs / 1000} s.`)), timeoutMs).unref());
  return parseRemoteRefs(await Promise.race([listing, timeout]));
}
