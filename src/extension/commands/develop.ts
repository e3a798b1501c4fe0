import * as vscode from 'vscode';
import { CancelledError, StepFailedError } from '../../core/devloop/engine';
import { ContainerLockedError } from '../../core/devloop/journalStore';
import { planDevelop, type DevelopRequest } from '../../core/devloop/plan';
import { MissingPackagesError } from '../../core/devloop/steps/pipErrors';
import { Settings } from '../constants';
import { ensureRunning } from '../containerGuard';
import { askDevelopRequest } from '../devloop/developWizard';
import { withStepProgress } from '../devloop/devLoop';
import { resolveContainer, type ContainerTarget } from '../pickers';
import type { Services } from '../services';

/**
 * Develop this service: ask what cannot be inferred, then isolate, stop, fetch, install, db_sync
 * and run in the foreground, each step journaled on the host first. On a container already in
 * dev mode it resumes with the journaled answers.
 */
export async function develop(services: Services, node?: unknown): Promise<boolean> {
  const target = await resolveContainer(services, node);
  if (!target) return false;
  await ensureRunning(services, target);
  const journal = await services.devLoop.journals(target.host.host).read(target.container.name);
  const resumed = journal?.request as DevelopRequest | undefined;
  const request = resumed?.unit ? resumed : await askDevelopRequest(services.prompter, services.devLoop.catalog(), target.container);
  if (!request) return false;
  return runDevelop(services, target, request, false);
}

async function runDevelop(services: Services, target: ContainerTarget, request: DevelopRequest, takeOverLock: boolean): Promise<boolean> {
  const { host, container } = target;
  try {
    const plan = await withStepProgress(`Develop ${request.unit} in ${container.name}`, async (signal, onProgress) => {
      const ctx = services.devLoop.stepContext(host.host, container.name, signal, onProgress);
      const plan = await planDevelop(ctx, services.devLoop.catalog(), request, container.units.map((u) => u.replace(/\.service$/, '')));
      await services.devLoop.engine(host.host, container.name).develop(plan.steps, { ...request }, { signal, onProgress, takeOverLock });
      return plan;
    });
    services.devTerminals.open(host.host, container.name, request.unit, plan.foreground);
    services.logger.info(`[${host.host}] ${container.name} is in dev mode: ${request.unit} runs from ${plan.devVenv}`);
    return true;
  } catch (error) {
    return recover(services, target, request, error);
  } finally {
    services.tree.refresh(services.tree.hostNode(host.host));
  }
}

/** Explains a failure and offers the next step that fits it. */
async function recover(services: Services, target: ContainerTarget, request: DevelopRequest, error: unknown): Promise<boolean> {
  const cause = error instanceof StepFailedError ? error.cause : error;
  const message = error instanceof Error ? error.message : String(error);
  services.logger.error(`Develop ${request.unit} in ${target.container.name}: ${message}`);
  if (cause instanceof MissingPackagesError && !request.indexUrl) {
    const index = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.packageIndex, 'https://pypi.org/simple');
    const choice = await vscode.window.showErrorMessage(cause.message, { modal: true }, `Retry with ${index}`);
    return choice ? runDevelop(services, target, { ...request, indexUrl: index }, false) : false;
  }
  if (error instanceof ContainerLockedError) {
    const choice = await vscode.window.showWarningMessage(error.message, { modal: true }, 'Take Over');
    return choice ? runDevelop(services, target, request, true) : false;
  }
  const next = error instanceof CancelledError ? 'Cancelled.' : message;
  const choice = await vscode.window.showErrorMessage(
    `${next} The container stays in dev mode: Resume continues from the failed step, Restore puts production back.`,
    'Resume',
    'Restore Production',
    'Show Log',
  );
  if (choice === 'Resume') return runDevelop(services, target, request, false);
  if (choice === 'Restore Production') await vscode.commands.executeCommand('osaDev.restore', target);
  if (choice === 'Show Log') services.logger.show();
  return false;
}
