import { HaproxyOutputError } from './errors';

/**
 * `show servers state [<backend>]` (and the server-state-file, which is the same text), format
 * version 1: a line `1`, a header `# be_id be_name srv_id srv_name srv_addr srv_op_state
 * srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status
 * srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id
 * srv_fqdn srv_port srvrecord …` (HAProxy 1.8 stops at srvrecord; 2.x adds srv_use_ssl,
 * srv_check_port, srv_check_addr, srv_agent_addr, srv_agent_port), then one line per server.
 * Parsed by header name, so older or newer column sets read the same.
 */

/** srv_admin_state bits (HAProxy include/haproxy/server-t.h, enum srv_admin). */
export const ADMIN = {
  /** forced into maintenance (`disable server`, `set server … state maint`) */
  FMAINT: 0x01,
  /** inherited maintenance from a tracked server */
  IMAINT: 0x02,
  /** `disabled` in the configuration */
  CMAINT: 0x04,
  /** forced drain (`set server … state drain`) */
  FDRAIN: 0x08,
  /** inherited drain from a tracked server */
  IDRAIN: 0x10,
  /** maintenance because the address could not be resolved */
  RMAINT: 0x20,
  /** the FQDN was set from the stats socket (not a maintenance state) */
  HMAINT: 0x40,
} as const;

/** Bits that make a server in maintenance (SRV_ADMF_MAINT); CMAINT alone is cleared by `enable`. */
export const ADMIN_MAINT_MASK = ADMIN.FMAINT | ADMIN.IMAINT | ADMIN.RMAINT;
export const ADMIN_DRAIN_MASK = ADMIN.FDRAIN | ADMIN.IDRAIN;
/** The bits the runtime API sets and clears; the others follow config, tracking or DNS. */
export const ADMIN_FORCED_MASK = ADMIN.FMAINT | ADMIN.FDRAIN;

/** srv_op_state (enum srv_state). */
export type OpState = 'stopped' | 'starting' | 'running' | 'stopping';
const OP_STATES: readonly OpState[] = ['stopped', 'starting', 'running', 'stopping'];

/** Check result (enum chk_result): 3 passed, 4 passed conditionally. */
export const CHECK_RESULT = { UNKNOWN: 0, NEUTRAL: 1, FAILED: 2, PASSED: 3, CONDPASS: 4 } as const;
/** srv_check_state bits (CHK_ST_*). */
export const CHECK_STATE = { INPROGRESS: 0x01, CONFIGURED: 0x02, ENABLED: 0x04, PAUSED: 0x08 } as const;

export type AdminState = 'ready' | 'maint' | 'drain';

export interface ServerStateRecord {
  readonly backendId: number;
  readonly backend: string;
  readonly serverId: number;
  readonly server: string;
  readonly address: string;
  readonly port?: number;
  readonly opStateCode: number;
  readonly opState: OpState;
  /** Raw srv_admin_state bits. */
  readonly adminBits: number;
  readonly admin: AdminState;
  readonly checkResult?: number;
  readonly checkHealth?: number;
  readonly checkState?: number;
  /** Every column by its header name, as printed. */
  readonly columns: Readonly<Record<string, string>>;
}

const REQUIRED = ['be_id', 'be_name', 'srv_id', 'srv_name', 'srv_addr', 'srv_op_state', 'srv_admin_state'];

export function adminStateOf(bits: number): AdminState {
  if (bits & ADMIN_MAINT_MASK) {
    return 'maint';
  }
  if (bits & ADMIN_DRAIN_MASK) {
    return 'drain';
  }
  return 'ready';
}

export function parseServersState(text: string): ServerStateRecord[] {
  const lines = text.split(/\r?\n/);
  let index = 0;
  while (index < lines.length && lines[index]!.trim() === '') {
    index++;
  }
  if (index === lines.length) {
    // An empty server-state-file (never dumped) holds no servers.
    return [];
  }
  const version = lines[index]!.trim();
  if (version !== '1') {
    throw new HaproxyOutputError(
      `Expected "show servers state" format version 1, got ${JSON.stringify(version.slice(0, 80))}`,
    );
  }
  index++;
  const header = lines[index] ?? '';
  if (!header.startsWith('#')) {
    throw new HaproxyOutputError(`Expected the "# be_id be_name …" header, got ${JSON.stringify(header.slice(0, 80))}`);
  }
  const names = header.replace(/^#\s*/, '').trim().split(/\s+/);
  for (const required of REQUIRED) {
    if (!names.includes(required)) {
      throw new HaproxyOutputError(`The "show servers state" header has no ${required} column: ${header}`);
    }
  }
  const records: ServerStateRecord[] = [];
  for (index++; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '' || line.startsWith('#')) {
      continue;
    }
    const values = line.trim().split(/\s+/);
    if (values.length < REQUIRED.length) {
      throw new HaproxyOutputError(`Truncated server line ${index + 1}: ${JSON.stringify(line)}`);
    }
    const columns: Record<string, string> = {};
    names.forEach((name, i) => {
      if (values[i] !== undefined) {
        columns[name] = values[i]!;
      }
    });
    records.push(toRecord(columns, index + 1, line));
  }
  return records;
}

function toRecord(c: Record<string, string>, lineNumber: number, line: string): ServerStateRecord {
  const int = (key: string): number => {
    const value = Number(c[key]);
    if (!Number.isInteger(value)) {
      throw new HaproxyOutputError(`Line ${lineNumber}: ${key} is not a number: ${JSON.stringify(line)}`);
    }
    return value;
  };
  const optional = (key: string): number | undefined => {
    const value = c[key] === undefined ? NaN : Number(c[key]);
    return Number.isInteger(value) ? value : undefined;
  };
  const opStateCode = int('srv_op_state');
  const adminBits = int('srv_admin_state');
  const port = optional('srv_port');
  const checkResult = optional('srv_check_result');
  const checkHealth = optional('srv_check_health');
  const checkState = optional('srv_check_state');
  return {
    backendId: int('be_id'),
    backend: c['be_name']!,
    serverId: int('srv_id'),
    server: c['srv_name']!,
    address: c['srv_addr']!,
    ...(port === undefined ? {} : { port }),
    opStateCode,
    opState: OP_STATES[opStateCode] ?? 'stopped',
    adminBits,
    admin: adminStateOf(adminBits),
    ...(checkResult === undefined ? {} : { checkResult }),
    ...(checkHealth === undefined ? {} : { checkHealth }),
    ...(checkState === undefined ? {} : { checkState }),
    columns: c,
  };
}

/** A server's `rise`/`fall` (HAProxy defaults: rise 2, fall 3). */
export interface CheckParams {
  readonly rise: number;
  readonly fall: number;
}

/**
 * UP as a check has confirmed it: running, not in maintenance, and either no health check is
 * enabled or checks pass. HAProxy reports a server "running" before any check: after `enable
 * server` it sets check health to `rise` and keeps the last result from before the maintenance
 * (measured on 2.6: result 3 "passed", health 2 with rise 2 fall 2). A passed check then raises
 * health to its maximum, rise + fall - 1; so with `params` (from the config) that maximum is
 * required. Without them only the (possibly stale) result is looked at.
 */
export function isCheckedUp(record: ServerStateRecord, params?: CheckParams): boolean {
  if (record.opState !== 'running' || record.adminBits & ADMIN_MAINT_MASK) {
    return false;
  }
  const checkState = record.checkState ?? 0;
  if ((checkState & CHECK_STATE.ENABLED) === 0) {
    return true;
  }
  if (checkState & CHECK_STATE.PAUSED) {
    return false;
  }
  const passed = record.checkResult === CHECK_RESULT.PASSED || record.checkResult === CHECK_RESULT.CONDPASS;
  if (!passed) {
    return false;
  }
  return params === undefined || (record.checkHealth ?? 0) >= params.rise + params.fall - 1;
}

/** DOWN: stopped (failed checks) or in maintenance. */
export function isDown(record: ServerStateRecord): boolean {
  return record.opState === 'stopped' || (record.adminBits & ADMIN_MAINT_MASK) !== 0;
}
