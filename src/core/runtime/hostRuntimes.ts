import type { CommandSpec, ShellRunner } from '../process/types';
import { runCommand } from '../process/runCommand';
import { detectRuntime } from './detect';
import { LxcRuntime } from './lxc/lxcRuntime';
import type { OciCli } from './oci/ociRuntime';
import type { ContainerExecOptions, ContainerInfo, ContainerRuntime, ContainerShellOptions, ContainerState } from './types';

/**
 * The runtime of each host, detected once per host (one probe round trip) and remembered, and the
 * runtime that listed each container, per (host, container): Kolla names its containers after the
 * component, so `heat_api` is on every Kolla host (and could be an LXC name elsewhere).
 * `on(host)` builds each command with the runtime of that host's listing (the dev loop: it knows the
 * host). A multi-node deployment's other physical hosts (nodes) have their own runtime (LXC infra
 * hosts next to a Kolla node), detected and remembered per (host, node): `on(host)` takes the
 * deployment host's own listing first, as the placement does, then its nodes'.
 * `router` is for code that only has a container name (terminals, the file system): the runtime of
 * the hosts that listed it when they agree, an error naming them when they do not, and LXC for a
 * container no host listed yet (and for a listing).
 */
export class HostRuntimes {
  private readonly detected = new Map<string, Promise<ContainerRuntime>>();
  // host -> node (THIS_HOST: the deployment host itself) -> container -> runtime that listed it.
  private readonly listed = new Map<string, Map<string, Map<string, ContainerRuntime>>>();
  private readonly routers = new Map<string, RoutingRuntime>();
  private readonly fallback = new LxcRuntime();
  // Listing through the router (no container) lists LXC, as before detection: use forHost(host).
  readonly router: ContainerRuntime = new RoutingRuntime((container) => (container === undefined ? this.fallback : this.byName(container)));

  /** The runtime of the host (or of its physical `node`); a failed probe is not remembered (the next call probes again). */
  forHost(host: string, runner: ShellRunner, node?: string): Promise<ContainerRuntime> {
    const key = detectionKey(host, node);
    let pending = this.detected.get(key);
    if (!pending) {
      pending = runCommand(runner, detectRuntime(node === undefined ? host : `${host}>${node}`));
      this.detected.set(key, pending);
      pending.catch(() => this.detected.delete(key));
    }
    return pending;
  }

  /** Records which runtime listed these containers on `host` (or its physical `node`); call after each listing. */
  remember(host: string, runtime: ContainerRuntime, containers: readonly string[], node?: string): void {
    let onHost = this.listed.get(host);
    if (!onHost) this.listed.set(host, (onHost = new Map()));
    const key = node ?? THIS_HOST;
    let onNode = onHost.get(key);
    if (!onNode) onHost.set(key, (onNode = new Map()));
    for (const name of containers) onNode.set(name, runtime);
  }

  /** Commands on `host`'s containers (its own, then its nodes'), each with the runtime that listed it (LXC before a listing). */
  on(host: string): ContainerRuntime {
    let router = this.routers.get(host);
    if (!router) {
      router = new RoutingRuntime((container) => (container === undefined ? this.fallback : this.onHost(host, container)));
      this.routers.set(host, router);
    }
    return router;
  }

  /** Forgets a host and its nodes (removed, or its SSH settings changed): the next use probes again. */
  forget(host: string): void {
    for (const key of [...this.detected.keys()]) if (key === host || key.startsWith(detectionKey(host, ''))) this.detected.delete(key);
  }

  private onHost(host: string, container: string): ContainerRuntime {
    const onHost = this.listed.get(host);
    const own = onHost?.get(THIS_HOST)?.get(container);
    if (own) return own;
    return this.agreeing(container, [...(onHost ?? [])].flatMap(([node, names]) => found(`${host}>${node}`, names, container)));
  }

  private byName(container: string): ContainerRuntime {
    return this.agreeing(
      container,
      [...this.listed].flatMap(([host, onHost]) => [...onHost].flatMap(([node, names]) => found(node === THIS_HOST ? host : `${host}>${node}`, names, container))),
    );
  }

  /** The runtime the listings agree on, an error naming each host when they do not, LXC when none listed it. */
  private agreeing(container: string, listings: readonly Listing[]): ContainerRuntime {
    const kinds = new Set(listings.map((f) => f.runtime.kind));
    if (kinds.size > 1) {
      const where = listings.map((f) => `${f.host} (${f.runtime.kind})`).join(', ');
      throw new Error(`${container} is a container on several hosts with different runtimes: ${where}. Run the command from that host's node.`);
    }
    return listings[0]?.runtime ?? this.fallback;
  }
}

// The deployment host's own listing, among its nodes' (a node name is an inventory host name, never empty).
const THIS_HOST = '';

interface Listing {
  readonly host: string;
  readonly runtime: ContainerRuntime;
}

function found(host: string, names: ReadonlyMap<string, ContainerRuntime>, container: string): Listing[] {
  const runtime = names.get(container);
  return runtime ? [{ host, runtime }] : [];
}

function detectionKey(host: string, node: string | undefined): string {
  return node === undefined ? host : `${host}\u0000${node}`;
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

/** The OCI CLI (podman or docker) that runs `container` — a Kolla container — or undefined under LXC. */
export function ociCliOf(runtime: ContainerRuntime, container: string): OciCli | undefined {
  const kind = runtimeKindOf(runtime, container);
  return kind === 'podman' || kind === 'docker' ? kind : undefined;
}
