import { isAbsolute, join } from 'node:path';
import { SshConfigError } from './errors';

export interface TokenValues {
  /** %h: the remote host name after HostName. */
  readonly hostName: string;
  /** %n: the host as the user typed it. */
  readonly alias: string;
  /** %p */
  readonly port: number;
  /** %r: the remote user. */
  readonly remoteUser: string;
  /** %u: the local user. */
  readonly localUser: string;
  /** %d: the local home directory. */
  readonly home: string;
}

/** Expands the ssh_config(5) TOKENS we support (%h %n %p %r %u %d %%) and a leading `~`. */
export function expandPathTokens(value: string, tokens: TokenValues, directive: string): string {
  const expanded = value.replace(/%(.)/g, (_match, token: string) => {
    switch (token) {
      case '%':
        return '%';
      case 'h':
        return tokens.hostName;
      case 'n':
        return tokens.alias;
      case 'p':
        return String(tokens.port);
      case 'r':
        return tokens.remoteUser;
      case 'u':
        return tokens.localUser;
      case 'd':
        return tokens.home;
      default:
        throw new SshConfigError(`Unsupported token %${token} in ${directive} "${value}".`);
    }
  });
  if (/%$/.test(value.replace(/%%/g, ''))) {
    throw new SshConfigError(`Dangling "%" in ${directive} "${value}".`);
  }
  return expandHome(expanded, tokens.home);
}

export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  // OpenSSH resolves relative identity/known_hosts paths against the home directory.
  return isAbsolute(path) ? path : join(home, path);
}
