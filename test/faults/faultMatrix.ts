/**
 * Which faults the matrix injects, as chains: one chain = one kind at one point (start, middle or
 * end), injected into every step of Develop in turn (each interrupted run is resumed by the next,
 * which then meets the fault at the next step), then into every undo step of Restore the same way.
 * A fault that does not stop the run (sshd restarted, HAProxy reloaded) lets it complete; the chain
 * then restores (or develops) cleanly before the next fault, and compares with the snapshot.
 *
 * CI (default): every kind at the middle of every step of Develop and Restore, except that the
 * slow kinds (container stopped, faults that do not stop the run) cover the steps that change
 * production (isolate, stop-unit, run); plus start and end of every step for the SSH cut and the
 * full disk. Full (OSA_FAULTS_FULL=1): every kind × every step × start, middle and end.
 */
import { FAULT_KINDS, type FaultKind } from './faultKinds';
import type { Phase, Point } from './faultPoint';

/** The heat-api plan's steps, by the prefix of their ids (full ids come from the plan). */
export const DEVELOP_STEPS = ['isolate', 'stop-unit', 'code', 'dev-venv', 'install-deps', 'db-sync', 'run'] as const;
/** Restore undoes them last first; install-deps, skipped when nothing changed, has nothing to undo. */
export const RESTORE_STEPS = ['run', 'db-sync', 'dev-venv', 'code', 'stop-unit', 'isolate'] as const;
const CHANGES_PRODUCTION: ReadonlySet<string> = new Set(['isolate', 'stop-unit', 'run']);
const SLOW: ReadonlySet<FaultKind> = new Set(['container-stopped', 'sshd-restart', 'haproxy-reload']);
const START_END_IN_CI: ReadonlySet<FaultKind> = new Set(['ssh-cut', 'disk-full']);

export interface Fault {
  readonly kind: FaultKind;
  readonly phase: Phase;
  /** Prefix of the step id. */
  readonly step: string;
  readonly point: Point;
}

export interface Chain {
  readonly kind: FaultKind;
  readonly point: Point;
  readonly develop: readonly string[];
  readonly restore: readonly string[];
}

export const describeFault = (f: Fault): string => `${f.kind} at the ${f.point} of ${f.phase === 'restore' ? 'undo ' : ''}${f.step}`;

export const faultsOf = (chain: Chain, phase: Phase): Fault[] =>
  (phase === 'develop' ? chain.develop : chain.restore).map((step) => ({ kind: chain.kind, phase, step, point: chain.point }));

export const faultCount = (chains: readonly Chain[]): number => chains.reduce((n, c) => n + c.develop.length + c.restore.length, 0);

export function faultChains(full: boolean): Chain[] {
  const chains: Chain[] = [];
  for (const point of ['start', 'middle', 'end'] as const) {
    for (const kind of FAULT_KINDS) {
      if (!full && point !== 'middle' && !START_END_IN_CI.has(kind)) continue;
      const subset = !full && SLOW.has(kind);
      const pick = (steps: readonly string[]): string[] => steps.filter((s) => !subset || CHANGES_PRODUCTION.has(s));
      chains.push({ kind, point, develop: pick(DEVELOP_STEPS), restore: pick(RESTORE_STEPS) });
    }
  }
  return chains;
}
