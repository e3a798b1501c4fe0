import type { ContainerRuntime } from '../runtime/types';

/** Where the foreground dev process of each unit records its pid, inside the container. */
export const DEV_RUN_DIR = '/run/osa-dev';

const UNIT = /^[A-Za-z0-9][A-Za-z0-9@._-]{0,127}$/;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

export function devPidFile(unit: string): string {
  if (!UNIT.test(unit)) throw new Error(`Invalid unit name ${JSON.stringify(unit)}.`);
  return `${DEV_RUN_DIR}/${unit}.pid`;
}

// Constant script: pid file, user and the command arrive as positional parameters. An earlier dev
// process of the same unit is stopped first, so there is never more than one. Waits poll every
// 0.1 s: a process that ends at once costs no half second. `exec` keeps the pid:
// the recorded pid IS the service process, through setpriv (which execs, unlike su/runuser).
const RUN = [
  'pidfile="$1"; user="$2"; shift 2',
  'mkdir -p "$(dirname "$pidfile")"',
  'if [ -f "$pidfile" ] && old=$(cat "$pidfile") && kill -0 "$old" 2>/dev/null; then',
  '  echo "osa-dev: stopping the previous dev process (pid $old)" >&2; kill -TERM "$old"',
  '  i=0; while [ $i -lt 50 ] && kill -0 "$old" 2>/dev/null; do sleep 0.1; i=$((i+1)); done; kill -KILL "$old" 2>/dev/null',
  'fi',
  'echo $$ > "$pidfile"',
  'if [ -n "$user" ] && [ "$user" != root ]; then',
  '  entry=$(getent passwd "$user") || { echo "osa-dev: no user $user in this container" >&2; exit 1; }',
  '  HOME=$(echo "$entry" | cut -d: -f6); export HOME',
  '  exec setpriv --reuid="$(echo "$entry" | cut -d: -f3)" --regid="$(echo "$entry" | cut -d: -f4)" --init-groups -- "$@"',
  'fi',
  'exec "$@"',
].join('\n');

const STOP = [
  'pidfile="$1"',
  '[ -f "$pidfile" ] || exit 0',
  'pid=$(cat "$pidfile")',
  'if kill -0 "$pid" 2>/dev/null; then',
  '  kill -TERM "$pid"',
  '  i=0; while [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; i=$((i+1)); done',
  '  kill -KILL "$pid" 2>/dev/null',
  'fi',
  'rm -f "$pidfile"',
].join('\n');

export interface ForegroundOptions {
  readonly unit: string;
  readonly user?: string;
  /** The command inside the container, placeholders already expanded. */
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** argv (for the host, run with a PTY) that runs the unit's dev process in the foreground. */
export function foregroundArgv(runtime: ContainerRuntime, container: string, options: ForegroundOptions): string[] {
  if (options.argv.length === 0) throw new Error(`No foreground command for ${options.unit}.`);
  const user = options.user ?? '';
  if (user !== '' && !USER.test(user)) throw new Error(`Invalid user name ${JSON.stringify(user)}.`);
  const env = { PYTHONUNBUFFERED: '1', TERM: 'xterm-256color', ...options.env };
  return runtime.execArgv(container, ['sh', '-c', RUN, 'sh', devPidFile(options.unit), user, ...options.argv], { env });
}

/** argv that stops the unit's dev process (TERM, then KILL after 10 s) and removes its pid file. */
export function stopForegroundArgv(runtime: ContainerRuntime, container: string, unit: string): string[] {
  return runtime.execArgv(container, ['sh', '-c', STOP, 'sh', devPidFile(unit)]);
}
