import type { ContainerInfo, ContainerState } from '../types';
import { LxcOutputError } from './errors';

/**
 * Parser of `lxc-ls -f` / `lxc-ls -f -F ...` tables, for both implementations:
 * - LXC 1.x (python `lxc-ls`): header, a dashed rule, columns padded to width + 2, AUTOSTART is
 *   `YES`/`NO`/`YES (group, group)`.
 * - LXC 2+ (C `lxc-ls`): header, no rule, columns padded to width + 1, AUTOSTART is `0`/`1`,
 *   GROUPS is its own column. Prints nothing at all when there are no containers.
 * Every column is at least as wide as its header and its widest value, so each value starts
 * where its header word starts; values themselves may contain ", " (IPs, groups).
 */

const KNOWN_COLUMNS = new Set([
  'NAME',
  'STATE',
  'PID',
  'RAM',
  'SWAP',
  'MEMORY',
  'AUTOSTART',
  'GROUPS',
  'INTERFACE',
  'IPV4',
  'IPV6',
  'UNPRIVILEGED',
]);

// The C lxc-ls prints these on stdout, before the table, for a bad lxc.start.auto value.
const KNOWN_WARNING = /^(Could not parse value for|Wrong value for) 'lxc\.start\.auto/;
const DASHED_RULE = /^-+\s*$/;

interface Column {
  readonly key: string;
  readonly start: number;
}

const STATES: Readonly<Record<string, ContainerState>> = {
  RUNNING: 'running',
  STOPPED: 'stopped',
  FROZEN: 'frozen',
  FREEZING: 'frozen',
  THAWED: 'running',
  STARTING: 'starting',
  STOPPING: 'stopping',
  ABORTING: 'aborting',
};

export function parseLxcLsFancy(text: string): ContainerInfo[] {
  const lines = text.split(/\r?\n/);
  let index = 0;
  while (index < lines.length && (lines[index]!.trim() === '' || KNOWN_WARNING.test(lines[index]!))) {
    index++;
  }
  if (index === lines.length) {
    return [];
  }
  const columns = parseHeader(lines[index]!);
  index++;
  if (index < lines.length && DASHED_RULE.test(lines[index]!)) {
    index++;
  }
  const containers: ContainerInfo[] = [];
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() !== '') {
      containers.push(parseRow(line, index + 1, columns));
    }
  }
  return containers;
}

export function mapLxcState(value: string): ContainerState {
  return STATES[value.toUpperCase()] ?? 'unknown';
}

function parseHeader(line: string): Column[] {
  const columns: Column[] = [];
  for (const match of line.matchAll(/\S+/g)) {
    const key = match[0].toUpperCase();
    if (!KNOWN_COLUMNS.has(key) || columns.some((column) => column.key === key)) {
      throw notATable(line);
    }
    columns.push({ key, start: match.index });
  }
  if (columns[0]?.key !== 'NAME' || columns[0].start !== 0) {
    throw notATable(line);
  }
  return columns;
}

function notATable(firstLine: string): LxcOutputError {
  return new LxcOutputError(
    `Expected lxc-ls fancy output starting with a header of column names (NAME STATE IPV4 ...), ` +
      `but the first line is: ${JSON.stringify(clip(firstLine))}`,
  );
}

function parseRow(line: string, lineNumber: number, columns: readonly Column[]): ContainerInfo {
  const cells = new Map<string, string>();
  columns.forEach((column, i) => {
    const next = columns[i + 1];
    // Each value starts at its header; the character before it is padding, or the row is not
    // from this table (a wrapped line, a message, a different layout).
    if (column.start > 0 && line.length > column.start && line[column.start - 1] !== ' ') {
      throw badRow(lineNumber, line, `the ${column.key} column does not line up with the header`);
    }
    cells.set(column.key, line.slice(column.start, next?.start).trim());
  });

  const name = cells.get('NAME') ?? '';
  if (!/^[^\s-][^\s]*$/.test(name)) {
    throw badRow(lineNumber, line, 'expected a container name in the NAME column');
  }
  const autostart = parseAutostart(cells.get('AUTOSTART'), lineNumber, line);
  const groupsCell = cells.get('GROUPS');
  const groups = groupsCell === undefined ? autostart.groups : splitList(groupsCell);
  const pid = parsePid(cells.get('PID'), lineNumber, line);
  return {
    name,
    state: mapLxcState(cells.get('STATE') ?? '-'),
    ...(pid === undefined ? {} : { pid }),
    ipv4: splitList(cells.get('IPV4') ?? '-'),
    groups,
    ...(autostart.enabled === undefined ? {} : { autostart: autostart.enabled }),
  };
}

interface Autostart {
  readonly enabled?: boolean;
  readonly groups: readonly string[];
}

function parseAutostart(cell: string | undefined, lineNumber: number, line: string): Autostart {
  if (cell === undefined || cell === '' || cell === '-') {
    return { groups: [] };
  }
  if (cell === '1' || cell === 'YES') {
    return { enabled: true, groups: [] };
  }
  if (cell === '0' || cell === 'NO') {
    return { enabled: false, groups: [] };
  }
  const withGroups = /^YES \((.*)\)$/.exec(cell);
  if (withGroups) {
    return { enabled: true, groups: splitList(withGroups[1]!) };
  }
  throw badRow(lineNumber, line, `expected AUTOSTART 0, 1, YES, NO or "YES (groups)", got ${JSON.stringify(cell)}`);
}

function parsePid(cell: string | undefined, lineNumber: number, line: string): number | undefined {
  if (cell === undefined || cell === '-' || cell === '' || cell === 'UNKNOWN') {
    return undefined;
  }
  if (!/^\d+$/.test(cell)) {
    throw badRow(lineNumber, line, `expected a PID number or "-", got ${JSON.stringify(cell)}`);
  }
  const pid = Number(cell);
  return pid > 0 ? pid : undefined;
}

/** "a, b" → [a, b]; "-" (none) and "UNKNOWN" (python lxc-ls without setns) → []. */
function splitList(cell: string): string[] {
  if (cell === '-' || cell === 'UNKNOWN' || cell === '') {
    return [];
  }
  return cell
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function badRow(lineNumber: number, line: string, why: string): LxcOutputError {
  return new LxcOutputError(`Unexpected lxc-ls output on line ${lineNumber} (${why}): ${JSON.stringify(clip(line))}`);
}

function clip(line: string): string {
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
