/**
 * SSH connections and channels as the lab host's sshd sees them (read on the lab host, not from
 * the client): per-connection sshd processes under the listener, the processes their sessions
 * run, the file descriptors those sshd processes hold, and established TCP sessions on port 22.
 */
import { onLabHost } from './labFaults';

export interface SshdFigures {
  /** Connections: direct children of the listening sshd. */
  readonly connections: number;
  /** Processes run by session channels (non-sshd descendants): one per open exec/pty channel. */
  readonly channelProcesses: number;
  /** Open file descriptors of every per-connection sshd process (an open channel holds some). */
  readonly sshdFds: number;
  /** Established TCP connections to port 22 in the lab's network namespace. */
  readonly established: number;
}

// Walks the process tree below the listener (/run/sshd.pid on the lab host).
const COUNT = `
listener=$(cat /run/sshd.pid)
conns=0; chans=0; fds=0
walk() {
  for c in $(cat /proc/$1/task/*/children 2>/dev/null); do
    comm=$(cat /proc/$c/comm 2>/dev/null) || continue
    if [ "$comm" = sshd ]; then fds=$((fds + $(ls /proc/$c/fd 2>/dev/null | wc -l))); walk "$c"
    else chans=$((chans + 1)); fi
  done
}
for c in $(cat /proc/$listener/task/*/children 2>/dev/null); do conns=$((conns + 1)); fds=$((fds + $(ls /proc/$c/fd 2>/dev/null | wc -l))); walk "$c"; done
est=$(ss -tnH state established '( sport = :22 )' | wc -l)
echo "$conns $chans $fds $est"`;

export async function sshdFigures(): Promise<SshdFigures> {
  const [connections, channelProcesses, sshdFds, established] = (await onLabHost(COUNT)).trim().split(/\s+/).map(Number);
  return { connections: connections!, channelProcesses: channelProcesses!, sshdFds: sshdFds!, established: established! };
}

/** Figures once sshd has finished closing what just ended: two reads in a row agree. */
export async function settledSshdFigures(): Promise<SshdFigures> {
  let last = await sshdFigures();
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await sshdFigures();
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
  return last;
}

export function formatSshd(f: SshdFigures): string {
  return `${f.connections} connection(s), ${f.channelProcesses} channel process(es), ${f.sshdFds} sshd fds, ${f.established} established`;
}
