import { summarizeJournal } from '../../devloop/journal';
import { JournalStore } from '../../devloop/journalStore';
import type { CliContext } from '../context';

export async function statusCommand(cli: CliContext): Promise<number> {
  const journals = await new JournalStore(cli.runner).list();
  if (cli.options.json) {
    cli.out(JSON.stringify(journals, null, 2));
    return 0;
  }
  if (journals.length === 0) cli.out('no container is in dev mode');
  for (const doc of journals) {
    const summary = summarizeJournal(doc);
    const detail = summary.state === 'active' ? 'in dev mode' : `step ${summary.stepNumber} ${summary.state}: ${summary.stepTitle}${summary.error ? ` — ${summary.error}` : ''}`;
    cli.out(`${doc.container}  ${detail}  (since ${doc.createdAt})`);
    for (const step of doc.steps) cli.out(`  ${step.status.padEnd(8)} ${step.title}${step.note ? ` (${step.note})` : ''}`);
  }
  return 0;
}
