import { InvalidNameError } from './errors';

// LXC accepts more, but OSA names never leave this set, and it keeps names free of shell and
// option syntax (no leading dash, so a name can never be taken for an lxc-attach flag).
const CONTAINER_NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}$/;
const USER_NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertContainerName(name: string): string {
  if (!CONTAINER_NAME.test(name) || name === '.' || name === '..') {
    throw new InvalidNameError('container name', name, 'use 1-64 of [A-Za-z0-9_.-], not starting with "-"');
  }
  return name;
}

export function assertUserName(user: string): string {
  if (!USER_NAME.test(user)) {
    throw new InvalidNameError('user name', user, 'use 1-32 of [A-Za-z0-9_.-], not starting with "-"');
  }
  return user;
}

export function assertEnvKey(key: string): string {
  if (!ENV_KEY.test(key)) {
    throw new InvalidNameError('environment variable name', key, 'must match [A-Za-z_][A-Za-z0-9_]*');
  }
  return key;
}

export function assertAbsoluteDir(dir: string): string {
  if (!dir.startsWith('/') || dir.includes('\0')) {
    throw new InvalidNameError('working directory', dir, 'must be an absolute path');
  }
  return dir;
}
