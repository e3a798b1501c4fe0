/**
 * What an `osa-dev` launch configuration resolves to, once the extension has found the dev session
 * and opened the SSH forward. Pure, so both outcomes are unit-tested:
 *
 * - the Python Debugger extension (ms-python.debugpy) is installed: a standard `type: 'debugpy'`
 *   attach configuration, handed to it;
 * - it is not: the body of the DAP `attach` request OSA Dev sends to debugpy itself (the session
 *   stays `type: 'osa-dev'`), without "host": debugpy refuses "host" next to "connect" ('"connect"
 *   and "host"/"port" are mutually exclusive'), so the OSA host alias moves to `osaDevHost`.
 *
 * Stepping into libraries is what `justMyCode: false` means to a Python developer: debugpy then
 * stops in and steps into library frames (sources it cannot map are served by debugpy itself,
 * read-only). With `sitePackages` (a local copy of the service's site-packages, e.g. a local venv
 * of the same release) each package of the copy maps to the container's site-packages the dev
 * process imports it from, so breakpoints can be set there too.
 */
import { debugAttachArguments, debugAttachConfiguration, type PathMapping } from './attach';
import type { RemoteSitePackages } from './sitePackages';

/** The launch.json attributes of an `osa-dev` attach (package.json's debugger contribution). */
export interface OsaDevLaunchAttributes {
  readonly name?: string;
  readonly host?: string;
  readonly service?: string;
  readonly container?: string;
  readonly localRoot?: string;
  readonly justMyCode?: boolean;
  readonly sitePackages?: string;
  readonly [attribute: string]: unknown;
}

/** The `osaDev.debug.*` settings: defaults for the attributes a configuration leaves out. */
export interface DebugSettings {
  readonly justMyCode: boolean;
  /** Local copy of the service's site-packages ('' = none). */
  readonly sitePackages: string;
}

export interface ResolveAttachInput {
  readonly launch: OsaDevLaunchAttributes;
  readonly settings: DebugSettings;
  /** ms-python.debugpy is installed. */
  readonly pythonDebugger: boolean;
  readonly localPort: number;
  readonly localRoot: string;
  readonly remoteRoot: string;
  /** The site-packages directories the dev process imports from (dev venv, production venv), in import order. */
  readonly remoteSitePackages: readonly RemoteSitePackages[];
  /** The importable top-level names of the local copy (localSitePackagesEntries); none without one. */
  readonly localSitePackagesEntries: readonly string[];
  /** Names the SSH forward, so it is closed when the session ends. */
  readonly forwardKey: string;
}

export function effectiveJustMyCode(launch: OsaDevLaunchAttributes, settings: DebugSettings): boolean {
  return typeof launch.justMyCode === 'boolean' ? launch.justMyCode : settings.justMyCode;
}

/** The local copy of site-packages to map to, when library code is debugged and one is given. */
export function localSitePackages(launch: OsaDevLaunchAttributes, settings: DebugSettings): string | undefined {
  if (effectiveJustMyCode(launch, settings)) return undefined;
  const local = typeof launch.sitePackages === 'string' ? launch.sitePackages : settings.sitePackages;
  return local.trim() === '' ? undefined : local;
}

/**
 * Each package or module of the local copy → where the dev process imports it from: the FIRST
 * site-packages directory on its sys.path that has it (a package in the dev venv shadows the
 * production venv's). One mapping per package, not per directory: debugpy translates a local path
 * with the first mapping whose root matches, so directory-wide mappings of one local copy would
 * send every breakpoint to the dev venv, where most libraries are not. A package of the copy that
 * the container lacks gets no mapping; a library the copy lacks is shown read-only as debugpy sends it.
 */
export function libraryMappings(local: string | undefined, localEntries: readonly string[], remote: readonly RemoteSitePackages[]): PathMapping[] {
  if (!local) return [];
  const root = local.length > 1 ? local.replace(/[\\/]+$/, '') : local;
  const separator = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  const mappings: PathMapping[] = [];
  for (const name of new Set(localEntries)) {
    const from = remote.find((r) => r.entries.includes(name));
    if (from) mappings.push({ localRoot: `${root}${separator}${name}`, remoteRoot: `${from.dir}/${name}` });
  }
  return mappings;
}

export function resolveAttach(input: ResolveAttachInput): Record<string, unknown> {
  const { launch, settings } = input;
  const options = {
    localPort: input.localPort,
    localRoot: input.localRoot,
    remoteRoot: input.remoteRoot,
    justMyCode: effectiveJustMyCode(launch, settings),
    sitePackages: libraryMappings(localSitePackages(launch, settings), input.localSitePackagesEntries, input.remoteSitePackages),
    ...(launch.name ? { name: launch.name } : {}),
  };
  if (input.pythonDebugger) return { ...debugAttachConfiguration(options), osaDevForward: input.forwardKey };
  const { host, sitePackages: _local, ...rest } = launch;
  return { ...rest, ...debugAttachArguments(options), osaDevHost: host, osaDevForward: input.forwardKey, osaDevPort: input.localPort };
}
