import { InvalidHaproxyNameError } from './errors';

// HAProxy accepts [A-Za-z0-9_.:-] in proxy and server names; nothing else may reach a CLI line,
// where a space, ';' or newline would start another argument or command.
const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

export function assertBackendName(name: string): string {
  if (!NAME.test(name)) {
    throw new InvalidHaproxyNameError('backend name', name, 'use 1-128 of [A-Za-z0-9_.:-]');
  }
  return name;
}

export function assertServerName(name: string): string {
  if (!NAME.test(name)) {
    throw new InvalidHaproxyNameError('server name', name, 'use 1-128 of [A-Za-z0-9_.:-]');
  }
  return name;
}

/** An absolute path without control characters (the socket, the state file, config files). */
export function assertHostPath(kind: string, path: string): string {
  // eslint-disable-next-line no-control-regex
  if (!path.startsWith('/') || /[\x00-\x1f]/.test(path)) {
    throw new InvalidHaproxyNameError(kind, path, 'must be an absolute path without control characters');
  }
  return path;
}
