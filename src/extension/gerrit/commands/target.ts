import type { ChangeTarget } from '../nodes';

/** The change (and patchset) a Gerrit view command acts on: the node it was invoked on. */
export function changeTarget(node: unknown): ChangeTarget {
  const candidate = node as Partial<ChangeTarget> | undefined;
  if (!candidate?.project || !candidate.change) throw new Error('Choose a change or a patchset in the Gerrit view.');
  return candidate as ChangeTarget;
}

/** What git-review and our checkout understand: `12345` for the current patchset, `12345,3` for an older one. */
export function changeSpec(target: ChangeTarget): string {
  const latest = target.change.latestPatchset;
  return target.patchset === undefined || target.patchset === latest ? String(target.change.number) : `${target.change.number},${target.patchset}`;
}

/** The change's page on Gerrit (`/c/<project>/+/<n>[/<ps>]`). */
export function changeWebUrl(target: ChangeTarget): string {
  return `${target.project.baseUrl}/c/${target.change.project}/+/${target.change.number}${target.patchset === undefined ? '' : `/${target.patchset}`}`;
}
