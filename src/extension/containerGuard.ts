import { runCommand } from '../core/process/runCommand';
import type { ContainerTarget } from './pickers';
import type { Services } from './services';

/**
 * The tree can be minutes old: before acting on a container, ask the host whether it still exists
 * and runs. A vanished container refreshes the view and explains; nothing is run.
 */
export async function ensureRunning(services: Services, target: ContainerTarget): Promise<void> {
  const { host, container } = target;
  const state = await runCommand(await services.containerHost(host.host, container.name), services.devLoop.runtimeFor(host.host).stateOf(container.name));
  if (state === 'running') return;
  const where = container.node ? `${container.node.name} (through ${host.label})` : host.label;
  services.tree.refresh(services.tree.hostNode(host.host));
  const message =
    state === undefined
      ? `${container.name} no longer exists on ${where} (destroyed or renamed?). The view was refreshed.`
      : `${container.name} on ${where} is ${state}, not running. Start it on the host (lxc-start -n ${container.name}) and try again.`;
  services.logger.warn(message);
  throw new Error(message);
}
