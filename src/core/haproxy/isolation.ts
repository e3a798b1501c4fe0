import { runCommand } from '../process/runCommand';
import type { ShellRunner } from '../process/types';
import type { ConfigBackend, ConfigServer } from './config';
import { HaproxyOutputError } from './errors';
import { adminCommands, disableServerCommand, persistServerState, setServerStateCommand, showServersState } from './runtimeApi';
import { ADMIN, isCheckedUp, isDown, type AdminState, type CheckParams, type ServerStateRecord } from './serversState';
import { assertBackendName, assertServerName } from './validate';

// ---------------------------------------------------------------------------------------------
// What to isolate (pure)

export interface ContainerRef {
  /** Inventory / LXC container name (OSA names the HAProxy server after it). */
  readonly name: string;
  /** Management (br-mgmt) address. */
  readonly ip?: string;
}

export interface IsolationEntry {
  readonly backend: string;
  /** The container's server in this backend. */
  readonly server: string;
  /** The other servers: the ones to disable. */
  readonly others: readonly string[];
  readonly matchedBy: 'name' | 'address';
}

export interface IsolationPlan {
  /** Backends where the container has company: isolate there. */
  readonly isolate: readonly IsolationEntry[];
  /** Backends where it is the only server: nothing to isolate (the caller notes it and goes on). */
  readonly singleServer: readonly { readonly backend: string; readonly server: string }[];
}

/**
 * Backends holding the container (a server named like the container, or at its address), and
 * for each the other servers to disable. No backend at all → both lists empty.
 */
export function planIsolation(backends: readonly ConfigBackend[], container: ContainerRef): IsolationPlan {
  const isolate: IsolationEntry[] = [];
  const singleServer: { backend: string; server: string }[] = [];
  for (const backend of backends) {
    const byName = backend.servers.filter((s) => s.name === container.name);
    const matches: ConfigServer[] = byName.length > 0 ? byName : backend.servers.filter((s) => container.ip !== undefined && s.address === container.ip);
    if (matches.length === 0) {
      continue;
    }
    const mine = new Set(matches.map((s) => s.name));
    const others = backend.servers.filter((s) => !mine.has(s.name)).map((s) => s.name);
    for (const match of matches) {
      if (others.length === 0) {
        singleServer.push({ backend: backend.name, server: match.name });
      } else {
        isolate.push({
          backend: backend.name,
          server: match.name,
          // Sibling entries of the same container (e.g. OSA's "<name>-http" upgrade servers) stay.
          others,
          matchedBy: byName.length > 0 ? 'name' : 'address',
        });
      }
    }
  }
  return { isolate, singleServer };
}

// ---------------------------------------------------------------------------------------------
// The runtime route: capture, isolate, restore, wait

export interface SocketOptions {
  /** The admin socket, e.g. /var/run/haproxy.stat. */
  readonly socket: string;
  /**
   * The server-state-file (global `server-state-file`): when set, states are dumped there after
   * each change so a reload with `load-server-state-from-file global` keeps them.
   */
  readonly stateFile?: string;
}

/** One server's admin state as journaled (JSON). */
export interface ServerAdminRecord {
  readonly backend: string;
  readonly server: string;
  readonly admin: AdminState;
  /** srv_admin_state as HAProxy printed it. */
  readonly adminBits: number;
  readonly address: string;
}

/** Keyed by "backend/server". */
export type AdminSnapshot = Record<string, ServerAdminRecord>;

export const keyOf = (backend: string, server: string): string => `${backend}/${server}`;

/** What `set server … state X` must be given to reproduce the forced bits of a record. */
export function forcedStateOf(adminBits: number): AdminState {
  if (adminBits & ADMIN.FMAINT) {
    return 'maint';
  }
  if (adminBits & ADMIN.FDRAIN) {
    return 'drain';
  }
  return 'ready';
}

export function toSnapshot(records: readonly ServerStateRecord[]): AdminSnapshot {
  const snapshot: AdminSnapshot = {};
  for (const r of records) {
    snapshot[keyOf(r.backend, r.server)] = { backend: r.backend, server: r.server, admin: r.admin, adminBits: r.adminBits, address: r.address };
  }
  return snapshot;
}

/** The admin state of every server of these backends, in one round trip: the original to journal. */
export async function captureAdminStates(runner: ShellRunner, backends: readonly string[], options: SocketOptions): Promise<AdminSnapshot> {
  backends.forEach(assertBackendName);
  if (backends.length === 0) {
    return {};
  }
  return toSnapshot(await runCommand(runner, showServersState(options.socket, backends)));
}

export interface IsolateResult {
  /** Commands sent (empty when already isolated). */
  readonly commands: readonly string[];
  readonly persisted: boolean;
}

/**
 * Leaves only `entry.server` taking traffic in each backend: the others go to maintenance
 * (`disable server`), the target is set ready if it was forced into maint/drain. Idempotent:
 * only what differs is sent. One round trip to read, one to change (+ one to persist).
 */
export async function isolate(runner: ShellRunner, entries: readonly IsolationEntry[], options: SocketOptions): Promise<IsolateResult> {
  for (const e of entries) {
    assertBackendName(e.backend);
    assertServerName(e.server);
    e.others.forEach(assertServerName);
  }
  if (entries.length === 0) {
    return { commands: [], persisted: false };
  }
  const current = indexRecords(await runCommand(runner, showServersState(options.socket, unique(entries.map((e) => e.backend)))));
  const commands: string[] = [];
  for (const e of entries) {
    const target = current.get(keyOf(e.backend, e.server));
    if (target === undefined) {
      throw new HaproxyOutputError(`HAProxy has no server ${keyOf(e.backend, e.server)} (was the configuration reloaded?)`);
    }
    if (forcedStateOf(target.adminBits) !== 'ready') {
      commands.push(setServerStateCommand(e.backend, e.server, 'ready'));
    }
    for (const other of e.others) {
      const record = current.get(keyOf(e.backend, other));
      if (record !== undefined && !(record.adminBits & ADMIN.FMAINT)) {
        commands.push(disableServerCommand(e.backend, other));
      }
    }
  }
  return applyCommands(runner, commands, options);
}

/** Whether every entry is isolated now (for a step's `check`). */
export async function isIsolated(runner: ShellRunner, entries: readonly IsolationEntry[], options: SocketOptions): Promise<boolean> {
  if (entries.length === 0) {
    return true;
  }
  const current = indexRecords(await runCommand(runner, showServersState(options.socket, unique(entries.map((e) => e.backend)))));
  return entries.every((e) => {
    const target = current.get(keyOf(e.backend, e.server));
    return (
      target !== undefined &&
      forcedStateOf(target.adminBits) === 'ready' &&
      e.others.every((o) => {
        const r = current.get(keyOf(e.backend, o));
        return r === undefined || (r.adminBits & ADMIN.FMAINT) !== 0;
      })
    );
  });
}

export interface RestoreResult {
  readonly commands: readonly string[];
  /** Recorded servers HAProxy no longer has (configuration changed): nothing could be done. */
  readonly missing: readonly string[];
  /** Servers whose admin bits still differ after the restore (bits the API cannot set: CMAINT, IMAINT…). */
  readonly mismatched: readonly { readonly key: string; readonly expected: number; readonly actual: number }[];
  readonly persisted: boolean;
}

/**
 * Puts every recorded server back exactly: maint stays maint, drain is drained again, ready is
 * enabled. Sends only what differs, so it is idempotent and works after a partial isolate or a
 * reload that dropped the isolation. Verifies by reading the states back.
 */
export async function restoreAdminStates(runner: ShellRunner, original: AdminSnapshot, options: SocketOptions): Promise<RestoreResult> {
  const records = Object.values(original);
  records.forEach((r) => {
    assertBackendName(r.backend);
    assertServerName(r.server);
  });
  if (records.length === 0) {
    return { commands: [], missing: [], mismatched: [], persisted: false };
  }
  const backends = unique(records.map((r) => r.backend));
  const current = indexRecords(await runCommand(runner, showServersState(options.socket, backends)));
  const commands: string[] = [];
  const missing: string[] = [];
  for (const r of records) {
    const now = current.get(keyOf(r.backend, r.server));
    if (now === undefined) {
      missing.push(keyOf(r.backend, r.server));
      continue;
    }
    const wanted = forcedStateOf(r.adminBits);
    if (forcedStateOf(now.adminBits) !== wanted || (now.adminBits & (ADMIN.FMAINT | ADMIN.FDRAIN)) !== (r.adminBits & (ADMIN.FMAINT | ADMIN.FDRAIN))) {
      commands.push(setServerStateCommand(r.backend, r.server, wanted));
    }
  }
  // Persist even when nothing changed: a stale dump holding the isolation would bring it back on
  // the next reload.
  const applied = await applyCommands(runner, commands, options, true);
  const after = commands.length === 0 ? current : indexRecords(await runCommand(runner, showServersState(options.socket, backends)));
  const mismatched = records.flatMap((r) => {
    const now = after.get(keyOf(r.backend, r.server));
    return now === undefined || now.adminBits === r.adminBits ? [] : [{ key: keyOf(r.backend, r.server), expected: r.adminBits, actual: now.adminBits }];
  });
  return { commands, missing, mismatched, persisted: applied.persisted };
}

export type HealthTarget = 'UP' | 'DOWN';

export interface WaitOptions extends SocketOptions {
  readonly intervalMs?: number;
  /** The server's rise/fall (`checkParamsOf`): with them, UP waits for a check after re-enabling. */
  readonly check?: CheckParams;
  readonly signal?: AbortSignal;
}

/**
 * Polls `show servers state <backend>` until the server is UP as a passed check says (not just
 * "running": HAProxy reports that before the first check), or DOWN. Returns the last record;
 * throws after `timeoutMs` with the state seen.
 */
export async function waitForHealth(
  runner: ShellRunner,
  backend: string,
  server: string,
  target: HealthTarget,
  timeoutMs: number,
  options: WaitOptions,
): Promise<ServerStateRecord> {
  assertBackendName(backend);
  assertServerName(server);
  const interval = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  const spec = showServersState(options.socket, [backend]);
  let last: ServerStateRecord | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    last = (await runCommand(runner, spec)).find((r) => r.server === server);
    if (last === undefined) {
      throw new HaproxyOutputError(`HAProxy has no server ${keyOf(backend, server)}`);
    }
    if (target === 'UP' ? isCheckedUp(last, options.check) : isDown(last)) {
      return last;
    }
    if (Date.now() + interval > deadline) {
      throw new Error(
        `${keyOf(backend, server)} is not ${target} after ${timeoutMs} ms (op state ${last.opState}, admin ${last.admin}, check result ${last.checkResult ?? '-'})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

async function applyCommands(runner: ShellRunner, commands: readonly string[], options: SocketOptions, alwaysPersist = false): Promise<IsolateResult> {
  if (commands.length === 0 && !alwaysPersist) {
    return { commands, persisted: false };
  }
  if (commands.length > 0) {
    await runCommand(runner, adminCommands(options.socket, commands));
  }
  if (options.stateFile !== undefined) {
    await runCommand(runner, persistServerState(options.socket, options.stateFile));
    return { commands, persisted: true };
  }
  return { commands, persisted: false };
}

function indexRecords(records: readonly ServerStateRecord[]): Map<string, ServerStateRecord> {
  return new Map(records.map((r) => [keyOf(r.backend, r.server), r]));
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
