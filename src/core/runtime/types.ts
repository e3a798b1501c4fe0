import type { CommandSpec } from '../process/types';

export type ContainerState = 'running' | 'stopped' | 'frozen' | 'starting' | 'stopping' | 'aborting' | 'unknown';

/** One container as a runtime lists it. */
export interface ContainerInfo {
  readonly name: string;
  readonly state: ContainerState;
  /** Init process id on the host when running (lets the host read the container's files via /proc). */
  readonly pid?: number;
  readonly ipv4: readonly string[];
  readonly groups: readonly string[];
  readonly autostart?: boolean;
  /** The image it runs (podman/docker); LXC containers have none. */
  readonly image?: string;
}

export interface ContainerExecOptions {
  /** Environment for the command inside the container (the container's env is cleared). */
  readonly env?: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly cwd?: string;
}

export interface ContainerShellOptions {
  /** Run the login shell as this user instead of root (e.g. the service user). */
  readonly user?: string;
  readonly term?: string;
}

/** A container runtime on a host (LXC, podman, docker), expressed as command builders. */
export interface ContainerRuntime {
  readonly kind: string;
  /** ONE command that lists every container on the host. */
  listContainers(): CommandSpec<ContainerInfo[]>;
  /** The state of one container; undefined when it does not exist (destroyed, renamed). */
  stateOf(container: string): CommandSpec<ContainerState | undefined>;
  /** argv that runs `argv` inside `container` (to be joined by shellJoin and run on the host). */
  execArgv(container: string, argv: readonly string[], options?: ContainerExecOptions): string[];
  /** argv for an interactive login shell inside the container (run with a PTY). */
  shellArgv(container: string, options?: ContainerShellOptions): string[];
}
