import type { Logger } from '../log';
import type { PhysicalNode } from '../model/topology';
import type { ShellRunner } from '../process/types';
import type { ContainerRuntime } from '../runtime/types';

/** Everything a step needs to look at and change one container on one host. */
export interface StepContext {
  /** Runs a command line on the physical host the container runs on (over SSH). */
  readonly host: ShellRunner;
  /**
   * The deployment host, when the container runs on another physical host: HAProxy runs there and
   * the dev-mode journals are kept there. Absent on an all-in-one (then it is `host`).
   */
  readonly deployment?: ShellRunner;
  /** Where HAProxy runs (OSA's haproxy_hosts); absent: on the deployment host only, as on an all-in-one. */
  readonly haproxy?: HaproxyHosts;
  readonly runtime: ContainerRuntime;
  readonly container: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Human progress for the step being run ("Disabling 1 server in heat_api-back"). */
  report(message: string): void;
}

/** One host running HAProxy: the deployment host itself (no `node`), or a physical host reached through it. */
export interface HaproxyPlace {
  readonly name: string;
  readonly node?: PhysicalNode;
}

/**
 * The deployment's HAProxy hosts. Develop lists them (from the inventory); Restore reaches the
 * ones its journal recorded, by their recorded address, without asking the inventory again.
 */
export interface HaproxyHosts {
  list(): Promise<readonly HaproxyPlace[]>;
  /** Runs on a physical host other than the deployment host, through it (the same hop as nodes'). */
  reach(node: PhysicalNode): ShellRunner;
}

/**
 * One change the dev loop makes to the host. The engine journals `capture()`'s result on the
 * host BEFORE `apply()` runs, so `undo()` can always put the original back, even after a crash
 * in the middle of `apply()`. All three must be idempotent.
 */
export interface Step<Original = unknown> {
  readonly id: string;
  /** Short imperative title for progress and the journal ("Isolate in HAProxy"). */
  readonly title: string;
  /** Already done (e.g. on Resume)? Then apply is skipped. */
  check(ctx: StepContext, original: Original): Promise<boolean>;
  /** Reads what apply will change: the original state, as JSON-serialisable data. */
  capture(ctx: StepContext): Promise<Original>;
  apply(ctx: StepContext, original: Original): Promise<void>;
  /** Puts the original back. Works after a partial apply, and when run twice. */
  undo(ctx: StepContext, original: Original): Promise<void>;
}

/** A step that decided there is nothing to do (single backend server, no venv change…). */
/**
 * Thrown by `capture()` when the step must not run at all (e.g. another session owns the same
 * HAProxy backend). Nothing was changed; when no earlier step changed anything either, the engine
 * removes the journal and the lock again, so the container does not look like it is in dev mode.
 */
export class StepRefused extends Error {
  override readonly name: string = 'StepRefused';
}

export class StepSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'StepSkipped';
  }
}
