import * as vscode from 'vscode';
import { AioDeployer, AioPhaseFailedError } from '../../core/aio/deployAio';
import { AIO_PHASES } from '../../core/aio/phases';
import { formatRecap } from '../../core/ansible/recap';
import { parseRemoteRefs } from '../../core/git/remoteRefs';
import { assertGitUrl } from '../../core/git/validate';
import { LoggingRunner } from '../../core/process/loggingRunner';
import { shellJoin } from '../../core/shell/quote';
import { askAioAnswers } from '../aio/aioWizard';
import { Commands, Settings } from '../constants';
import { withStepProgress } from '../devloop/devLoop';
import { resolveHost } from '../pickers';
import type { Services } from '../services';
import { StreamTerminal } from '../terminal/streamTerminal';

const DEFAULT_REPOSITORY = 'https://opendev.org/openstack/openstack-ansible';

/**
 * Create OSA All-In-One on Host…: OSA's own steps on a fresh Ubuntu/Debian host, one progress
 * notification per phase, Ansible's output in a terminal, resumable from the phase that failed.
 * The admin password is asked once, kept in SecretStorage, and reaches the host only on stdin.
 */
export async function createAio(services: Services, node?: unknown, from?: string): Promise<void> {
  const host = await resolveHost(services, node);
  if (!host) return;
  const repository = assertGitUrl(vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.aioRepository) || DEFAULT_REPOSITORY);
  const runner = new LoggingRunner(services.connection(host.host), services.logger, host.host);
  const deployer = new AioDeployer(runner, host.label);
  await deployer.checkHost();
  const state = await deployer.readState();
  const secretKey = `osaDev.aio.adminPassword/${host.host}`;
  const stored = await services.context.secrets.get(secretKey);

  let branches: string[] = [];
  if (!state) {
    const listed = await runner.exec(shellJoin(['git', 'ls-remote', '--heads', '--tags', repository]));
    if (listed.code === 127) throw new Error(`git is not installed on ${host.label}: install it (apt-get install git) and try again.`);
    if (listed.code !== 0) throw new Error(`${host.label} cannot list the branches of ${repository}: ${listed.stderr.trim().split('\n').pop()}`);
    branches = parseRemoteRefs(listed.stdout);
  }
  const answers = from
    ? { branch: state?.branch ?? '', from: AIO_PHASES.find((p) => p.id === from)?.id }
    : await askAioAnswers(services.prompter, branches, state, stored !== undefined);
  if (!answers || !answers.branch) return;
  if (answers.password !== undefined) await services.context.secrets.store(secretKey, answers.password);
  const adminPassword = answers.password ?? stored;
  if (!adminPassword) throw new Error('No admin password is stored for this host: run the command again to set one.');

  const confirmed = await services.prompter.confirm(
    `Deploy OpenStack-Ansible ${answers.branch} on ${host.label}?`,
    `As root on ${host.host}: clone ${repository} into /opt/openstack-ansible, run its bootstrap scripts and the setup playbooks. This takes a long time and changes the whole host.`,
    'Deploy',
  );
  if (!confirmed) return;

  const controller = new AbortController();
  const output = new StreamTerminal(`OSA deploy (${host.label})`, () => controller.abort());
  output.terminal.show(true);
  try {
    const result = await withStepProgress(`OSA all-in-one on ${host.label}`, (signal, onProgress) => {
      signal.addEventListener('abort', () => controller.abort());
      return deployer.deploy(
        { repository, branch: answers.branch, adminPassword, ...(answers.from ? { from: answers.from } : {}) },
        {
          signal: controller.signal,
          onOutput: (chunk) => output.writeBytes(chunk),
          onPhase: (phase, index, total) => {
            output.note(`\n=== ${index + 1}/${total} ${phase.title} ===`);
            onProgress({ step: phase.id, title: phase.title, index, total, status: 'running' });
          },
        },
      );
    });
    const recap = [...result.outcomes.values()].at(-1)?.recap ?? [];
    output.note(result.phasesRun.length ? `\nDeployed. ${formatRecap(recap)}` : '\nAlready deployed: nothing to run.');
    void vscode.window.showInformationMessage(
      result.phasesRun.length ? `OpenStack-Ansible ${answers.branch} is deployed on ${host.label}.\n${formatRecap(recap)}` : `${host.label} is already deployed (${answers.branch}).`,
    );
    services.tree.refresh();
  } catch (error) {
    if (!(error instanceof AioPhaseFailedError)) throw error;
    output.note(`\n${error.message}`);
    const rerun = `Re-run from ${error.phase.id}`;
    services.logger.error(error.message);
    // Not awaited: the command ends here; the buttons act whenever the user gets to them.
    void vscode.window.showErrorMessage(error.message, rerun, 'Show Output').then((choice) => {
      if (choice === 'Show Output') output.terminal.show();
      if (choice === rerun) void vscode.commands.executeCommand(Commands.createAio, node, error.phase.id);
    });
  }
}
