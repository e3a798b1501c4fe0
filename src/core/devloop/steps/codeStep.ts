import { expectSuccess } from '../../process/types';
import { shellJoin } from '../../shell/quote';
import { assertGitRef, assertGitUrl } from '../../git/validate';
import { SourceSync } from '../../sync';
import { StepSkipped, type Step, type StepContext } from '../types';
import { assertContainerPath } from './containerPaths';
import { shownValue } from '../../text/shownValue';

/** Where dev code lives inside a container: ours, never production's. */
export const DEV_SRC_ROOT = '/opt/osa-dev/src';

export type CodeSource =
  /** Code already in the container (a bind mount, a previous sync). */
  | { readonly kind: 'container-path'; readonly path: string }
  /** A repository and branch/tag/ref, fetched by git inside the container. */
  | { readonly kind: 'git'; readonly url: string; readonly ref: string }
  /** A local working tree (this machine), synced into the container as one tar stream. */
  | { readonly kind: 'local'; readonly path: string };

export interface CodeOriginal {
  readonly dir: string;
  /** HEAD of the dev checkout before the run: in journals of earlier versions; now apply logs it. */
  readonly previousHead?: string;
}

const PROJECT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

// Constant script; dir, url and ref are positional parameters. Tags are fetched for pbr versions.
// Prints the new HEAD, then the one before (empty for a new checkout).
const FETCH = [
  'set -e',
  'dir="$1"; url="$2"; ref="$3"',
  'old=$(git -C "$dir" rev-parse -q --verify HEAD 2>/dev/null || true)',
  'if [ -d "$dir/.git" ]; then git -C "$dir" remote set-url origin "$url"',
  'else rm -rf "$dir"; mkdir -p "$(dirname "$dir")"; git init -q "$dir"; git -C "$dir" remote add origin "$url"; fi',
  'git -C "$dir" fetch -q --tags --force origin "$ref"',
  'git -C "$dir" checkout -q --force --detach FETCH_HEAD',
  'git -C "$dir" rev-parse HEAD',
  'echo "$old"',
].join('\n');
const IS_PROJECT = 'for f in setup.cfg setup.py pyproject.toml; do [ -f "$1/$f" ] && exit 0; done; exit 3';

/** The local working tree into the container: one tar stream, files removed locally deleted there. */
function syncStep(localDir: string, dest: string): Step<CodeOriginal> {
  return {
    id: 'code',
    title: `Sync ${localDir} into ${dest}`,
    capture: async () => ({ dir: dest }),
    check: async () => false,
    async apply(ctx) {
      const sync = new SourceSync({ host: ctx.host, runtime: ctx.runtime, container: ctx.container, localDir, dest, logger: ctx.logger });
      const result = await sync.fullSync(ctx.signal);
      ctx.report(`${result.sent} files sent, ${result.deleted.length} deleted (${Math.round(result.bytes / 1024)} KiB)`);
    },
    // The dev copy is ours (under /opt/osa-dev), not production: nothing to put back.
    undo: async () => undefined,
  };
}

export function devSourceDir(project: string): string {
  if (!PROJECT.test(project)) throw new Error(`Invalid project name ${shownValue(project)}.`);
  return `${DEV_SRC_ROOT}/${project}`;
}

/** Read-only: `dir` in the container holds a Python project (planDevelop asks before any change). */
export async function assertContainerProject(ctx: StepContext, dir: string): Promise<void> {
  const found = await ctx.host.exec(shellJoin(ctx.runtime.execArgv(ctx.container, ['sh', '-c', IS_PROJECT, 'sh', assertContainerPath(dir)])));
  if (found.code !== 0) throw new Error(`${shownValue(dir)} in ${ctx.container} has no setup.cfg, setup.py or pyproject.toml: is it a Python project?`);
}

/** Step 3, "Code": the service's code in place inside the container. */
export function codeStep(project: string, source: CodeSource): Step<CodeOriginal> {
  const dir = source.kind === 'container-path' ? assertContainerPath(source.path) : devSourceDir(project);
  if (source.kind === 'local') return syncStep(source.path, dir);
  if (source.kind === 'git') {
    assertGitUrl(source.url);
    assertGitRef(source.ref);
  }
  const inContainer = (ctx: StepContext, script: string, ...args: string[]): string =>
    shellJoin(ctx.runtime.execArgv(ctx.container, ['sh', '-c', script, 'sh', ...args]));
  return {
    id: 'code',
    title: source.kind === 'git' ? `Fetch ${source.url} ${source.ref}` : `Use the code at ${source.path}`,
    async capture(ctx) {
      if (source.kind === 'container-path') {
        await assertContainerProject(ctx, dir);
        throw new StepSkipped(`Using the code already at ${dir}`);
      }
      // The checkout is ours (undo leaves it): nothing on the host to read before changing it.
      return { dir };
    },
    // Fetching is cheap and idempotent: always bring the ref's latest commit.
    check: async () => false,
    async apply(ctx) {
      if (source.kind !== 'git') return;
      ctx.report(`git fetch ${source.url} ${source.ref}`);
      const result = await ctx.host.exec(inContainer(ctx, FETCH, dir, source.url, source.ref), { signal: ctx.signal });
      expectSuccess('git fetch', result, `Fetching ${source.ref} from ${source.url} inside ${ctx.container} failed`);
      const [head = '', previous = ''] = result.stdout.trim().split('\n');
      ctx.logger.info(`[${ctx.container}] ${dir} at ${head}${previous && previous !== head ? ` (was ${previous})` : ''}`);
    },
    // The dev checkout is ours (under /opt/osa-dev), not production: nothing to put back.
    undo: async () => undefined,
  };
}
