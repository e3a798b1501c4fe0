import * as vscode from 'vscode';
import { GerritAuthError, GerritClient } from '../../../core/gerrit';
import { Settings } from '../../constants';
import type { Services } from '../../services';
import { storeCredentials } from '../credentials';

/**
 * Asks the user name and HTTP password (Gerrit's settings page, HTTP Credentials) for the
 * workspace's Gerrit, checks them with `GET /a/accounts/self`, then keeps them in SecretStorage.
 * Refused credentials are not kept; the password is never logged.
 */
export async function gerritSetHttpPassword(services: Services): Promise<boolean> {
  const project = await services.gerrit.project();
  const baseUrl = project?.baseUrl ?? vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.gerritUrl, 'https://review.opendev.org');
  const title = `Gerrit HTTP credentials for ${baseUrl}`;
  const username = await services.prompter.input({ title, step: 1, totalSteps: 2 }, 'User name (Gerrit: Settings → HTTP Credentials)', '', (v) =>
    /^[^\s:]+$/.test(v.trim()) ? undefined : 'A user name, without spaces or ":"',
  );
  if (username === undefined) return false;
  const password = await services.prompter.input({ title, step: 2, totalSteps: 2 }, 'HTTP password', '', (v) => (v === '' ? 'The HTTP password Gerrit generated' : undefined), { password: true });
  if (password === undefined) return false;
  const client = new GerritClient({ baseUrl, logger: services.logger, credentials: { username: username.trim(), password: async () => password } });
  try {
    const account = await client.self();
    services.logger.info(`Gerrit ${baseUrl}: signed in as ${account.username ?? account.name ?? account.id}`);
  } catch (error) {
    if (error instanceof GerritAuthError) throw error;
    services.logger.warn(`Gerrit ${baseUrl}: could not check the credentials (${error instanceof Error ? error.message : String(error)}); kept anyway.`);
  }
  await storeCredentials(services.context.secrets, baseUrl, username.trim(), password);
  services.gerrit.refresh();
  return true;
}
