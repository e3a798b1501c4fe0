import type { CommandSpec } from '../process/types';
import { InventoryError, OSA_INVENTORY_PATH, parseInventory, type OsaInventory } from './inventory';

/** Reads and parses the deployment host's OSA inventory (read only); a host without one is an error. */
export function readInventoryCommand(): CommandSpec<OsaInventory> {
  return {
    argv: ['cat', OSA_INVENTORY_PATH],
    describe: `read ${OSA_INVENTORY_PATH}`,
    parse(result) {
      if (result.code !== 0) {
        const why = result.stderr.trim().split('\n').at(-1) ?? `exit ${String(result.code)}`;
        throw new InventoryError(`cannot read ${OSA_INVENTORY_PATH} on the host (${why}): is this an OpenStack-Ansible deployment host?`);
      }
      return parseInventory(result.stdout);
    },
  };
}
