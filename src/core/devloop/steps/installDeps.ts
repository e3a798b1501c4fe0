/**
 * Install what the dev source needs into the dev venv (see devVenv.ts: production is never
 * touched): `pip install -r requirements.txt` honouring the production venv's constraints.txt and
 * the container's pip configuration, then the project itself, editable
 * (`pip install --no-deps --no-build-isolation -e <src>`: synced files are live). When the
 * editable build needs `wheel` and it is missing (setuptools < 70.1 without wheel, as in the lab),
 * falls back to `setuptools develop --no-deps` (same result: an egg-link and console scripts).
 * The sha256 of the inputs is recorded in the dev venv; check() is true while they are unchanged.
 */
import { CommandFailedError, type ExecResult } from '../../process/types';
import { shellJoin } from '../../shell/quote';
import type { Step, StepContext } from '../types';
import { lastLines, runIn, runInOk, script } from './containerExec';
import { MissingPackagesError, missingPackagesIn } from './pipErrors';

export const INPUTS_RECORD = '.osa-dev-inputs.sha256';
export const INPUT_FILES = ['requirements.txt', 'setup.cfg', 'setup.py', 'pyproject.toml'] as const;

export interface InstallDepsOriginal {
  readonly devVenv: string;
  readonly src: string;
}

// "sha  path" for each input present, in a fixed order ($1 the record: exit 0 when it matches).
const UNCHANGED = `rec="$1"; shift
now=$(for f in "$@"; do [ -f "$f" ] && sha256sum "$f"; done)
[ -n "$now" ] && [ -f "$rec" ] && [ "$(cat "$rec")" = "$now" ]`;

// The same hashes, then which of requirements.txt ($1) and constraints.txt ($2) exist: one round trip.
const INPUTS = `req="$1"; constraints="$2"; shift 2
for f in "$@"; do [ -f "$f" ] && sha256sum "$f"; done
[ -f "$req" ] && echo @@requirements
[ -f "$constraints" ] && echo @@constraints
exit 0`;

// The editable install without `wheel`: setup.py develop, or setuptools' own for a pyproject-only project.
const DEVELOP = `if [ -f setup.py ]; then exec "$1" setup.py develop --no-deps; fi
exec "$1" -c 'import setuptools; setuptools.setup()' develop --no-deps`;

const PIP_ENV = { HOME: '/root', PYTHONDONTWRITEBYTECODE: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', LC_ALL: 'C.UTF-8' };

export interface InstallDepsOptions {
  readonly prodVenv: string;
  readonly devVenv: string;
  /** The dev source tree in the container (the project root). */
  readonly src: string;
}

export function inputPaths(options: InstallDepsOptions): string[] {
  return [...INPUT_FILES.map((f) => `${options.src}/${f}`), `${options.prodVenv}/constraints.txt`];
}

export function installDeps(options: InstallDepsOptions): Step<InstallDepsOriginal> {
  const { devVenv, prodVenv, src } = options;
  const pip = `${devVenv}/bin/pip`;
  const record = `${devVenv}/${INPUTS_RECORD}`;
  return {
    id: `install-deps:${devVenv}`,
    title: 'Install dependencies into the dev venv',
    // Everything goes into the dev venv (ours; undo leaves it): nothing on the host to read first.
    capture: async () => ({ devVenv, src }),
    async check(ctx) {
      return (await runIn(ctx, script(UNCHANGED, record, ...inputPaths(options)))).code === 0;
    },
    async apply(ctx) {
      const found = (await runInOk(ctx, script(INPUTS, `${src}/requirements.txt`, `${prodVenv}/constraints.txt`, ...inputPaths(options)), `Hashing ${src}'s requirements`)).stdout.split('\n');
      const inputs = found.filter((l) => l !== '' && !l.startsWith('@@')).join('\n');
      if (found.includes('@@requirements')) {
        const constraints = found.includes('@@constraints') ? ['-c', `${prodVenv}/constraints.txt`] : [];
        ctx.report('pip install -r requirements.txt (only what production lacks goes into the dev venv)');
        await pipOrThrow(ctx, [pip, 'install', ...constraints, '-r', 'requirements.txt'], src);
      }
      ctx.report(`pip install -e ${src}`);
      const editable = await runIn(ctx, [pip, 'install', '--no-deps', '--no-build-isolation', '-e', src], { cwd: src, env: PIP_ENV });
      if (editable.code !== 0) {
        if (!/invalid command 'bdist_wheel'/.test(`${editable.stdout}${editable.stderr}`)) throw pipFailure(ctx, [pip, 'install', '-e', src], editable);
        ctx.report('No `wheel` for an editable build: setuptools develop instead');
        const result = await runIn(ctx, script(DEVELOP, `${devVenv}/bin/python`), { cwd: src, env: PIP_ENV });
        if (result.code !== 0) throw pipFailure(ctx, [`${devVenv}/bin/python`, 'setup.py', 'develop', '--no-deps'], result);
      }
      await runIn(ctx, script('printf "%s\\n" "$2" > "$1.tmp" && mv -f "$1.tmp" "$1"', record, inputs));
    },
    async undo(ctx) {
      ctx.report('Nothing to undo in production: dependencies went into the dev venv only');
    },
  };
}

async function pipOrThrow(ctx: StepContext, argv: string[], cwd: string): Promise<void> {
  const result = await runIn(ctx, argv, { cwd, env: PIP_ENV });
  if (result.code !== 0) throw pipFailure(ctx, argv, result);
}

function pipFailure(ctx: StepContext, argv: string[], result: ExecResult): Error {
  const output = `${result.stdout}\n${result.stderr}`;
  const missing = missingPackagesIn(output);
  if (missing.length > 0) return new MissingPackagesError(missing, ctx.container, output);
  return new CommandFailedError(shellJoin(argv), { ...result, stderr: lastLines(result, 10) }, `pip failed in ${ctx.container}`);
}
