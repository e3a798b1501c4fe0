import * as vscode from 'vscode';
import { formatRecap } from '../../core/ansible/recap';
import type { OsaInventory } from '../../core/osa/inventory';
import { readInventoryCommand } from '../../core/osa/readInventory';
import { planRebuild, rebuildContainer as runRebuild, RebuildFailedError } from '../../core/osa/rebuild';
import { describeRebuild } from '../../core/osa/rebuildConfirmation';
import { runCommand } from '../../core/process/runCommand';
import type { HostEntry } from '../hosts/types';
import type { Services } from '../services';
import { StreamTerminal } from '../terminal/streamTerminal';
import { resolveRebuildTarget } from './rebuildTarget';

/**
 * Rebuild this container with OSA's own playbooks (destroy, create, the service's playbook, each
 * limited to it), after a modal confirmation naming what goes and what runs. The Ansible output
 * streams into a terminal; the PLAY RECAP is summarised at the end. Refused in dev mode: the
 * journal's originals would be destroyed with the container.
 */
export async function rebuildContainer(services: Services, node?: unknown): Promise<boolean> {
  const readInventory = (entry: HostEntry): Promise<OsaInventory> => runCommand(services.connection(entry.host), readInventoryCommand());
  let inventory: OsaInventory | undefined;
  const target = await resolveRebuildTarget(services, node, async (entry) => (inventory = await readInventory(entry)));
  if (!target) return false;
  const { host } = target;
  const container = { name: target.name };
  if (await services.devLoop.journals(host.host).read(container.name)) {
    throw new Error(`${container.name} is in dev mode on ${host.label}: Restore production first, then rebuild it.`);
  }
  const connection = services.connection(host.host);
  const plan = planRebuild(inventory ?? (await readInventory(host)), container.name);
  const { message, detail } = describeRebuild(plan, host.label);
  if (!(await services.prompter.confirm(message, detail, 'Destroy and Rebuild'))) return false;

  const controller = new AbortController();
  const output = new StreamTerminal(`Rebuild · ${container.name}`, () => controller.abort());
  output.terminal.show(true);
  services.logger.info(`[${host.host}] rebuilding ${container.name}: ${plan.steps.map((s) => s.argv.join(' ')).join(' ; ')}`);
  const started = Date.now();
  try {
    const outcomes = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Rebuilding ${container.name}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return runRebuild(connection, plan, {
          signal: controller.signal,
          onOutput: (chunk) => output.writeBytes(chunk),
          onStep: (step, index, total) => {
            output.note(`$ ${step.argv.join(' ')}`);
            progress.report({ message: `${index + 1}/${total} ${step.title}`, ...(index > 0 ? { increment: 100 / total } : {}) });
          },
        });
      },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const summary = plan.steps.map((step) => `${step.argv[1]}: ${formatRecap(outcomes.get(step.id)?.recap ?? []).replace(/\n/g, '; ')}`);
    output.write(`\n\x1b[32mRebuilt ${container.name} in ${seconds} s\x1b[0m\n${summary.join('\n')}\n`);
    services.logger.info(`[${host.host}] ${container.name} rebuilt in ${seconds} s; ${summary.join(' | ')}`);
    void vscode.window.showInformationMessage(`Rebuilt ${container.name} in ${seconds} s. ${summary.at(-1) ?? ''}`);
    return true;
  } catch (error) {
    if (!(error instanceof RebuildFailedError)) throw error;
    const playbook = error.step.argv[1] ?? error.step.title;
    const text = error.message.includes(playbook) ? error.message : `${playbook}: ${error.message}`;
    output.write(`\n\x1b[31m${text}\x1b[0m\n`);
    services.logger.error(`[${host.host}] ${text}`);
    void vscode.window.showErrorMessage(text, 'Show Output').then((choice) => choice && output.terminal.show());
    return false;
  } finally {
    services.tree.refresh(services.tree.hostNode(host.host));
  }
}
