/**
 * Faults done TO the lab host from the side (never through the code under test): cut SSH
 * connections, restart sshd, stop and start a container, reload HAProxy, fill the journal's disk.
 * All asynchronous, so a fault can land while a command of the engine is in flight.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { JOURNAL_DIR } from '../../src/core/devloop/journalStore';

const REPO = join(__dirname, '..', '..');
const HOST_EXEC = join(REPO, 'test/lab/host-exec.sh');

function run(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${[file, ...args].join(' ')}: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** Runs a shell script on the lab host (its namespaces), outside of SSH. */
export function onLabHost(script: string, ...args: string[]): Promise<string> {
  return run('bash', [HOST_EXEC, 'bash', '-c', script, 'bash', ...args]);
}

/** Closes every SSH connection from the lab side (the listener stays up). */
export function cutSshConnections(): Promise<string> {
  return run('bash', [join(REPO, 'test/lab/sshd-kill-sessions.sh')]);
}

/** Restarts sshd like `systemctl restart ssh`: the listener goes away and comes back, sessions stay. */
export function restartSshd(): Promise<string> {
  return run('bash', [join(REPO, 'test/lab/sshd-restart.sh')]);
}

/** `lxc-stop` underneath OSA Dev (the container's systemd shuts down cleanly). */
export function stopContainer(name: string): Promise<string> {
  return onLabHost('lxc-stop -n "$1" -t 60', name);
}

// lxc-start, then poll until systemd inside is up and the given units have settled (active or failed).
const START = `n=$1; shift
[ "$(lxc-info -n "$n" -sH)" = RUNNING ] || lxc-start -n "$n" || exit 1
for i in $(seq 300); do
  st=$(lxc-attach -n "$n" -- systemctl is-system-running 2>/dev/null || true)
  case $st in running|degraded) break;; esac
  sleep 0.2
done
for u in "$@"; do
  for i in $(seq 150); do
    s=$(lxc-attach -n "$n" -- systemctl is-active "$u" 2>/dev/null || true)
    case $s in active|failed|inactive) break;; esac
    sleep 0.2
  done
done`;

/** Starts a container again (as its operator would) and waits for its systemd and units. */
export function startContainer(name: string, units: readonly string[]): Promise<string> {
  return onLabHost(START, name, ...units);
}

/**
 * Reloads HAProxy like `systemctl reload haproxy` does: a new process from the config, old one
 * finishing (-sf), WITHOUT dumping the runtime states first — only what OSA Dev itself dumped to
 * the server-state-file survives.
 */
export function reloadHaproxy(): Promise<string> {
  return onLabHost('haproxy -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid -D -sf "$(cat /run/haproxy.pid)"');
}

/** A small tmpfs over the journal directory, so it can be filled; mode as OSA Dev creates it. */
export function mountSmallJournalDisk(): Promise<string> {
  return onLabHost('mkdir -p "$1" && mount -t tmpfs -o size=96k,mode=0700 osa-dev-faults "$1"', JOURNAL_DIR);
}

/** Fills the journal disk: the next journal write fails with ENOSPC. */
export function fillJournalDisk(): Promise<string> {
  return onLabHost('dd if=/dev/zero of="$1/.faults-fill" bs=1k 2>/dev/null; true', JOURNAL_DIR);
}

export function freeJournalDisk(): Promise<string> {
  return onLabHost('rm -f "$1/.faults-fill"', JOURNAL_DIR);
}

/** Unmounts the tmpfs (if mounted); whatever is under it was hidden, not changed. */
export function unmountSmallJournalDisk(): Promise<string> {
  return onLabHost('if grep -q " $1 tmpfs " /proc/mounts; then umount "$1"; fi', JOURNAL_DIR);
}

/** Admin state (srv_admin_state) of every server of a backend in aio1's HAProxy, or infra2's (`node`). */
export function adminStates(backend: string, on: 'aio1' | 'node' = 'aio1'): Promise<Map<string, number>> {
  const script = 'echo "show servers state $1" | socat stdio /var/run/haproxy.stat';
  const read = on === 'aio1' ? onLabHost(script, backend) : run('bash', [join(REPO, 'test/lab/lib/node-host.sh'), 'exec', 'bash', '-c', script, 'bash', backend]);
  return read.then((text) => {
    const states = new Map<string, number>();
    for (const line of text.split('\n').slice(2)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 6) states.set(f[3]!, Number(f[6]));
    }
    return states;
  });
}
