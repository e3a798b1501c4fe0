// ssh-config ships ESM typings but also a CommonJS build; `require` picks the CJS build under both
// tsx and esbuild while the type-only import keeps the real typings.
import type * as SshConfigModule from 'ssh-config' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('ssh-config') as typeof SshConfigModule;

export type ComputedSshConfig = Record<string, string | string[]>;

/** Options for one host, directive names lower-cased. `Match exec` is never run (untrusted text). */
export function computeSshConfig(configText: string, host: string, user?: string): ComputedSshConfig {
  const config = lib.parse(configText);
  const query = user === undefined ? { Host: host } : { Host: host, User: user };
  return config.compute(query, { ignoreCase: true, matchExec: false });
}
