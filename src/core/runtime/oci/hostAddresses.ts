/**
 * Kolla runs its containers with host networking: such a container has no address of its own and is
 * reached at the host's. The listing prints the host's global IPv4 addresses after the runtime's
 * own output (same round trip), so a host-networked container's `ipv4` are the host's — and its
 * management IP (debugpy's listen address, the service's bind) the host's management address.
 */
import { shellJoin } from '../../shell/quote';

const MARK = '@@osa-dev host-ipv4';

/** argv: `psArgv` (its exit code kept), then the marker and the host's global IPv4 addresses. */
export function withHostAddresses(psArgv: readonly string[]): string[] {
  return ['sh', '-c', `${shellJoin(psArgv)}; rc=$?; echo '${MARK}'; ip -4 -o addr show scope global 2>/dev/null; exit $rc`];
}

/** The runtime's own output, and the host's addresses (`ip -4 -o addr` lines: "2: eth0 inet 172.29.236.120/22 …"). */
export function splitHostAddresses(stdout: string): { listing: string; hostIpv4: string[] } {
  const at = stdout.lastIndexOf(`${MARK}\n`);
  if (at < 0) return { listing: stdout, hostIpv4: [] };
  const hostIpv4 = [...stdout.slice(at + MARK.length + 1).matchAll(/\binet (\d{1,3}(?:\.\d{1,3}){3})\//g)].map((m) => m[1]!);
  return { listing: stdout.slice(0, at), hostIpv4 };
}
