import type * as vscode from 'vscode';
import type { HostView } from '../../core/model/hostView';
import { loadHostView } from '../../core/model/loadHostView';
import { nodeOf, type PhysicalNode, type Topology } from '../../core/model/topology';
import { LoggingRunner } from '../../core/process/loggingRunner';
import type { ContainerRuntime } from '../../core/runtime/types';
import type { SshHost } from '../../core/ssh';
import type { ConnectionPool } from './connectionPool';

/**
 * Which physical host runs each container of a configured (deployment) host: learnt from every
 * tree refresh, else asked from the deployment host's inventory (one round trip). Commands on a
 * container go to the connection this gives: the deployment host's own, or a node's through it.
 */
export class Placements {
  private readonly known = new Map<string, Topology>();

  constructor(
    private readonly pool: ConnectionPool,
    private readonly runtime: ContainerRuntime,
    private readonly logger: vscode.LogOutputChannel,
  ) {}

  learn(host: string, view: HostView): void {
    this.known.set(host, view.topology);
  }

  async nodeOf(host: string, container: string): Promise<PhysicalNode | undefined> {
    let topology: Topology;
    try {
      topology = await this.topology(host);
    } catch (error) {
      // Not listable as an LXC host (a Kolla host, say): its containers run on it. Asked again next time.
      this.logger.debug(`${host}: no placement from the inventory (${error instanceof Error ? error.message : String(error)}): commands run on ${host}`);
      return undefined;
    }
    return nodeOf(topology, container);
  }

  /** `host`'s deployment as its inventory places it (learnt from the tree, else read: one round trip). */
  async topology(host: string): Promise<Topology> {
    let topology = this.known.get(host);
    if (topology === undefined) {
      topology = (await loadHostView(new LoggingRunner(this.pool.get(host), this.logger, host), this.runtime, this.logger)).topology;
      this.known.set(host, topology);
    }
    return topology;
  }

  /** Another physical host of `host`'s deployment (a node, a HAProxy host), through `host`'s connection. */
  nodeConnection(host: string, node: PhysicalNode): SshHost {
    return this.pool.node(host, node);
  }

  /** The SSH host that runs `container`: `host` itself, or the container's physical host through it. */
  async connection(host: string, container: string): Promise<SshHost> {
    const node = await this.nodeOf(host, container);
    return node ? this.nodeConnection(host, node) : this.pool.get(host);
  }

  /** How logs name where a command ran: `aio1`, or `aio1>infra2`. */
  async label(host: string, container: string): Promise<string> {
    const node = await this.nodeOf(host, container);
    return node ? `${host}>${node.name}` : host;
  }
}
