/**
 * The foreground dev process under debugpy: `<devVenv>/bin/python -m debugpy --listen <mgmtIp>:<port>
 * [--wait-for-client] <devVenv>/bin/<script> args…`, and what the catalog's debug hints mean for it.
 *
 * DECISION: debugpy listens on the container's management IP only, never a wildcard: VS Code reaches
 * it through a local port tunnelled over the existing SSH connection (ssh2 forwardOut from the host
 * to <mgmtIp>:<port>), so no port is opened to anything but the management network of the host.
 */
import type { DebugHints } from '../catalog/types';
import { shownValue } from '../text/shownValue';

export interface DebugpyArgvOptions {
  /** Start the service only once a debugger has attached (`--wait-for-client`). */
  readonly waitForClient?: boolean;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;
const WILDCARDS = new Set(['0.0.0.0', '::', '*', '']);

export function validateDebugPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Invalid debug port ${JSON.stringify(port)} (1–65535).`);
  return port;
}

/** The address debugpy binds: a specific IPv4 address or host name, never a wildcard. */
export function validateListenHost(host: string): string {
  if (WILDCARDS.has(host)) {
    throw new Error(`debugpy must listen on the container's management IP, not ${shownValue(host)} (every interface).`);
  }
  const numeric = /^[\d.]+$/.test(host);
  if (numeric ? !IPV4.test(host) : !HOSTNAME.test(host)) throw new Error(`Invalid debug listen address ${shownValue(host)}.`);
  return host;
}

/** argv (inside the container) running `scriptArgv` under debugpy, listening on host:port. */
export function debugpyArgv(python: string, listenHost: string, port: number, scriptArgv: readonly string[], options: DebugpyArgvOptions = {}): string[] {
  if (!python.startsWith('/')) throw new Error(`The debug python must be an absolute path, not ${shownValue(python)}.`);
  const [script, ...args] = scriptArgv;
  if (script === undefined) throw new Error('No command to run under debugpy.');
  // debugpy runs a file; `-m module` or a bare program name would need a different form.
  if (!script.startsWith('/')) throw new Error(`debugpy runs a script file: ${shownValue(script)} is not an absolute path.`);
  return [
    python,
    '-m',
    'debugpy',
    '--listen',
    `${validateListenHost(listenHost)}:${validateDebugPort(port)}`,
    ...(options.waitForClient ? ['--wait-for-client'] : []),
    script,
    ...args,
  ];
}

export interface DebugAdvice {
  /** Environment for the debug run: the catalog's, plus what debugpy needs (gevent). */
  readonly env: Record<string, string>;
  /** Notes for the UI: the catalog's, plus warnings derived from them. */
  readonly notes: string[];
  /** The catalog says eventlet and gives no switch to native threads: breakpoints in green threads will not hit. */
  readonly eventletWithoutSwitch: boolean;
}

/** What the catalog's debug hints of a unit mean for a debugpy run. */
export function debugAdvice(unit: string, hints: DebugHints | undefined, context: { haproxyBackend?: string } = {}): DebugAdvice {
  const env: Record<string, string> = { ...(hints?.env ?? {}) };
  const notes = [...(hints?.notes ?? [])];
  const text = notes.join('\n').toLowerCase();
  // Python 3.11+ frozen stdlib modules: debugpy warns on every start unless told validation is off.
  env['PYDEVD_DISABLE_FILE_VALIDATION'] ??= '1';
  if (/\bgevent\b/.test(text)) env['GEVENT_SUPPORT'] ??= 'True';
  const eventletSwitch = Object.keys(hints?.env ?? {}).some((name) => /EVENTLET/i.test(name));
  const eventletWithoutSwitch = /\beventlet\b/.test(text) && !eventletSwitch;
  if (eventletWithoutSwitch) {
    notes.push(
      `${unit} runs on eventlet and the catalog knows no switch to native threads: debugpy cannot follow greenlets ` +
        '(microsoft/debugpy#1048), so breakpoints inside green threads may not hit. pdb / remote-pdb in the terminal still work.',
    );
  }
  if (context.haproxyBackend) {
    // Seen on the lab: debugpy suspends ALL threads at a stop, so a health check stopping at a
    // breakpoint also freezes the request being debugged, even after `continue`.
    notes.push(
      `HAProxy (${context.haproxyBackend}) health-checks ${unit} every few seconds: a breakpoint on the checked path stops all threads ` +
        'at each check. Give it a condition, or remove it before continuing.',
    );
  }
  return { env, notes, eventletWithoutSwitch };
}
