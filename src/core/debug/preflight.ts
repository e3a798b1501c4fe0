/**
 * Checks made before a debug run changes anything on the host (planDevelop calls them before the
 * first step, so a refusal leaves production exactly as it was: nothing isolated, nothing stopped):
 *
 * - the management IP is one of the container's addresses (debugpy binds only there);
 * - the debug port is free on it (or held by this unit's own dev process, when resuming);
 * - debugpy can be had without touching the production venv (debugpy.ts's three sources: the dev
 *   venv, pip from the container's package source, the system python of the same X.Y).
 *
 * One round trip for the first two, one more for debugpy (a second for pip only when nothing imports).
 */
import { JournalStore } from '../devloop/journalStore';
import { runIn, script } from '../devloop/steps/containerExec';
import type { StepContext } from '../devloop/types';
import { shellJoin } from '../shell/quote';
import type { ShellRunner } from '../process/types';
import type { ContainerRuntime } from '../runtime/types';
import { validateDebugPort, validateListenHost } from './argv';
import { DebugpyUnavailableError } from './debugpy';
import { leftAsItWas, type LeftState } from './refusal';

/** A debug run refused before any step; the message ends with what the host is left with. */
export class DebugPreflightError extends Error {
  constructor(
    readonly reason: string,
    readonly container: string,
    readonly left: LeftState = 'untouched',
  ) {
    super(`${reason} ${leftAsItWas(container, left)}`);
    this.name = 'DebugPreflightError';
  }

  leaving(left: LeftState): DebugPreflightError {
    return new DebugPreflightError(this.reason, this.container, left);
  }
}

// $1 ip, $2 port, $3 pid file of the unit's dev process. Prints "addr yes|no", then the listeners
// on the port as "listen <local address> <users>", then "own <pid>" for the dev process and its
// children when it runs (debugpy's adapter, which holds the port, is a child of the dev process).
const SOCKETS = `ip -4 -o addr show 2>/dev/null | grep -q " inet $1/" && echo "addr yes" || echo "addr no"
ss -ltnpH 2>/dev/null | awk -v p=":$2" '{ n = length($4) - length(p); if (n > 0 && substr($4, n + 1) == p) print "listen", $4, $6 }'
if [ -f "$3" ] && pid=$(cat "$3") && kill -0 "$pid" 2>/dev/null; then
  for p in $pid $(ps -o pid= --ppid "$pid" 2>/dev/null); do echo "own $p"; done
fi
exit 0`;

/** The listener sockets on the port that block debugpy binding ip:port (same address or a wildcard). */
export function blockingListeners(output: string, ip: string): { address: string; users: string }[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('listen '))
    .map((line) => {
      const [, address = '', users = ''] = line.split(' ');
      return { address, users };
    })
    .filter(({ address }) => {
      const host = address.slice(0, address.lastIndexOf(':'));
      return host === ip || host === '0.0.0.0' || host === '*' || host === '[::]' || host === '[::ffff:0.0.0.0]';
    });
}

/** pids named in ss's users column: users:(("python3",pid=123,fd=4)). */
function pidsOf(users: string): string[] {
  return [...users.matchAll(/pid=(\d+)/g)].map((m) => m[1]!);
}

/** Refuses (DebugPreflightError) when debugpy could not listen on ip:port in the container. */
export async function checkDebugSocket(ctx: StepContext, options: { ip: string; port: number; pidFile: string }): Promise<void> {
  const ip = validateListenHost(options.ip);
  const port = validateDebugPort(options.port);
  const result = await runIn(ctx, script(SOCKETS, ip, String(port), options.pidFile));
  if (result.code !== 0) throw new DebugPreflightError(`Could not check the debug port in ${ctx.container}: ${result.stderr.trim() || `exit ${result.code}`}.`, ctx.container);
  const out = result.stdout;
  if (!out.includes('addr yes')) {
    throw new DebugPreflightError(
      `${ip} is not an address of ${ctx.container}, so debugpy cannot listen there. The management IP OSA Dev knows may be stale: ` +
        'Refresh the host and run Develop again.',
      ctx.container,
    );
  }
  const own = new Set([...out.matchAll(/^own (\d+)$/gm)].map((m) => m[1]!));
  const blocking = blockingListeners(out, ip).filter((l) => !pidsOf(l.users).some((pid) => own.has(pid)));
  if (blocking.length > 0) {
    const who = blocking.map((l) => `${l.address}${l.users ? ` by ${l.users}` : ''}`).join(', ');
    throw new DebugPreflightError(
      `The debug port ${port} is already in use in ${ctx.container} (${who}). Stop that process, or choose another port ` +
        '(setting osaDev.debug.port), then Develop again.',
      ctx.container,
    );
  }
}

// $1 a python. Exit 0 and "X.Y" when it imports debugpy; else "X.Y" (or nothing) and exit 4.
const IMPORTS = `[ -x "$1" ] || exit 3
"$1" -B -c 'import sys
print("%d.%d" % sys.version_info[:2])
try:
    import debugpy
except Exception:
    sys.exit(4)'`;

async function imports(ctx: StepContext, python: string): Promise<{ ok: boolean; version: string }> {
  const result = await runIn(ctx, script(IMPORTS, python), { env: { LC_ALL: 'C.UTF-8' } });
  return { ok: result.code === 0, version: result.stdout.trim() };
}

export interface DebugpySourcesOptions {
  /** The production venv (the dev venv is layered over it: same interpreter). */
  readonly prodVenv: string;
  readonly devVenv: string;
  readonly systemPython?: string;
  /** Extra pip environment (tests point pip at an unreachable source this way). */
  readonly pipEnv?: Readonly<Record<string, string>>;
}

/**
 * Refuses (DebugpyUnavailableError) when none of debugpy.ts's sources could provide debugpy:
 * nothing imports it (dev venv, production venv, system python of the same X.Y) and pip cannot
 * find it (`pip download --no-deps` into a scratch folder, removed; the venvs are not touched).
 */
export async function checkDebugpyObtainable(ctx: StepContext, options: DebugpySourcesOptions): Promise<string> {
  const attempts: string[] = [];
  const venvPython = `${options.prodVenv}/bin/python`;
  for (const python of [`${options.devVenv}/bin/python`, venvPython]) {
    const probe = await imports(ctx, python);
    if (probe.ok) return `debugpy importable by ${python}`;
    attempts.push(`${python}: ${probe.version ? 'no debugpy' : 'absent'}`);
  }
  const version = (await imports(ctx, venvPython)).version;
  const system = options.systemPython ?? '/usr/bin/python3';
  const systemProbe = await imports(ctx, system);
  if (systemProbe.ok && systemProbe.version === version) return `debugpy from the system python ${system}`;
  attempts.push(`system python ${system}: ${!systemProbe.version ? 'absent' : systemProbe.ok ? `Python ${systemProbe.version}, the venv runs ${version}` : 'no debugpy'}`);
  const pip = await runIn(
    ctx,
    script('d=$(mktemp -d) || exit 1; "$1" download --no-deps --retries 0 --timeout 10 -d "$d" debugpy; rc=$?; rm -rf "$d"; exit $rc', `${options.prodVenv}/bin/pip`),
    { env: { HOME: '/root', PIP_DISABLE_PIP_VERSION_CHECK: '1', LC_ALL: 'C.UTF-8', ...(options.pipEnv ?? {}) }, cwd: '/' },
  );
  if (pip.code === 0) return 'debugpy available to pip';
  const why = `${pip.stdout}\n${pip.stderr}`.split('\n').filter((l) => /ERROR|error:/.test(l)).slice(-1)[0] ?? `pip exited ${pip.code}`;
  attempts.push(`pip: ${why.trim()}`);
  throw new DebugpyUnavailableError(
    `debugpy is not available in ${ctx.container} and cannot be installed (${attempts.join('; ')}). Next step: put a debugpy wheel ` +
      `in the wheel repository the container's pip uses, or install Debian's python3-debugpy in ${ctx.container} if its python3 is ` +
      `${version}; then Develop with debugging again.`,
    attempts,
    { container: ctx.container, left: 'untouched', advice: 'Without debugpy, pdb / remote-pdb in the dev terminal still work (Develop with "Run").' },
  );
}

export interface DebugPrechecks extends DebugpySourcesOptions {
  readonly ip: string;
  readonly port: number;
  /** The pid file of the unit's dev process (its own debug port is not "in use"). */
  readonly pidFile: string;
}

/**
 * The checks planDevelop makes before the first step of a debug run. A refusal says truly what the
 * host is left with: on Resume the container stays in dev mode from the earlier Develop, so the
 * journal (read only when refusing) decides between that and "nothing was changed".
 */
export async function checkDebugRun(ctx: StepContext, options: DebugPrechecks): Promise<void> {
  try {
    await checkDebugSocket(ctx, options);
    await checkDebugpyObtainable(ctx, options);
  } catch (error) {
    if (!(error instanceof DebugPreflightError || error instanceof DebugpyUnavailableError)) throw error;
    const left = await new JournalStore(ctx.host).read(ctx.container).then(
      (journal): LeftState => (journal ? 'in-dev-mode' : 'untouched'),
      (): LeftState => 'unknown',
    );
    throw error.leaving(left);
  }
}

/**
 * Why an attach cannot reach debugpy, or undefined when debugpy listens on ip:port in the container
 * (one round trip; checked before the SSH forward is handed to VS Code, whose own error would only
 * say the adapter connection closed).
 */
export async function debugpyUnreachable(host: ShellRunner, runtime: ContainerRuntime, container: string, ip: string, port: number): Promise<string | undefined> {
  const check = `ss -ltnH 2>/dev/null | grep -q " $1:$2 " && exit 0; ip -4 -o addr show 2>/dev/null | grep -q " inet $1/" && exit 5; exit 6`;
  const argv = runtime.execArgv(container, ['sh', '-c', check, 'sh', validateListenHost(ip), String(validateDebugPort(port))]);
  const result = await host.exec(shellJoin(argv));
  if (result.code === 0) return undefined;
  if (result.code === 5) {
    return `debugpy is not listening on ${ip}:${port} in ${container}: the dev process has stopped (see its terminal). Run Develop This Service to start it again under the debugger.`;
  }
  if (result.code === 6) {
    return `${ip} is not an address of ${container} any more, so debugpy cannot be reached there. Refresh the host, then Develop This Service again.`;
  }
  return `${container} cannot be reached to attach (${result.stderr.trim().split('\n').slice(-1)[0] || `exit ${result.code}`}): is it running? Start it, then Develop This Service again.`;
}
