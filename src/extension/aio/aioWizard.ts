import { AIO_PHASES, type AioPhaseId } from '../../core/aio/phases';
import type { AioDeployState } from '../../core/aio/deployState';
import { runWizard, type PickItem, type Prompter } from '../wizard/prompter';

export interface AioAnswers {
  readonly branch: string;
  /** undefined: keep the password already in SecretStorage for this host. */
  readonly password?: string;
  /** Re-run from this phase (a deployment that failed or finished). */
  readonly from?: AioPhaseId;
}

const TITLE = 'Create OSA All-In-One';
const MIN_PASSWORD = 8;

/**
 * Asks the branch (when no deployment is under way), the admin password (unless one is stored), and
 * — when the host already has a deployment — whether to continue it or re-run from a phase.
 */
export async function askAioAnswers(
  prompter: Prompter,
  branches: readonly string[],
  state: AioDeployState | undefined,
  hasStoredPassword: boolean,
): Promise<AioAnswers | undefined> {
  const answers: { branch?: string; password?: string; from?: AioPhaseId } = {};
  const total = 1 + (hasStoredPassword ? 0 : 1);
  const steps: (() => Promise<boolean>)[] = [];
  if (state) {
    answers.branch = state.branch;
    steps.push(async () => {
      const done = state.completed.length;
      const items: PickItem<AioPhaseId | 'continue'>[] = [
        ...(done < AIO_PHASES.length
          ? [{ label: `Continue from "${AIO_PHASES[done]!.title}"`, description: state.failed ? `failed: ${state.failed.message.slice(0, 80)}` : `${done} of ${AIO_PHASES.length} phases done`, value: 'continue' as const }]
          : []),
        ...AIO_PHASES.slice(0, done).map((phase) => ({ label: `Re-run from "${phase.title}"`, value: phase.id })),
      ];
      const choice = await prompter.pick({ title: `${TITLE}: ${state.branch}`, step: 1, totalSteps: total }, items, 'This host already has a deployment');
      if (choice === undefined) return false;
      if (choice !== 'continue') answers.from = choice;
      return true;
    });
  } else {
    steps.push(async () => {
      const items = branches.map((branch) => ({ label: branch, value: branch }));
      const branch = await prompter.pick({ title: TITLE, step: 1, totalSteps: total }, items, 'openstack-ansible branch or tag to deploy');
      if (branch === undefined) return false;
      answers.branch = branch;
      return true;
    });
  }
  if (!hasStoredPassword) {
    steps.push(async () => {
      const password = await prompter.input(
        { title: TITLE, step: total, totalSteps: total },
        'Admin password for the cloud (keystone_auth_admin_password); kept in VS Code SecretStorage',
        '',
        (value) => (value.length < MIN_PASSWORD ? `At least ${MIN_PASSWORD} characters.` : /[\r\n]/.test(value) ? 'One line.' : undefined),
        { password: true },
      );
      if (password === undefined) return false;
      answers.password = password;
      return true;
    });
  }
  if (!(await runWizard(steps)) || answers.branch === undefined) return undefined;
  return { branch: answers.branch, ...(answers.password === undefined ? {} : { password: answers.password }), ...(answers.from ? { from: answers.from } : {}) };
}
