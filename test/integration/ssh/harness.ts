import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../src/core/log';
import type { AskTrust } from '../../../src/core/ssh/hostKeyVerifier';
import type { ResolvedHost } from '../../../src/core/ssh/resolveHost';
import type { SecretProvider } from '../../../src/core/ssh/secrets';
import { SshHost, type SshHostOptions } from '../../../src/core/ssh/sshHost';
import type { TestSshd } from '../../support/sshd';

/** Remembers every log line so tests can assert secrets never reach the log. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  trace = (m: string): void => void this.lines.push(m);
  debug = (m: string): void => void this.lines.push(m);
  info = (m: string): void => void this.lines.push(m);
  warn = (m: string): void => void this.lines.push(m);
  error = (m: string | Error): void => void this.lines.push(String(m));
}

export class FakeSecrets implements SecretProvider {
  readonly stored = new Map<string, string>();
  readonly prompts: string[] = [];
  constructor(private readonly answers: Array<string | undefined> = []) {}
  async get(key: string): Promise<string | undefined> {
    return this.stored.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.stored.set(key, value);
  }
  async ask(prompt: string): Promise<string | undefined> {
    this.prompts.push(prompt);
    return this.answers.shift();
  }
}

export const neverAsk: AskTrust = async () => {
  throw new Error('askTrust must not be called: the host key is already known');
};

export function targetFor(sshd: TestSshd, overrides: Partial<ResolvedHost> = {}): ResolvedHost {
  const knownHosts = join(sshd.dir, 'known_hosts');
  return {
    alias: 'test-sshd',
    hostName: sshd.host,
    port: sshd.port,
    user: sshd.user,
    identityFiles: [sshd.clientKey.path],
    identitiesOnly: true,
    userKnownHostsFiles: [knownHosts],
    strictHostKeyChecking: 'ask',
    proxyJump: [],
    ...overrides,
  };
}

/** Records the server's current key so no question is asked. */
export function trustServer(sshd: TestSshd): string {
  const file = join(sshd.dir, 'known_hosts');
  writeFileSync(file, `${sshd.knownHostsLine()}\n`);
  return file;
}

export function hostFor(sshd: TestSshd, options: Partial<SshHostOptions> = {}): SshHost {
  return new SshHost({
    target: targetFor(sshd),
    askTrust: neverAsk,
    secrets: new FakeSecrets(),
    logger: new RecordingLogger(),
    home: sshd.dir,
    ...options,
  });
}
