import type { ServiceGroup } from '../../model/hostView';
import type { CliContext } from '../context';

export async function containersCommand(cli: CliContext): Promise<number> {
  const view = await cli.hostView();
  if (cli.options.json) {
    cli.out(JSON.stringify(view, null, 2));
    return 0;
  }
  for (const warning of view.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (view.nodes.length === 0) {
    printServices(cli, view.services, '');
    return 0;
  }
  // Multi-node: each physical host, then its services (the deployment host first).
  if (view.services.length > 0) {
    cli.out(`${view.topology.localName ?? cli.options.host} (this host)`);
    printServices(cli, view.services, '  ');
  }
  for (const node of view.nodes) {
    cli.out(`${node.name} (${node.address ?? 'no address'})${node.error ? `  UNREACHABLE: ${node.error}` : ''}`);
    printServices(cli, node.services, '  ');
  }
  return view.nodes.some((node) => node.error !== undefined) ? 2 : 0;
}

function printServices(cli: CliContext, services: readonly ServiceGroup[], indent: string): void {
  for (const group of services) {
    cli.out(`${indent}${group.service}`);
    for (const c of group.containers) {
      const dev = c.devMode ? `  [dev mode${c.devMode.stepNumber ? `: step ${c.devMode.stepNumber} ${c.devMode.state}` : ''}]` : '';
      cli.out(`${indent}  ${c.name}  ${c.state}  ${c.managementIp ?? '-'}  ${c.units.join(',')}${dev}`);
    }
  }
}
