/**
 * Rebuild one container the way OSA's operator guide does (admin/scale-environment,
 * "destroying containers"): the `openstack-ansible` wrapper runs
 *   openstack.osa.containers_lxc_destroy --limit localhost,<c>
 *   openstack.osa.containers_lxc_create  --limit localhost,lxc_hosts,<c>
 *   the service's playbook               --limit <c>
 * `--limit` keeps every other container out of it. The destroy playbook's own questions are answered
 * by extra vars after the user confirmed in VS Code; the container's data directories are kept.
 */
import { playbookFailure, runAnsibleCommand, type AnsibleRunEvents } from '../ansible/runPlaybook';
import type { PlaybookOutcome } from '../ansible/recap';
import type { ShellRunner } from '../process/types';
import { assertContainerName } from '../runtime/lxc/validate';
import type { OsaInventory } from './inventory';
import { shownValue } from '../text/shownValue';

export class RebuildInputError extends Error {
  override readonly name = 'RebuildInputError';
}

export type RebuildStepId = 'destroy' | 'create' | 'service';

export interface RebuildStep {
  readonly id: RebuildStepId;
  readonly title: string;
  readonly argv: readonly string[];
}

export interface RebuildPlan {
  readonly container: string;
  readonly service: string;
  readonly steps: readonly RebuildStep[];
}

const PLAYBOOK_NAME = /^[A-Za-z0-9_.-]+$/;

/** The plan for one container of the inventory; anything else is refused before anything runs. */
export function planRebuild(inventory: OsaInventory, container: string, servicePlaybook?: string): RebuildPlan {
  assertContainerName(container);
  const entry = inventory.containers.get(container);
  if (!entry) {
    throw new RebuildInputError(
      `${container} is not in /etc/openstack_deploy/openstack_inventory.json: Rebuild only recreates containers OSA's inventory defines (nothing was changed).`,
    );
  }
  const service = entry.serviceName ?? entry.component;
  if (!service) throw new RebuildInputError(`The inventory names no service for ${container}: say which playbook installs it.`);
  const playbook = servicePlaybook ?? `openstack.osa.${service.replace(/-/g, '_')}`;
  if (!PLAYBOOK_NAME.test(playbook) || playbook.startsWith('-')) throw new RebuildInputError(`${shownValue(playbook)} is not a playbook name.`);
  const osa = (name: string, limit: string, ...extra: string[]): string[] => ['openstack-ansible', name, '--limit', limit, ...extra];
  return {
    container,
    service,
    steps: [
      {
        id: 'destroy',
        title: `Destroy ${container}`,
        argv: osa('openstack.osa.containers_lxc_destroy', `localhost,${container}`, '-e', 'force_containers_destroy=yes', '-e', 'force_containers_data_destroy=no'),
      },
      { id: 'create', title: `Create ${container}`, argv: osa('openstack.osa.containers_lxc_create', `localhost,lxc_hosts,${container}`) },
      { id: 'service', title: `Install ${service} in it (${playbook})`, argv: osa(playbook, container) },
    ],
  };
}

export class RebuildFailedError extends Error {
  override readonly name = 'RebuildFailedError';
  constructor(
    readonly step: RebuildStep,
    detail: string,
    readonly outcome: PlaybookOutcome,
  ) {
    super(`${step.title} failed: ${detail}. ${RebuildFailedError.consequence(step.id)}`);
  }

  /** What the stop left behind: from the destroy playbook on, the container may be gone or half made. */
  private static consequence(step: RebuildStepId): string {
    const others = 'The other containers were not touched (--limit)';
    if (step === 'service') return `${others}; the container exists but its service is not (fully) installed: run Rebuild again.`;
    return `${others}; the container may be destroyed or half created: run Rebuild Container… again (from the Command Palette it offers every container of the inventory, also one missing from the host) to finish.`;
  }
}

export interface RebuildEvents extends AnsibleRunEvents {
  readonly onStep?: (step: RebuildStep, index: number, total: number) => void;
}

/** Runs the plan's playbooks in order; the first failure stops it. Returns each step's recap. */
export async function rebuildContainer(host: ShellRunner, plan: RebuildPlan, events: RebuildEvents = {}): Promise<Map<RebuildStepId, PlaybookOutcome>> {
  const outcomes = new Map<RebuildStepId, PlaybookOutcome>();
  for (const [index, step] of plan.steps.entries()) {
    events.onStep?.(step, index, plan.steps.length);
    const run = await runAnsibleCommand(host, step.argv, events);
    if (run.cancelled) throw new RebuildFailedError(step, 'cancelled', run.outcome);
    if (!run.outcome.succeeded) throw new RebuildFailedError(step, playbookFailure(run), run.outcome);
    outcomes.set(step.id, run.outcome);
  }
  return outcomes;
}
