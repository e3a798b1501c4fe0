/**
 * The process holding a dev-mode lock, identified well enough to prove it gone: the machine (host
 * name and Linux boot id) and the pid with its start time, so a pid reused by another process, or a
 * pid from before a reboot, is not taken for the holder. A holder proven gone on THIS machine (a CLI
 * run that has exited, a window whose extension host was reloaded) is taken over without asking; a
 * live one, one on another machine, or one that cannot be checked here still gets the refusal.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { LockHolder } from './journal';

export interface HolderProcess {
  readonly hostname: string;
  /** /proc/sys/kernel/random/boot_id: changes with every boot. */
  readonly bootId: string;
  readonly pid: number;
  /** Start time in clock ticks after boot (/proc/PID/stat field 22). */
  readonly startTicks: string;
}

/** What this machine says about its processes (injectable for tests). */
export interface LocalProcesses {
  hostname(): string;
  /** undefined where there is no boot id (not Linux): nothing can be proven gone there. */
  bootId(): string | undefined;
  /** undefined: no such process (or only its zombie). */
  startTicks(pid: number): string | undefined;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export const linuxProcesses: LocalProcesses = {
  hostname: () => hostname(),
  bootId: () => readOrUndefined('/proc/sys/kernel/random/boot_id')?.trim() || undefined,
  startTicks: (pid) => {
    const stat = readOrUndefined(`/proc/${pid}/stat`);
    if (stat === undefined) return undefined;
    // "pid (comm) state ppid …": comm may hold spaces and parentheses; fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? undefined : fields[19];
  },
};

/** This process, as a lock records it; undefined where it could not be proven gone later. */
export function currentProcess(local: LocalProcesses = linuxProcesses, pid: number = process.pid): HolderProcess | undefined {
  const bootId = local.bootId();
  const startTicks = local.startTicks(pid);
  if (bootId === undefined || startTicks === undefined) return undefined;
  return { hostname: local.hostname(), bootId, pid, startTicks };
}

/** Why the lock's holder is provably gone, or undefined when it may still run (or cannot be checked from here). */
export function goneHolder(lock: LockHolder, local: LocalProcesses = linuxProcesses): string | undefined {
  const held = lock.process;
  if (held === undefined || held.hostname !== local.hostname() || held.bootId !== local.bootId()) return undefined;
  const ticks = local.startTicks(held.pid);
  if (ticks === undefined) return `its process ${held.pid} on ${held.hostname} has exited`;
  if (ticks !== held.startTicks) return `its process ${held.pid} on ${held.hostname} has exited (the pid now belongs to another process)`;
  return undefined;
}

export function isHolderProcess(value: unknown): value is HolderProcess {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p['hostname'] === 'string' && typeof p['bootId'] === 'string' && Number.isSafeInteger(p['pid']) && (p['pid'] as number) > 0 && typeof p['startTicks'] === 'string';
}
