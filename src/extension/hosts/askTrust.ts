import * as vscode from 'vscode';
import type { TrustQuestion } from '../../core/ssh';

export const TRUST_ACTION = 'Trust and Connect';

/** First contact with a host: show the key's fingerprint and let the user decide. */
export async function askTrust(question: TrustQuestion): Promise<boolean> {
  const address = question.port === 22 ? question.host : `${question.host} port ${question.port}`;
  const where = question.through ? `${question.through.name} (${address}, through ${question.through.via})` : address;
  const choice = await vscode.window.showWarningMessage(
    `First connection to ${where}. Its ${question.keyType} host key fingerprint is ${question.fingerprint}.`,
    {
      modal: true,
      detail:
        `Compare it with \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` run on ${question.through ? question.through.name : 'the host'} itself. ` +
        'Trusting records the key in your known_hosts file; a different key later is refused.',
    },
    TRUST_ACTION,
  );
  return choice === TRUST_ACTION;
}
