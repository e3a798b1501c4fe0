import type { ShellRunner } from '../process/types';
import type { ContainerRuntime } from '../runtime/types';
import { shellJoin } from '../shell/quote';

// Constant script: polls the container's listening TCP sockets for "ip:port" (up to $3 tenths of a s).
const WAIT = 'i=0; while [ "$i" -lt "$3" ]; do ss -ltnH 2>/dev/null | grep -q " $1:$2 " && exit 0; sleep 0.1; i=$((i+1)); done; exit 1';

/**
 * Waits (in ONE round trip) until debugpy listens on ip:port inside the container: the dev process
 * starts in its terminal at the same time as the attach, and an attach before debugpy listens fails.
 */
export async function waitForListening(host: ShellRunner, runtime: ContainerRuntime, container: string, ip: string, port: number, timeoutMs = 20_000): Promise<boolean> {
  const argv = runtime.execArgv(container, ['sh', '-c', WAIT, 'sh', ip, String(port), String(Math.ceil(timeoutMs / 100))]);
  return (await host.exec(shellJoin(argv))).code === 0;
}
