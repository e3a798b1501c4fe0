/**
 * The lab's Kolla-Ansible-shaped host (test/lab/lib/kolla-host.sh): rootful podman, Kolla's heat
 * containers with host networking, reached at 127.0.0.1:2224. Tests read it from lab.json.
 */
import { loadCatalog, shippedCatalogPath, type Catalog } from '../../src/core/catalog';
import { join } from 'node:path';
import type { Logger } from '../../src/core/log';
import { shellJoin } from '../../src/core/shell/quote';
import type { SshHost } from '../../src/core/ssh';
import { connectLabSsh, readLab, type LabDescription } from './lab';

export interface KollaHostDescription {
  readonly ssh: Omit<LabDescription['ssh'], 'hostKeyFingerprint' | 'knownHostsFile'>;
  readonly hostName: string;
  readonly ip: string;
  readonly runtime: string;
  readonly containers: readonly { readonly name: string; readonly service: string; readonly configDir: string; readonly command: string }[];
  readonly heatApiUrlInNamespace: string;
}

export function readKollaHost(): KollaHostDescription {
  const lab = readLab() as LabDescription & { kollaHost?: KollaHostDescription };
  if (!lab.kollaHost) throw new Error('The lab has no Kolla host: bring it up again with `npm run lab:up`.');
  return lab.kollaHost;
}

export function connectKollaHost(logger?: Logger): SshHost {
  return connectLabSsh(readKollaHost().ssh as LabDescription['ssh'], logger);
}

export function kollaCatalog(): Catalog {
  return loadCatalog({ shipped: { path: shippedCatalogPath(join(__dirname, '..', '..')) } });
}

/**
 * What Restore must give back, byte for byte: every config.json under /etc/kolla (hash, mode,
 * owner), each container's id, image, state and command, what kolla_start runs in each running
 * container, and the dev-mode journals. Read over SSH on the Kolla host.
 */
export const KOLLA_SNAPSHOT_SCRIPT = [
  'for f in /etc/kolla/*/config.json; do printf "%s %s\\n" "$(stat -c "%n %a %u %g %s" "$f")" "$(sha256sum < "$f" | cut -c1-64)"; done',
  // what a restart keeps: the container (id), its image, its own command and mounts, its state
  "for c in $(podman ps -a --format '{{.Names}}' | sort); do podman container inspect --format '{{.Name}} {{.Id}} {{.Image}} {{.State.Status}} {{json .Config.Cmd}} {{json .Mounts}}' \"$c\"; done",
  "for c in $(podman ps --format '{{.Names}}' | sort); do printf '%s runs: %s\\n' \"$c\" \"$(podman exec \"$c\" cat /run_command)\"; done",
  'ls -la /var/lib/osa-dev 2>&1 | grep -v " \\.\\.\\?$" | awk \'{print $1, $NF}\'',
].join('\n');

export async function kollaSnapshot(ssh: SshHost): Promise<string> {
  const result = await ssh.exec(shellJoin(['sh', '-c', KOLLA_SNAPSHOT_SCRIPT]));
  if (result.code !== 0) throw new Error(`Kolla snapshot failed: ${result.stderr}`);
  return result.stdout;
}
