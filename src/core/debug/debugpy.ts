/**
 * debugpy for the dev venv, found or provided without ever touching the production venv:
 *
 * 1. `dev-venv`: the dev venv's python imports debugpy already (installed there, or production has it).
 * 2. `pip`: `pip install debugpy` into the dev venv from the container's configured package source
 *    (OSA's repo-server wheel repo through pip.conf, or an index the Develop wizard enabled).
 * 3. `system-python`: Debian's python3-debugpy for /usr/bin/python3, when it is the same X.Y as the
 *    dev venv. DECISION: not all of dist-packages (that would drag every Debian python package into
 *    the service's import path): the top-level modules of python3-debugpy and of the python3-*
 *    packages it depends on (`dpkg-query`: python3-pydevd, python3-bytecode, python3-coverage…)
 *    are symlinked into /opt/osa-dev/debugpy/<X.Y>/, and a `.pth` in the dev venv names that
 *    directory. The `.pth` sorts after the production one, so production's own modules still win.
 *
 * None of these → DebugpyUnavailableError, which says what to do next.
 */
import { runIn, runInOk, script } from '../devloop/steps/containerExec';
import { DEV_ROOT } from '../devloop/steps/devVenv';
import type { Step, StepContext } from '../devloop/types';
import { leftAsItWas, type LeftState } from './refusal';

export type DebugpySource = 'dev-venv' | 'pip' | 'system-python';

export interface DebugpyProvision {
  readonly via: DebugpySource;
  readonly version: string;
  /** debugpy/__init__.py as the dev venv imports it. */
  readonly file: string;
  /** One line for the UI ("debugpy 1.6.3 from Debian's python3-debugpy, linked into …"). */
  readonly detail: string;
  /** system-python: the top-level modules exposed to the dev venv. */
  readonly linked?: readonly string[];
}

/** Set when the pre-checks refuse a debug run before any step (what the host is left with, then advice). */
export interface RefusedBeforeSteps {
  readonly container: string;
  readonly left: LeftState;
  readonly advice: string;
}

export class DebugpyUnavailableError extends Error {
  readonly left: LeftState | undefined;

  constructor(
    readonly reason: string,
    readonly attempts: readonly string[],
    readonly refused?: RefusedBeforeSteps,
  ) {
    super(refused ? `${reason} ${leftAsItWas(refused.container, refused.left)} ${refused.advice}` : reason);
    this.name = 'DebugpyUnavailableError';
    this.left = refused?.left;
  }

  leaving(left: LeftState): DebugpyUnavailableError {
    return this.refused ? new DebugpyUnavailableError(this.reason, this.attempts, { ...this.refused, left }) : this;
  }
}

export const DEBUGPY_PTH = 'zzzz-osa-dev-debugpy.pth';

export function debugpyLinkDir(pythonVersion: string): string {
  if (!/^\d+\.\d+$/.test(pythonVersion)) throw new Error(`Invalid Python version ${JSON.stringify(pythonVersion)}`);
  return `${DEV_ROOT}/debugpy/${pythonVersion}`;
}

// Line 1: X.Y (always); then, when debugpy imports: its version and file.
const PROBE = `import sys
print("%d.%d" % sys.version_info[:2])
try:
    import debugpy
except Exception as exc:
    print("no debugpy: %s" % exc, file=sys.stderr)
    sys.exit(4)
print(debugpy.__version__)
print(debugpy.__file__)`;

interface Probe {
  readonly pythonVersion: string;
  readonly debugpy?: { version: string; file: string };
  readonly error: string;
}

async function probe(ctx: StepContext, python: string): Promise<Probe> {
  const result = await runIn(ctx, [python, '-B', '-c', PROBE], { env: { LC_ALL: 'C.UTF-8' } });
  const [pythonVersion = '', version = '', file = ''] = result.stdout.trim().split('\n');
  if (result.code === 0) return { pythonVersion, debugpy: { version, file }, error: '' };
  return { pythonVersion, error: result.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${result.code}` };
}

// Run by the container's system python as root. argv: target dir, then the root package.
// Prints the linked top-level names, one a line. Exit 5: the package is not installed.
const LINK = `import os, shutil, subprocess, sys
target, root = sys.argv[1], sys.argv[2]
dist = ["/usr/lib/python3/dist-packages", "/usr/lib/python%d.%d/dist-packages" % sys.version_info[:2]]
def interpreter(name):
    return name in ("python3", "python3-minimal", "python3-dev", "python3-venv") or name.startswith("libpython3")
def installed(pkg):
    r = subprocess.run(["dpkg-query", "-W", "-f", "\${Status}", pkg], capture_output=True, text=True)
    return r.returncode == 0 and r.stdout.strip().endswith(" installed")
def depends(pkg):
    r = subprocess.run(["dpkg-query", "-W", "-f", "\${Depends}", pkg], capture_output=True, text=True, check=True)
    out = []
    for group in filter(None, (g.strip() for g in r.stdout.split(","))):
        names = [a.strip().split(" ")[0].split(":")[0] for a in group.split("|")]
        wanted = [n for n in names if n.startswith("python3-") and not interpreter(n)]
        for n in wanted:
            if installed(n):
                out.append(n)
                break
    return out
if not installed(root):
    sys.exit(5)
seen, todo = [], [root]
while todo:
    pkg = todo.pop(0)
    if pkg in seen:
        continue
    seen.append(pkg)
    todo.extend(depends(pkg))
names = {}
for pkg in seen:
    files = subprocess.run(["dpkg-query", "-L", pkg], capture_output=True, text=True, check=True).stdout.split("\\n")
    for f in files:
        for d in dist:
            if f.startswith(d + "/") and "/" not in f[len(d) + 1:] and os.path.lexists(f) and not f.endswith(".pth"):
                names.setdefault(f[len(d) + 1:], f)
tmp = target + ".tmp"
shutil.rmtree(tmp, ignore_errors=True)
os.makedirs(tmp)
for name, path in sorted(names.items()):
    os.symlink(path, os.path.join(tmp, name))
shutil.rmtree(target, ignore_errors=True)
os.rename(tmp, target)
os.chmod(target, 0o755)
print("packages: " + " ".join(seen))
for name in sorted(names):
    print(name)`;

const WRITE_PTH = `set -e
devlib=$("$1" -B -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\\n' "$3" > "$devlib/$2.tmp"
mv -f "$devlib/$2.tmp" "$devlib/$2"`;

const PIP_ENV = { HOME: '/root', PYTHONDONTWRITEBYTECODE: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', LC_ALL: 'C.UTF-8' };

/** Makes `<devVenv>/bin/python -m debugpy` work (see the file comment), and says how. */
export async function ensureDebugpy(ctx: StepContext, devVenv: string, options: { systemPython?: string } = {}): Promise<DebugpyProvision> {
  const python = `${devVenv}/bin/python`;
  const attempts: string[] = [];
  const first = await probe(ctx, python);
  if (!/^\d+\.\d+$/.test(first.pythonVersion)) {
    throw new DebugpyUnavailableError(`The dev venv ${devVenv} has no working python (${first.error}). Run Develop first.`, [first.error]);
  }
  if (first.debugpy) {
    const linked = first.debugpy.file.startsWith(`${DEV_ROOT}/debugpy/`);
    return {
      via: linked ? 'system-python' : 'dev-venv',
      ...first.debugpy,
      detail: linked ? `debugpy ${first.debugpy.version} from the system python, linked under ${DEV_ROOT}/debugpy` : `debugpy ${first.debugpy.version} already importable from ${devVenv}`,
    };
  }
  attempts.push(`dev venv: ${first.error}`);

  ctx.report(`pip install debugpy into ${devVenv}`);
  const pip = await runIn(ctx, [`${devVenv}/bin/pip`, 'install', '--retries', '1', '--timeout', '15', 'debugpy'], { env: PIP_ENV, cwd: '/' });
  if (pip.code === 0) {
    const after = await probe(ctx, python);
    if (after.debugpy) return { via: 'pip', ...after.debugpy, detail: `debugpy ${after.debugpy.version} installed into ${devVenv} by pip` };
    attempts.push(`pip installed debugpy but it does not import: ${after.error}`);
  } else {
    const why = `${pip.stdout}\n${pip.stderr}`.split('\n').filter((l) => /ERROR|error:/.test(l)).slice(-1)[0] ?? `pip exited ${pip.code}`;
    attempts.push(`pip: ${why.trim()}`);
  }

  const system = options.systemPython ?? '/usr/bin/python3';
  const systemProbe = await probe(ctx, system);
  if (systemProbe.pythonVersion !== first.pythonVersion) {
    attempts.push(`system python ${system}: ${systemProbe.pythonVersion ? `Python ${systemProbe.pythonVersion}, the dev venv runs ${first.pythonVersion}` : 'absent'}`);
  } else if (!systemProbe.debugpy) {
    attempts.push(`system python ${system}: ${systemProbe.error}`);
  } else {
    const dir = debugpyLinkDir(first.pythonVersion);
    ctx.report(`Linking Debian's debugpy into ${dir}`);
    const link = await runIn(ctx, [system, '-B', '-c', LINK, dir, 'python3-debugpy'], { env: { LC_ALL: 'C.UTF-8' } });
    if (link.code === 0) {
      const lines = link.stdout.trim().split('\n');
      const packages = (lines[0] ?? '').replace(/^packages: /, '');
      const linked = lines.slice(1).filter((l) => l !== '');
      await runInOk(ctx, script(WRITE_PTH, python, DEBUGPY_PTH, dir), `Adding ${DEBUGPY_PTH} to ${devVenv}`);
      const after = await probe(ctx, python);
      if (after.debugpy) {
        return {
          via: 'system-python',
          ...after.debugpy,
          linked,
          detail: `debugpy ${after.debugpy.version} from Debian's ${packages}: ${linked.length} modules linked into ${dir} (${DEBUGPY_PTH} in ${devVenv})`,
        };
      }
      // Leave no half-working .pth behind.
      await runIn(ctx, script(`devlib=$("$1" -B -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') && rm -f "$devlib/$2"`, python, DEBUGPY_PTH));
      attempts.push(`system debugpy linked into ${dir} but does not import: ${after.error}`);
    } else if (link.code === 5) {
      attempts.push(`system python ${system} imports debugpy, but not from Debian's python3-debugpy`);
    } else {
      attempts.push(`linking the system debugpy failed: ${link.stderr.trim().split('\n').slice(-1)[0]}`);
    }
  }
  throw new DebugpyUnavailableError(
    `debugpy is not available to ${devVenv} (${attempts.join('; ')}). Next step: put a debugpy wheel in the wheel repo the ` +
      `container's pip uses (or Develop again with an extra package index), or install Debian's python3-debugpy in ` +
      `${ctx.container} if its python3 is ${first.pythonVersion}; then Develop with debugging again. ` +
      'Without debugpy, pdb / remote-pdb in the terminal still work.',
    attempts,
  );
}

export interface DebugpyStepOriginal {
  readonly devVenv: string;
}

/**
 * The plan's step: debugpy importable from the dev venv. Writes only under /opt/osa-dev (the dev
 * venv, /opt/osa-dev/debugpy): nothing in production to undo.
 */
export function debugpyStep(devVenv: string, onProvision?: (p: DebugpyProvision) => void): Step<DebugpyStepOriginal> {
  return {
    id: `debugpy:${devVenv}`,
    title: 'Make debugpy available to the dev venv',
    capture: async () => ({ devVenv }),
    async check(ctx) {
      return (await probe(ctx, `${devVenv}/bin/python`)).debugpy !== undefined;
    },
    async apply(ctx) {
      const provision = await ensureDebugpy(ctx, devVenv);
      ctx.report(provision.detail);
      ctx.logger.info(provision.detail);
      onProvision?.(provision);
    },
    async undo(ctx) {
      ctx.report(`Nothing to undo in production: debugpy lives in the dev area (${devVenv}, ${DEV_ROOT}/debugpy)`);
    },
  };
}
