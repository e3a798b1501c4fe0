/**
 * Where an all-in-one deployment got to, kept on the target host (/var/lib/osa-dev/aio-deploy.json)
 * so that re-running from any window continues where the last run stopped. Pure (parse/serialise).
 */
import { AIO_PHASES, type AioPhaseId } from './phases';

export const AIO_STATE_PATH = '/var/lib/osa-dev/aio-deploy.json';

export interface AioDeployState {
  readonly version: 1;
  readonly repository: string;
  readonly branch: string;
  readonly completed: readonly AioPhaseId[];
  readonly failed?: { readonly phase: AioPhaseId; readonly message: string; readonly at: string };
  readonly updated: string;
}

const PHASE_IDS = new Set<string>(AIO_PHASES.map((phase) => phase.id));

export class AioStateError extends Error {
  override readonly name = 'AioStateError';
}

export function parseAioState(text: string): AioDeployState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AioStateError(`${AIO_STATE_PATH} is not JSON; move it away to start the deployment from the beginning.`);
  }
  const value = raw as Partial<AioDeployState> | null;
  const ok =
    value !== null &&
    typeof value === 'object' &&
    value.version === 1 &&
    typeof value.repository === 'string' &&
    typeof value.branch === 'string' &&
    Array.isArray(value.completed) &&
    value.completed.every((id) => PHASE_IDS.has(id));
  if (!ok) throw new AioStateError(`${AIO_STATE_PATH} is not a deployment state this version understands; move it away to start again.`);
  return value as AioDeployState;
}

/** The first phase not yet completed, or undefined when the deployment is complete. */
export function nextPhase(state: AioDeployState | undefined): AioPhaseId | undefined {
  const done = new Set(state?.completed ?? []);
  return AIO_PHASES.find((phase) => !done.has(phase.id))?.id;
}

/** The state after a phase completed: it and every phase before it are done, the failure cleared. */
export function withCompleted(state: AioDeployState, phase: AioPhaseId, now: Date): AioDeployState {
  const upTo = AIO_PHASES.findIndex((p) => p.id === phase);
  const { failed: _cleared, ...rest } = state;
  return { ...rest, completed: AIO_PHASES.slice(0, upTo + 1).map((p) => p.id), updated: now.toISOString() };
}

/** The state after re-running from `phase`: that phase and the later ones count as not done. */
export function rewoundTo(state: AioDeployState, phase: AioPhaseId): AioDeployState {
  const from = AIO_PHASES.findIndex((p) => p.id === phase);
  const keep = new Set(AIO_PHASES.slice(0, from).map((p) => p.id));
  return { ...state, completed: state.completed.filter((id) => keep.has(id)) };
}
