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
import { lastLines, runIn, script } from './containerExec';
import { MissingPackagesError, missingPackagesIn } from './pipErrors';

export const INPUTS_RECORD = '.osa-dev-inputs.sha256';
export const INPUT_FILES = ['requirements.txt', 'setup.cfg', 'setup.py', 'pyproject.toml'] as const;

export interface InstallDepsOriginal {
  /** `sha256  path` lines of the inputs as captured. */
  readonly inputs: string;
  /** The record left by the last successful install ('' when none). */
  readonly recorded: string;
}

// "sha  path" for each input present, in a fixed order.
const HASH = `cd "$1"; shift
for f in "$@"; do [ -f "$f" ] && sha256sum "$f"; done
exit 0`;

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

async function hashInputs(ctx: StepContext, options: InstallDepsOptions): Promise<string> {
  const result = await runIn(ctx, script(HASH, '/', ...inputPaths(options)));
  return result.stdout.trim();
}

export function installDeps(options: InstallDepsOptions): Step<InstallDepsOriginal> {
  const { devVenv, prodVenv, src } = options;
  const pip = `${devVenv}/bin/pip`;
  const record = `${devVenv}/${INPUTS_RECORD}`;
  return {
    id: `install-deps:${devVenv}`,
    title: 'Install dependencies into the dev venv',
    async capture(ctx) {
      const recorded = await runIn(ctx, ['cat', '--', record]);
      return { inputs: await hashInputs(ctx, options), recorded: recorded.code === 0 ? recorded.stdout.trim() : '' };
    },
    async check(ctx) {
      const recorded = await runIn(ctx, ['cat', '--', record]);
      return recorded.code === 0 && recorded.stdout.trim() === (await hashInputs(ctx, options)) && recorded.stdout.trim() !== '';
    },
    async apply(ctx) {
      const inputs = await hashInputs(ctx, options);
      if ((await runIn(ctx, ['test', '-f', `${src}/requirements.txt`])).code === 0) {
        const constraints = (await runIn(ctx, ['test', '-f', `${prodVenv}/constraints.txt`])).code === 0 ? ['-c', `${prodVenv}/constraints.txt`] : [];
        ctx.report('pip install -r requirements.txt (only what production lacks goes into the dev venv)');
        await pipOrThrow(ctx, [pip, 'install', ...constraints, '-r', 'requirements.txt'], src);
      }
      ctx.report(`pip install -e ${src}`);
      const editable = await runIn(ctx, [pip, 'install', '--no-deps', '--no-build-isolation', '-e', src], { cwd: src, env: PIP_ENV });
      if (editable.code !== 0) {
        if (!/invalid command 'bdist_wheel'/.test(`${editable.stdout}${editable.stderr}`)) throw pipFailure(ctx, [pip, 'install', '-e', src], editable);
        ctx.report('No `wheel` for an editable build: setuptools develop instead');
        const hasSetupPy = (await runIn(ctx, ['test', '-f', `${src}/setup.py`])).code === 0;
        const develop = hasSetupPy
          ? [`${devVenv}/bin/python`, 'setup.py', 'develop', '--no-deps']
          : [`${devVenv}/bin/python`, '-c', 'import setuptools; setuptools.setup()', 'develop', '--no-deps'];
        const result = await runIn(ctx, develop, { cwd: src, env: PIP_ENV });
        if (result.code !== 0) throw pipFailure(ctx, develop, result);
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
