import { appendFile, chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../log';
import { HostKeyMismatchError, HostKeyRejectedError, HostKeyRevokedError } from './errors';
import { keyTypeOfBlob, sha256Fingerprint } from './fingerprint';
import { checkKnownHost, formatKnownHostsLine, knownHostsName, parseKnownHosts } from './knownHosts';
import type { StrictHostKeyChecking } from './resolveHost';

export interface TrustQuestion {
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  readonly fingerprint: string;
  /** A host reached through another: its name (infra2) and the host it is reached through. */
  readonly through?: { readonly name: string; readonly via: string };
}

/** Asked on first contact with a host; true trusts the key and records it. */
export type AskTrust = (question: TrustQuestion) => Promise<boolean>;

export interface HostKeyPolicy {
  /** Checked in order; a newly trusted key is appended to the first. */
  readonly knownHostsFiles: readonly string[];
  readonly strict: StrictHostKeyChecking;
  /** Asked about as this (a physical host reached through the deployment host). */
  readonly through?: TrustQuestion['through'];
}

/** Verifies a server's raw host key against known_hosts and asks on first contact. */
export class HostKeyVerifier {
  constructor(
    private readonly askTrust: AskTrust,
    private readonly logger: Logger,
  ) {}

  /** Resolves when the key is trusted; rejects with a HostKey*Error otherwise. */
  async verify(host: string, port: number, key: Buffer, policy: HostKeyPolicy): Promise<void> {
    const keyType = keyTypeOfBlob(key);
    const fingerprint = sha256Fingerprint(key);
    for (const file of policy.knownHostsFiles) {
      const verdict = checkKnownHost(parseKnownHosts(await readIfExists(file)), host, port, keyType, key);
      switch (verdict.kind) {
        case 'match':
          return;
        case 'revoked':
          throw new HostKeyRevokedError(knownHostsName(host, port), fingerprint, file, verdict.entry.line);
        case 'mismatch':
          throw new HostKeyMismatchError(
            knownHostsName(host, port),
            keyType,
            sha256Fingerprint(verdict.entry.key),
            fingerprint,
            file,
            verdict.entry.line,
            knownHostsName(host, port),
          );
        case 'unknown':
          break;
      }
    }
    if (policy.strict === 'yes') {
      throw new HostKeyRejectedError(knownHostsName(host, port), fingerprint, 'its host key is not in known_hosts and StrictHostKeyChecking is yes');
    }
    if (policy.strict === 'ask' && !(await this.askTrust({ host, port, keyType, fingerprint, ...(policy.through ? { through: policy.through } : {}) }))) {
      throw new HostKeyRejectedError(knownHostsName(host, port), fingerprint);
    }
    const target = policy.knownHostsFiles[0];
    if (target !== undefined && target !== '/dev/null') {
      await appendKnownHost(target, formatKnownHostsLine(host, port, keyType, key));
      this.logger.info(`Added ${knownHostsName(host, port)} (${keyType} ${fingerprint}) to ${target}`);
    }
  }
}

async function readIfExists(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

async function appendKnownHost(file: string, line: string): Promise<void> {
  const dir = dirname(file);
  const dirExisted = await stat(dir).then(() => true, () => false);
  if (!dirExisted) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  }
  const existing = await readIfExists(file);
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${separator}${line}\n`, { mode: 0o600 });
}
