import * as vscode from 'vscode';
import { DebugpyUnavailableError } from '../../core/debug/debugpy';
import { DebugPreflightError } from '../../core/debug/preflight';
import { waitForListening } from '../../core/debug/waitListening';
import { CancelledError, StepFailedError } from '../../core/devloop/engine';
import { ContainerLockedError } from '../../core/devloop/journalStore';
import { planDevelop, type DevelopRequest } from '../../core/devloop/plan';
import type { CodeSource } from '../../core/devloop/steps/codeStep';
import { MissingPackagesError } from '../../core/devloop/steps/pipErrors';
import { Settings } from '../constants';
import { ensureRunning } from '../containerGuard';
import { askDevelopAnswers, type DevelopAnswers, type SourcePreset } from '../devloop/developWizard';
import { wizardLists } from '../devloop/wizardLists';
import { withStepProgress } from '../devloop/devLoop';
import { resolveContainer, type ContainerTarget } from '../pickers';
import type { Services } from '../services';
import { prepareLocalTree } from '../sources/localTree';

/** debugpy's port in the container (on the management IP only; reached through SSH). */
export const DEBUG_PORT = 5678;

/**
 * Develop this service: ask what cannot be inferred, prepare the local working tree, then isolate,
 * stop, sync, install, db_sync and run in the foreground, each step journaled on the host first.
 * On a container already in dev mode it resumes with the journaled answers.
 */
export async function develop(services: Services, node?: unknown, preset?: SourcePreset): Promise<boolean> {
  const target = await resolveContainer(services, node);
  if (!target) return false;
  await ensureRunning(services, target);
  const journal = await services.devLoop.journals(target.host.host).read(target.container.name);
  const resumed = journal?.request as DevelopRequest | undefined;
  if (resumed?.unit && preset) {
    throw new Error(`${target.container.name} is already in dev mode (${resumed.unit}): Restore Production first, or Develop This Service to resume.`);
  }
  if (resumed?.unit) return runDevelop(services, target, resumed, false);
  const answers = await askDevelopAnswers(services.prompter, services.devLoop.catalog(), target.container, {
    ...(vscode.workspace.workspaceFolders?.[0]?.uri.scheme === 'file' ? { workspaceFolder: vscode.workspace.workspaceFolders[0].uri.fsPath } : {}),
    gerritUrl: vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.gerritUrl, 'https://review.opendev.org'),
    lists: wizardLists(services, target),
    ...(preset ? { preset } : {}),
  });
  if (!answers) return false;
  const source = await codeSourceFor(services, answers);
  const request: DevelopRequest = {
    container: target.container.name,
    ...(target.container.managementIp ? { managementIp: target.container.managementIp } : {}),
    service: answers.service,
    unit: answers.unit,
    source,
    project: answers.project,
    ...(answers.debug ? { debug: { port: vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.debugPort, DEBUG_PORT) } } : {}),
    ...(target.container.node ? { node: target.container.node } : {}),
  };
  return runDevelop(services, target, request, false);
}

/** Local sources become a working tree on this machine (cloned, fetched or a Gerrit change). */
async function codeSourceFor(services: Services, answers: DevelopAnswers): Promise<CodeSource> {
  const source = answers.source;
  if (source.kind === 'container-path') return source;
  if (source.kind === 'container-git') return { kind: 'git', url: source.url, ref: source.ref };
  const tree = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: source.kind === 'gerrit' ? `Checking out change ${source.change}` : `Preparing ${answers.project}` },
    () => prepareLocalTree(services, source, answers.project),
  );
  services.logger.info(`Local working tree: ${tree.dir}${'head' in tree ? ` at ${tree.head.slice(0, 12)}${tree.branch ? ` (${tree.branch})` : ''}` : ''}`);
  return { kind: 'local', path: tree.dir };
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
    if (request.source.kind === 'local') services.innerLoop.watch({ host: host.host, container: container.name, unit: request.unit, localDir: request.source.path, dest: plan.src });
    for (const note of plan.debug?.notes ?? []) services.logger.warn(`${request.unit}: ${note}`);
    if (plan.debug) await attachWhenListening(services, target, request, plan.debug.listenHost, plan.debug.port);
    services.logger.info(`[${host.host}] ${container.name} is in dev mode: ${request.unit} runs from ${plan.devVenv}`);
    return true;
  } catch (error) {
    return recover(services, target, request, error);
  } finally {
    services.tree.refresh(services.tree.hostNode(host.host));
  }
}

/**
 * The dev process starts in its terminal while we attach: wait until debugpy listens. A failed
 * attach is not a failed Develop (every step is applied): say so and offer Attach Debugger.
 */
async function attachWhenListening(services: Services, target: ContainerTarget, request: DevelopRequest, ip: string, port: number): Promise<void> {
  const { host, container } = target;
  const listening = await waitForListening(services.devLoop.containerRunner(host.host, container.name), services.devLoop.runtimeFor(host.host), container.name, ip, port);
  const attached = listening && (await services.debugSessions.attach(host.host, container.name, request.unit).then((ok) => ok, () => false));
  if (attached) return;
  const why = listening ? 'the debugger could not attach' : `debugpy is not listening on ${ip}:${port} yet (see the dev terminal)`;
  services.logger.warn(`${request.unit} in ${container.name} runs, but ${why}.`);
  void vscode.window.showWarningMessage(`${request.unit} runs in dev mode, but ${why}.`, 'Attach Debugger').then((choice) => {
    if (choice) void vscode.commands.executeCommand('osaDev.attachDebugger', target);
  });
}

/** Explains a failure and offers the next step that fits it. */
async function recover(services: Services, target: ContainerTarget, request: DevelopRequest, error: unknown): Promise<boolean> {
  const cause = error instanceof StepFailedError ? error.cause : error;
  const message = error instanceof Error ? error.message : String(error);
  services.logger.error(`Develop ${request.unit} in ${target.container.name}: ${message}`);
  if (cause instanceof MissingPackagesError && !request.indexUrl) {
    const index = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.packageIndex, 'https://pypi.org/simple');
    // Through the Prompter (a modal), so extension-host tests can answer it.
    const retry = await services.prompter.confirm(cause.message, `The index goes into ${target.container.name}'s pip.conf; Restore Production puts the file back byte for byte.`, `Retry with ${index}`);
    return retry ? runDevelop(services, target, { ...request, indexUrl: index }, false) : false;
  }
  if (error instanceof ContainerLockedError) {
    const takeOver = await services.prompter.confirm(error.message, 'The other session stops being the holder; its journal is continued from here.', 'Take Over');
    return takeOver ? runDevelop(services, target, request, true) : false;
  }
  // A debug pre-check refused before any step; its message says what the host is left with.
  const refusedBeforeAnyStep = error instanceof DebugPreflightError || error instanceof DebugpyUnavailableError;
  if (refusedBeforeAnyStep && error.left === 'untouched') {
    const { debug: _debug, ...withoutDebugger } = request;
    const choice = await vscode.window.showErrorMessage(message, 'Run Without the Debugger', 'Show Log');
    if (choice === 'Run Without the Debugger') return runDevelop(services, target, withoutDebugger, false);
    if (choice === 'Show Log') services.logger.show();
    return false;
  }
  const next = error instanceof CancelledError ? 'Cancelled.' : message;
  const stays = refusedBeforeAnyStep ? '' : ' The container stays in dev mode: Resume continues from the failed step, Restore puts production back.';
  const choice = await vscode.window.showErrorMessage(
    `${next}${stays}`,
    'Resume',
    'Restore Production',
    'Show Log',
  );
  if (choice === 'Resume') return runDevelop(services, target, request, false);
  if (choice === 'Restore Production') await vscode.commands.executeCommand('osaDev.restore', target);
  if (choice === 'Show Log') services.logger.show();
  return false;
}
