import { loadHostView } from '../../model/loadHostView';
import type { CliContext } from '../context';

export async function containersCommand(cli: CliContext): Promise<number> {
  const view = await loadHostView(cli.runner, cli.runtime, cli.logger);
  if (cli.options.json) {
    cli.out(JSON.stringify(view, null, 2));
    return 0;
  }
  for (const warning of view.warnings) process.stderr.write(`warning: ${warning}\n`);
  for (const group of view.services) {
    cli.out(group.service);
    for (const c of group.containers) {
      const dev = c.devMode ? `  [dev mode${c.devMode.stepNumber ? `: step ${c.devMode.stepNumber} ${c.devMode.state}` : ''}]` : '';
      cli.out(`  ${c.name}  ${c.state}  ${c.managementIp ?? '-'}  ${c.units.join(',')}${dev}`);
    }
  }
  return 0;
}
