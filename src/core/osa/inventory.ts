/**
 * Reader of `/etc/openstack_deploy/openstack_inventory.json` (written by OSA's
 * osa_toolkit/generate.py): top-level groups `{hosts, children}` plus `_meta.hostvars`.
 * Read only; every shape problem becomes an `InventoryError` naming the offending key.
 */

export const OSA_INVENTORY_PATH = '/etc/openstack_deploy/openstack_inventory.json';

export class InventoryError extends Error {
  constructor(message: string) {
    super(`openstack_inventory.json: ${message}`);
    this.name = 'InventoryError';
  }
}

export interface OsaGroup {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly children: readonly string[];
}

/** One `_meta.hostvars` entry (a container or a physical host), with the fields we use. */
export interface OsaInventoryHost {
  /** The key in `_meta.hostvars` (Ansible's inventory hostname). */
  readonly inventoryName: string;
  /** LXC name of the container; equals the inventory name in generated inventories. */
  readonly containerName: string;
  readonly component?: string;
  readonly serviceName?: string;
  readonly physicalHost?: string;
  readonly physicalHostAddr?: string;
  /** `container_address`, else `ansible_host`: the address on the management network. */
  readonly managementAddress?: string;
  /** `ansible_port` as the inventory writes it (a number or a string): validated where it is dialled. */
  readonly ansiblePort?: string;
  readonly isMetal: boolean;
  /** Every group that contains it, directly (`hosts`) or through `children`; sorted. */
  readonly groups: readonly string[];
}

export interface OsaInventory {
  readonly groups: ReadonlyMap<string, OsaGroup>;
  /** By inventory name. */
  readonly hosts: ReadonlyMap<string, OsaInventoryHost>;
  /** By LXC container name (hosts that are containers, not metal). */
  readonly containers: ReadonlyMap<string, OsaInventoryHost>;
  /** Physical hosts named by any entry's `physical_host`. */
  readonly physicalHosts: readonly string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export function parseInventory(jsonText: string): OsaInventory {
  const root = parseJson(jsonText);
  const top = expectObject(root, '$');
  const groups = new Map<string, OsaGroup>();
  for (const [name, value] of Object.entries(top)) {
    if (name !== '_meta') {
      groups.set(name, readGroup(name, value));
    }
  }
  const meta = expectObject(top['_meta'], '$._meta');
  const hostvars = expectObject(meta['hostvars'], '$._meta.hostvars');
  const groupsOf = computeMembership(groups);

  const hosts = new Map<string, OsaInventoryHost>();
  const containers = new Map<string, OsaInventoryHost>();
  const physicalHosts = new Set<string>();
  for (const [inventoryName, value] of Object.entries(hostvars)) {
    const host = readHost(inventoryName, value, groupsOf.get(inventoryName) ?? []);
    hosts.set(inventoryName, host);
    // Physical hosts are their own physical_host; metal services run on them.
    if (!host.isMetal && host.containerName !== host.physicalHost) {
      containers.set(host.containerName, host);
    }
    if (host.physicalHost !== undefined) {
      physicalHosts.add(host.physicalHost);
    }
  }
  return { groups, hosts, containers, physicalHosts: [...physicalHosts].sort() };
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 gives a position for most errors, none for "Unexpected token" (its message quotes the text there).
    const position = /position (\d+)/.exec(message)?.[1] ?? (/end of JSON input/.test(message) ? String(text.length) : undefined);
    const where = position === undefined ? '' : ` (${lineAndColumn(text, Number(position))})`;
    throw new InventoryError(`not valid JSON${where}: ${message}`);
  }
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

function readGroup(name: string, value: Json | undefined): OsaGroup {
  const path = `$${keyPath(name)}`;
  const group = expectObject(value, path);
  return {
    name,
    hosts: stringList(group['hosts'], `${path}.hosts`),
    children: stringList(group['children'], `${path}.children`),
  };
}

function readHost(inventoryName: string, value: Json | undefined, groups: readonly string[]): OsaInventoryHost {
  const path = `$._meta.hostvars${keyPath(inventoryName)}`;
  const vars = expectObject(value, path);
  const properties = vars['properties'] === undefined || vars['properties'] === null ? {} : expectObject(vars['properties'], `${path}.properties`);
  const text = (key: string): string | undefined => optionalString(vars[key], `${path}.${key}`);
  const isMetal = optionalBoolean(properties['is_metal'], `${path}.properties.is_metal`) ?? optionalBoolean(vars['is_metal'], `${path}.is_metal`) ?? false;
  const host: OsaInventoryHost = {
    inventoryName,
    containerName: text('container_name') ?? inventoryName,
    component: text('component'),
    serviceName: optionalString(properties['service_name'], `${path}.properties.service_name`),
    physicalHost: text('physical_host'),
    physicalHostAddr: text('physical_host_addr'),
    managementAddress: text('container_address') ?? text('ansible_host'),
    ansiblePort: typeof vars['ansible_port'] === 'number' ? String(vars['ansible_port']) : text('ansible_port'),
    isMetal,
    groups,
  };
  // Drop absent optional fields so records compare and print cleanly.
  return Object.fromEntries(Object.entries(host).filter(([, v]) => v !== undefined)) as unknown as OsaInventoryHost;
}

/** Host → every group containing it, through any depth of `children` (cycles tolerated). */
function computeMembership(groups: ReadonlyMap<string, OsaGroup>): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const group of groups.values()) {
    for (const child of group.children) {
      parents.set(child, [...(parents.get(child) ?? []), group.name]);
    }
  }
  const direct = new Map<string, string[]>();
  for (const group of groups.values()) {
    for (const host of group.hosts) {
      direct.set(host, [...(direct.get(host) ?? []), group.name]);
    }
  }
  const result = new Map<string, string[]>();
  for (const [host, start] of direct) {
    const seen = new Set<string>();
    const queue = [...start];
    while (queue.length > 0) {
      const group = queue.pop()!;
      if (!seen.has(group)) {
        seen.add(group);
        queue.push(...(parents.get(group) ?? []));
      }
    }
    result.set(host, [...seen].sort());
  }
  return result;
}

function expectObject(value: Json | undefined, path: string): JsonObject {
  if (value === undefined) {
    throw new InventoryError(`${path} is missing (expected an object)`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InventoryError(`${path} must be an object, got ${describe(value)}`);
  }
  return value;
}

function stringList(value: Json | undefined, path: string): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new InventoryError(`${path} must be a list of names, got ${describe(value)}`);
  }
  return value.map((item, index) => {
    if (typeof item !== 'string') {
      throw new InventoryError(`${path}[${index}] must be a string, got ${describe(item)}`);
    }
    return item;
  });
}

function optionalString(value: Json | undefined, path: string): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InventoryError(`${path} must be a string, got ${describe(value)}`);
  }
  return value;
}

function optionalBoolean(value: Json | undefined, path: string): boolean | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  // Inventories edited by hand or older generators sometimes carry "True"/"false" strings.
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === 'true';
  }
  throw new InventoryError(`${path} must be true or false, got ${describe(value)}`);
}

function keyPath(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}
