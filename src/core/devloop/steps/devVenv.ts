/**
 * The dev venv. DECISION: the production venv is NEVER modified. A dev venv at
 * /opt/osa-dev/venvs/<service> is made from the production venv's base interpreter (pyvenv.cfg
 * `executable`, else `home`/python3), with a `.pth` file appending the production venv's
 * site-packages: everything production has is reused, pip installs only what is missing or
 * different INTO THE DEV VENV (pip: "Not uninstalling X at <prod>, outside environment <dev>").
 * The `.pth` is named to load last, so the dev venv's own packages and the editable source win.
 *
 * undo: nothing in production to undo. Restore production keeps /opt/osa-dev as a cache (the next
 * "Develop" is fast); `purgeDevArea` removes it.
 */
import type { Step, StepContext } from '../types';
import { runIn, runInOk, script } from './containerExec';
import { shownValue } from '../../text/shownValue';

export const DEV_ROOT = '/opt/osa-dev';
export const PROD_PTH = 'zzz-osa-dev-production.pth';

export function devVenvPath(service: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(service)) throw new Error(`Invalid service name ${shownValue(service)}`);
  return `${DEV_ROOT}/venvs/${service}`;
}

export interface DevVenvOriginal {
  readonly prodVenv: string;
  readonly devVenv: string;
}

const SITE = `import sysconfig; p = sysconfig.get_paths(); print(p["purelib"]); print(p["platlib"])`;

const CREATE = `set -e
prod="$1"; dev="$2"; pth="$3"; site="$4"
[ -f "$prod/pyvenv.cfg" ] || { echo "$prod is not a venv (no pyvenv.cfg)" >&2; exit 3; }
home=$(sed -n 's/^home *= *//p' "$prod/pyvenv.cfg" | head -n 1)
exe=$(sed -n 's/^executable *= *//p' "$prod/pyvenv.cfg" | head -n 1)
py=""
if [ -n "$exe" ] && [ -x "$exe" ]; then py="$exe"
else for c in python3 python; do if [ -x "$home/$c" ]; then py="$home/$c"; break; fi; done; fi
[ -n "$py" ] || { echo "no base interpreter for $prod (pyvenv.cfg home=$home executable=$exe)" >&2; exit 3; }
pv=$("$prod/bin/python" -B -c 'import sys; print(sys.version_info[:2])')
bv=$("$py" -B -c 'import sys; print(sys.version_info[:2])')
[ "$pv" = "$bv" ] || { echo "base interpreter $py is Python $bv, $prod runs $pv" >&2; exit 3; }
if [ ! -x "$dev/bin/python" ]; then mkdir -p "$(dirname "$dev")"; "$py" -m venv "$dev"; fi
devlib=$("$dev/bin/python" -B -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
"$prod/bin/python" -B -c "$site" | awk '!seen[$0]++' > "$devlib/$pth.tmp"
mv -f "$devlib/$pth.tmp" "$devlib/$pth"
echo "$devlib"`;

// Exit 0 when the dev venv exists, runs, and its .pth names the production site-packages.
const CHECK = `set -e
[ -x "$2/bin/python" ]
devlib=$("$2/bin/python" -B -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
want=$("$1/bin/python" -B -c "$4" | awk '!seen[$0]++')
[ "$(cat "$devlib/$3")" = "$want" ]`;

export function devVenv(service: string, prodVenv: string): Step<DevVenvOriginal> {
  const dev = devVenvPath(service);
  return {
    id: `dev-venv:${service}`,
    title: `Prepare the dev venv ${dev}`,
    // The dev venv is ours (undo leaves it as a cache): nothing on the host to read before changing it.
    capture: async () => ({ prodVenv, devVenv: dev }),
    async check(ctx) {
      return (await runIn(ctx, script(CHECK, prodVenv, dev, PROD_PTH, SITE))).code === 0;
    },
    async apply(ctx) {
      ctx.report(`Creating ${dev} over ${prodVenv}`);
      await runInOk(ctx, script(CREATE, prodVenv, dev, PROD_PTH, SITE), `Creating the dev venv ${dev}`);
    },
    async undo(ctx) {
      ctx.report(`Nothing to undo in production: ${dev} is kept as a cache (purge removes it)`);
    },
  };
}

/** Removes the dev area of one service (its dev venv), or all of /opt/osa-dev. */
export async function purgeDevArea(ctx: StepContext, service?: string): Promise<void> {
  const target = service === undefined ? DEV_ROOT : devVenvPath(service);
  await runInOk(ctx, ['rm', '-rf', '--', target], `Removing ${target}`);
}
