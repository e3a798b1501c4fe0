import type { ProgressEvent } from '../../devloop/engine';
import { planDevelop, type DevelopRequest } from '../../devloop/plan';
import type { CodeSource } from '../../devloop/steps/codeStep';
import type { StepContext } from '../../devloop/types';
import { allContainers } from '../../model/hostView';
import { kollaDevModeCheckout } from '../../kolla/devModeCheckout';
import { KOLLA_DEV_MODE_DIR } from '../../kolla/layout';
import { kollaUnits } from '../../kolla/names';
import { shellJoin } from '../../shell/quote';
import type { CliContext } from '../context';

function printProgress(event: ProgressEvent): void {
  if (event.index < 0) return;
  const status = event.status === 'running' ? '…' : event.status;
  process.stderr.write(`[${event.index + 1}/${event.total}] ${event.title}: ${status}${event.message ? ` (${event.message})` : ''}\n`);
}

/** --path, --git/--ref, or else the container's kolla_dev_mode checkout (said on the output). */
async function codeSource(cli: CliContext, ctx: StepContext, project: string): Promise<CodeSource> {
  const { options } = cli;
  if (options.path) return { kind: 'container-path', path: options.path };
  if (options.git && options.ref) return { kind: 'git', url: options.git, ref: options.ref };
  const checkout = await kollaDevModeCheckout(ctx, project);
  if (!checkout) throw new Error(`develop needs --git URL --ref REF, or --path DIR: ${ctx.container} has no kolla_dev_mode checkout (${KOLLA_DEV_MODE_DIR}/${project}).`);
  cli.out(`code: the kolla_dev_mode checkout ${checkout} (bind-mounted in ${ctx.container}; --path or --git to use another)`);
  return { kind: 'container-path', path: checkout };
}

export async function developCommand(cli: CliContext, signal: AbortSignal): Promise<number> {
  const { options } = cli;
  const name = options.container!;
  const view = await cli.hostView();
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
  const ctx = { host: cli.runnerOn(node), ...(node ? { deployment: cli.runner } : {}), runtime: cli.runtime, container: name, logger: cli.logger, signal, report: () => undefined };
  const source = await codeSource(cli, ctx, service.name);
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
