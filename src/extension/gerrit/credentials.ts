import type * as vscode from 'vscode';
import { GerritClient, type GerritCredentials } from '../../core/gerrit';

/** A Gerrit's user name and HTTP password, kept in SecretStorage only (never in settings or logs). */
interface StoredCredentials {
  readonly username: string;
  readonly password: string;
}

function secretKey(baseUrl: string): string {
  return `osaDev.gerrit.httpCredentials:${baseUrl.replace(/\/+$/, '')}`;
}

async function read(secrets: vscode.SecretStorage, baseUrl: string): Promise<StoredCredentials | undefined> {
  const text = await secrets.get(secretKey(baseUrl));
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<StoredCredentials>;
    return typeof value.username === 'string' && typeof value.password === 'string' ? { username: value.username, password: value.password } : undefined;
  } catch {
    return undefined;
  }
}

export function storeCredentials(secrets: vscode.SecretStorage, baseUrl: string, username: string, password: string): Thenable<void> {
  return secrets.store(secretKey(baseUrl), JSON.stringify({ username, password } satisfies StoredCredentials));
}

export function forgetCredentials(secrets: vscode.SecretStorage, baseUrl: string): Thenable<void> {
  return secrets.delete(secretKey(baseUrl));
}

/**
 * A client for `baseUrl`: authenticated (REST under `/a/`, HTTP Basic) when an HTTP password is
 * stored for it, else anonymous. The password is read from SecretStorage on each request.
 */
export async function gerritClient(secrets: vscode.SecretStorage, baseUrl: string, logger: vscode.LogOutputChannel): Promise<GerritClient> {
  const stored = await read(secrets, baseUrl);
  const credentials: GerritCredentials | undefined = stored && {
    username: stored.username,
    password: async () => (await read(secrets, baseUrl))?.password,
  };
  return new GerritClient({ baseUrl, logger, ...(credentials ? { credentials } : {}) });
}
