import type { CommandSpec, ExecResult } from '../process/types';
import { CommandFailedError } from '../process/types';
import { shellJoin } from '../shell/quote';
import { LxcRuntime } from './lxc/lxcRuntime';
import { OciRuntime } from './oci/ociRuntime';
import type { ContainerRuntime } from './types';

export type RuntimeKind = 'lxc' | 'podman' | 'docker';

/** What the probe found for one runtime: its CLI answers, and how many containers it has. */
export interface RuntimeProbe {
  readonly kind: RuntimeKind;
  readonly usable: boolean;
  readonly containers: number;
}

const ORDER: readonly RuntimeKind[] = ['lxc', 'podman', 'docker'];

// One round trip, constant text, on one line (the log shows each command on one line, and the
// bad-input suite re-splits logged lines). A CLI that is installed but cannot list (docker without
// its daemon) is "broken"; counts decide between runtimes that are both installed (an OSA host may
// have podman too, a Kolla host may have lxc-ls).
const PROBE_SCRIPT = [
  'probe() { kind=$1; shift; command -v "$1" >/dev/null 2>&1 || return 0',
  'if out=$("$@" 2>/dev/null); then echo "$kind ok $(printf "%s" "$out" | grep -c .)"; else echo "$kind broken 0"; fi; }',
  'probe lxc lxc-ls -1',
  'probe podman podman ps -aq',
  'probe docker docker ps -aq',
].join('; ');

/** Parses the probe's lines (`<kind> ok|broken <count>`); unknown lines are ignored. */
export function parseRuntimeProbe(stdout: string): RuntimeProbe[] {
  const probes: RuntimeProbe[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^(lxc|podman|docker) (ok|broken) (\d+)$/.exec(line.trim());
    if (match) probes.push({ kind: match[1] as RuntimeKind, usable: match[2] === 'ok', containers: Number(match[3]) });
  }
  return probes;
}

/**
 * The runtime to use: the first (LXC, podman, docker) that has containers, else the first that
 * answers, else LXC — whose listing then says plainly that lxc-ls is missing, as before detection.
 */
export function chooseRuntime(probes: readonly RuntimeProbe[]): RuntimeKind {
  const usable = ORDER.map((kind) => probes.find((p) => p.kind === kind && p.usable)).filter((p): p is RuntimeProbe => p !== undefined);
  return (usable.find((p) => p.containers > 0) ?? usable[0])?.kind ?? 'lxc';
}

export function createRuntime(kind: RuntimeKind, host?: string): ContainerRuntime {
  const options = host === undefined ? {} : { host };
  return kind === 'lxc' ? new LxcRuntime(options) : new OciRuntime(kind, options);
}

/** ONE command that tells which container runtime a host uses. */
export function detectRuntime(host?: string): CommandSpec<ContainerRuntime> {
  const argv = ['sh', '-c', PROBE_SCRIPT];
  return {
    argv,
    describe: `Detect the container runtime of ${host ?? 'the host'}`,
    parse(result: ExecResult): ContainerRuntime {
      if (result.code !== 0) throw new CommandFailedError(shellJoin(argv), result, 'Detecting the container runtime failed');
      return createRuntime(chooseRuntime(parseRuntimeProbe(result.stdout)), host);
    },
  };
}
