import type { ProgressEvent } from '../../devloop/engine';
import { planDevelop, type DevelopRequest } from '../../devloop/plan';
import type { CodeSource } from '../../devloop/steps/codeStep';
import { allContainers } from '../../model/hostView';
import { loadHostView } from '../../model/loadHostView';
import { kollaUnits } from '../../kolla/names';
import { shellJoin } from '../../shell/quote';
import type { CliContext } from '../context';

function printProgress(event: ProgressEvent): void {
  if (event.index < 0) return;
  const status = event.status === 'running' ? '…' : event.status;
  process.stderr.write(`[${event.index + 1}/${event.total}] ${event.title}: ${status}${event.message ? ` (${event.message})` : ''}\n`);
}

export async function developCommand(cli: CliContext, signal: AbortSignal): Promise<number> {
  const { options } = cli;
  const name = options.container!;
  const view = await loadHostView(cli.runner, cli.runtime, cli.logger, (node) => cli.runnerOn(node));
  const container = allContainers(view).find((c) => c.name === name);
  if (!container) {
    const unlisted = view.nodes.filter((n) => n.error !== undefined).map((n) => n.error).join('; ');
    throw new Error(`No container ${name} on ${options.host} (see: osa-dev containers ${options.host}).${unlisted ? ` Not listed: ${unlisted}` : ''}`);
  }
  const node = container.node;
  const catalog = cli.catalog();
  const units = container.units.map((u) => u.replace(/\.service$/, ''));
  const service = catalog.resolve(container.component ?? container.service, { units });
  const unit = options.unit ?? Object.keys(service.units).find((u) => units.includes(u)) ?? units[0] ?? kollaUnits(service, container)[0];
  if (!unit) throw new Error(`${name} has no service unit to develop.`);
  const source: CodeSource = options.path ? { kind: 'container-path', path: options.path } : { kind: 'git', url: options.git!, ref: options.ref! };
  const project = source.kind === 'git' ? (source.url.replace(/\.git\/?$/, '').split(/[/:]/).pop() ?? service.name) : service.name;
  const request: DevelopRequest = {
    container: name,
    ...(container.managementIp ? { managementIp: container.managementIp } : {}),
    service: service.name,
    unit,
    source,
    project,
    ...(options.indexUrl ? { indexUrl: options.indexUrl } : {}),
    ...(options.forceDbSync ? { forceDbSync: true } : {}),
    ...(node ? { node } : {}),
  };
  const ctx = { host: cli.runnerOn(node), ...(node ? { deployment: cli.runner } : {}), runtime: cli.runtime, container: name, logger: cli.logger, signal, report: () => undefined };
  const plan = await planDevelop(ctx, catalog, request, units);
  await cli.engine(name, node).develop(plan.steps, { ...request }, { signal, onProgress: printProgress, takeOverLock: options.takeOver });
  cli.out(`${name} is in dev mode: ${unit} runs from ${plan.devVenv}`);
  if (!options.run) {
    const on = node ? `-J ${options.host} ${node.port === undefined ? '' : `-p ${node.port} `}${node.address}` : options.host;
    cli.out(`run it in the foreground with: ssh ${on} -t ${shellJoin([shellJoin(plan.foreground)])}`);
    return 0;
  }
  const session = await (node ? cli.nodeHost(node) : cli.ssh).openPty(shellJoin(plan.foreground), { rows: process.stdout.rows || 24, cols: process.stdout.columns || 120 });
  session.onData((chunk) => process.stdout.write(chunk));
  const onInput = (data: Buffer): void => session.write(data);
  process.stdin.setRawMode?.(true);
  process.stdin.on('data', onInput);
  const exit = await new Promise<number>((resolve) => session.onExit((e) => resolve(e.code ?? 1)));
  process.stdin.setRawMode?.(false);
  process.stdin.off('data', onInput);
  process.stdin.pause();
  return exit;
}
