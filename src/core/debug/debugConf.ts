/**
 * The catalog's debug options of a unit (`DEFAULT.num_engine_workers: 1`) as a small extra oslo
 * config file, /opt/osa-dev/conf/<unit>.conf, appended to the dev run as the LAST `--config-file`
 * (oslo.config: later files win). Production's /etc files are never edited.
 */
import { runIn, runInOk, script } from '../devloop/steps/containerExec';
import { DEV_ROOT } from '../devloop/steps/devVenv';
import type { Step } from '../devloop/types';
import { shownValue } from '../text/shownValue';

export type ConfigOptions = Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;

const NAME = /^[A-Za-z0-9_.-]+$/;
const UNIT = /^[A-Za-z0-9][A-Za-z0-9@._-]{0,127}$/;

export function debugConfigPath(unit: string): string {
  if (!UNIT.test(unit)) throw new Error(`Invalid unit name ${shownValue(unit)}.`);
  return `${DEV_ROOT}/conf/${unit}.conf`;
}

/** INI text of the options; sections and options sorted, DEFAULT first. '' when there are none. */
export function renderDebugConfig(options: ConfigOptions): string {
  const sections = Object.keys(options)
    .filter((s) => Object.keys(options[s] ?? {}).length > 0)
    .sort((a, b) => (a === 'DEFAULT' ? -1 : b === 'DEFAULT' ? 1 : a.localeCompare(b)));
  const blocks = sections.map((section) => {
    if (!NAME.test(section)) throw new Error(`Invalid config section ${shownValue(section)}.`);
    const entries = Object.entries(options[section]!).sort(([a], [b]) => a.localeCompare(b));
    const lines = entries.map(([option, value]) => {
      if (!NAME.test(option)) throw new Error(`Invalid config option ${shownValue(`${section}.${option}`)}.`);
      const text = String(value);
      if (/[\r\n]/.test(text)) throw new Error(`The value of ${section}.${option} spans lines.`);
      return `${option} = ${text}`;
    });
    return [`[${section}]`, ...lines].join('\n');
  });
  return blocks.length === 0 ? '' : `# Written by OSA Dev for the debug run (catalog debug options). Not used by production.\n${blocks.join('\n\n')}\n`;
}

// $1 the file; the content arrives on stdin. Readable by the service user (0644 under 0755 dirs).
const WRITE = `set -e
mkdir -p "$(dirname "$1")"; chmod 755 "$(dirname "$1")"
cat > "$1.tmp"; chmod 644 "$1.tmp"; mv -f "$1.tmp" "$1"`;

export interface DebugConfOriginal {
  readonly path: string;
}

/** Writes the unit's debug config file. Only under /opt/osa-dev: nothing in production to undo. */
export function debugConfStep(unit: string, options: ConfigOptions): Step<DebugConfOriginal> {
  const path = debugConfigPath(unit);
  const text = renderDebugConfig(options);
  return {
    id: `debug-conf:${unit}`,
    title: `Write the debug options of ${unit} (${path})`,
    capture: async () => ({ path }),
    async check(ctx) {
      const current = await runIn(ctx, ['cat', '--', path]);
      return current.code === 0 && current.stdout === text;
    },
    async apply(ctx) {
      await runInOk(ctx, script(WRITE, path), `Writing ${path}`, { stdin: text });
    },
    async undo(ctx) {
      ctx.report(`Nothing to undo in production: ${path} is only read by the debug run`);
    },
  };
}
