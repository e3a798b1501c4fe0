import type { ContainerState } from '../runtime/types';
import type { PhysicalNode, Topology } from './topology';

/** What the tree shows of one container: the runtime's listing joined with OSA's inventory. */
export interface ContainerView {
  readonly name: string;
  readonly state: ContainerState;
  /** The OpenStack service the container belongs to (heat, keystone, galera, utility…). */
  readonly service: string;
  /** OSA component (heat_api, keystone…), when known from the inventory or the name. */
  readonly component?: string;
  /** The address on OSA's management network (br-mgmt), when known. */
  readonly managementIp?: string;
  readonly ipv4: readonly string[];
  /** LXC groups and, when an inventory exists, the inventory groups it belongs to. */
  readonly groups: readonly string[];
  /** systemd service units installed in the container (/etc/systemd/system/*.service). */
  readonly units: readonly string[];
  /** Present when a dev-mode journal exists for the container on the host. */
  readonly devMode?: DevModeSummary;
  /** The physical host it runs on, when that is not the deployment host (reached through it). */
  readonly node?: PhysicalNode;
}

/** What the journal says, in the words the tree shows: "in dev mode (step 3 failed)". */
export interface DevModeSummary {
  readonly state: 'active' | 'failed' | 'interrupted';
  /** 1-based number and title of the failed or interrupted step. */
  readonly stepNumber?: number;
  readonly stepTitle?: string;
  readonly error?: string;
  readonly service?: string;
  readonly updatedAt: string;
}

export interface ServiceGroup {
  readonly service: string;
  readonly containers: readonly ContainerView[];
}

/** Everything one refresh learns about a host, from a single round trip. */
export interface HostView {
  readonly services: readonly ServiceGroup[];
  /** Problems that did not stop the listing (e.g. a malformed inventory): shown, and logged. */
  readonly warnings: readonly string[];
  readonly inventoryFound: boolean;
  /** Which physical hosts run which containers (from the inventory); no remote hosts on an all-in-one. */
  readonly topology: Topology;
  /** The other physical hosts' containers, each host listed through the deployment host; [] on an all-in-one. */
  readonly nodes: readonly NodeView[];
  /**
   * Containers of other physical hosts that have a dev-mode journal (journals are kept on the
   * deployment host, so this needs no other host; their state is unknown until their host is listed).
   */
  readonly devModeElsewhere: readonly ContainerView[];
}

/** One physical host of a multi-node deployment other than the deployment host. */
export interface NodeView {
  readonly name: string;
  readonly address?: string;
  readonly services: readonly ServiceGroup[];
  /** Why it could not be listed (unreachable, host key refused…): its containers are not shown. */
  readonly error?: string;
}

/** Every container of the deployment: the deployment host's own, then each other physical host's. */
export function allContainers(view: HostView): ContainerView[] {
  return [...view.services, ...view.nodes.flatMap((node) => node.services)].flatMap((group) => group.containers);
}
