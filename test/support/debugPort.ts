import assert from 'node:assert/strict';
import { shellJoin } from '../../src/core/shell/quote';

/** `open` when a TCP connection to address:port is made within 3 s, else `closed` (bash's /dev/tcp: no client needed). */
export function tcpProbeScript(address: string, port: number): string {
  return shellJoin(['bash', '-c', `timeout 3 bash -c '</dev/tcp/$0/$1' "$0" "$1" 2>/dev/null && echo open || echo closed`, address, String(port)]);
}

/** `ss -ltnH` output has exactly one listener on `port`, bound to `listen` (ip:port): not loopback, not a wildcard. */
export function assertOnlyListener(ss: string, port: number, listen: string): void {
  const bound = ss.split('\n').filter((l) => new RegExp(`:${port}\\s`).test(l));
  assert.equal(bound.length, 1, ss);
  assert.match(bound[0]!, new RegExp(`\\s${listen.replace(/\./g, '\\.')}\\s`));
}

/**
 * Seen from a host (`hostExec` runs argv there): `port` answers on `ip` (the tunnel's path) and on
 * none of that host's own IPv4 addresses. `where` names the host in the messages.
 */
export function assertReachableOnlyAt(hostExec: (argv: readonly string[]) => string, ip: string, port: number, where: string): void {
  const probe = (address: string): string => hostExec(['sh', '-c', tcpProbeScript(address, port)]).trim();
  assert.equal(probe(ip), 'open', `port ${port} on ${ip} from ${where}`);
  const own = hostExec(['sh', '-c', "ip -4 -o addr show | awk '{ split($4, a, \"/\"); print a[1] }'"]).split('\n').filter(Boolean);
  assert.ok(own.length >= 2, `${where}'s addresses (loopback and at least one more): ${own.join(',')}`);
  for (const address of own) assert.equal(probe(address), 'closed', `port ${port} on ${where}'s ${address}`);
}
