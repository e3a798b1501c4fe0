import type { RebuildPlan } from './rebuild';

/** The confirmation before a rebuild: exactly what is destroyed, what is kept, and the commands that run. */
export function describeRebuild(plan: RebuildPlan, hostLabel: string): { message: string; detail: string } {
  return {
    message: `Destroy and rebuild ${plan.container} on ${hostLabel}?`,
    detail: [
      `The LXC container ${plan.container} is stopped and destroyed with everything inside it (its root filesystem), then created again and ${plan.service} reinstalled by OSA's playbooks.`,
      `Kept: its data directories on the host (/openstack/${plan.container}, force_containers_data_destroy=no) and every other container (--limit).`,
      `Runs on ${hostLabel}:`,
      ...plan.steps.map((step) => `  ${step.argv.join(' ')}`),
    ].join('\n'),
  };
}
