/**
 * Rebuild Container on the lab: one container of each service rebuilt through the lab host's
 * `openstack-ansible` (destroy, create, the service's playbook, each --limit'ed), over one SSH
 * connection; prints the seconds each playbook took. Run under the lab lock
 * (bash test/lab/exclusive.sh node --import tsx bench/rebuild.ts); it leaves every container serving.
 */
import { readInventoryCommand } from '../src/core/osa/readInventory';
import { planRebuild, rebuildContainer, type RebuildStepId } from '../src/core/osa/rebuild';
import { runCommand } from '../src/core/process/runCommand';
import { connectLab, readLab } from '../test/support/lab';
import { printTable } from './stats';

async function main(): Promise<void> {
  const lab = readLab();
  const ssh = connectLab(lab);
  try {
    const inventory = await runCommand(ssh, readInventoryCommand());
    const oneOfEach = [...new Map(lab.containers.map((c) => [c.service, c.name])).values()];
    const rows: (string | number)[][] = [];
    for (const name of oneOfEach) {
      const plan = planRebuild(inventory, name);
      const seconds = new Map<RebuildStepId, number>();
      let current: RebuildStepId | undefined;
      let t = Date.now();
      const lap = (): void => {
        if (current) seconds.set(current, (Date.now() - t) / 1000);
        t = Date.now();
      };
      await rebuildContainer(ssh, plan, { onStep: (step) => (lap(), (current = step.id)) });
      lap();
      const total = [...seconds.values()].reduce((a, b) => a + b, 0);
      rows.push([name, plan.service, seconds.get('destroy') ?? 0, seconds.get('create') ?? 0, seconds.get('service') ?? 0, total]);
    }
    printTable('Rebuild Container on the lab (seconds per playbook)', ['container', 'service', 'destroy', 'create', 'service', 'total'], rows);
    const totals = rows.map((row) => Number(row[5]));
    console.log(`summary: rebuild ${Math.min(...totals).toFixed(1)}–${Math.max(...totals).toFixed(1)} s per container (${rows.length} services)`);
  } finally {
    ssh.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
