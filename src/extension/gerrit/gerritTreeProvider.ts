import * as vscode from 'vscode';
import { detectGerritProject, type ChangeSummary, type GerritClient, type GerritProject } from '../../core/gerrit';
import { Commands, ContextKeys, Settings } from '../constants';
import { MessageNode } from '../tree/messageNode';
import type { TreeNode } from '../tree/treeNode';
import { gerritClient } from './credentials';
import { ChangeNode, LoadMoreNode } from './nodes';

const PAGE_SIZE = 25;

interface Listing {
  readonly changes: ChangeSummary[];
  readonly more: boolean;
  readonly next: number;
}

/**
 * The Gerrit view: the open changes of the workspace's project (from `.gitreview`, its remotes or
 * the settings), a page at a time, each expanding to its patchsets. Nodes build their own items.
 */
export class GerritTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private projectFound: Promise<GerritProject | undefined> | undefined;
  private listing: Promise<Listing> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: vscode.LogOutputChannel,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.gitreview');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.refresh()),
      watcher.onDidChange(() => this.refresh()),
      watcher.onDidDelete(() => this.refresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if ([Settings.gerritUrl, Settings.gerritProject].some((key) => event.affectsConfiguration(`${Settings.section}.${key}`))) this.refresh();
      }),
    );
  }

  /** The workspace's Gerrit project (detected once per refresh); sets the context key the view's `when` uses. */
  project(): Promise<GerritProject | undefined> {
    this.projectFound ??= this.detect();
    return this.projectFound;
  }

  /** A client for the project's Gerrit, authenticated when an HTTP password is stored for it. */
  async client(project: GerritProject): Promise<GerritClient> {
    return gerritClient(this.secrets, project.baseUrl, this.logger);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return this.guarded(`gerrit:error:${node.id}`, () => node.getChildren());
    return this.guarded('gerrit:error', async () => {
      const project = await this.project();
      if (!project) return [];
      this.listing ??= this.firstPage(project);
      const listing = await this.listing.catch((error: unknown) => {
        this.listing = undefined;
        throw error;
      });
      const nodes: TreeNode[] = listing.changes.map((change) => new ChangeNode(project, change, () => this.client(project)));
      if (listing.changes.length === 0) nodes.push(new MessageNode('gerrit:empty', `No open changes in ${project.project}${project.branch ? ` on ${project.branch}` : ''}`, undefined, 'info'));
      if (listing.more) nodes.push(new LoadMoreNode());
      return nodes;
    });
  }

  /** Appends the next page of open changes. */
  async loadMore(): Promise<void> {
    const project = await this.project();
    const current = await this.listing;
    if (!project || !current?.more) return;
    const client = await this.client(project);
    const page = await client.listOpenChanges(project.project, { ...(project.branch ? { branch: project.branch } : {}), limit: PAGE_SIZE, start: current.next });
    const known = new Set(current.changes.map((c) => c.number));
    // A change updated between two pages moves up in Gerrit's order: show it once.
    this.listing = Promise.resolve({ changes: [...current.changes, ...page.changes.filter((c) => !known.has(c.number))], more: page.more, next: page.next });
    this.changed.fire(undefined);
  }

  /** Detects the project again and lists from the first page. */
  refresh(): void {
    this.projectFound = undefined;
    this.listing = undefined;
    this.changed.fire(undefined);
  }

  private async firstPage(project: GerritProject): Promise<Listing> {
    const client = await this.client(project);
    const page = await client.listOpenChanges(project.project, { ...(project.branch ? { branch: project.branch } : {}), limit: PAGE_SIZE });
    this.logger.info(`Gerrit ${project.baseUrl}: ${page.changes.length}${page.more ? '+' : ''} open change(s) in ${project.project}${project.branch ? ` on ${project.branch}` : ''} (project from ${project.from})`);
    return page;
  }

  private async detect(): Promise<GerritProject | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const config = vscode.workspace.getConfiguration(Settings.section);
    let project: GerritProject | undefined;
    try {
      if (folder?.uri.scheme === 'file') {
        const setting = config.get<string>(Settings.gerritProject, '');
        project = await detectGerritProject(folder.uri.fsPath, { gerritUrl: config.get<string>(Settings.gerritUrl, 'https://review.opendev.org'), ...(setting ? { project: setting } : {}) });
      }
    } catch (error) {
      this.logger.warn(`Gerrit project of ${folder?.uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await vscode.commands.executeCommand('setContext', ContextKeys.gerritProject, project !== undefined);
    return project;
  }

  private async guarded(id: string, body: () => Promise<TreeNode[]>): Promise<TreeNode[]> {
    try {
      return await body();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`Gerrit view: ${message}`);
      return [new MessageNode(id, message.split('\n')[0] ?? message, message, 'error', { command: Commands.gerritRefresh, title: 'Retry' })];
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
