import {
  adminSocketOf,
  captureAdminStates,
  isIsolated,
  isolate,
  parseHaproxyConfig,
  planIsolation,
  readConfigFiles,
  reloadKeepsStates,
  resolveServerStateFile,
  restoreAdminStates,
  type AdminSnapshot,
  type ContainerRef,
  type HaproxyConfig,
  type IsolationEntry,
  type IsolationPlan,
  type SocketOptions,
} from '../../haproxy';
import { NoAddressError, type PhysicalNode } from '../../model/topology';
import { runCommand } from '../../process/runCommand';
import type { ShellRunner } from '../../process/types';
import { DEPLOYMENT_HOST } from '../haproxyHosts';
import { JournalStore } from '../journalStore';
import { StepRefused, StepSkipped, type HaproxyPlace, type Step, type StepContext } from '../types';

/**
 * Another container of the same HAProxy backend is already in dev mode: isolating this one would
 * put that dev server in maintenance and leave the service to whichever session restores last.
 */
export class IsolationConflictError extends StepRefused {
  override readonly name: string = 'IsolationConflictError';
  constructor(backend: string, other: string, since: string) {
    super(
      `${backend} is already isolated for ${other} (in dev mode since ${since}): two dev sessions in one HAProxy backend would take the service down. ` +
        `Restore Production in ${other} first, or develop in ${other}. Nothing was changed.`,
    );
  }
}

/** OSA always configures this admin socket (openstack-ansible-haproxy_server). */
export const OSA_HAPROXY_SOCKET = '/var/run/haproxy.stat';

/** What Isolate changed on one HAProxy host, and how it was. */
export interface HostIsolation {
  /** Its inventory name (or DEPLOYMENT_HOST): what messages name. */
  readonly name: string;
  /** How it was reached: absent for the deployment host itself, else its address recorded for Restore. */
  readonly node?: PhysicalNode;
  readonly socket: SocketOptions;
  readonly entries: readonly IsolationEntry[];
  /** Every server of the affected backends as it was: what Restore puts back. */
  readonly snapshot: AdminSnapshot;
}

/**
 * The journaled original. `entries` (every backend/server isolated, on any host) is what the
 * shared-backend refusal reads, in this shape and the first one. `hosts` is one record per HAProxy
 * host; a journal of the first version (HAProxy on the deployment host only) has none and keeps
 * `socket` and `snapshot` at the top: it still undoes, on the deployment host.
 */
export interface IsolateOriginal {
  readonly entries: readonly IsolationEntry[];
  readonly hosts?: readonly HostIsolation[];
  readonly socket?: SocketOptions;
  readonly snapshot?: AdminSnapshot;
}

/** A HAProxy host other than the deployment host cannot be reached (or read) at Develop: nothing is changed anywhere. */
export class HaproxyHostUnreachableError extends StepRefused {
  override readonly name: string = 'HaproxyHostUnreachableError';
  constructor(
    readonly hosts: readonly string[],
    readonly detail: string,
  ) {
    super(
      `HAProxy also runs on ${hosts.join(', ')}, which cannot be reached: ${withoutStop(detail)}. ` +
        `Isolating on the other HAProxy hosts only would leave requests through ${hosts.length === 1 ? 'it' : 'them'} reaching the other servers. Nothing was changed.`,
    );
  }
}

/** Restore could not put every HAProxy host back: the step stays journaled, so the next Restore retries them. */
export class HaproxyNotRestoredError extends Error {
  override readonly name: string = 'HaproxyNotRestoredError';
  constructor(readonly hosts: readonly string[], detail: string) {
    super(`HAProxy not restored on ${hosts.length} host${hosts.length === 1 ? '' : 's'} — ${withoutStop(detail)}. The journal keeps the isolation: Restore again to retry (the hosts already restored stay as they are).`);
  }
}

/** A message ending a sentence of ours: its own full stop dropped. */
function withoutStop(message: string): string {
  return message.replace(/\.+$/, '');
}

/**
 * Step 1, "Isolate": in every HAProxy backend that holds the container, leave only its server
 * taking traffic (the others to maintenance through the admin socket, persisted to the
 * server-state-file when there is one so a reload keeps it). Done on EVERY HAProxy host (OSA puts
 * the full configuration on each of haproxy_hosts; keepalived moves the VIP between them), each
 * read and journaled before any is changed. Undo restores every admin state on each host.
 */
export function isolateStep(container: ContainerRef): Step<IsolateOriginal> {
  return {
    id: 'isolate',
    title: 'Isolate the container in HAProxy',
    async capture(ctx) {
      const reads = await readHosts(ctx, container);
      const hosts = reads.filter((r) => r.plan.isolate.length > 0);
      if (hosts.length === 0) {
        const single = [...new Set(reads.flatMap((r) => r.plan.singleServer.map((s) => s.backend)))].join(', ');
        throw new StepSkipped(
          single ? `${container.name} is the only server of ${single}: nothing to isolate` : `${container.name} is in no HAProxy backend: nothing to isolate`,
        );
      }
      const entries = uniqueEntries(hosts.flatMap((h) => h.plan.isolate));
      await refuseSharedBackend(journalHost(ctx), container.name, new Set(entries.map((e) => e.backend)));
      const named = reads.length > 1;
      for (const host of hosts) {
        for (const entry of host.plan.isolate) {
          if (!reloadKeepsStates(host.config, entry.backend)) {
            ctx.logger.warn(
              `HAProxy${named ? ` on ${host.place.name}` : ''} has no server-state-file for ${entry.backend}: a reload (e.g. an Ansible run) would undo the isolation until Develop is run again.`,
            );
          }
        }
      }
      const captured = await onEveryHost(
        hosts.map(async (host): Promise<HostIsolation> => {
          const stateFile = resolveServerStateFile(host.config);
          const socket: SocketOptions = { socket: adminSocketOf(host.config)?.path ?? OSA_HAPROXY_SOCKET, ...(stateFile ? { stateFile } : {}) };
          const backends = [...new Set(host.plan.isolate.map((e) => e.backend))];
          const snapshot = await refusingIfRemote(host.place, () => captureAdminStates(host.runner, backends, socket));
          return { name: host.place.name, ...(host.place.node ? { node: host.place.node } : {}), socket, entries: host.plan.isolate, snapshot };
        }),
      );
      return { entries, hosts: captured };
    },
    async check(ctx, original) {
      for (const host of hostsOf(original)) {
        if (!(await isIsolated(runnerOf(ctx, host), host.entries, host.socket))) return false;
      }
      return true;
    },
    async apply(ctx, original) {
      const hosts = hostsOf(original);
      for (const host of hosts) {
        const on = hosts.length > 1 ? ` on ${host.name}` : '';
        for (const entry of host.entries) ctx.report(`${entry.backend}${on}: only ${entry.server} stays in service (${entry.others.length} to maintenance)`);
        await isolate(runnerOf(ctx, host), host.entries, host.socket);
      }
    },
    async undo(ctx, original) {
      // Every host is tried, whatever another one did: a host left isolated is named, and the step
      // stays journaled (the engine keeps it "undoing"), so the next Restore retries it.
      const failed: string[] = [];
      const why: string[] = [];
      for (const host of hostsOf(original)) {
        try {
          const result = await restoreAdminStates(runnerOf(ctx, host), host.snapshot, host.socket);
          if (result.missing.length > 0) ctx.logger.warn(`HAProxy on ${host.name} no longer has ${result.missing.join(', ')}: left as they are.`);
          if (result.mismatched.length > 0) {
            throw new Error(`servers not back to their original admin state: ${result.mismatched.map((m) => `${m.key} (${m.actual}, expected ${m.expected})`).join(', ')}`);
          }
        } catch (error) {
          failed.push(labelOf(host));
          why.push(`${labelOf(host)}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (failed.length > 0) throw new HaproxyNotRestoredError(failed, why.join('; '));
    },
  };
}

interface HostRead {
  readonly place: HaproxyPlace;
  readonly runner: ShellRunner;
  readonly config: HaproxyConfig;
  readonly plan: IsolationPlan;
}

/** Every HAProxy host's configuration and plan, read in parallel; any other host unreadable refuses, naming each. */
async function readHosts(ctx: StepContext, container: ContainerRef): Promise<HostRead[]> {
  let places: readonly HaproxyPlace[];
  try {
    places = ctx.haproxy ? await ctx.haproxy.list() : [{ name: DEPLOYMENT_HOST }];
  } catch (error) {
    if (error instanceof NoAddressError) throw new HaproxyHostUnreachableError([error.host], error.message);
    throw error;
  }
  return onEveryHost(
    places.map((place) =>
      refusingIfRemote(place, async () => {
        const runner = runnerOf(ctx, place);
        const files = await runCommand(runner, readConfigFiles());
        const config = parseHaproxyConfig([...(files.main ? [files.main] : []), ...files.fragments]);
        return { place, runner, config, plan: planIsolation(config.backends, container) };
      }),
    ),
  );
}

/** A failure on a HAProxy host other than the deployment host becomes a refusal naming it (nothing changed yet). */
async function refusingIfRemote<T>(place: HaproxyPlace, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (place.node === undefined || error instanceof StepRefused) throw error;
    throw new HaproxyHostUnreachableError([labelOf(place)], error instanceof Error ? error.message : String(error));
  }
}

/** Like Promise.all, but when hosts are unreachable the refusal names every one of them, not just the first. */
async function onEveryHost<T>(bodies: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(bodies);
  const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  const unreachable = failed.filter((e): e is HaproxyHostUnreachableError => e instanceof HaproxyHostUnreachableError);
  const other = failed.find((e) => !(e instanceof HaproxyHostUnreachableError));
  if (other !== undefined) throw other;
  if (unreachable.length === 1) throw unreachable[0];
  if (unreachable.length > 1) throw new HaproxyHostUnreachableError(unreachable.flatMap((e) => e.hosts), unreachable.map((e) => e.detail).join('; '));
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

function labelOf(place: HaproxyPlace): string {
  return place.node ? `${place.name} (${place.node.address})` : place.name;
}

/** The journaled hosts; a first-version journal is the deployment host's alone. */
function hostsOf(original: IsolateOriginal): readonly HostIsolation[] {
  if (original.hosts) return original.hosts;
  if (!original.socket || !original.snapshot) throw new Error('The isolate step\'s journal entry has neither hosts nor a socket and snapshot: it cannot be undone.');
  return [{ name: DEPLOYMENT_HOST, socket: original.socket, entries: original.entries, snapshot: original.snapshot }];
}

function runnerOf(ctx: StepContext, place: HaproxyPlace): ShellRunner {
  if (place.node === undefined) return journalHost(ctx);
  if (!ctx.haproxy) throw new Error(`HAProxy on ${labelOf(place)} was isolated, but this session has no way to reach other physical hosts.`);
  return ctx.haproxy.reach(place.node);
}

function uniqueEntries(entries: readonly IsolationEntry[]): IsolationEntry[] {
  const byKey = new Map(entries.map((e) => [`${e.backend}/${e.server}`, e]));
  return [...byKey.values()];
}

/** Every dev-mode journal is on the deployment host, wherever the container and HAProxy run. */
function journalHost(ctx: StepContext): StepContext['host'] {
  return ctx.deployment ?? ctx.host;
}

/** Refuses when another container's journal isolates one of `backends` (its Restore would undo ours). */
async function refuseSharedBackend(host: StepContext['host'], container: string, backends: ReadonlySet<string>): Promise<void> {
  for (const journal of await new JournalStore(host).list()) {
    if (journal.container === container) continue;
    const isolate = journal.steps.find((step) => step.id === 'isolate' && step.status !== 'skipped' && step.status !== 'undone');
    const entries = (isolate?.original as Partial<IsolateOriginal> | undefined)?.entries;
    const shared = Array.isArray(entries) ? entries.find((entry) => backends.has(entry.backend)) : undefined;
    if (shared) throw new IsolationConflictError(shared.backend, journal.container, journal.createdAt);
  }
}
