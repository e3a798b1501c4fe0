import { runCommand } from '../process/runCommand';
import { CommandFailedError, type ShellRunner } from '../process/types';
import type { ContainerRuntime, ContainerState } from '../runtime/types';

/**
 * The container stopped underneath a Develop or Restore (an operator, a host reboot). OSA Dev does
 * not start containers itself: starting one is the operator's decision. The journal stays on the
 * host, so after the container is started again Develop resumes and Restore puts production back.
 */
export class ContainerNotRunningError extends Error {
  constructor(
    readonly container: string,
    readonly state: ContainerState | undefined,
    override readonly cause: unknown,
  ) {
    super(
      state === undefined
        ? `${container} no longer exists on the host (destroyed or renamed?). Its dev-mode journal is kept.`
        : `${container} is ${state}, not running. Start it on the host (lxc-start -n ${container}), then run Develop again to resume or Restore Production; the dev-mode journal is kept.`,
    );
    this.name = 'ContainerNotRunningError';
  }
}

/**
 * After a command failed: when the container is no longer running, that is the explanation the
 * user needs (not "lxc-attach: Failed to get init pid"). One round trip, only on that failure path;
 * other errors (connection lost, cancelled, locked, journal not written) are returned as they are.
 */
export async function explainFailure(host: ShellRunner, runtime: ContainerRuntime, container: string, error: unknown): Promise<unknown> {
  if (!causedByFailedCommand(error)) return error;
  const state = await runCommand(host, runtime.stateOf(container)).catch(() => 'running' as const);
  return state === 'running' ? error : new ContainerNotRunningError(container, state, error);
}

/** A failed command, or an error caused by one at any depth (a step failing because db_sync did). */
function causedByFailedCommand(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof CommandFailedError) return true;
  }
  return false;
}
