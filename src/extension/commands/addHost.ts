import * as vscode from 'vscode';
import type { Services } from '../services';

/** Only what can be an SSH alias or user@address:port: no spaces or shell metacharacters. */
const HOST_SPEC = /^(?:[A-Za-z0-9._-]+@)?(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function validateHostSpec(value: string): string | undefined {
  const spec = value.trim();
  if (spec === '') return 'Enter an alias from ~/.ssh/config or user@address:port.';
  if (!HOST_SPEC.test(spec)) return 'Use an SSH alias or user@address:port (letters, digits, . _ - only).';
  const port = /:(\d+)$/.exec(spec)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return 'The port must be between 1 and 65535.';
  return undefined;
}

export async function addHost(services: Services, preset?: string): Promise<void> {
  const host =
    typeof preset === 'string'
      ? preset
      : await vscode.window.showInputBox({
          title: 'Add OSA host',
          prompt: 'An alias from ~/.ssh/config, or user@address:port of your OpenStack-Ansible all-in-one host',
          placeHolder: 'aio1 or root@203.0.113.10:22',
          ignoreFocusOut: true,
          validateInput: validateHostSpec,
        });
  if (host === undefined) return;
  const invalid = validateHostSpec(host);
  if (invalid) {
    void vscode.window.showErrorMessage(invalid);
    return;
  }
  const spec = host.trim();
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Connecting to ${spec}…` },
      () => services.probe(spec),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.logger.error(`Add host ${spec}: ${message}`);
    const choice = await vscode.window.showErrorMessage(`Could not add ${spec}: ${message}`, 'Add Anyway', 'Show Log');
    if (choice === 'Show Log') services.logger.show();
    if (choice !== 'Add Anyway') return;
  }
  await services.registry.add({ host: spec });
  services.logger.info(`Added host ${spec}`);
}
