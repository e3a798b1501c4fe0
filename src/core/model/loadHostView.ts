import type { Logger } from '../log';
import { InventoryError, parseInventory, type OsaInventory } from '../osa/inventory';
import { joinContainers, type OsaContainer } from '../osa/serviceOf';
import type { ExecResult, ShellRunner } from '../process/types';
import type { ContainerInfo, ContainerRuntime } from '../runtime/types';
import { hostSnapshotScript, splitHostSnapshot, type HostSnapshotSections } from './hostSnapshot';
import { parseJournal, summarizeJournal } from '../devloop/journal';
import { JOURNAL_DIR } from '../devloop/journalStore';
import type { ContainerView, DevModeSummary, HostView, ServiceGroup } from './hostView';
import { isServiceUnit } from './serviceUnits';

/** Containers whose service cannot be told from the inventory or the name. */
export const OTHER_SERVICE = 'other';

/** Lists a host's containers, joined with its inventory, in ONE round trip. */
export async function loadHostView(runner: ShellRunner, runtime: ContainerRuntime, logger: Logger): Promise<HostView> {
  const list = runtime.listContainers();
  const result = await runner.exec(hostSnapshotScript(list.argv), { secretOutput: true });
  return buildHostView(splitHostSnapshot(result), (listing) => list.parse(listing), logger);
}

/** Pure: turns the snapshot's sections into the tree's model. Throws when the listing failed. */
export function buildHostView(
  sections: HostSnapshotSections,
  parseListing: (listing: ExecResult) => ContainerInfo[],
  logger: Logger,
): HostView {
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
  const groups = new Map<string, ContainerView[]>();
  for (const container of containers) {
    const view = toView(container, sections.units.get(container.name) ?? [], devModes.get(container.name));
    const list = groups.get(view.service) ?? [];
    list.push(view);
    groups.set(view.service, list);
  }
  const services: ServiceGroup[] = [...groups.entries()]
    .sort(([a], [b]) => (a === OTHER_SERVICE ? 1 : b === OTHER_SERVICE ? -1 : a.localeCompare(b)))
    .map(([service, list]) => ({ service, containers: list }));
  return { services, warnings, inventoryFound: inventory !== undefined };
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

function toView(container: OsaContainer, units: readonly string[], devMode: DevModeSummary | undefined): ContainerView {
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
  };
}

/** OSA's default management network is 172.29.236.0/22; LXC's own bridge (10.0.3.0/24) is not it. */
function isOsaManagementAddress(ip: string): boolean {
  const [a, b, c] = ip.split('.').map(Number);
  return a === 172 && b === 29 && c !== undefined && c >= 236 && c <= 239;
}
