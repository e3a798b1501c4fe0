import { computeSshConfig, type ComputedSshConfig } from './sshConfigLib';
import { expandHome, expandPathTokens, type TokenValues } from './configTokens';
import { SshConfigError } from './errors';
import { parseHostSpec, parsePort, validateHostName, type HostSpec } from './hostSpec';

export type StrictHostKeyChecking = 'yes' | 'ask' | 'accept-new' | 'no';

/** Everything needed to open one SSH connection, after ~/.ssh/config. */
export interface ResolvedHost {
  /** The host as typed (alias or address). */
  readonly alias: string;
  readonly hostName: string;
  readonly port: number;
  readonly user: string;
  /** Explicit IdentityFile entries, expanded; empty means "use the default key files". */
  readonly identityFiles: readonly string[];
  readonly identitiesOnly: boolean;
  /** known_hosts files to check, in order; new keys are appended to the first. */
  readonly userKnownHostsFiles: readonly string[];
  readonly strictHostKeyChecking: StrictHostKeyChecking;
  /** Jump hosts in connection order (first one is dialled directly). */
  readonly proxyJump: readonly ResolvedHost[];
}

export interface LocalEnvironment {
  readonly home: string;
  readonly localUser: string;
}

const MAX_JUMP_DEPTH = 8;

export function resolveHost(spec: string | HostSpec, configText: string, env: LocalEnvironment): ResolvedHost {
  const parsed = typeof spec === 'string' ? parseHostSpec(spec) : spec;
  return resolveParsed(parsed, configText, env, 0);
}

function resolveParsed(spec: HostSpec, configText: string, env: LocalEnvironment, depth: number): ResolvedHost {
  if (depth > MAX_JUMP_DEPTH) {
    throw new SshConfigError(`ProxyJump nests deeper than ${MAX_JUMP_DEPTH} hops at "${spec.host}"; is there a loop?`);
  }
  const config = computeSshConfig(configText, spec.host, spec.user);
  const user = spec.user ?? single(config, 'user') ?? env.localUser;
  const port = spec.port ?? parseConfigPort(single(config, 'port'));
  const hostName = validateHostName(
    expandPathlessTokens(single(config, 'hostname') ?? spec.host, spec.host),
    `HostName of ${spec.host}`,
  );
  const tokens: TokenValues = { hostName, alias: spec.host, port, remoteUser: user, localUser: env.localUser, home: env.home };
  const identityFiles = list(config, 'identityfile')
    .filter((file) => file.toLowerCase() !== 'none')
    .map((file) => expandPathTokens(file, tokens, 'IdentityFile'));
  const knownHostsSetting = list(config, 'userknownhostsfile').flatMap((value) => value.split(/\s+/).filter(Boolean));
  const userKnownHostsFiles =
    knownHostsSetting.length > 0
      ? knownHostsSetting.map((file) => (file === 'none' ? '/dev/null' : expandPathTokens(file, tokens, 'UserKnownHostsFile')))
      : [expandHome('~/.ssh/known_hosts', env.home)];
  const proxyJump = resolveJumps(single(config, 'proxyjump'), configText, env, depth);
  return {
    alias: spec.host,
    hostName,
    port,
    user,
    identityFiles,
    identitiesOnly: yesNo(single(config, 'identitiesonly'), 'IdentitiesOnly') ?? false,
    userKnownHostsFiles,
    strictHostKeyChecking: parseStrict(single(config, 'stricthostkeychecking')),
    proxyJump,
  };
}

function resolveJumps(value: string | undefined, configText: string, env: LocalEnvironment, depth: number): ResolvedHost[] {
  if (value === undefined || value.toLowerCase() === 'none') return [];
  const hops = value.split(',').map((hop) => parseHostSpec(hop.replace(/^ssh:\/\//, '')));
  // Like `ssh -J a,b`: the first hop uses its own config (including its own ProxyJump); later hops
  // are reached through the previous one.
  const [first, ...others] = hops;
  if (first === undefined) return [];
  const firstResolved = resolveParsed(first, configText, env, depth + 1);
  const chain: ResolvedHost[] = [...firstResolved.proxyJump, { ...firstResolved, proxyJump: [] }];
  for (const hop of others) {
    chain.push({ ...resolveParsed(hop, configText, env, depth + 1), proxyJump: [] });
  }
  return chain;
}

function expandPathlessTokens(value: string, alias: string): string {
  return value.replace(/%(.)/g, (_m, token: string) => {
    if (token === '%') return '%';
    if (token === 'h') return alias;
    throw new SshConfigError(`Unsupported token %${token} in HostName "${value}".`);
  });
}

function single(config: ComputedSshConfig, key: string): string | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : value;
}

function list(config: ComputedSshConfig, key: string): string[] {
  const value = config[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function parseConfigPort(value: string | undefined): number {
  return value === undefined ? 22 : parsePort(value, 'Port in ~/.ssh/config');
}

function yesNo(value: string | undefined, directive: string): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'yes' || v === 'true') return true;
  if (v === 'no' || v === 'false') return false;
  throw new SshConfigError(`${directive} must be yes or no, not "${value}".`);
}

function parseStrict(value: string | undefined): StrictHostKeyChecking {
  if (value === undefined) return 'ask';
  const v = value.toLowerCase();
  if (v === 'yes' || v === 'ask' || v === 'accept-new') return v;
  if (v === 'no' || v === 'off') return 'no';
  throw new SshConfigError(`StrictHostKeyChecking must be yes, ask, accept-new or no, not "${value}".`);
}
