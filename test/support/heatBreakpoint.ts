import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { debugAttachArguments } from '../../src/core/debug/attach';

export interface HeatBreakpoint {
  readonly dc: DebugClient;
  /** heat/api/app.py in the local clone, and the line answering GET / (its `return _json(…)`). */
  readonly localFile: string;
  readonly line: number;
  /** Only a request with `X-OSA-Dev-Test: <token>` stops (health checks hit GET / too). */
  readonly token: string;
}

/**
 * Microsoft's DAP client attached to debugpy at 127.0.0.1:localPort (the SSH tunnel), with a
 * conditional breakpoint on the GET / answer of the sample heat in a LOCAL clone, configuration done.
 */
export async function attachAtHeatRoot(options: { localPort: number; localClone: string; remoteRoot: string; justMyCode: boolean }): Promise<HeatBreakpoint> {
  const dc = new DebugClient('unused', 'unused', 'python');
  dc.defaultTimeout = 30_000;
  try {
    await dc.start(options.localPort);
    await dc.initializeRequest({ adapterID: 'debugpy', clientID: 'osa-dev-test', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const args = debugAttachArguments({ localPort: options.localPort, localRoot: options.localClone, remoteRoot: options.remoteRoot, justMyCode: options.justMyCode });
    const attached = dc.attachRequest(args as unknown as DebugProtocol.AttachRequestArguments);
    await dc.waitForEvent('initialized');
    const localFile = join(options.localClone, 'heat', 'api', 'app.py');
    const lines = readFileSync(localFile, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('if path == "/":')) + 2;
    assert.match(lines[line - 1]!, /return _json\(start_response, "200 OK"/);
    const token = `t${Date.now()}`;
    const set = await dc.setBreakpointsRequest({ source: { path: localFile }, breakpoints: [{ line, condition: `environ.get("HTTP_X_OSA_DEV_TEST") == "${token}"` }] });
    assert.equal(set.body.breakpoints[0]?.verified, true, JSON.stringify(set.body));
    await dc.configurationDoneRequest();
    await attached;
    return { dc, localFile, line, token };
  } catch (error) {
    await dc.stop().catch(() => undefined);
    throw error;
  }
}
