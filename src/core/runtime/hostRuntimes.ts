import type { CommandSpec, ShellRunner } from '../process/types';
import { runCommand } from '../process/runCommand';
import { detectRuntime } from './detect';
import { LxcRuntime } from './lxc/lxcRuntime';
import type { ContainerExecOptions, ContainerInfo, ContainerRuntime, ContainerShellOptions, ContainerState } from './types';

/**
 * The runtime of each host, detected once per host (one probe round trip) and remembered, and the
 * runtime that listed each container, per (host, container): Kolla names its containers after the
 * component, so `heat_api` is on every Kolla host (and could be an LXC name elsewhere).
 * `on(host)` builds each command with the runtime of that host's listing (the dev loop: it knows the
 * host; a multi-node deployment's nodes are listed with the deployment host's runtime).
 * `router` is for code that only has a container name (terminals, the file system): the runtime of
 * the hosts that listed it when they agree, an error naming them when they do not, and LXC for a
 * container no host listed yet (and for a listing).
 */
export class HostRuntimes {
  private readonly detected = new Map<string, Promise<ContainerRuntime>>();
  private readonly listed = new Map<string, Map<string, ContainerRuntime>>();
  private readonly routers = new Map<string, RoutingRuntime>();
  private readonly fallback = new LxcRuntime();
  // Listing through the router (no container) lists LXC, as before detection: use forHost(host).
  readonly router: ContainerRuntime = new RoutingRuntime((container) => (container === undefined ? this.fallback : this.byName(container)));

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

  /** Records which runtime listed these containers on `host` (call after each listing). */
  remember(host: string, runtime: ContainerRuntime, containers: readonly string[]): void {
    let onHost = this.listed.get(host);
    if (!onHost) this.listed.set(host, (onHost = new Map()));
    for (const name of containers) onHost.set(name, runtime);
  }

  /** Commands on `host`'s containers, each with the runtime that listed it there (LXC before a listing). */
  on(host: string): ContainerRuntime {
    let router = this.routers.get(host);
    if (!router) {
      router = new RoutingRuntime((container) => (container === undefined ? undefined : this.listed.get(host)?.get(container)) ?? this.fallback);
      this.routers.set(host, router);
    }
    return router;
  }

  /** Forgets a host (removed, or its SSH settings changed): the next use probes again. */
  forget(host: string): void {
    this.detected.delete(host);
  }

  private byName(container: string): ContainerRuntime {
    const found = [...this.listed].flatMap(([host, onHost]) => {
      const runtime = onHost.get(container);
      return runtime ? [{ host, runtime }] : [];
    });
    const kinds = new Set(found.map((f) => f.runtime.kind));
    if (kinds.size > 1) {
      const where = found.map((f) => `${f.host} (${f.runtime.kind})`).join(', ');
      throw new Error(`${container} is a container on several hosts with different runtimes: ${where}. Run the command from that host's node.`);
    }
    return found[0]?.runtime ?? this.fallback;
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
