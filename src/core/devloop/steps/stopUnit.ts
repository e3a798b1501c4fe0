/**
 * Stop a production unit and hold it stopped while the dev process runs.
 *
 * Hold: `systemctl mask --runtime` does NOT work for OSA units: it links
 * /run/systemd/system/<unit> → /dev/null, but OSA writes its units to /etc/systemd/system, which
 * takes precedence over /run/systemd/system (measured on systemd 252: LoadState stays `loaded`,
 * `systemctl start` still starts it). Runtime DROP-INS are merged from every directory, so the
 * hold is a drop-in in /run (gone on reboot, never touches /etc) with a condition that is never
 * met: Restart=, timers, `systemctl start` and an Ansible run all leave the unit inactive.
 * Without systemd (no /run/systemd/system), `service X stop|start` and no hold.
 */
import { isServiceUnit } from '../../model/serviceUnits';
import { CommandFailedError } from '../../process/types';
import { shellJoin } from '../../shell/quote';
import type { Step, StepContext } from '../types';
import { runIn, runInOk, script, serviceUnitName } from './containerExec';
import { parseSystemctlShow, parseUnitFiles } from './systemdShow';

export const HOLD_DROPIN = 'zz-osa-dev-hold.conf';
const HOLD_TEXT = '# OSA Dev: held stopped while developing; "Restore production" removes this file.\n[Unit]\nConditionPathExists=/run/osa-dev/never-exists\n';

export interface StoppedUnit {
  readonly unit: string;
  readonly manager: 'systemd' | 'sysv';
  readonly loadState: string;
  readonly activeState: string;
  readonly unitFileState: string;
}

export class UnitNotFoundError extends Error {
  constructor(
    readonly unit: string,
    readonly container: string,
    readonly available: readonly string[],
  ) {
    super(`Unit ${unit} does not exist in ${container}; its units are: ${available.length > 0 ? available.join(', ') : '(none)'}`);
    this.name = 'UnitNotFoundError';
  }
}

const CAPTURE = `if [ -d /run/systemd/system ]; then
  echo Manager=systemd
  exec systemctl show -p LoadState -p ActiveState -p UnitFileState -- "$1"
fi
echo Manager=sysv
name=\${1%.service}
if [ -x "/etc/init.d/$name" ]; then echo LoadState=loaded; else echo LoadState=not-found; fi
if service "$name" status >/dev/null 2>&1; then echo ActiveState=active; else echo ActiveState=inactive; fi`;

const HOLD_AND_STOP = `set -e
d="/run/systemd/system/$1.d"
mkdir -p "$d"
printf '%s' "$3" > "$d/$2.tmp"
mv -f "$d/$2.tmp" "$d/$2"
systemctl daemon-reload
systemctl stop -- "$1"`;

const STATE = `systemctl show -p ActiveState -p DropInPaths -- "$1"`;

// The undo in one round trip: the hold released ($1 unit, $2 drop-in), then, when $3 is "start",
// the unit started and polled until active ($4 tries of 0.2 s). Exit 10: the hold could not be
// released; 11: start refused; 3: the unit failed; 4: not active in time.
const RELEASE_AND_START = `d="/run/systemd/system/$1.d"
if [ -e "$d/$2" ]; then
  rm -f "$d/$2" || exit 10
  rmdir "$d" 2>/dev/null
  systemctl daemon-reload || exit 10
fi
[ "$3" = start ] || exit 0
systemctl start -- "$1" || exit 11
i=0
while [ "$i" -lt "$4" ]; do
  s=$(systemctl is-active -- "$1")
  [ "$s" = active ] && exit 0
  [ "$s" = failed ] && exit 3
  sleep 0.2; i=$((i+1))
done
exit 4`;

const WAS_RUNNING = new Set(['active', 'activating', 'reloading']);

export function stopUnit(unitName: string, options: { readonly waitSeconds?: number } = {}): Step<StoppedUnit> {
  const unit = serviceUnitName(unitName);
  const tries = String(Math.max(1, Math.round((options.waitSeconds ?? 30) / 0.2)));
  return {
    id: `stop-unit:${unit}`,
    title: `Stop ${unit}`,

    async capture(ctx) {
      const result = await runInOk(ctx, script(CAPTURE, unit), `Reading ${unit}`);
      const show = parseSystemctlShow(result.stdout);
      const original: StoppedUnit = {
        unit,
        manager: show['Manager'] === 'sysv' ? 'sysv' : 'systemd',
        loadState: show['LoadState'] ?? 'unknown',
        activeState: show['ActiveState'] ?? 'unknown',
        unitFileState: show['UnitFileState'] ?? '',
      };
      if (original.loadState === 'not-found') {
        throw new UnitNotFoundError(unit, ctx.container, await unitsOf(ctx, original.manager));
      }
      return original;
    },

    async check(ctx, original) {
      if (original.manager === 'sysv') {
        const status = await runIn(ctx, ['service', unit.replace(/\.service$/, ''), 'status']);
        return status.code !== 0;
      }
      const show = parseSystemctlShow((await runInOk(ctx, script(STATE, unit), `Reading ${unit}`)).stdout);
      const held = (show['DropInPaths'] ?? '').split(/\s+/).some((p) => p.endsWith(`/${unit}.d/${HOLD_DROPIN}`));
      return held && (show['ActiveState'] === 'inactive' || show['ActiveState'] === 'failed');
    },

    async apply(ctx, original) {
      if (original.manager === 'sysv') {
        ctx.report(`Stopping ${unit} (no systemd: service stop, not held)`);
        await runInOk(ctx, ['service', unit.replace(/\.service$/, ''), 'stop'], `Stopping ${unit}`);
        return;
      }
      ctx.report(`Stopping ${unit} and holding it stopped`);
      await runInOk(ctx, script(HOLD_AND_STOP, unit, HOLD_DROPIN, HOLD_TEXT), `Stopping ${unit}`);
    },

    async undo(ctx, original) {
      const start = WAS_RUNNING.has(original.activeState);
      ctx.report(start ? `Starting ${unit}` : `${unit} was ${original.activeState}: left stopped`);
      if (original.manager === 'sysv') {
        if (start) await runInOk(ctx, ['service', unit.replace(/\.service$/, ''), 'start'], `Starting ${unit}`);
        return;
      }
      const result = await runIn(ctx, script(RELEASE_AND_START, unit, HOLD_DROPIN, start ? 'start' : '', tries));
      if (result.code === 0) return;
      const why: Record<number, string> = {
        10: 'could not be released from its hold',
        11: 'did not start',
        3: 'failed',
        4: `is not active after ${options.waitSeconds ?? 30} s`,
      };
      const line = shellJoin(['systemctl', 'start', unit]);
      throw new CommandFailedError(line, result, `${unit} ${why[result.code ?? -1] ?? 'could not be restored'} in ${ctx.container} (see its journal)`);
    },
  };
}

async function unitsOf(ctx: StepContext, manager: 'systemd' | 'sysv'): Promise<string[]> {
  const argv = manager === 'systemd' ? ['systemctl', 'list-unit-files', '--type=service', '--no-legend', '--plain'] : ['ls', '/etc/init.d'];
  const result = await runIn(ctx, argv);
  const names = manager === 'systemd' ? parseUnitFiles(result.stdout) : result.stdout.split(/\s+/).filter(Boolean).map((n) => `${n}.service`);
  return names.filter(isServiceUnit).map((n) => n.replace(/\.service$/, '')).sort();
}
