import type { ExecResult } from '../process/types';
import { JOURNAL_DIR } from '../devloop/journalStore';
import { shellJoin } from '../shell/quote';

/** Where OSA keeps its inventory on the deployment host. Read, never edited. */
export const INVENTORY_PATH = '/etc/openstack_deploy/openstack_inventory.json';

const MARK = '@@osa-dev:';

/**
 * One shell script, one round trip: the container listing, OSA's inventory, and the service units
 * installed in each running container (read through /proc/PID/root, so no lxc-attach per
 * container). The script is constant text; the only interpolation is the runtime's already-quoted
 * list command. Markers cannot collide with the inventory: JSON has no raw newline inside strings.
 */
export function hostSnapshotScript(listArgv: readonly string[]): string {
  return [
    `out=$(${shellJoin(listArgv)}); rc=$?`,
    `printf '%s\\n' "$out"`,
    `printf '${MARK}rc=%s\\n' "$rc"`,
    `if [ -r ${INVENTORY_PATH} ]; then printf '${MARK}inventory\\n'; cat ${INVENTORY_PATH}; printf '\\n'; fi`,
    `printf '${MARK}units\\n'`,
    // NAME STATE PID are the first three columns of the listing; skip the header.
    `printf '%s\\n' "$out" | awk 'NR > 1 && $3 ~ /^[0-9]+$/ { print $1, $3 }' | while read -r name pid; do`,
    `  for f in /proc/"$pid"/root/etc/systemd/system/*.service; do`,
    // Symlinks are aliases or masks (and would resolve against the host's root): skip them.
    `    if [ -f "$f" ] && [ ! -L "$f" ]; then printf '%s %s\\n' "$name" "\${f##*/}"; fi`,
    `  done`,
    `done`,
    // Dev-mode journals (see devloop/journalStore): pretty-printed JSON, so no line starts with a marker.
    `for f in ${JOURNAL_DIR}/*.json; do`,
    `  if [ -f "$f" ]; then printf '${MARK}journal\\n'; cat "$f"; printf '\\n'; fi`,
    `done`,
  ].join('\n');
}

export interface HostSnapshotSections {
  /** The listing command's own result: its stdout, the script's stderr, its exit code. */
  readonly listing: ExecResult;
  /** The inventory file's text, or undefined when the host has none. */
  readonly inventoryText?: string;
  /** Unit file names per container name. */
  readonly units: ReadonlyMap<string, readonly string[]>;
  /** The raw text of each dev-mode journal on the host. */
  readonly journals: readonly string[];
}

/** Splits the script's output back into its sections. */
export function splitHostSnapshot(result: ExecResult): HostSnapshotSections {
  const lines = result.stdout.split('\n');
  const rcIndex = lines.findIndex((line) => line.startsWith(`${MARK}rc=`));
  if (rcIndex < 0) {
    // The script did not get past the listing (e.g. the shell itself failed).
    return { listing: { ...result }, units: new Map(), journals: [] };
  }
  const code = Number(lines[rcIndex]!.slice(`${MARK}rc=`.length));
  const listing: ExecResult = { code: Number.isNaN(code) ? null : code, stdout: lines.slice(0, rcIndex).join('\n'), stderr: result.stderr };
  const inventoryIndex = lines.indexOf(`${MARK}inventory`, rcIndex);
  const unitsIndex = lines.indexOf(`${MARK}units`, rcIndex);
  const firstJournal = lines.indexOf(`${MARK}journal`, rcIndex);
  const unitsEnd = firstJournal < 0 ? lines.length : firstJournal;
  const inventoryEnd = unitsIndex < 0 ? unitsEnd : unitsIndex;
  const inventoryText = inventoryIndex < 0 ? undefined : lines.slice(inventoryIndex + 1, inventoryEnd).join('\n');
  const units = new Map<string, string[]>();
  for (const line of unitsIndex < 0 ? [] : lines.slice(unitsIndex + 1, unitsEnd)) {
    const [name, unit] = line.split(' ');
    if (!name || !unit) continue;
    const list = units.get(name) ?? [];
    list.push(unit);
    units.set(name, list);
  }
  const journals =
    firstJournal < 0
      ? []
      : lines
          .slice(firstJournal + 1)
          .join('\n')
          .split(`\n${MARK}journal\n`)
          .map((text) => text.trim())
          .filter((text) => text !== '');
  return { listing, ...(inventoryText === undefined ? {} : { inventoryText }), units, journals };
}
