/**
 * Every developable container of the lab (one with a service unit and a git repository in
 * lab.json's git.repos), with the request the Develop wizard would make for it.
 */
import type { DevelopRequest } from '../../src/core/devloop/plan';
import type { LabContainer, LabDescription } from './lab';

interface LabRepos {
  readonly repos?: Record<string, { readonly url: string; readonly urlInNamespace: string }>;
}

export interface DevelopableContainer {
  readonly container: LabContainer;
  readonly request: DevelopRequest;
}

export function developableContainers(lab: LabDescription): DevelopableContainer[] {
  const repos = (lab.git as LabRepos).repos ?? {};
  return lab.containers.flatMap((container) => {
    const repo = repos[container.service];
    const unit = container.units[0];
    if (!repo || !unit) return [];
    const request: DevelopRequest = {
      container: container.name,
      managementIp: container.ip,
      service: container.service,
      unit,
      source: { kind: 'git', url: repo.urlInNamespace, ref: 'master' },
      project: repo.urlInNamespace.split('/').pop()!,
    };
    return [{ container, request }];
  });
}

/** Polls a HAProxy frontend until the answer comes from `container` (its dev process). */
export async function answerFromFrontend(url: string, container: string, timeoutMs = 30_000): Promise<{ host: string; code_version: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const response = await fetch(`${url}/`);
      if (response.ok) {
        const body = (await response.json()) as { host: string; code_version: string };
        if (body.host === container) return body;
        last = JSON.stringify(body);
      } else last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer from the dev process of ${container}: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
