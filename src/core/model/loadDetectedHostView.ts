import type { Logger } from '../log';
import type { ShellRunner } from '../process/types';
import type { HostRuntimes } from '../runtime/hostRuntimes';
import type { HostView } from './hostView';
import { loadDeployment, type DeploymentLoad } from './loadHostView';

/**
 * loadDeployment with the host's own runtime (LXC, podman or docker; detected once per host, and
 * once per physical node for the nodes' listings), and the listed containers remembered per
 * (host, node) so commands on them use the runtime that listed them.
 */
export async function loadDetectedDeployment(host: string, runner: ShellRunner, runtimes: HostRuntimes, logger: Logger): Promise<DeploymentLoad> {
  const runtime = await runtimes.forHost(host, runner);
  const load = await loadDeployment(runner, runtime, logger, {
    of: (node, nodeRunner) => runtimes.forHost(host, nodeRunner, node.name),
    listed: (node, nodeRuntime, containers) => runtimes.remember(host, nodeRuntime, containers, node.name),
  });
  runtimes.remember(host, runtime, load.view.services.flatMap((group) => group.containers.map((container) => container.name)));
  return load;
}

/** The deployment host's view (other physical hosts are not listed), with detection as above. */
export async function loadDetectedHostView(host: string, runner: ShellRunner, runtimes: HostRuntimes, logger: Logger): Promise<HostView> {
  return (await loadDetectedDeployment(host, runner, runtimes, logger)).view;
}
