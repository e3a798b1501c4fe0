import type { ContainerInfo } from '../types';
import { OciOutputError } from './errors';
import { mapOciState } from './ociState';

/**
 * Parser of `podman ps -a --format json` (podman 2+): ONE JSON array of objects with `Names`
 * (an array, the first is the name), `State` (lowercase word), `Pid` (0 when not running),
 * `Image`, `Labels` (object or null). Podman prints `[]` when there are no containers.
 */
export function parsePodmanPs(text: string, hostIpv4: readonly string[] = []): ContainerInfo[] {
  const trimmed = text.trim();
  if (trimmed === '') {
    // podman 1.x printed nothing for no containers.
    return [];
  }
  let rows: unknown;
  try {
    rows = JSON.parse(trimmed);
  } catch {
    throw new OciOutputError(`Expected podman ps JSON (an array), but got: ${JSON.stringify(trimmed.slice(0, 160))}`);
  }
  if (!Array.isArray(rows)) {
    throw new OciOutputError(`Expected podman ps JSON to be an array, but got: ${JSON.stringify(trimmed.slice(0, 160))}`);
  }
  return rows.map((row: unknown, index) => toInfo(row, index, hostIpv4));
}

function toInfo(row: unknown, index: number, hostIpv4: readonly string[]): ContainerInfo {
  if (typeof row !== 'object' || row === null) {
    throw new OciOutputError(`podman ps entry ${index + 1} is not an object`);
  }
  const entry = row as Record<string, unknown>;
  const names = entry['Names'];
  const name = Array.isArray(names) && typeof names[0] === 'string' ? names[0] : undefined;
  const state = entry['State'];
  if (name === undefined || name === '' || typeof state !== 'string') {
    throw new OciOutputError(`podman ps entry ${index + 1} has no Names/State: ${JSON.stringify(row).slice(0, 160)}`);
  }
  const pid = entry['Pid'];
  const image = entry['Image'];
  return {
    name,
    state: mapOciState(state),
    ...(typeof pid === 'number' && pid > 0 ? { pid } : {}),
    // No network of its own (`Networks: []`): host networking, as Kolla runs: reached at the host's addresses.
    ipv4: Array.isArray(entry['Networks']) && entry['Networks'].length === 0 ? [...hostIpv4] : [],
    groups: [],
    ...(typeof image === 'string' && image !== '' ? { image } : {}),
  };
}
