import type { CommandSpec, ShellRunner } from '../process/types';
import { runCommand } from '../process/runCommand';
import { detectRuntime } from './detect';
import { LxcRuntime } from './lxc/lxcRuntime';
import type { ContainerExecOptions, ContainerInfo, ContainerRuntime, ContainerShellOptions, ContainerState } from './types';

/**
 * The runtime of each host, detected once per host (one probe round trip) and remembered, plus
 * `router`: a ContainerRuntime for code that only has a container name (terminals, the file
 * system, the dev loop) that builds each command with the runtime of the host that listed that
 * container, and with LXC for a container no host listed yet (and for a listing).
 */
export class HostRuntimes {
  private readonly detected = new Map<string, Promise<ContainerRuntime>>();
  private readonly byContainer = new Map<string, ContainerRuntime>();
  private readonly fallback = new LxcRuntime();
  // Listing through the router (no container) lists LXC, as before detection: use forHost(host).
  readonly router: ContainerRuntime = new RoutingRuntime((container) => (container === undefined ? undefined : this.byContainer.get(container)) ?? this.fallback);

  /** The host's runtime; a failed probe is not remembered (the next call probes again). */
  forHost(host: string, runner: ShellRunner): Promise<ContainerRuntime> {
    let pending = this.detected.get(host);
    if (!pending) {
      pending = runCommand(runner, detectRuntime(host));
      this.detected.set(host, pending);
      pending.catch(() => this.detected.delete(host));
    }
    return pending;
  }

  /** Records which runtime listed these containers (call after each listing). */
  remember(runtime: ContainerRuntime, containers: readonly string[]): void {
    for (const name of containers) this.byContainer.set(name, runtime);
  }

  /** Forgets a host (removed, or its SSH settings changed): the next use probes again. */
  forget(host: string): void {
    this.detected.delete(host);
  }
}

/** A runtime that builds each command with the runtime `route` picks (no container: the listing). */
export class RoutingRuntime implements ContainerRuntime {
  constructor(private readonly route: (container?: string) => ContainerRuntime) {}

  readonly kind = 'routed';

  /** The runtime that builds `container`'s commands. */
  resolve(container: string): ContainerRuntime {
    return this.route(container);
  }

  listContainers(): CommandSpec<ContainerInfo[]> {
    return this.route().listContainers();
  }

  stateOf(container: string): CommandSpec<ContainerState | undefined> {
    return this.route(container).stateOf(container);
  }

  execArgv(container: string, argv: readonly string[], options?: ContainerExecOptions): string[] {
    return this.route(container).execArgv(container, argv, options);
  }

  shellArgv(container: string, options?: ContainerShellOptions): string[] {
    return this.route(container).shellArgv(container, options);
  }
}

/** The kind (lxc, podman, docker) of the runtime that runs `container`. */
export function runtimeKindOf(runtime: ContainerRuntime, container: string): string {
  // Duck-typed, not instanceof: a router built in another bundle (the extension's, seen from a test) counts too.
  const routed = runtime as Partial<Pick<RoutingRuntime, 'resolve'>>;
  return typeof routed.resolve === 'function' ? routed.resolve(container).kind : runtime.kind;
}
