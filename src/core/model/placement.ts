import type { Logger } from '../log';
import type { ShellRunner } from '../process/types';
import type { ContainerRuntime } from '../runtime/types';
import { loadHostView } from './loadHostView';
import { nodeOf, type PhysicalNode } from './topology';

/**
 * The node a journal's request recorded (Develop journals where the container ran): Restore,
 * the dev terminal and the debugger go there without asking the inventory again.
 */
export function journaledNode(request: unknown): PhysicalNode | undefined {
  const node = (request as { node?: Partial<PhysicalNode> } | undefined)?.node;
  if (typeof node?.name !== 'string' || typeof node.address !== 'string') return undefined;
  return { name: node.name, address: node.address, ...(typeof node.port === 'number' ? { port: node.port } : {}) };
}

/**
 * Where a container runs: the physical host the inventory puts it on when the deployment host does
 * not list it itself, else the deployment host (undefined). One round trip to the deployment host.
 */
export async function placeContainer(deployment: ShellRunner, runtime: ContainerRuntime, container: string, logger: Logger): Promise<PhysicalNode | undefined> {
  return nodeOf((await loadHostView(deployment, runtime, logger)).topology, container);
}
