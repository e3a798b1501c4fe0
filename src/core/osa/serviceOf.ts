import type { ContainerInfo } from '../runtime/types';
import type { ContainerNameStyle } from './containerName';
import { parseOsaContainerName } from './containerName';
import type { OsaInventory, OsaInventoryHost } from './inventory';
import { knownServiceOf } from './knownServices';
import { kollaServiceOf } from '../kolla/names';

/** Where a container's service came from: the tree can say "inferred from the name". */
export type ServiceSource = 'inventory' | 'name' | 'none';

export interface OsaServiceInfo {
  /** OpenStack service shown in the tree (`heat`, `nova`, `rabbitmq`), or undefined. */
  readonly service?: string;
  readonly component?: string;
  readonly physicalHost?: string;
  readonly source: ServiceSource;
}

/** Service of a component such as `heat_api` or `nova_api_os_compute`; unknown → the component. */
export function serviceOfComponent(component: string): string {
  return knownServiceOf(component) ?? component;
}

/**
 * Service of a container: from the inventory when it knows the container (service_name, then a
 * known `<svc>_all` group, then the component), else inferred from the OSA-shaped name.
 */
export function serviceOf(containerName: string, inventory?: OsaInventory): OsaServiceInfo {
  const record = inventory?.containers.get(containerName);
  if (record) {
    return fromInventory(record);
  }
  const parsed = parseOsaContainerName(containerName, { physicalHosts: inventory?.physicalHosts ?? [] });
  if (!parsed) {
    // Kolla-Ansible names containers after the component (heat_api, keystone).
    const kolla = kollaServiceOf(containerName);
    return kolla ? { ...kolla, source: 'name' } : { source: 'none' };
  }
  return {
    service: serviceOfComponent(parsed.component),
    component: parsed.component,
    physicalHost: parsed.physicalHost,
    source: 'name',
  };
}

function fromInventory(record: OsaInventoryHost): OsaServiceInfo {
  const fromGroups = record.groups
    .filter((group) => group.endsWith('_all'))
    .map((group) => knownServiceOf(group.slice(0, -'_all'.length)))
    .find((svc) => svc !== undefined);
  const parsed = parseOsaContainerName(record.containerName);
  const component = record.component ?? parsed?.component;
  const service = record.serviceName ?? fromGroups ?? (component === undefined ? undefined : serviceOfComponent(component));
  return {
    ...(service === undefined ? {} : { service }),
    ...(component === undefined ? {} : { component }),
    ...((record.physicalHost ?? parsed?.physicalHost) === undefined ? {} : { physicalHost: record.physicalHost ?? parsed?.physicalHost }),
    source: 'inventory',
  };
}

/** A container on this host as the tree needs it: what LXC lists joined with the inventory. */
export interface OsaContainer extends OsaServiceInfo {
  readonly name: string;
  /** Undefined when the inventory has the container but `lxc-ls` does not (destroyed, not built). */
  readonly listed?: ContainerInfo;
  readonly inventory?: OsaInventoryHost;
  readonly nameStyle?: ContainerNameStyle;
}

export interface JoinOptions {
  /** Limit inventory-only containers to those on this physical host (multi-node inventories). */
  readonly physicalHost?: string;
}

/** Every listed container, plus inventory containers that were not listed; sorted by name. */
export function joinContainers(listed: readonly ContainerInfo[], inventory?: OsaInventory, options: JoinOptions = {}): OsaContainer[] {
  const byName = new Map<string, OsaContainer>();
  for (const info of listed) {
    byName.set(info.name, describeContainer(info.name, info, inventory));
  }
  for (const record of inventory?.containers.values() ?? []) {
    const onThisHost = options.physicalHost === undefined || record.physicalHost === options.physicalHost;
    if (!byName.has(record.containerName) && onThisHost) {
      byName.set(record.containerName, describeContainer(record.containerName, undefined, inventory));
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function describeContainer(name: string, info: ContainerInfo | undefined, inventory: OsaInventory | undefined): OsaContainer {
  const record = inventory?.containers.get(name);
  const style = parseOsaContainerName(name)?.style;
  return {
    name,
    ...serviceOf(name, inventory),
    ...(info === undefined ? {} : { listed: info }),
    ...(record === undefined ? {} : { inventory: record }),
    ...(style === undefined ? {} : { nameStyle: style }),
  };
}
