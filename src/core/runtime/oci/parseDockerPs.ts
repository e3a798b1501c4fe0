import type { ContainerInfo } from '../types';
import { OciOutputError } from './errors';
import { mapOciState } from './ociState';

/**
 * Parser of `docker ps -a --no-trunc --format '{{json .}}'`: one JSON object per line, every
 * value a string (`Names` comma-separated, `Labels` "k=v,k=v"). No line at all when there are no
 * containers. The docker CLI's `ps` has no pid: the host cannot read a container's files via /proc.
 */
export function parseDockerPs(text: string, hostIpv4: readonly string[] = []): ContainerInfo[] {
  const containers: ContainerInfo[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      throw new OciOutputError(`Expected one JSON object per line from docker ps, but line ${index + 1} is: ${JSON.stringify(line.slice(0, 160))}`);
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new OciOutputError(`docker ps line ${index + 1} is not a JSON object`);
    }
    const row = entry as Record<string, unknown>;
    const names = typeof row['Names'] === 'string' ? row['Names'].split(',').map((n) => n.trim()) : [];
    const state = row['State'];
    const name = names[0];
    if (!name || typeof state !== 'string') {
      throw new OciOutputError(`docker ps line ${index + 1} has no Names/State: ${JSON.stringify(line.slice(0, 160))}`);
    }
    const image = row['Image'];
    containers.push({
      name,
      state: mapOciState(state),
      // `--network host` (Kolla's): reached at the host's addresses. Podman's Docker API names no network then.
      ipv4: row['Networks'] === 'host' || row['Networks'] === '' ? [...hostIpv4] : [],
      groups: [],
      ...(typeof image === 'string' && image !== '' ? { image } : {}),
    });
  });
  return containers;
}
