import type { Logger } from '../log';
import { InventoryError, parseInventory, type OsaInventory } from '../osa/inventory';
import { joinContainers, type OsaContainer } from '../osa/serviceOf';
import type { ExecResult, ShellRunner } from '../process/types';
import type { ContainerInfo, ContainerRuntime } from '../runtime/types';
import { hostSnapshotScript, splitHostSnapshot, type HostSnapshotSections } from './hostSnapshot';
import { parseJournal, summarizeJournal } from '../devloop/journal';
import { JOURNAL_DIR } from '../devloop/journalStore';
import type { ContainerView, DevModeSummary, HostView, NodeView, ServiceGroup } from './hostView';
import { isServiceUnit } from './serviceUnits';
import { nodeFrom, topologyOf, type PhysicalNode, type RemoteHost } from './topology';

/** Containers whose service cannot be told from the inventory or the name. */
export const OTHER_SERVICE = 'other';

/** Runs commands on another physical host, through the deployment host. */
export type NodeRunners = (node: PhysicalNode) => ShellRunner;

/**
 * Lists a host's containers, joined with its inventory, in ONE round trip. With `nodes`, the other
 * physical hosts of a multi-node inventory are listed too, one round trip each, in parallel; a host
 * that cannot be listed gets its error and the rest of the view stands.
 */
export async function loadHostView(runner: ShellRunner, runtime: ContainerRuntime, logger: Logger, nodes?: NodeRunners): Promise<HostView> {
  const load = await loadDeployment(runner, runtime, logger);
  if (nodes === undefined || load.view.topology.remote.length === 0) return load.view;
  return { ...load.view, nodes: await Promise.all(load.view.topology.remote.map((host) => load.listNode(host, nodes))) };
}

/**
 * How a physical node's containers are listed: with the runtime detected on that node (mixed
 * deployments: LXC infra hosts next to a Kolla/podman node), and what is told of its listing.
 */
export interface NodeRuntimes {
  of(node: PhysicalNode, runner: ShellRunner): Promise<ContainerRuntime>;
  listed(node: PhysicalNode, runtime: ContainerRuntime, containers: readonly string[]): void;
}

/** The deployment host's view, and how to list each other physical host later (the tree does it on expansion). */
export interface DeploymentLoad {
  /** Its `nodes` are empty: see listNode. */
  readonly view: HostView;
  /** Lists one of `view.topology.remote` through its runner, in one round trip; a failure is the NodeView's error. */
  listNode(host: RemoteHost, nodes: NodeRunners): Promise<NodeView>;
}

/**
 * The deployment host's own containers in ONE round trip; other physical hosts are not contacted.
 * Nodes are listed with `nodeRuntimes` (the deployment host's runtime when not given).
 */
export async function loadDeployment(runner: ShellRunner, runtime: ContainerRuntime, logger: Logger, nodeRuntimes?: NodeRuntimes): Promise<DeploymentLoad> {
  const list = runtime.listContainers();
  const result = await runner.exec(hostSnapshotScript(list.argv), { secretOutput: true });
  const { view, inventory, devModes } = readSnapshot(splitHostSnapshot(result), (listing) => list.parse(listing), logger);
  return {
    view,
    // Journals (dev mode) and the inventory are the deployment host's, whichever host runs the container.
    listNode: (host, nodes) => loadNode(host, nodes, nodeRuntimes ?? sameRuntime(runtime), inventory, devModes, logger),
  };
}

async function loadNode(
  host: RemoteHost,
  nodes: NodeRunners,
  runtimes: NodeRuntimes,
  inventory: OsaInventory | undefined,
  devModes: ReadonlyMap<string, DevModeSummary>,
  logger: Logger,
): Promise<NodeView> {
  const { name, address } = host;
  try {
    const node = nodeFrom(host);
    const runner = nodes(node);
    const runtime = await runtimes.of(node, runner);
    const list = runtime.listContainers();
    // The same snapshot; its inventory and journals sections are the deployment host's business.
    const sections = splitHostSnapshot(await runner.exec(hostSnapshotScript(list.argv), { secretOutput: true }));
    const containers = joinContainers(list.parse(sections.listing), inventory).filter((c) => c.listed !== undefined);
    runtimes.listed(node, runtime, containers.map((c) => c.name));
    return { name, address, services: groupByService(containers, sections.units, devModes, node) };
  } catch (error) {
    const message = `${name}${address ? ` (${address})` : ''}: ${error instanceof Error ? error.message : String(error)}`;
    logger.warn(message);
    return { name, ...(address === undefined ? {} : { address }), services: [], error: message };
  }
}

function sameRuntime(runtime: ContainerRuntime): NodeRuntimes {
  return { of: async () => runtime, listed: () => undefined };
}

/** Pure: turns the snapshot's sections into the tree's model. Throws when the listing failed. */
export function buildHostView(
  sections: HostSnapshotSections,
  parseListing: (listing: ExecResult) => ContainerInfo[],
  logger: Logger,
): HostView {
  return readSnapshot(sections, parseListing, logger).view;
}

/** The view, with the parsed inventory and dev modes it was built from (the nodes' listings reuse them). */
function readSnapshot(
  sections: HostSnapshotSections,
  parseListing: (listing: ExecResult) => ContainerInfo[],
  logger: Logger,
): { view: HostView; inventory: OsaInventory | undefined; devModes: ReadonlyMap<string, DevModeSummary> } {
  const listed = parseListing(sections.listing);
  const warnings: string[] = [];
  let inventory: OsaInventory | undefined;
  if (sections.inventoryText !== undefined) {
    try {
      inventory = parseInventory(sections.inventoryText);
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      const message = `${error.message} — services are inferred from container names until the inventory is fixed.`;
      logger.warn(message);
      warnings.push(message);
    }
  }
  // Only what the runtime lists: inventory entries without a container belong to other hosts of a
  // multi-node deployment, or were never built.
  const containers = joinContainers(listed, inventory).filter((c) => c.listed !== undefined);
  const devModes = summarizeJournals(sections.journals, warnings, logger);
  const services = groupByService(containers, sections.units, devModes);
  const topology = topologyOf(inventory, new Set(listed.map((c) => c.name)));
  // Journals are all on the deployment host: dev mode on other physical hosts is known without them.
  const inDevMode = joinContainers([], inventory).filter((c) => devModes.has(c.name));
  const devModeElsewhere = topology.remote.flatMap((host) =>
    host.address === undefined
      ? []
      : inDevMode.filter((c) => host.containers.includes(c.name)).map((c) => toView(c, [], devModes.get(c.name), nodeFrom(host))),
  );
  const view: HostView = { services, warnings, inventoryFound: inventory !== undefined, topology, nodes: [], devModeElsewhere };
  return { view, inventory, devModes };
}

function groupByService(
  containers: readonly OsaContainer[],
  units: ReadonlyMap<string, readonly string[]>,
  devModes: ReadonlyMap<string, DevModeSummary>,
  node?: PhysicalNode,
): ServiceGroup[] {
  const groups = new Map<string, ContainerView[]>();
  for (const container of containers) {
    const view = toView(container, units.get(container.name) ?? [], devModes.get(container.name), node);
    const list = groups.get(view.service) ?? [];
    list.push(view);
    groups.set(view.service, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === OTHER_SERVICE ? 1 : b === OTHER_SERVICE ? -1 : a.localeCompare(b)))
    .map(([service, list]) => ({ service, containers: list }));
}

function summarizeJournals(texts: readonly string[], warnings: string[], logger: Logger): Map<string, DevModeSummary> {
  const byContainer = new Map<string, DevModeSummary>();
  for (const text of texts) {
    try {
      const doc = parseJournal(`${JOURNAL_DIR}/*.json`, text);
      byContainer.set(doc.container, summarizeJournal(doc));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn(message);
      warnings.push(message);
    }
  }
  return byContainer;
}

function toView(container: OsaContainer, units: readonly string[], devMode: DevModeSummary | undefined, node: PhysicalNode | undefined): ContainerView {
  const listed = container.listed;
  const ipv4 = listed?.ipv4 ?? [];
  const managementIp = container.inventory?.managementAddress ?? ipv4.find(isOsaManagementAddress) ?? ipv4[0];
  const groups = [...new Set([...(listed?.groups ?? []), ...(container.inventory?.groups ?? [])])];
  return {
    name: container.name,
    state: listed?.state ?? 'unknown',
    service: container.service ?? OTHER_SERVICE,
    ...(container.component === undefined ? {} : { component: container.component }),
    ...(managementIp === undefined ? {} : { managementIp }),
    ipv4,
    groups,
    units: units.filter(isServiceUnit).sort(),
    ...(devMode === undefined ? {} : { devMode }),
    ...(node === undefined ? {} : { node }),
  };
}

/** OSA's default management network is 172.29.236.0/22; LXC's own bridge (10.0.3.0/24) is not it. */
function isOsaManagementAddress(ip: string): boolean {
  const [a, b, c] = ip.split('.').map(Number);
  return a === 172 && b === 29 && c !== undefined && c >= 236 && c <= 239;
}
