// ssh-config ships ESM typings but also a CommonJS build; `require` picks the CJS build under both
// tsx and esbuild while the type-only import keeps the real typings.
import type * as SshConfigModule from 'ssh-config' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('ssh-config') as typeof SshConfigModule;

import { clipText } from '../text/shownValue';
import { SshConfigError } from './errors';

export type ComputedSshConfig = Record<string, string | string[]>;

/** Options for one host, directive names lower-cased. `Match exec` is never run (untrusted text). */
export function computeSshConfig(configText: string, host: string, user?: string): ComputedSshConfig {
  const query = user === undefined ? { Host: host } : { Host: host, User: user };
  try {
    return lib.parse(configText).compute(query, { ignoreCase: true, matchExec: false });
  } catch (error) {
    // The library throws TypeError on a truncated directive and SyntaxError on a huge pattern.
    const detail = error instanceof Error ? error.message : String(error);
    throw new SshConfigError(`The SSH config could not be read (${clipText(detail, 200)}); check it with \`ssh -G ${host}\`.`);
  }
}
