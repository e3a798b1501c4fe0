import type { StepContext } from '../devloop/types';
import { ociCliOf } from '../runtime/hostRuntimes';
import { inspectContainer } from './kollaHold';
import { devModeSource } from './layout';

/**
 * The kolla_dev_mode checkout of `project` in the container (`/dev-mode/<project>`), read from the
 * container's mounts through its runtime in one command; undefined for an LXC container or a Kolla
 * container deployed without dev mode.
 */
export async function kollaDevModeCheckout(ctx: StepContext, project: string): Promise<string | undefined> {
  const cli = ociCliOf(ctx.runtime, ctx.container);
  return cli ? devModeSource(await inspectContainer(ctx, cli), project) : undefined;
}
