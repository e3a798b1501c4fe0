import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { debugAttachArguments, type PathMapping } from '../../src/core/debug/attach';

export interface HeatBreakpoint {
  readonly dc: DebugClient;
  /** heat/api/app.py in the local clone, and the line answering GET / (its `return _json(…)`). */
  readonly localFile: string;
  readonly line: number;
  /** Only a request with `X-OSA-Dev-Test: <token>` stops (health checks hit GET / too). */
  readonly token: string;
}

/** A breakpoint `line` in `file` (a path on this machine, or one debugpy maps to none: the container's own). */
export interface Breakpoint {
  readonly file: string;
  readonly line: number;
  readonly condition: string;
}

/** How the test attaches: the tunnel's local port, the project's mapping, library mappings. */
export interface AttachOptions {
  readonly localPort: number;
  readonly localClone: string;
  readonly remoteRoot: string;
  readonly justMyCode: boolean;
  readonly sitePackages?: readonly PathMapping[];
}

/**
 * Microsoft's DAP client attached to debugpy at 127.0.0.1:localPort (the SSH tunnel), the local
 * clone mapped to the remote source root, with `breakpoint` set (and verified), configuration done.
 */
export async function attachWithBreakpoint(options: AttachOptions, breakpoint: Breakpoint): Promise<DebugClient> {
  const { dc, set } = await attachAndSetBreakpoint(options, breakpoint);
  if (set.verified !== true) {
    await dc.stop().catch(() => undefined);
    assert.fail(`debugpy did not verify the breakpoint: ${JSON.stringify(set)}`);
  }
  return dc;
}

/** Attached as above, with debugpy's answer to the breakpoint, verified or not. */
export async function attachAndSetBreakpoint(options: AttachOptions, breakpoint: Breakpoint): Promise<{ dc: DebugClient; set: DebugProtocol.Breakpoint }> {
  const dc = new DebugClient('unused', 'unused', 'python');
  dc.defaultTimeout = 30_000;
  try {
    await dc.start(options.localPort);
    await dc.initializeRequest({ adapterID: 'debugpy', clientID: 'osa-dev-test', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const args = debugAttachArguments({
      localPort: options.localPort,
      localRoot: options.localClone,
      remoteRoot: options.remoteRoot,
      justMyCode: options.justMyCode,
      ...(options.sitePackages ? { sitePackages: options.sitePackages } : {}),
    });
    const attached = dc.attachRequest(args as unknown as DebugProtocol.AttachRequestArguments);
    await dc.waitForEvent('initialized');
    const { file, line, condition } = breakpoint;
    const set = await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line, condition }] });
    await dc.configurationDoneRequest();
    await attached;
    return { dc, set: set.body.breakpoints[0]! };
  } catch (error) {
    await dc.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Attached (attachWithBreakpoint) with a conditional breakpoint on the GET / answer of the sample
 * heat in a LOCAL clone.
 */
export async function attachAtHeatRoot(options: { localPort: number; localClone: string; remoteRoot: string; justMyCode: boolean }): Promise<HeatBreakpoint> {
  const localFile = join(options.localClone, 'heat', 'api', 'app.py');
  const lines = readFileSync(localFile, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('if path == "/":')) + 2;
  assert.match(lines[line - 1]!, /return _json\(start_response, "200 OK"/);
  const token = `t${Date.now()}`;
  const dc = await attachWithBreakpoint(options, { file: localFile, line, condition: tokenCondition(token) });
  return { dc, localFile, line, token };
}

/** Only a request with `X-OSA-Dev-Test: <token>` stops (HAProxy health-checks GET / too). */
export function tokenCondition(token: string): string {
  return `environ.get("HTTP_X_OSA_DEV_TEST") == "${token}"`;
}
