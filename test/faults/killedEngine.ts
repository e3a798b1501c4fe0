/**
 * A process running the engine (as the extension host does), to be SIGKILLed by the fault matrix:
 * it prints "FAULT-POINT" when the target command is in flight and the parent kills it there.
 * Usage: node --import tsx test/faults/killedEngine.ts '{"phase":"develop","stepId":"isolate","point":"middle"}'
 */
import { JournalStore } from '../../src/core/devloop/journalStore';
import { stepsForRestore } from '../../src/core/devloop/plan';
import { heatRequest, labEngine, labHaproxyHosts, planHeat } from '../support/heatOnLab';
import { connectLab, readLab } from '../support/lab';
import { FaultPointRunner, type FaultTarget } from './faultPoint';

export const KILLED_HOLDER = 'faults-killed@lab (a process killed by the fault matrix)';

async function main(): Promise<void> {
  const target = JSON.parse(process.argv[2]!) as FaultTarget;
  const lab = readLab();
  const request = heatRequest(lab);
  const ssh = connectLab(lab);
  const runner = new FaultPointRunner(ssh, target, 'during', async () => {
    process.stdout.write('FAULT-POINT\n');
    await new Promise(() => undefined); // killed here
  });
  const engine = labEngine(runner, request.container, KILLED_HOLDER, labHaproxyHosts(ssh));
  if (target.phase === 'develop') {
    await engine.develop((await planHeat(ssh, request)).steps, { ...request }, { onProgress: runner.onProgress, takeOverLock: true });
  } else {
    const journal = await new JournalStore(ssh).read(request.container);
    await engine.restore(stepsForRestore(journal!), { onProgress: runner.onProgress, takeOverLock: true });
  }
  process.stdout.write('COMPLETED WITHOUT FAULT\n');
  ssh.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
