import * as vscode from 'vscode';
import { listContainerDir } from '../../core/devloop/steps/containerPaths';
import { ensureRunning } from '../containerGuard';
import { containerUri } from '../fs/containerFileSystem';
import { resolveContainer } from '../pickers';
import type { Services } from '../services';

/**
 * Opens a config file of the container's service (/etc/<service>/…) in the editor through the
 * osa-dev:// file system: saving journals the original so Restore production puts it back.
 */
export async function openConfig(services: Services, node?: unknown): Promise<void> {
  const target = await resolveContainer(services, node);
  if (!target) return;
  await ensureRunning(services, target);
  const { host, container } = target;
  const dir = `/etc/${container.service}`;
  const ssh = await services.containerHost(host.host, container.name);
  const entries = await listContainerDir(ssh, services.devLoop.runtimeFor(host.host), container.name, dir).catch(() => []);
  const files = entries.filter((e) => e.kind === 'file' || e.kind === 'symlink');
  const picked = await vscode.window.showQuickPick(
    [
      ...files.map((f) => ({ label: f.name, description: dir, path: `${dir}/${f.name}` })),
      { label: 'Another path…', description: 'any file in the container', path: '' },
    ],
    { title: `Config files of ${container.name}`, placeHolder: files.length === 0 ? `${dir} has no files; choose another path` : undefined },
  );
  if (!picked) return;
  let path = picked.path;
  if (path === '') {
    const typed = await vscode.window.showInputBox({
      title: `File in ${container.name}`,
      value: `${dir}/`,
      validateInput: (v) => (v.startsWith('/') && !v.split('/').includes('..') ? undefined : 'An absolute path without ".."'),
    });
    if (!typed) return;
    path = typed;
  }
  const document = await vscode.workspace.openTextDocument(containerUri(host.host, container.name, path));
  await vscode.window.showTextDocument(document);
}
