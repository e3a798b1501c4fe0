import type { Services } from '../services';
import { HostNode } from '../tree/hostNode';

export async function removeHost(services: Services, node?: unknown): Promise<void> {
  const host = node instanceof HostNode ? node.host : undefined;
  if (!host) return;
  const confirmed = await services.prompter.confirm(`Remove ${host.label} from OSA Dev?`, 'Nothing on the host is changed.', 'Remove');
  if (!confirmed) return;
  await services.registry.remove(host.host);
  services.logger.info(`Removed host ${host.host}`);
}
