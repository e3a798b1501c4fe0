import * as vscode from 'vscode';
import type { DevelopRequest } from '../../core/devloop/plan';
import { resolveContainer } from '../pickers';
import type { Services } from '../services';

/** Attach Debugger: on a container in dev mode whose process runs under debugpy. */
export async function attachDebugger(services: Services, node?: unknown): Promise<boolean> {
  const target = await resolveContainer(services, node);
  if (!target) return false;
  const journal = await services.devLoop.journals(target.host.host).read(target.container.name);
  const request = journal?.request as Partial<DevelopRequest> | undefined;
  if (!request?.unit) {
    void vscode.window.showInformationMessage(`${target.container.name} is not in dev mode: run Develop This Service with "Run under the debugger".`);
    return false;
  }
  return services.debugSessions.attach(target.host.host, target.container.name, request.unit);
}
