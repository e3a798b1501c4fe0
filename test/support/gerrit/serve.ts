/**
 * The Gerrit stand-in as a process, for tests that are not TypeScript (the UI tests):
 *   node --import tsx test/support/gerrit/serve.ts
 * prints one JSON line `{"url": …}` once it listens, with the standard fixtures, and serves until
 * SIGTERM or SIGINT.
 */
import { standardFixtures } from './builders';
import { GerritStandIn } from './standIn';

async function main(): Promise<void> {
  const gerrit = await GerritStandIn.start({ account: { username: 'alice', password: 'http-pass' } });
  for (const change of standardFixtures()) gerrit.addChange(change);
  process.stdout.write(`${JSON.stringify({ url: gerrit.url })}\n`);
  const stop = (): void => void gerrit.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
