import { containersCommand } from './commands/containers';
import { developCommand } from './commands/develop';
import { restoreCommand } from './commands/restore';
import { statusCommand } from './commands/status';
import { parseCliArgs, USAGE } from './args';
import { createCliContext } from './context';

/** `osa-dev`: the core without VS Code, for scripts, benchmarks and people at a terminal. */
async function main(argv: readonly string[]): Promise<number> {
  const options = parseCliArgs(argv);
  if (options.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const cli = createCliContext(options);
  const controller = new AbortController();
  // First Ctrl-C cancels between steps (the journal keeps what was done); a second one exits.
  process.once('SIGINT', () => {
    process.stderr.write('cancelling after the current step (Ctrl-C again to quit)…\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  try {
    await cli.detectRuntime();
    switch (options.command) {
      case 'containers':
        return await containersCommand(cli);
      case 'status':
        return await statusCommand(cli);
      case 'develop':
        return await developCommand(cli, controller.signal);
      case 'restore':
        return await restoreCommand(cli, controller.signal);
    }
  } finally {
    cli.dispose();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`osa-dev: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
