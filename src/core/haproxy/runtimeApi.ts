import type { CommandSpec, ExecResult } from '../process/types';
import { CommandFailedError } from '../process/types';
import { shellJoin } from '../shell/quote';
import { HaproxyCommandError, HaproxySocketError } from './errors';
import { parseServersState, type AdminState, type ServerStateRecord } from './serversState';
import { assertBackendName, assertHostPath, assertServerName } from './validate';

/**
 * The HAProxy runtime API (the `stats socket … level admin`) as command specs run on the host.
 *
 * One constant script: the socket path and the CLI commands are positional parameters, never
 * interpolated. It picks socat, else `nc -U` (one `command -v` each), sends each command on its
 * own connection (HAProxy closes a non-interactive connection after one answer) and prints a
 * marker line before each answer so answers are split without guessing.
 */
export const ANSWER_MARKER = '@@osa-dev-haproxy-answer';

const CLIENT = [
  'if command -v socat >/dev/null 2>&1; then via=socat',
  'elif command -v nc >/dev/null 2>&1; then via=nc',
  'else echo "osa-dev: no-client: neither socat nor nc is installed" >&2; exit 127; fi',
  'send() { if [ "$via" = socat ]; then printf "%s\\n" "$2" | socat -t 10 stdio "UNIX-CONNECT:$1"; else printf "%s\\n" "$2" | nc -U "$1"; fi; }',
  'if [ ! -S "$1" ]; then if [ -e "$1" ]; then echo "osa-dev: no-socket: $1 is not a socket" >&2; else echo "osa-dev: no-socket: $1 does not exist" >&2; fi; exit 3; fi',
].join('\n');

const CLI_SCRIPT = [
  CLIENT,
  'sock=$1; shift',
  `for c do printf '%s\\n' '${ANSWER_MARKER}'; send "$sock" "$c" || exit $?; done`,
].join('\n');

// Dump `show servers state` to the state file atomically (temp file in the same directory, then
// mv), only when the dump is a complete version-1 table.
const PERSIST_SCRIPT = [
  CLIENT,
  'tmp="$2.osa-dev.$$"',
  'send "$1" "show servers state" > "$tmp" || { rc=$?; rm -f "$tmp"; exit $rc; }',
  'if [ "$(head -n 1 "$tmp")" != 1 ]; then echo "osa-dev: bad-dump: $(head -c 200 "$tmp")" >&2; rm -f "$tmp"; exit 4; fi',
  'chmod 644 "$tmp" && mv -f "$tmp" "$2"',
].join('\n');

export function disableServerCommand(backend: string, server: string): string {
  return `disable server ${assertBackendName(backend)}/${assertServerName(server)}`;
}

export function enableServerCommand(backend: string, server: string): string {
  return `enable server ${assertBackendName(backend)}/${assertServerName(server)}`;
}

/** `set server B/S state ready|drain|maint` (HAProxy ≥ 1.6): sets exactly the forced bits. */
export function setServerStateCommand(backend: string, server: string, state: AdminState): string {
  return `set server ${assertBackendName(backend)}/${assertServerName(server)} state ${state}`;
}

export function showServersStateCommand(backend?: string): string {
  return backend === undefined ? 'show servers state' : `show servers state ${assertBackendName(backend)}`;
}

/** Any CLI commands, in order; each answer is returned as printed (trailing blank line removed). */
export function haproxyCli(socket: string, commands: readonly string[]): CommandSpec<string[]> {
  assertHostPath('admin socket path', socket);
  if (commands.length === 0) {
    throw new Error('No HAProxy command to send.');
  }
  for (const command of commands) {
    // Commands are built by the functions above from validated names; refuse anything that
    // could be read as two commands by the CLI.
    if (/[;\n\r\\]/.test(command)) {
      throw new Error(`Refusing an HAProxy command with a separator: ${JSON.stringify(command)}`);
    }
  }
  const argv = ['sh', '-c', CLI_SCRIPT, 'sh', socket, ...commands];
  return {
    argv,
    describe: commands.length === 1 ? `HAProxy: ${commands[0]}` : `HAProxy: ${commands.length} commands`,
    parse(result: ExecResult): string[] {
      throwIfSocketFailed(socket, argv, result);
      const answers = splitAnswers(result.stdout);
      if (answers.length !== commands.length) {
        throw new CommandFailedError(shellJoin(argv), result, `HAProxy answered ${answers.length} of ${commands.length} commands`);
      }
      answers.forEach((answer, i) => throwIfRefused(socket, commands[i]!, answer));
      return answers;
    },
  };
}

/** Runtime admin commands (disable/enable/set state) that print nothing when they succeed. */
export function adminCommands(socket: string, commands: readonly string[]): CommandSpec<void> {
  const cli = haproxyCli(socket, commands);
  return {
    argv: cli.argv,
    describe: cli.describe,
    parse(result: ExecResult): void {
      const answers = cli.parse(result);
      answers.forEach((answer, i) => {
        if (answer.trim() !== '') {
          throw new HaproxyCommandError(commands[i]!, answer);
        }
      });
    },
  };
}

/** `show servers state` for each backend given (all backends when none), in one round trip. */
export function showServersState(socket: string, backends?: readonly string[]): CommandSpec<ServerStateRecord[]> {
  const commands = backends === undefined || backends.length === 0 ? [showServersStateCommand()] : backends.map((b) => showServersStateCommand(b));
  const cli = haproxyCli(socket, commands);
  return {
    argv: cli.argv,
    describe: `HAProxy: show servers state${backends?.length ? ` ${backends.join(' ')}` : ''}`,
    parse(result: ExecResult): ServerStateRecord[] {
      return cli.parse(result).flatMap((answer) => parseServersState(answer));
    },
  };
}

/**
 * Dumps `show servers state` into the server-state-file so a reload with
 * `load-server-state-from-file global` keeps the admin states (what OSA's reload does not do).
 */
export function persistServerState(socket: string, stateFile: string): CommandSpec<void> {
  assertHostPath('admin socket path', socket);
  assertHostPath('server-state-file path', stateFile);
  const argv = ['sh', '-c', PERSIST_SCRIPT, 'sh', socket, stateFile];
  return {
    argv,
    describe: `HAProxy: save server states to ${stateFile}`,
    parse(result: ExecResult): void {
      throwIfSocketFailed(socket, argv, result);
      if (result.code !== 0) {
        throw new CommandFailedError(shellJoin(argv), result, `Could not write the server-state-file ${stateFile}`);
      }
    },
  };
}

function splitAnswers(stdout: string): string[] {
  const parts = stdout.split(`${ANSWER_MARKER}\n`);
  // parts[0] is whatever came before the first marker (nothing).
  return parts.slice(1).map((part) => part.replace(/\n+$/, '\n'));
}

function throwIfSocketFailed(socket: string, argv: readonly string[], result: ExecResult): void {
  const err = result.stderr;
  const badDump = /osa-dev: bad-dump: (.*)/.exec(err);
  if (badDump) {
    if (/Permission denied/.test(badDump[1]!)) {
      throw new HaproxySocketError('not-admin', socket, `HAProxy refused "show servers state" on ${socket}: the socket is not at "level admin".`);
    }
    throw new HaproxySocketError('failed', socket, `HAProxy's "show servers state" on ${socket} was not a version-1 dump; the server-state-file was left as it was: ${badDump[1]}`);
  }
  if (result.code === 127 || /osa-dev: no-client/.test(err)) {
    throw new HaproxySocketError('no-client', socket, `Neither socat nor nc is installed on the host: install socat (apt-get install socat) to use HAProxy's admin socket ${socket}.`);
  }
  if (/osa-dev: no-socket/.test(err)) {
    throw new HaproxySocketError(
      'no-socket',
      socket,
      `HAProxy's admin socket ${socket} does not exist: is HAProxy running on this host? OSA configures "stats socket /var/run/haproxy.stat level admin"; check the global section of /etc/haproxy/haproxy.cfg.`,
    );
  }
  if (/Permission denied/i.test(err)) {
    throw new HaproxySocketError('permission', socket, `Permission denied on ${socket} (mode 600, owned by root): connect to the host as root or run the commands with sudo.`);
  }
  if (/Connection refused/i.test(err)) {
    throw new HaproxySocketError('refused', socket, `Connection refused on ${socket}: HAProxy is not running (a stale socket file). Start or reload HAProxy on the host.`);
  }
  if (result.code !== 0 && result.code !== null) {
    throw new HaproxySocketError('failed', socket, `Talking to HAProxy on ${socket} failed (exit ${result.code}): ${err.trim().split('\n').slice(-2).join(' | ')}`);
  }
  if (result.code === null) {
    throw new CommandFailedError(shellJoin(argv), result, 'The HAProxy command was interrupted');
  }
}

function throwIfRefused(socket: string, command: string, answer: string): void {
  const text = answer.trim();
  if (/^Permission denied/.test(text)) {
    throw new HaproxySocketError('not-admin', socket, `HAProxy refused "${command}": the socket ${socket} is not at "level admin". Set "stats socket ${socket} level admin" in the global section.`);
  }
  if (/^(No such (server|backend)\.|Can't find backend\.|Require 'backend\/server'\.|Unknown command|Invalid|'set server' expects)/.test(text)) {
    throw new HaproxyCommandError(command, answer);
  }
}
