/**
 * Enable a package index for the dev installs (after MissingPackagesError), and put the
 * container's pip configuration back byte-identical on undo.
 *
 * Which file: detected, not assumed. `PIP_CONFIG_FILE` in the unit's Environment wins; else
 * pip's own `pip config debug` (run with the production venv's pip, as root, clean env) lists the
 * files it reads; the one setting `no-index` is edited, else the last one pip loads (user level),
 * else none exists (current OSA: find-links at build time only) and /root/.config/pip/pip.conf is
 * created (and deleted on undo).
 */
import type { Step, StepContext } from '../types';
import { runIn, runInOk, script, serviceUnitName } from './containerExec';
import { assertIndexUrl, enablePipIndex, parsePipConfigDebug } from './pipIni';
import { parseSystemctlShow } from './systemdShow';

export const DEFAULT_INDEX_URL = 'https://pypi.org/simple';
const DEFAULT_NEW_FILE = '/root/.config/pip/pip.conf';
const CANDIDATES = ['/etc/pip.conf', '/etc/xdg/pip/pip.conf', '/root/.pip/pip.conf', '/root/.config/pip/pip.conf'];

export type PipConfOriginal =
  | { readonly path: string; readonly state: 'absent'; readonly dirExisted: boolean }
  | { readonly path: string; readonly state: 'present'; readonly base64: string; readonly mode: string; readonly owner: string };

export interface PipConfOptions {
  /** The production venv (its pip reports the config files). */
  readonly prodVenv: string;
  /** A unit whose Environment may set PIP_CONFIG_FILE. */
  readonly unit?: string;
  readonly indexUrl?: string;
}

const READ = `if [ -f "$1" ]; then echo present; stat -c '%a %u:%g' "$1"; base64 -w0 "$1"; echo; else echo absent; [ -d "$(dirname "$1")" ] && echo dir || echo nodir; fi`;
const WRITE_B64 = `set -e
d=$(dirname "$1"); mkdir -p "$d"
t="$1.osa-dev.tmp"; base64 -d > "$t"; chmod "$2" "$t"; chown "$3" "$t"; mv -f "$t" "$1"`;
const REMOVE = `rm -f "$1"; if [ "$2" = nodir ]; then rmdir "$(dirname "$1")" 2>/dev/null || true; fi; exit 0`;

/** Finds the pip.conf the container's root pip uses (see the module comment). */
export async function detectPipConf(ctx: StepContext, options: PipConfOptions): Promise<string> {
  if (options.unit !== undefined) {
    const env = await runIn(ctx, ['systemctl', 'show', '-p', 'Environment', '--', serviceUnitName(options.unit)]);
    const match = /(?:^|\s)PIP_CONFIG_FILE=(\S+)/.exec(parseSystemctlShow(env.stdout)['Environment'] ?? '');
    if (match) return match[1]!;
  }
  const debug = await runIn(ctx, [`${options.prodVenv}/bin/python`, '-m', 'pip', 'config', 'debug'], { env: { HOME: '/root' } });
  let files: string[];
  if (debug.code === 0) {
    files = parsePipConfigDebug(debug.stdout).files;
  } else {
    const listed = await runIn(ctx, script('for f in "$@"; do [ -f "$f" ] && echo "$f"; done; exit 0', ...CANDIDATES));
    files = listed.stdout.split('\n').filter(Boolean);
  }
  if (files.length === 0) return DEFAULT_NEW_FILE;
  const withNoIndex = await runIn(ctx, script('for f in "$@"; do grep -qiE "^[[:space:]]*no[-_]index" "$f" && echo "$f"; done; exit 0', ...files));
  const first = withNoIndex.stdout.split('\n').find(Boolean);
  return first ?? files[files.length - 1]!;
}

async function readConf(ctx: StepContext, path: string): Promise<PipConfOriginal> {
  const out = (await runInOk(ctx, script(READ, path), `Reading ${path}`, { secretOutput: true })).stdout.split('\n');
  if (out[0] === 'absent') return { path, state: 'absent', dirExisted: out[1] === 'dir' };
  const [mode, owner] = (out[1] ?? '').split(' ');
  return { path, state: 'present', mode: mode ?? '644', owner: owner ?? '0:0', base64: out[2] ?? '' };
}

export function pipConf(options: PipConfOptions): Step<PipConfOriginal> {
  // Refused here, when the plan is built: not after the host was isolated and the unit stopped.
  const indexUrl = assertIndexUrl(options.indexUrl ?? DEFAULT_INDEX_URL);
  const wanted = (original: PipConfOriginal): string =>
    enablePipIndex(original.state === 'present' ? Buffer.from(original.base64, 'base64').toString('utf8') : '', indexUrl);
  return {
    id: 'pip-conf',
    title: `Enable the package index ${indexUrl}`,
    async capture(ctx) {
      return readConf(ctx, await detectPipConf(ctx, options));
    },
    async check(ctx, original) {
      const now = await readConf(ctx, original.path);
      return now.state === 'present' && Buffer.from(now.base64, 'base64').toString('utf8') === wanted(original);
    },
    async apply(ctx, original) {
      ctx.report(`Enabling ${indexUrl} in ${original.path}`);
      const text = Buffer.from(wanted(original), 'utf8').toString('base64');
      const [mode, owner] = original.state === 'present' ? [original.mode, original.owner] : ['644', '0:0'];
      await runInOk(ctx, script(WRITE_B64, original.path, mode, owner), `Writing ${original.path}`, { stdin: text });
    },
    async undo(ctx, original) {
      if (original.state === 'absent') {
        ctx.report(`Removing ${original.path} (it did not exist)`);
        await runInOk(ctx, script(REMOVE, original.path, original.dirExisted ? 'dir' : 'nodir'), `Removing ${original.path}`);
        return;
      }
      ctx.report(`Restoring ${original.path}`);
      await runInOk(ctx, script(WRITE_B64, original.path, original.mode, original.owner), `Restoring ${original.path}`, { stdin: original.base64 });
    },
  };
}
