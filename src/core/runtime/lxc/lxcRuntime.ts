import type { CommandSpec, ExecResult } from '../../process/types';
import { CommandFailedError } from '../../process/types';
import { shellJoin } from '../../shell/quote';
import type { ContainerExecOptions, ContainerInfo, ContainerRuntime, ContainerShellOptions, ContainerState } from '../types';
import { LxcNotFoundError, LxcOutputError } from './errors';
import { mapLxcState, parseLxcLsFancy } from './parseLxcLs';
import { assertAbsoluteDir, assertContainerName, assertEnvKey, assertUserName } from './validate';

/** Columns for LXC 2+ (C lxc-ls: case-insensitive names, GROUPS and PID exist). */
export const LXC_LS_FIELDS = 'NAME,STATE,PID,IPV4,GROUPS,AUTOSTART';
/** LXC 1.x (python lxc-ls) knows only lowercase names and no GROUPS (they are in AUTOSTART). */
export const LXC1_LS_FIELDS = 'name,state,pid,ipv4,autostart';

// One command for every LXC: the 1.x lxc-ls rejects the first field list (exit 2), so fall back.
// Field lists travel as positional parameters; the script text is a constant.
const LIST_SCRIPT = 'lxc-ls -f -F "$1" 2>/dev/null || exec lxc-ls -f -F "$2"';

export const DEFAULT_CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// `cd` as the target user, then replace the shell with the command: argv stays argv.
const CD_THEN_EXEC = 'cd "$1" && shift && exec "$@"';
// Prefer bash; `exec` of a missing program would end a POSIX sh, so test first.
export const LOGIN_SHELL = 'if command -v bash >/dev/null 2>&1; then exec bash -l; fi; exec sh -l';

export interface LxcRuntimeOptions {
  /** Host name used in messages ("lxc-ls not found on <host>"). */
  readonly host?: string;
}

export class LxcRuntime implements ContainerRuntime {
  readonly kind = 'lxc';
  private readonly host: string;

  constructor(options: LxcRuntimeOptions = {}) {
    this.host = options.host ?? 'the host';
  }

  listContainers(): CommandSpec<ContainerInfo[]> {
    const argv = ['sh', '-c', LIST_SCRIPT, 'sh', LXC_LS_FIELDS, LXC1_LS_FIELDS];
    const host = this.host;
    return {
      argv,
      describe: `List LXC containers on ${host}`,
      parse(result: ExecResult): ContainerInfo[] {
        if (isNotFound(result)) {
          throw new LxcNotFoundError(host);
        }
        if (result.code !== 0) {
          throw new CommandFailedError(shellJoin(argv), result, 'lxc-ls failed');
        }
        if (result.stdout.trim() === '' && /Invalid (key|field)/.test(result.stderr)) {
          // The C lxc-ls exits 0 after rejecting a column; never read that as "no containers".
          throw new LxcOutputError(`lxc-ls rejected the requested columns: ${result.stderr.trim()}`);
        }
        return parseLxcLsFancy(result.stdout);
      },
    };
  }

  /** `lxc-info -s` prints `State: RUNNING` (every LXC since 1.0); a missing container exits 1. */
  stateOf(container: string): CommandSpec<ContainerState | undefined> {
    const argv = ['lxc-info', '-n', assertContainerName(container), '-s'];
    return {
      argv,
      describe: `State of ${container}`,
      parse(result: ExecResult): ContainerState | undefined {
        if (/doesn't exist|does not exist|not found/i.test(result.stderr) && result.code !== 0) {
          return undefined;
        }
        if (result.code !== 0) {
          throw new CommandFailedError(shellJoin(argv), result, 'lxc-info failed');
        }
        const state = /^State:\s*(\S+)/m.exec(result.stdout)?.[1];
        if (state === undefined) {
          throw new LxcOutputError(`Unexpected lxc-info output (expected "State: RUNNING"): ${JSON.stringify(result.stdout.slice(0, 80))}`);
        }
        return mapLxcState(state);
      },
    };
  }

  /**
   * `lxc-attach` with a cleared environment (no host variables leak in), a known PATH, then
   * `runuser -u USER --` for another user: runuser comes with util-linux in every OSA container
   * image, needs no sudoers entry, runs argv directly (service users have nologin shells) and
   * sets HOME/USER; setpriv would leave HOME and supplementary groups to us.
   */
  execArgv(container: string, argv: readonly string[], options: ContainerExecOptions = {}): string[] {
    if (argv.length === 0) {
      throw new Error('Cannot run an empty command in a container.');
    }
    const inner: string[] = [];
    if (options.user !== undefined) {
      inner.push('runuser', '-u', assertUserName(options.user), '--');
    }
    if (options.cwd !== undefined) {
      inner.push('sh', '-c', CD_THEN_EXEC, 'sh', assertAbsoluteDir(options.cwd));
    }
    inner.push(...argv);
    return [...attachPrefix(container, { PATH: DEFAULT_CONTAINER_PATH, ...options.env }), '--', ...inner];
  }

  shellArgv(container: string, options: ContainerShellOptions = {}): string[] {
    const env: Record<string, string> = {
      PATH: DEFAULT_CONTAINER_PATH,
      TERM: options.term ?? 'xterm-256color',
    };
    const user = options.user === undefined ? [] : ['runuser', '-u', assertUserName(options.user), '--'];
    if (options.user === undefined) {
      env['HOME'] = '/root';
    }
    return [...attachPrefix(container, env), '--', ...user, 'sh', '-c', LOGIN_SHELL];
  }
}

function attachPrefix(container: string, env: Readonly<Record<string, string>>): string[] {
  const argv = ['lxc-attach', '-n', assertContainerName(container), '--clear-env'];
  for (const [key, value] of Object.entries(env)) {
    argv.push('--set-var', `${assertEnvKey(key)}=${value}`);
  }
  return argv;
}

function isNotFound(result: ExecResult): boolean {
  return result.code === 127 || /lxc-ls: (command )?not found|lxc-ls: No such file/.test(result.stderr);
}
