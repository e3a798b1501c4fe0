import type { ContainerState } from '../runtime/types';

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
}
