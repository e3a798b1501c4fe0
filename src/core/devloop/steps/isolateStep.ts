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
  type IsolationEntry,
  type SocketOptions,
} from '../../haproxy';
import { runCommand } from '../../process/runCommand';
import { JournalStore } from '../journalStore';
import { StepRefused, StepSkipped, type Step, type StepContext } from '../types';

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

export interface IsolateOriginal {
  readonly socket: SocketOptions;
  readonly entries: readonly IsolationEntry[];
  /** Every server of the affected backends as it was: what Restore puts back. */
  readonly snapshot: AdminSnapshot;
}

/**
 * Step 1, "Isolate": in every HAProxy backend that holds the container, leave only its server
 * taking traffic (the others to maintenance through the admin socket, persisted to the
 * server-state-file when there is one so a reload keeps it). Undo restores every admin state.
 */
export function isolateStep(container: ContainerRef): Step<IsolateOriginal> {
  return {
    id: 'isolate',
    title: 'Isolate the container in HAProxy',
    async capture(ctx) {
      const haproxy = haproxyHost(ctx);
      const files = await runCommand(haproxy, readConfigFiles());
      const config = parseHaproxyConfig([...(files.main ? [files.main] : []), ...files.fragments]);
      const plan = planIsolation(config.backends, container);
      if (plan.isolate.length === 0) {
        const single = plan.singleServer.map((s) => s.backend).join(', ');
        throw new StepSkipped(
          single ? `${container.name} is the only server of ${single}: nothing to isolate` : `${container.name} is in no HAProxy backend: nothing to isolate`,
        );
      }
      await refuseSharedBackend(haproxy, container.name, new Set(plan.isolate.map((e) => e.backend)));
      const stateFile = resolveServerStateFile(config);
      const socket: SocketOptions = { socket: adminSocketOf(config)?.path ?? OSA_HAPROXY_SOCKET, ...(stateFile ? { stateFile } : {}) };
      for (const entry of plan.isolate) {
        if (!reloadKeepsStates(config, entry.backend)) {
          ctx.logger.warn(`HAProxy has no server-state-file for ${entry.backend}: a reload (e.g. an Ansible run) would undo the isolation until Develop is run again.`);
        }
      }
      const snapshot = await captureAdminStates(haproxy, [...new Set(plan.isolate.map((e) => e.backend))], socket);
      return { socket, entries: plan.isolate, snapshot };
    },
    check: (ctx, original) => isIsolated(haproxyHost(ctx), original.entries, original.socket),
    async apply(ctx, original) {
      for (const entry of original.entries) ctx.report(`${entry.backend}: only ${entry.server} stays in service (${entry.others.length} to maintenance)`);
      await isolate(haproxyHost(ctx), original.entries, original.socket);
    },
    async undo(ctx, original) {
      const result = await restoreAdminStates(haproxyHost(ctx), original.snapshot, original.socket);
      if (result.missing.length > 0) ctx.logger.warn(`HAProxy no longer has ${result.missing.join(', ')}: left as they are.`);
      if (result.mismatched.length > 0) {
        throw new Error(`HAProxy servers not back to their original admin state: ${result.mismatched.map((m) => `${m.key} (${m.actual}, expected ${m.expected})`).join(', ')}`);
      }
    },
  };
}

/** HAProxy (and every dev-mode journal) is on the deployment host, wherever the container runs. */
function haproxyHost(ctx: StepContext): StepContext['host'] {
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
