import * as vscode from 'vscode';
import type { Services } from '../services';
import { HostNode } from '../tree/hostNode';

export async function removeHost(services: Services, node?: unknown): Promise<void> {
  const host = node instanceof HostNode ? node.host : undefined;
  if (!host) return;
  const confirm = await vscode.window.showWarningMessage(
    `Remove ${host.label} from OSA Dev? Nothing on the host is changed.`,
    { modal: true },
    'Remove',
  );
  if (confirm !== 'Remove') return;
  await services.registry.remove(host.host);
  services.logger.info(`Removed host ${host.host}`);
}
