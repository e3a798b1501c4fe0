import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { utils, type AuthHandlerMiddleware, type NextAuthHandler, type ParsedKey } from 'ssh2';
import type { Logger } from '../log';
import { KeyPassphraseError } from './errors';
import type { ResolvedHost } from './resolveHost';
import { passphraseSecretKey, type SecretProvider } from './secrets';

export interface AuthSources {
  readonly secrets: SecretProvider;
  /** SSH_AUTH_SOCK, when an agent is running. */
  readonly agentSocket?: string;
  readonly home: string;
  readonly logger: Logger;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

type Candidate = { readonly kind: 'agent'; readonly socket: string } | { readonly kind: 'key'; readonly path: string };

/**
 * One connection's authentication: ssh-agent first, then identity files, like OpenSSH.
 * Records what was tried (never secrets) for the AuthenticationError.
 */
export class AuthAttempt {
  readonly tried: string[] = [];
  /** Set when auth was aborted for a reason the user must see (a wrong passphrase). */
  failure: Error | undefined;
  private candidates: Candidate[] | undefined;

  constructor(
    private readonly host: ResolvedHost,
    private readonly sources: AuthSources,
  ) {}

  readonly handler: AuthHandlerMiddleware = (methodsLeft, _partialSuccess, next) => {
    this.nextMethod(methodsLeft, next).catch((error: unknown) => {
      this.failure = error instanceof Error ? error : new Error(String(error));
      next(false as unknown as never);
    });
  };

  private async nextMethod(methodsLeft: readonly string[] | null, next: NextAuthHandler): Promise<void> {
    this.candidates ??= await this.listCandidates();
    const canPublicKey = methodsLeft === null || methodsLeft.includes('publickey');
    while (canPublicKey) {
      const candidate = this.candidates.shift();
      if (candidate === undefined) break;
      if (candidate.kind === 'agent') {
        this.tried.push(`ssh-agent (${candidate.socket})`);
        next({ type: 'agent', username: this.host.user, agent: candidate.socket });
        return;
      }
      const key = await this.loadKey(candidate.path);
      if (key !== undefined) {
        this.tried.push(`key ${this.display(candidate.path)}`);
        next({ type: 'publickey', username: this.host.user, key });
        return;
      }
    }
    next(false as unknown as never);
  }

  private async listCandidates(): Promise<Candidate[]> {
    const candidates: Candidate[] = [];
    // IdentitiesOnly: simplification — skip the agent instead of filtering its keys by file.
    if (this.sources.agentSocket && !this.host.identitiesOnly) {
      candidates.push({ kind: 'agent', socket: this.sources.agentSocket });
    }
    const files =
      this.host.identityFiles.length > 0 ? this.host.identityFiles : DEFAULT_KEYS.map((name) => join(this.sources.home, '.ssh', name));
    for (const path of files) {
      if (await access(path).then(() => true, () => false)) {
        candidates.push({ kind: 'key', path });
      } else if (this.host.identityFiles.length > 0) {
        this.tried.push(`key ${this.display(path)} (file not found)`);
      }
    }
    return candidates;
  }

  private async loadKey(path: string): Promise<ParsedKey | undefined> {
    const data = await readFile(path);
    const plain = firstKey(utils.parseKey(data));
    if (!(plain instanceof Error)) return plain;
    if (!/encrypted|passphrase/i.test(plain.message)) {
      this.tried.push(`key ${this.display(path)} (unreadable: ${plain.message})`);
      return undefined;
    }
    const secretKey = passphraseSecretKey(path);
    const stored = await this.sources.secrets.get(secretKey);
    if (stored !== undefined) {
      const key = firstKey(utils.parseKey(data, stored));
      if (!(key instanceof Error)) return key;
      this.sources.logger.warn(`The stored passphrase for ${this.display(path)} no longer works; asking again.`);
    }
    for (let attempt = 1; attempt <= 2; attempt++) {
      const prompt =
        attempt === 1 ? `Passphrase for SSH key ${this.display(path)}` : `Wrong passphrase — try again for SSH key ${this.display(path)}`;
      const passphrase = await this.sources.secrets.ask(prompt);
      if (passphrase === undefined) {
        this.tried.push(`key ${this.display(path)} (skipped: no passphrase given)`);
        return undefined;
      }
      const key = firstKey(utils.parseKey(data, passphrase));
      if (!(key instanceof Error)) {
        await this.sources.secrets.store(secretKey, passphrase);
        return key;
      }
    }
    throw new KeyPassphraseError(this.display(path));
  }

  private display(path: string): string {
    return path.startsWith(`${this.sources.home}/`) ? `~${path.slice(this.sources.home.length)}` : path;
  }
}

function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  if (Array.isArray(parsed)) return parsed[0] ?? new Error('no key in file');
  return parsed;
}
