/**
 * Kolla-Ansible's layout on a host, as its roles create it:
 * - one container per service component, named like the component (`heat_api`, `heat_engine`,
 *   `keystone`), with host networking;
 * - its configuration under /etc/kolla/<service>/ on the host (`heat-api`), bind-mounted read-only
 *   at /var/lib/kolla/config_files; config.json there names the files to copy and the `command`
 *   that kolla_start runs as the container's main process (and writes to /run_command);
 * - the service in a venv at /var/lib/kolla/venv;
 * - with kolla_dev_mode, the project's source (kolla_dev_repos_directory, /opt/stack/<project>) is
 *   bind-mounted at /dev-mode/<project> and installed on every start.
 */
import { OciOutputError } from '../runtime/oci/errors';

export const KOLLA_CONFIG_MOUNT = '/var/lib/kolla/config_files';
export const KOLLA_VENV = '/var/lib/kolla/venv';
export const KOLLA_RUN_COMMAND = '/run_command';
export const KOLLA_DEV_MODE_DIR = '/dev-mode';

export interface KollaMount {
  readonly source: string;
  readonly destination: string;
}

/** What `container inspect` tells about a Kolla container (see inspectFormat). */
export interface KollaInspect {
  readonly id: string;
  readonly image: string;
  readonly status: string;
  readonly mounts: readonly KollaMount[];
}

/** One line per field, the mounts as JSON last (podman and docker both know these templates). */
export const INSPECT_FORMAT = '{{.Id}}\n{{.Image}}\n{{.State.Status}}\n{{json .Mounts}}';

export function parseKollaInspect(stdout: string): KollaInspect {
  const [id, image, status, mountsJson] = stdout.split('\n');
  let mounts: unknown;
  try {
    mounts = JSON.parse(mountsJson ?? '');
  } catch {
    mounts = undefined;
  }
  if (!id || !image || !status || !Array.isArray(mounts)) {
    throw new OciOutputError(`Unexpected container inspect output (expected id, image, state and mounts): ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  return {
    id,
    image,
    status,
    mounts: mounts.flatMap((m: unknown) => {
      const mount = m as Record<string, unknown>;
      return typeof mount['Source'] === 'string' && typeof mount['Destination'] === 'string' ? [{ source: mount['Source'], destination: mount['Destination'] }] : [];
    }),
  };
}

const trimSlash = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path);

/** The host's config.json of a Kolla container, or undefined when it has no Kolla config mount. */
export function hostConfigJson(inspect: KollaInspect): string | undefined {
  const mount = inspect.mounts.find((m) => trimSlash(m.destination) === KOLLA_CONFIG_MOUNT);
  return mount === undefined ? undefined : `${trimSlash(mount.source)}/config.json`;
}

/** The kolla_dev_mode checkout of `project` bind-mounted in the container, if it was deployed so. */
export function devModeSource(inspect: KollaInspect, project: string): string | undefined {
  const target = `${KOLLA_DEV_MODE_DIR}/${project}`;
  return inspect.mounts.some((m) => trimSlash(m.destination) === target) ? target : undefined;
}

/** config.json's "command"; the rest of the document is kept as it is. */
export function configCommand(text: string, path: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not JSON (${error instanceof Error ? error.message : String(error)}): is this Kolla's config.json?`);
  }
  const command = (doc as Record<string, unknown> | null)?.['command'];
  if (typeof command !== 'string' || command.trim() === '') throw new Error(`${path} has no "command": is this Kolla's config.json?`);
  return command;
}

/** The same config.json with another command (keys, order and the other values kept). */
export function withCommand(text: string, command: string): string {
  const doc = JSON.parse(text) as Record<string, unknown>;
  return `${JSON.stringify({ ...doc, command }, null, 4)}\n`;
}
