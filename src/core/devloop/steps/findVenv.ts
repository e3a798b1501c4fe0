/**
 * The production venv of a unit, never guessed: from its ExecStart (`<venv>/bin/<prog>`), from
 * the uwsgi ini its ExecStart names (`virtualenv`/`venv`/`home`), else from the catalog's glob
 * (the one matching the running release, else the newest by mtime, saying so).
 */
import type { StepContext } from '../types';
import { runIn, runInOk, script, serviceUnitName } from './containerExec';
import { parseExecStart } from './systemdShow';
import { uwsgiIniOf, venvFromUwsgiIni } from './uwsgiIni';

export interface FoundVenv {
  readonly venv: string;
  readonly how: 'execstart' | 'uwsgi-ini' | 'glob';
  /** Said to the user when a choice was made (several candidates). */
  readonly note?: string;
}

export class VenvNotFoundError extends Error {
  constructor(
    readonly unit: string,
    readonly container: string,
    detail: string,
  ) {
    super(`No production venv found for ${unit} in ${container}: ${detail}. Next step: give the service's venv glob (venv: /openstack/venvs/<service>-*) in .osa-dev.yaml or ~/.config/osa-dev/services.yaml.`);
    this.name = 'VenvNotFoundError';
  }
}

/** The venv a program path lives in (`/openstack/venvs/heat-31.0.0/bin/heat-api` → the venv). */
export function venvOfProgram(path: string): string | undefined {
  const match = /^(\/.+)\/bin\/[^/]+$/.exec(path);
  return match?.[1];
}

export interface VenvCandidate {
  readonly path: string;
  readonly mtime: number;
}

/** Picks among globbed venvs: the running release's (`…-<release>`), else the newest. */
export function pickVenv(candidates: readonly VenvCandidate[], release?: string): FoundVenv | undefined {
  if (candidates.length === 0) return undefined;
  if (release !== undefined && release !== '') {
    const match = candidates.filter((c) => c.path.endsWith(`-${release}`));
    if (match.length === 1) return { venv: match[0]!.path, how: 'glob' };
  }
  const sorted = [...candidates].sort((a, b) => b.mtime - a.mtime || a.path.localeCompare(b.path));
  const chosen = sorted[0]!;
  if (sorted.length === 1) return { venv: chosen.path, how: 'glob' };
  return {
    venv: chosen.path,
    how: 'glob',
    note: `${sorted.length} venvs match (${sorted.map((c) => c.path).join(', ')}); none matches release ${release ?? '(unknown)'}: using the newest, ${chosen.path}`,
  };
}

/** `DISTRIB_RELEASE="31.0.0"` from /etc/openstack-release (written by OSA's openstack_hosts). */
export function parseOpenstackRelease(text: string): string | undefined {
  return /^DISTRIB_RELEASE=["']?([^"'\n]+)["']?$/m.exec(text)?.[1];
}

// Each match of the glob (word-split on newlines only, so the glob expands) that is a venv: "mtime path".
const GLOB = `IFS='
'
for d in $1; do [ -f "$d/pyvenv.cfg" ] && stat -c '%Y %n' "$d"; done
exit 0`;

const IS_VENV = 'test -f "$1/pyvenv.cfg"';

export async function findVenv(ctx: StepContext, unit: string, glob: string): Promise<FoundVenv> {
  const name = serviceUnitName(unit);
  const show = await runIn(ctx, ['systemctl', 'show', '-p', 'ExecStart', '--value', '--', name]);
  const commands = show.code === 0 ? parseExecStart(show.stdout) : [];
  for (const command of commands) {
    const program = command.argv[0] ?? command.path;
    if (/(^|\/)uwsgi$/.test(program)) {
      const ini = uwsgiIniOf(command.argv);
      if (ini === undefined) continue;
      const text = await runIn(ctx, ['cat', '--', ini]);
      const venv = text.code === 0 ? venvFromUwsgiIni(text.stdout) : undefined;
      if (venv !== undefined && (await runIn(ctx, script(IS_VENV, venv))).code === 0) return { venv, how: 'uwsgi-ini' };
      continue;
    }
    const venv = venvOfProgram(command.path) ?? venvOfProgram(program);
    if (venv !== undefined && (await runIn(ctx, script(IS_VENV, venv))).code === 0) return { venv, how: 'execstart' };
  }
  const listed = await runInOk(ctx, script(GLOB, glob), `Listing ${glob}`);
  const candidates = listed.stdout
    .split('\n')
    .map((l) => /^(\d+) (.+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ mtime: Number(m[1]), path: m[2]! }));
  const releaseFile = await runIn(ctx, ['cat', '/etc/openstack-release']);
  const found = pickVenv(candidates, releaseFile.code === 0 ? parseOpenstackRelease(releaseFile.stdout) : undefined);
  if (found === undefined) {
    throw new VenvNotFoundError(name, ctx.container, `its ExecStart (${commands.map((c) => c.argv.join(' ')).join(' | ') || 'none'}) is not a venv program and nothing matches ${glob}`);
  }
  if (found.note !== undefined) ctx.report(found.note);
  return found;
}
