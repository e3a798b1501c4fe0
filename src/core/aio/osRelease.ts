/** /etc/os-release, as far as deciding whether OSA's all-in-one can run on a host. Pure. */

export interface OsRelease {
  readonly id: string;
  readonly idLike: readonly string[];
  readonly versionId: string;
  readonly prettyName: string;
}

export class UnsupportedHostError extends Error {
  override readonly name = 'UnsupportedHostError';
}

/** Parses the KEY=value lines of os-release(5); values may be double- or single-quoted. */
export function parseOsRelease(text: string): OsRelease {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = match[2]!;
    if (/^".*"$/.test(value)) value = value.slice(1, -1).replace(/\\(["\\`$])/g, '$1');
    else if (/^'.*'$/.test(value)) value = value.slice(1, -1);
    values.set(match[1]!, value);
  }
  const id = (values.get('ID') ?? '').toLowerCase();
  return {
    id,
    idLike: (values.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    versionId: values.get('VERSION_ID') ?? '',
    prettyName: values.get('PRETTY_NAME') ?? (id || 'an unknown system'),
  };
}

const SUPPORTED = ['ubuntu', 'debian'];

/** OSA's all-in-one supports Ubuntu and Debian (and derivatives that say so in ID_LIKE). */
export function assertAioSupported(release: OsRelease, host: string): void {
  if (SUPPORTED.includes(release.id) || release.idLike.some((like) => SUPPORTED.includes(like))) return;
  throw new UnsupportedHostError(
    `${host} runs ${release.prettyName}; this command deploys OpenStack-Ansible's all-in-one on Ubuntu or Debian only. ` +
      'Pick an Ubuntu or Debian host (nothing was changed on this one).',
  );
}
