import { develop } from '../../commands/develop';
import { listContainers, type ContainerTarget } from '../../pickers';
import type { Services } from '../../services';
import { changeSpec, changeTarget } from './target';

/**
 * Develop this change: the Develop flow with its source already chosen (this Gerrit change or
 * patchset, cloned from the project's Gerrit); asks only the container, the unit and how to run.
 */
export async function gerritDevelopChange(services: Services, node?: unknown): Promise<boolean> {
  const target = changeTarget(node);
  const container = await pickContainer(services, target.change.project);
  if (!container) return false;
  const baseUrl = target.project.baseUrl;
  const project = target.change.project;
  return develop(services, container, {
    source: { kind: 'gerrit', change: changeSpec(target), gerritUrl: baseUrl, upstream: `${baseUrl}/${project}` },
    project: project.split('/').pop() ?? project,
  });
}

/** Running containers of every host, those of the project's service first (heat for openstack/heat). */
async function pickContainer(services: Services, project: string): Promise<ContainerTarget | undefined> {
  const service = project.split('/').pop() ?? project;
  const candidates: ContainerTarget[] = [];
  for (const host of services.registry.list()) {
    for (const container of await listContainers(services, host)) if (container.state === 'running') candidates.push({ host, container });
  }
  if (candidates.length === 0) throw new Error('No running container is listed: add your OSA host in the OSA Dev view, or refresh it.');
  const ordered = [...candidates.filter((c) => c.container.service === service), ...candidates.filter((c) => c.container.service !== service)];
  const key = (c: ContainerTarget): string => `${c.host.host}/${c.container.name}`;
  const picked = await services.prompter.pick(
    { title: `Develop ${project}: container`, step: 1, totalSteps: 1 },
    ordered.map((c) => ({ label: c.container.name, description: `${c.container.service} · ${c.host.label}`, ...(c.container.managementIp ? { detail: c.container.managementIp } : {}), value: key(c) })),
    'Which container runs the change?',
  );
  return ordered.find((c) => key(c) === picked);
}
