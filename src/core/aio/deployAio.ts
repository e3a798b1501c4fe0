/**
 * Deploys OpenStack-Ansible's all-in-one on a host over its SSH runner, phase by phase, keeping
 * where it got to on the host (deployState) so a re-run continues from the failed phase. The admin
 * password travels only on stdin and lands in user_secrets.yml; it is never on a command line.
 */
import type { PlaybookOutcome } from '../ansible/recap';
import { commandFailure, playbookFailure, runAnsibleCommand } from '../ansible/runPlaybook';
import { setTopLevelSecret } from '../osa/userSecrets';
import { type ShellRunner } from '../process/types';
import { shellJoin } from '../shell/quote';
import { AIO_STATE_PATH, nextPhase, parseAioState, rewoundTo, withCompleted, type AioDeployState } from './deployState';
import { assertAioSupported, parseOsRelease, type OsRelease } from './osRelease';
import {
  ADMIN_PASSWORD_KEY,
  AIO_PHASES,
  phaseArgv,
  USER_SECRETS,
  validateDeployOptions,
  type AioDeployOptions,
  type AioPhase,
  type AioPhaseId,
} from './phases';

export interface AioDeployEvents {
  readonly onPhase?: (phase: AioPhase, index: number, total: number) => void;
  /** Everything the phases print (stdout and stderr, ANSI colours kept), for a terminal. */
  readonly onOutput?: (chunk: Uint8Array) => void;
  readonly signal?: AbortSignal;
}

export interface AioDeployRequest extends AioDeployOptions {
  readonly adminPassword: string;
  /** Run again from this phase (e.g. the playbook that failed) instead of the first one not done. */
  readonly from?: AioPhaseId;
}

export interface AioDeployResult {
  readonly phasesRun: readonly AioPhaseId[];
  readonly outcomes: ReadonlyMap<AioPhaseId, PlaybookOutcome>;
}

export class AioPhaseFailedError extends Error {
  override readonly name = 'AioPhaseFailedError';
  constructor(
    readonly phase: AioPhase,
    detail: string,
    readonly outcome?: PlaybookOutcome,
  ) {
    super(`${phase.title} failed: ${detail}. Fix the cause, then run the deployment again: it continues from this phase.`);
  }
}

export class AioConflictError extends Error {
  override readonly name = 'AioConflictError';
}

const STATE_WRITE = [
  'umask 077',
  'mkdir -p "$(dirname "$1")" && chmod 700 "$(dirname "$1")" || exit 1',
  'cat > "$1.tmp" && mv -f "$1.tmp" "$1"',
].join('\n');
// Replace a file with stdin keeping its mode and owner; `--reference` reads them from the original.
const REPLACE_KEEPING_MODE = [
  't="$1.osa-dev.tmp"',
  'cat > "$t" && chmod --reference="$1" "$t" && chown --reference="$1" "$t" && mv -f "$t" "$1" && exit 0',
  'rm -f "$t"; exit 1',
].join('\n');

export class AioDeployer {
  constructor(
    private readonly host: ShellRunner,
    private readonly hostLabel: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async checkHost(): Promise<OsRelease> {
    const result = await this.host.exec(shellJoin(['cat', '/etc/os-release']));
    const release = parseOsRelease(result.code === 0 ? result.stdout : '');
    assertAioSupported(release, this.hostLabel);
    return release;
  }

  async readState(): Promise<AioDeployState | undefined> {
    const result = await this.host.exec(shellJoin(['sh', '-c', 'if [ -f "$1" ]; then cat "$1"; else exit 3; fi', 'sh', AIO_STATE_PATH]));
    if (result.code === 3) return undefined;
    if (result.code !== 0) throw new Error(`Could not read ${AIO_STATE_PATH} on ${this.hostLabel}: ${result.stderr.trim()}`);
    return parseAioState(result.stdout);
  }

  async deploy(request: AioDeployRequest, events: AioDeployEvents = {}): Promise<AioDeployResult> {
    const options = validateDeployOptions(request);
    if (request.adminPassword === '') throw new AioConflictError('The admin password is empty.');
    await this.checkHost();
    let state = await this.readState();
    // A deployment that has done nothing yet (e.g. its branch did not exist) binds nothing.
    if (state && state.completed.length === 0) state = undefined;
    if (state && (state.repository !== options.repository || state.branch !== options.branch)) {
      throw new AioConflictError(
        `${this.hostLabel} already has a deployment of ${state.repository} ${state.branch} (${state.completed.length} of ${AIO_PHASES.length} phases done); ` +
          `continue it with that branch, or remove ${AIO_STATE_PATH} on the host to start another.`,
      );
    }
    state ??= { version: 1, repository: options.repository, branch: options.branch, completed: [], updated: this.now().toISOString() };
    if (request.from) state = rewoundTo(state, request.from);
    const start = nextPhase(state);
    const phasesRun: AioPhaseId[] = [];
    const outcomes = new Map<AioPhaseId, PlaybookOutcome>();
    if (start === undefined) return { phasesRun, outcomes };

    for (const [index, phase] of AIO_PHASES.entries()) {
      if (index < AIO_PHASES.findIndex((p) => p.id === start)) continue;
      events.onPhase?.(phase, index, AIO_PHASES.length);
      try {
        const outcome = await this.runPhase(phase, options, request.adminPassword, events);
        if (outcome) outcomes.set(phase.id, outcome);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await this.writeState({ ...state, failed: { phase: phase.id, message, at: this.now().toISOString() }, updated: this.now().toISOString() });
        throw error;
      }
      state = withCompleted(state, phase.id, this.now());
      await this.writeState(state);
      phasesRun.push(phase.id);
    }
    return { phasesRun, outcomes };
  }

  private async runPhase(
    phase: AioPhase,
    options: Required<AioDeployOptions>,
    adminPassword: string,
    events: AioDeployEvents,
  ): Promise<PlaybookOutcome | undefined> {
    if (phase.id === 'admin-password') {
      await this.setAdminPassword(phase, adminPassword);
      return undefined;
    }
    const run = await runAnsibleCommand(this.host, phaseArgv(phase.id, options), events);
    if (run.cancelled) throw new AioPhaseFailedError(phase, 'cancelled');
    if (!phase.playbook) {
      if (run.code !== 0) throw new AioPhaseFailedError(phase, commandFailure(run));
      return undefined;
    }
    if (!run.outcome.succeeded) throw new AioPhaseFailedError(phase, playbookFailure(run), run.outcome);
    return run.outcome;
  }

  private async setAdminPassword(phase: AioPhase, password: string): Promise<void> {
    const read = await this.host.exec(shellJoin(['cat', USER_SECRETS]), { secretOutput: true });
    if (read.code !== 0) throw new AioPhaseFailedError(phase, `${USER_SECRETS} is missing (bootstrap-aio.sh writes it)`);
    const updated = setTopLevelSecret(read.stdout, ADMIN_PASSWORD_KEY, password);
    if (updated === read.stdout) return;
    const write = await this.host.exec(shellJoin(['sh', '-c', REPLACE_KEEPING_MODE, 'sh', USER_SECRETS]), { stdin: updated });
    if (write.code !== 0) throw new AioPhaseFailedError(phase, `could not write ${USER_SECRETS}: ${write.stderr.trim()}`);
  }

  private async writeState(state: AioDeployState): Promise<void> {
    const result = await this.host.exec(shellJoin(['sh', '-c', STATE_WRITE, 'sh', AIO_STATE_PATH]), { stdin: `${JSON.stringify(state, null, 1)}\n` });
    if (result.code !== 0) throw new Error(`Could not record the deployment's progress in ${AIO_STATE_PATH}: ${result.stderr.trim()}`);
  }
}
