/**
 * "Open OpenStack CLI": a login shell in the utility container with /root/openrc sourced (OSA's
 * openstack_openrc role writes it there), so `openstack server list` just works.
 */
import type { ServiceGroup } from '../model/hostView';
import type { ContainerRuntime } from '../runtime/types';

export class NoUtilityContainerError extends Error {
  override readonly name = 'NoUtilityContainerError';
}

/** The running utility container (OSA puts one on each infra host; the first running one serves). */
export function utilityContainerOf(services: readonly ServiceGroup[], hostLabel: string): string {
  const utility = services.find((group) => group.service === 'utility')?.containers ?? [];
  const running = utility.find((container) => container.state === 'running');
  if (running) return running.name;
  throw new NoUtilityContainerError(
    utility.length > 0
      ? `The utility container ${utility[0]!.name} on ${hostLabel} is ${utility[0]!.state}: start it first.`
      : `${hostLabel} has no utility container (OSA's utility_container group): the OpenStack CLI lives there.`,
  );
}

// Exported variables survive the exec, so the interactive shell has the credentials without
// them ever being on a command line or in the terminal's title.
const OPENRC_SHELL = [
  'if [ -r /root/openrc ]; then . /root/openrc && echo "OpenStack CLI: /root/openrc sourced (${OS_USERNAME:-?}@${OS_AUTH_URL:-?})";',
  'else echo "osa-dev: /root/openrc is not in this container; the openstack_openrc role writes it" >&2; fi',
  'exec "${SHELL:-/bin/bash}" -l 2>/dev/null || exec /bin/sh -l',
].join('\n');

export function openstackCliArgv(runtime: ContainerRuntime, container: string): string[] {
  return runtime.execArgv(container, ['bash', '-c', OPENRC_SHELL], { env: { HOME: '/root', TERM: 'xterm-256color' } });
}
