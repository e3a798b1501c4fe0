import { ociCliOf } from '../runtime/hostRuntimes';
import { assertContainerName } from '../runtime/lxc/validate';
import type { ContainerRuntime } from '../runtime/types';

/** argv (run inside a container) that prints the last lines of the units' journal and follows it. */
export function followJournalArgv(units: readonly string[], lines: number): string[] {
  const count = lineCount(lines);
  const argv = ['journalctl', '--follow', '--no-hostname', '--output=short-iso', `--lines=${count}`];
  for (const unit of units) argv.push(`--unit=${unit}`);
  return argv;
}

/**
 * argv (run on the host) that follows a container's service logs: the units' journal inside an
 * LXC container; a podman/docker (Kolla) container's own output, where its main process logs.
 */
export function followLogsArgv(runtime: ContainerRuntime, container: string, units: readonly string[], lines: number): string[] {
  const cli = ociCliOf(runtime, container);
  if (cli) return [cli, 'logs', '--follow', '--tail', String(lineCount(lines)), assertContainerName(container)];
  return runtime.execArgv(container, followJournalArgv(units, lines));
}

function lineCount(lines: number): number {
  return Number.isInteger(lines) && lines >= 0 ? Math.min(lines, 100_000) : 200;
}
