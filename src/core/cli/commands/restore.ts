import { JournalStore } from '../../devloop/journalStore';
import { stepsForRestore } from '../../devloop/plan';
import { journaledNode, placeContainer } from '../../model/placement';
import type { CliContext } from '../context';

export async function restoreCommand(cli: CliContext, signal: AbortSignal): Promise<number> {
  const name = cli.options.container!;
  const journal = await new JournalStore(cli.runner).read(name);
  if (!journal) {
    cli.out(`${name} is not in dev mode: nothing to restore`);
    return 0;
  }
  const node = journaledNode(journal.request) ?? (await placeContainer(cli.runner, cli.runtime, name, cli.logger));
  await cli.engine(name, node).restore(stepsForRestore(journal), {
    signal,
    takeOverLock: cli.options.takeOver,
    onProgress: (e) => e.status !== 'running' && process.stderr.write(`[${e.index + 1}/${e.total}] ${e.title}: ${e.status}\n`),
  });
  cli.out(`${name}: production restored`);
  return 0;
}
