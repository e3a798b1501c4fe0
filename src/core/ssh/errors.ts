/** Every SSH failure the user can act on has its own class and a message that names the next step. */
import { clipText } from '../text/shownValue';

export class InvalidHostSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidHostSpecError';
  }
}

export class SshConfigError extends Error {
  constructor(message: string) {
    // It may quote a config value: bounded, whatever the file holds.
    super(clipText(message, 1000));
    this.name = 'SshConfigError';
  }
}

export class HostUnreachableError extends Error {
  constructor(
    readonly destination: string,
    readonly reason: string,
  ) {
    super(
      `Cannot reach ${destination}: ${reason}. Check the address and port, that sshd is running there, ` +
        `and any firewall or VPN in between (try \`ssh -v ${destination}\` in a terminal).`,
    );
    this.name = 'HostUnreachableError';
  }
}

/** A physical host reached through the deployment host: the deployment host could not open a connection to its sshd. */
export class NodeUnreachableError extends Error {
  constructor(
    readonly node: string,
    readonly address: string,
    readonly port: number,
    readonly via: string,
    readonly reason: string,
  ) {
    super(
      `Cannot reach ${node} at ${address}:${port} through ${via}: ${reason}. Check that ${node} is up and its sshd listens on ${address} ` +
        `(from ${via}: \`ssh -p ${port} ${address} true\`).`,
    );
    this.name = 'NodeUnreachableError';
  }
}

export class HostKeyRejectedError extends Error {
  constructor(
    readonly host: string,
    readonly fingerprint: string,
    reason = 'you did not trust its host key',
  ) {
    super(`Not connecting to ${host}: ${reason} (${fingerprint}).`);
    this.name = 'HostKeyRejectedError';
  }
}

export class HostKeyMismatchError extends Error {
  constructor(
    readonly host: string,
    readonly keyType: string,
    readonly expectedFingerprint: string,
    readonly actualFingerprint: string,
    readonly knownHostsFile: string,
    readonly line: number,
    readonly knownHostsName: string,
  ) {
    super(
      `HOST KEY MISMATCH for ${host}: known_hosts expects ${keyType} ${expectedFingerprint} ` +
        `(${knownHostsFile}:${line}) but the server presented ${actualFingerprint}. ` +
        `Someone may be intercepting the connection, or the host was reinstalled. Nothing was run. ` +
        `If the change is expected, remove the old key with \`ssh-keygen -R '${knownHostsName}' -f ${knownHostsFile}\` and connect again.`,
    );
    this.name = 'HostKeyMismatchError';
  }
}

export class HostKeyRevokedError extends Error {
  constructor(
    readonly host: string,
    readonly fingerprint: string,
    readonly knownHostsFile: string,
    readonly line: number,
  ) {
    super(`The host key of ${host} (${fingerprint}) is marked @revoked in ${knownHostsFile}:${line}; refusing to connect.`);
    this.name = 'HostKeyRevokedError';
  }
}

export class AuthenticationError extends Error {
  constructor(
    readonly destination: string,
    readonly tried: readonly string[],
    detail?: string,
  ) {
    const triedText = tried.length > 0 ? tried.join('; ') : 'no usable method (no ssh-agent, no identity file found)';
    super(
      `Authentication to ${destination} failed${detail ? ` (${detail})` : ''}. Tried: ${triedText}. ` +
        `Next steps: install your public key on the host (\`ssh-copy-id ${destination}\`), ` +
        `load your key into ssh-agent (\`ssh-add\`), or set IdentityFile/User for this host in ~/.ssh/config.`,
    );
    this.name = 'AuthenticationError';
  }
}

export class ConnectionLostError extends Error {
  constructor(
    readonly destination: string,
    readonly during: string,
    reason?: string,
  ) {
    super(
      `The SSH connection to ${destination} was lost while ${during}${reason ? ` (${reason})` : ''}. ` +
        `The operation did not complete; the next operation reconnects automatically.`,
    );
    this.name = 'ConnectionLostError';
  }
}

export class CommandCancelledError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(readonly commandLine: string) {
    super(`Cancelled: ${commandLine}`);
    this.name = 'CommandCancelledError';
  }
}

export class HostDisposedError extends Error {
  constructor(destination: string) {
    super(`The SSH host ${destination} was closed; create a new one to reconnect.`);
    this.name = 'HostDisposedError';
  }
}

export class KeyPassphraseError extends Error {
  constructor(readonly keyPath: string) {
    super(
      `The passphrase for SSH key ${keyPath} was wrong twice. Check it with \`ssh-keygen -y -f ${keyPath}\`, ` +
        `or load the key into ssh-agent (\`ssh-add ${keyPath}\`), then connect again.`,
    );
    this.name = 'KeyPassphraseError';
  }
}
