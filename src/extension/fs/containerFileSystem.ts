import * as vscode from 'vscode';
import { DevLoopEngine } from '../../core/devloop/engine';
import { JournalStore } from '../../core/devloop/journalStore';
import { readContainerFile } from '../../core/devloop/steps/containerFile';
import { ContainerPathNotFound, listContainerDir, statContainerPath, type PathKind } from '../../core/devloop/steps/containerPaths';
import { editFileStep } from '../../core/devloop/steps/editFileStep';
import { windowHolder } from '../devloop/holder';
import type { Services } from '../services';

export const SCHEME = 'osa-dev';

/** `osa-dev://HOST/CONTAINER/etc/heat/heat.conf` → its parts. */
export function parseContainerUri(uri: vscode.Uri): { host: string; container: string; path: string } {
  const [, container, ...rest] = uri.path.split('/');
  if (!uri.authority || !container) throw vscode.FileSystemError.FileNotFound(uri);
  return { host: uri.authority, container, path: `/${rest.join('/')}` };
}

export function containerUri(host: string, container: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, authority: host, path: `/${container}${path.startsWith('/') ? path : `/${path}`}` });
}

const fileTypes: Record<PathKind, vscode.FileType> = {
  file: vscode.FileType.File,
  directory: vscode.FileType.Directory,
  symlink: vscode.FileType.SymbolicLink | vscode.FileType.File,
  other: vscode.FileType.Unknown,
};

/**
 * A container's files in the editor, read and written over the host's SSH connection. Every save
 * goes through the dev-loop journal: the file's original bytes, mode and owner are recorded on the
 * host before the first write, so Restore production puts it back exactly.
 */
export class ContainerFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly services: Services) {}

  watch(): vscode.Disposable {
    // Remote files are not watched: they change when we write them, and we fire that ourselves.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { host, container, path } = parseContainerUri(uri);
    const stat = await this.guard(uri, async () => statContainerPath(await this.services.containerHost(host, container), this.services.devLoop.runtimeFor(host), container, path));
    return { type: fileTypes[stat.kind], size: stat.size, mtime: stat.mtimeMs, ctime: stat.mtimeMs };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { host, container, path } = parseContainerUri(uri);
    const entries = await this.guard(uri, async () => listContainerDir(await this.services.containerHost(host, container), this.services.devLoop.runtimeFor(host), container, path));
    return entries.map((entry) => [entry.name, fileTypes[entry.kind]]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { host, container, path } = parseContainerUri(uri);
    const snapshot = await this.guard(uri, async () => readContainerFile(await this.services.containerHost(host, container), this.services.devLoop.runtimeFor(host), container, path));
    if (!snapshot.exists) throw vscode.FileSystemError.FileNotFound(uri);
    return Buffer.from(snapshot.base64, 'base64');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const { host, container, path } = parseContainerUri(uri);
    // The file is on the container's physical host; its journal on the deployment host.
    const ssh = await this.services.containerHost(host, container);
    const deployment = this.services.connection(host);
    const engine = new DevLoopEngine({
      host: ssh,
      deployment,
      runtime: this.services.devLoop.runtimeFor(host),
      store: new JournalStore(deployment),
      container,
      holder: windowHolder(),
      logger: this.services.logger,
    });
    if (!options.create || !options.overwrite) {
      const exists = await statContainerPath(ssh, this.services.devLoop.runtimeFor(host), container, path).then(() => true, () => false);
      if (!exists && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
      if (exists && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    }
    await engine.develop([editFileStep(path, content)], { kind: 'edit', path });
    this.services.logger.info(`[${host}] saved ${path} in ${container} (original kept in the dev-mode journal)`);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    this.services.tree.refresh(this.services.tree.hostNode(host));
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(`${uri.path}: creating folders in a container is not journaled; use Open Shell.`);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(`${uri.path}: deleting in a container is not journaled; use Open Shell.`);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(`${uri.path}: renaming in a container is not journaled; use Open Shell.`);
  }

  private async guard<T>(uri: vscode.Uri, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof ContainerPathNotFound) throw vscode.FileSystemError.FileNotFound(uri);
      throw error;
    }
  }
}
