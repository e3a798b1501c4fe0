import type { CommandSpec, ExecResult } from '../../process/types';
import { CommandFailedError } from '../../process/types';
import { shellJoin } from '../../shell/quote';
import { LOGIN_SHELL } from '../lxc/lxcRuntime';
import { assertAbsoluteDir, assertContainerName, assertEnvKey, assertUserName } from '../lxc/validate';
import type { ContainerExecOptions, ContainerInfo, ContainerRuntime, ContainerShellOptions, ContainerState } from '../types';
import { OciCliNotFoundError } from './errors';
import { splitHostAddresses, withHostAddresses } from './hostAddresses';
import { mapOciState } from './ociState';
import { parseDockerPs } from './parseDockerPs';
import { parsePodmanPs } from './parsePodmanPs';

export type OciCli = 'podman' | 'docker';

export interface OciRuntimeOptions {
  /** Host name used in messages ("podman not found on <host>"). */
  readonly host?: string;
}

/**
 * Podman and docker share one CLI shape (`ps`, `container inspect`, `exec -i --user --workdir
 * --env`); only the listing's format differs: podman prints one JSON array, docker one JSON object
 * per line. Kolla containers run as their service user (the image's USER), so commands run as
 * root unless told otherwise — as lxc-attach does — and the container's own environment is kept
 * (Kolla puts its venv on PATH there).
 */
export class OciRuntime implements ContainerRuntime {
  private readonly host: string;

  constructor(
    readonly kind: OciCli,
    options: OciRuntimeOptions = {},
  ) {
    this.host = options.host ?? 'the host';
  }

  listContainers(): CommandSpec<ContainerInfo[]> {
    const ps = this.kind === 'podman' ? ['podman', 'ps', '-a', '--format', 'json'] : ['docker', 'ps', '-a', '--no-trunc', '--format', '{{json .}}'];
    const argv = withHostAddresses(ps);
    const { kind, host } = this;
    return {
      argv,
      describe: `List ${kind} containers on ${host}`,
      parse(result: ExecResult): ContainerInfo[] {
        if (isNotFound(result, kind)) throw new OciCliNotFoundError(kind, host);
        if (result.code !== 0) throw new CommandFailedError(shellJoin(ps), result, `${kind} ps failed`);
        const { listing, hostIpv4 } = splitHostAddresses(result.stdout);
        return kind === 'podman' ? parsePodmanPs(listing, hostIpv4) : parseDockerPs(listing, hostIpv4);
      },
    };
  }

  stateOf(container: string): CommandSpec<ContainerState | undefined> {
    const argv = [this.kind, 'container', 'inspect', '--format', '{{.State.Status}}', assertContainerName(container)];
    const kind = this.kind;
    return {
      argv,
      describe: `State of ${container}`,
      parse(result: ExecResult): ContainerState | undefined {
        if (result.code !== 0 && /no such (container|object)/i.test(result.stderr)) return undefined;
        if (result.code !== 0) throw new CommandFailedError(shellJoin(argv), result, `${kind} container inspect failed`);
        return mapOciState(result.stdout);
      },
    };
  }

  execArgv(container: string, argv: readonly string[], options: ContainerExecOptions = {}): string[] {
    if (argv.length === 0) throw new Error('Cannot run an empty command in a container.');
    return [...this.execPrefix(['-i'], options.user, options.env, options.cwd), assertContainerName(container), ...argv];
  }

  shellArgv(container: string, options: ContainerShellOptions = {}): string[] {
    const env = { TERM: options.term ?? 'xterm-256color', ...(options.user === undefined ? { HOME: '/root' } : {}) };
    return [...this.execPrefix(['-it'], options.user, env), assertContainerName(container), 'sh', '-c', LOGIN_SHELL];
  }

  private execPrefix(flags: readonly string[], user: string | undefined, env: Readonly<Record<string, string>> = {}, cwd?: string): string[] {
    const argv = [this.kind, 'exec', ...flags, '--user', assertUserName(user ?? 'root')];
    if (cwd !== undefined) argv.push('--workdir', assertAbsoluteDir(cwd));
    for (const [key, value] of Object.entries(env)) argv.push('--env', `${assertEnvKey(key)}=${value}`);
    return argv;
  }
}

function isNotFound(result: ExecResult, cli: string): boolean {
  return result.code === 127 || new RegExp(`${cli}: (command )?not found|${cli}: No such file`).test(result.stderr);
}
