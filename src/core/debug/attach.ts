/**
 * What VS Code sends to debugpy to attach to the dev process through the SSH-forwarded local port.
 * Pure: no I/O.
 *
 * - `debugAttachConfiguration` is a launch.json-style configuration for the Python debugger
 *   extension (`type: 'debugpy'`, `request: 'attach'`, `connect`), what a debug configuration
 *   provider returns or `vscode.debug.startDebugging` takes.
 * - `debugAttachArguments` is the body of the DAP `attach` request when OSA Dev talks DAP to
 *   debugpy's adapter itself (no Python extension): same `connect`, `pathMappings`, `justMyCode`.
 *   debugpy answers that `attach` only after `configurationDone` (it sends `initialized` first).
 */

export interface PathMapping {
  /** Path on this machine (the workspace folder holding the project's checkout). */
  readonly localRoot: string;
  /** Path in the container (/opt/osa-dev/src/<project>). */
  readonly remoteRoot: string;
}

export interface AttachOptions {
  /** The local end of the SSH tunnel (127.0.0.1:<localPort> → <mgmtIp>:<debug port>). */
  readonly localPort: number;
  /** Local checkout of the project. */
  readonly localRoot: string;
  /** The dev source in the container. */
  readonly remoteRoot: string;
  readonly justMyCode: boolean;
  /** Extra mappings, e.g. the container's site-packages to a local copy, to step into libraries. */
  readonly sitePackages?: readonly PathMapping[];
  /** Name of the debug session (shown in VS Code). */
  readonly name?: string;
}

export interface DebugpyAttachArguments {
  readonly connect: { readonly host: '127.0.0.1'; readonly port: number };
  readonly pathMappings: PathMapping[];
  readonly justMyCode: boolean;
  /** The dev processes of OSA Dev are single-process by design (catalog debug options). */
  readonly subProcess: false;
}

export interface DebugpyAttachConfiguration extends DebugpyAttachArguments {
  readonly name: string;
  readonly type: 'debugpy';
  readonly request: 'attach';
}

function checkRoot(what: string, path: string): string {
  if (path.trim() === '') throw new Error(`The ${what} of a path mapping is empty.`);
  return path.length > 1 ? path.replace(/[\\/]+$/, '') : path;
}

function mapping(m: PathMapping): PathMapping {
  const remoteRoot = checkRoot('remoteRoot', m.remoteRoot);
  if (!remoteRoot.startsWith('/')) throw new Error(`remoteRoot must be an absolute path in the container, not ${JSON.stringify(m.remoteRoot)}.`);
  return { localRoot: checkRoot('localRoot', m.localRoot), remoteRoot };
}

/** The DAP `attach` arguments for debugpy's adapter reached at 127.0.0.1:localPort. */
export function debugAttachArguments(options: AttachOptions): DebugpyAttachArguments {
  const port = options.localPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Invalid local port ${JSON.stringify(port)}.`);
  // The project mapping first: the most specific root wins in debugpy (first match).
  const pathMappings = [mapping({ localRoot: options.localRoot, remoteRoot: options.remoteRoot }), ...(options.sitePackages ?? []).map(mapping)];
  return { connect: { host: '127.0.0.1', port }, pathMappings, justMyCode: options.justMyCode, subProcess: false };
}

/** The Python debugger extension's attach configuration (`type: 'debugpy'`). */
export function debugAttachConfiguration(options: AttachOptions): DebugpyAttachConfiguration {
  return { name: options.name ?? 'OSA Dev: attach', type: 'debugpy', request: 'attach', ...debugAttachArguments(options) };
}
