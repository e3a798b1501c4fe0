/**
 * A Gerrit stand-in on 127.0.0.1 (ephemeral port): exactly the REST endpoints our client and
 * git-review use, shaped as Gerrit's REST docs show (`)]}'`, ChangeInfo/RevisionInfo/FetchInfo
 * field names, AccountInfo with only `_account_id` unless DETAILED_ACCOUNTS), plus git's smart
 * HTTP through the real `git http-backend`, over real bare repos holding `refs/changes/NN/C/PS`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeRefName } from '../../../src/core/gerrit/changeRef';
import type { AccountSpec, ChangeSpec } from './builders';

export interface StandInOptions {
  /** HTTP credentials accepted under `/a/` (Gerrit's HTTP password). */
  readonly account?: { readonly username: string; readonly password: string };
  readonly projects?: readonly string[];
  /** Projects whose branches and tags are copied from an existing repository (e.g. the lab's heat) instead of the small generated one. */
  readonly seededProjects?: Readonly<Record<string, string>>;
}

interface StoredChange {
  readonly spec: ChangeSpec;
  readonly changeId: string;
  /** Revision sha per patchset number (index 0 = patchset 1). */
  readonly revisions: readonly string[];
  /** When each patchset was uploaded (index 0 = patchset 1). */
  readonly uploaded: readonly string[];
  readonly created: string;
  readonly updated: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: boolean;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Stand In',
  GIT_AUTHOR_EMAIL: 'stand-in@example.org',
  GIT_COMMITTER_NAME: 'Stand In',
  GIT_COMMITTER_EMAIL: 'stand-in@example.org',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

export class GerritStandIn {
  readonly root: string;
  readonly requests: RecordedRequest[] = [];
  private readonly changes = new Map<number, StoredChange>();
  private server: Server | undefined;
  private port = 0;
  private clock = Date.UTC(2026, 0, 5, 9, 0, 0);

  private constructor(private readonly options: StandInOptions) {
    this.root = mkdtempSync(join(tmpdir(), 'gerrit-stand-in-'));
  }

  /** Starts the HTTP server and creates each project's bare repo (master with a .gitreview, stable/2025.1, tag 24.0.0). */
  static async start(options: StandInOptions = {}): Promise<GerritStandIn> {
    const standIn = new GerritStandIn(options);
    await standIn.listen();
    const seeded = options.seededProjects ?? {};
    for (const project of options.projects ?? (Object.keys(seeded).length > 0 ? [] : ['openstack/heat'])) standIn.createProject(project);
    for (const [project, url] of Object.entries(seeded)) standIn.seedProject(project, url);
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The git URL of a project, as Gerrit serves it (anonymous http). */
  gitUrl(project: string): string {
    return `${this.url}/${project}`;
  }

  repoDir(project: string): string {
    return join(this.root, 'git', project);
  }

  /** Adds a change: one commit per patchset on top of its branch, each under refs/changes/NN/C/PS. */
  addChange(spec: ChangeSpec): StoredChange {
    if (this.changes.has(spec.number)) throw new Error(`change ${spec.number} exists already`);
    const repo = this.repoDir(spec.project);
    const base = this.git(repo, 'rev-parse', `refs/heads/${spec.branch}`).trim();
    const changeId = `I${execFileSync('sh', ['-c', 'printf %s "$1" | sha1sum', 'sh', `${spec.project}/${spec.number}`], { encoding: 'utf8' }).slice(0, 40)}`;
    const revisions: string[] = [];
    const uploaded: string[] = [];
    const created = this.tick();
    for (let ps = 1; ps <= spec.patchsets; ps++) {
      const when = ps === 1 ? created : this.tick();
      const blob = this.gitx(repo, ['hash-object', '-w', '--stdin'], `change ${spec.number} patchset ${ps}\n`).trim();
      const index = join(this.root, `index-${spec.number}-${ps}`);
      const env = { GIT_INDEX_FILE: index };
      this.gitx(repo, ['read-tree', base], undefined, env);
      this.gitx(repo, ['update-index', '--add', '--cacheinfo', `100644,${blob},changes/${spec.number}.txt`], undefined, env);
      const tree = this.gitx(repo, ['write-tree'], undefined, env).trim();
      rmSync(index, { force: true });
      const message = `${spec.subject}\n\nPatchset ${ps} of change ${spec.number}.\n\nChange-Id: ${changeId}\n`;
      const dateEnv = { GIT_AUTHOR_DATE: `${Math.floor(when / 1000)} +0000`, GIT_COMMITTER_DATE: `${Math.floor(when / 1000)} +0000` };
      const commit = this.gitx(repo, ['commit-tree', tree, '-p', base], message, { ...dateEnv, GIT_AUTHOR_NAME: spec.owner.name, GIT_AUTHOR_EMAIL: spec.owner.email }).trim();
      this.git(repo, 'update-ref', changeRefName(spec.number, ps), commit);
      revisions.push(commit);
      uploaded.push(gerritDate(when));
    }
    if (spec.status === 'MERGED') this.git(repo, 'update-ref', `refs/heads/${spec.branch}`, revisions[revisions.length - 1]!);
    const stored: StoredChange = { spec, changeId, revisions, uploaded, created: gerritDate(created), updated: gerritDate(this.tick()) };
    this.changes.set(spec.number, stored);
    return stored;
  }

  revision(change: number, patchset: number): string {
    const sha = this.changes.get(change)?.revisions[patchset - 1];
    if (sha === undefined) throw new Error(`no ${change},${patchset}`);
    return sha;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  // ---- repositories --------------------------------------------------------------------------

  private createProject(project: string): void {
    const repo = this.repoDir(project);
    mkdirSync(repo, { recursive: true });
    this.git(repo, 'init', '-q', '--bare', '-b', 'master');
    const work = mkdtempSync(join(this.root, 'seed-'));
    const port = this.port;
    const files: Record<string, string> = {
      '.gitreview': `[gerrit]\nhost=127.0.0.1\nport=${port}\nproject=${project}.git\ndefaultbranch=master\nscheme=http\n`,
      'README.rst': `${project}\n`,
      'setup.cfg': '[metadata]\nname = openstack-heat\n',
      'heat/__init__.py': '',
      'heat/version.py': "CODE_MARKER = 'master'\n",
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    this.git(work, 'init', '-q', '-b', 'master');
    this.git(work, 'add', '-A');
    this.gitx(work, ['commit', '-q', '-m', 'Initial import'], undefined, { GIT_AUTHOR_DATE: '1767600000 +0000', GIT_COMMITTER_DATE: '1767600000 +0000' });
    this.git(work, 'tag', '24.0.0');
    this.git(work, 'branch', 'stable/2025.1');
    writeFileSync(join(work, 'heat/version.py'), "CODE_MARKER = 'master-2'\n");
    this.gitx(work, ['commit', '-q', '-am', 'Master moves on'], undefined, { GIT_AUTHOR_DATE: '1767600060 +0000', GIT_COMMITTER_DATE: '1767600060 +0000' });
    this.git(work, 'push', '-q', repo, 'master', 'stable/2025.1', '24.0.0');
    rmSync(work, { recursive: true, force: true });
  }

  private seedProject(project: string, url: string): void {
    const repo = this.repoDir(project);
    mkdirSync(repo, { recursive: true });
    this.git(repo, 'init', '-q', '--bare', '-b', 'master');
    this.git(repo, 'fetch', '-q', url, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*');
  }

  /** `git` in `cwd`; argv is argv (no shell), optional stdin and extra environment. */
  private git(cwd: string, ...argv: string[]): string {
    return this.gitx(cwd, argv);
  }

  private gitx(cwd: string, argv: readonly string[], input?: string, env: Record<string, string> = {}): string {
    return execFileSync('git', argv, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...GIT_ENV, ...env },
      ...(input === undefined ? {} : { input }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  private tick(): number {
    this.clock += 60_000;
    return this.clock;
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private listen(): Promise<void> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
        response.end(`stand-in error: ${String(error)}`);
      });
    });
    return new Promise((resolve) =>
      this.server!.listen(0, '127.0.0.1', () => {
        this.port = (this.server!.address() as AddressInfo).port;
        resolve();
      }),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    this.requests.push({ method: request.method ?? 'GET', url: `${url.pathname}${url.search}`, authorization: request.headers.authorization !== undefined });
    let path = url.pathname;
    let authenticated = false;
    if (path.startsWith('/a/')) {
      if (!this.checkAuth(request)) {
        response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Gerrit Code Review"', 'Content-Type': 'text/plain' });
        response.end('Unauthorized');
        return;
      }
      authenticated = true;
      path = path.slice(2);
    }
    const git = /^\/(.+?)(?:\.git)?\/(info\/refs|git-upload-pack)$/.exec(path);
    if (git) return this.gitHttpBackend(request, response, git[1]!, git[2]!, url.search.slice(1));
    if (request.method !== 'GET') return text(response, 405, 'Method Not Allowed');
    const options = new Set(url.searchParams.getAll('o'));
    if (path === '/changes/') {
      const query = url.searchParams.get('q') ?? '';
      // n limits, S (or start) skips; `_more_changes: true` on the last one when more match.
      const limit = Number(url.searchParams.get('n') ?? '500');
      const start = Number(url.searchParams.get('S') ?? url.searchParams.get('start') ?? '0');
      const found = this.query(query).filter((c) => authenticated || !c.spec.private);
      const list = found.slice(start, start + limit).map((c) => this.changeInfo(c, options));
      if (found.length > start + limit && list.length > 0) (list[list.length - 1] as Record<string, unknown>)['_more_changes'] = true;
      return json(response, list);
    }
    if (path === '/accounts/self') {
      // Gerrit answers `self` only to a signed-in caller (403 "Authentication required" anonymously).
      const account = this.options.account;
      if (!authenticated || !account) return text(response, 403, 'Authentication required');
      return json(response, { _account_id: 1000096, name: 'Alice Example', email: 'alice@example.org', username: account.username });
    }
    const single = /^\/changes\/([^/]+)$/.exec(path);
    if (single) {
      const id = decodeURIComponent(single[1]!);
      const match = /^(?:(.+)~)?([0-9]+)$/.exec(id);
      const change = match ? this.changes.get(Number(match[2])) : undefined;
      if (!change || (match?.[1] !== undefined && match[1] !== change.spec.project) || (change.spec.private && !authenticated)) {
        return text(response, 404, `Not found: ${id}`);
      }
      return json(response, this.changeInfo(change, options));
    }
    return text(response, 404, 'Not found');
  }

  private checkAuth(request: IncomingMessage): boolean {
    const account = this.options.account;
    const header = request.headers.authorization;
    if (!account || !header?.startsWith('Basic ')) return false;
    return Buffer.from(header.slice(6), 'base64').toString('utf8') === `${account.username}:${account.password}`;
  }

  /** `12345`, `change:12345`, `project:P status:open` (space-separated terms, ANDed). */
  private query(q: string): StoredChange[] {
    const terms = q.trim().split(/\s+/).filter((t) => t !== '');
    let result = [...this.changes.values()];
    for (const term of terms) {
      const [key, value] = term.includes(':') ? [term.slice(0, term.indexOf(':')), term.slice(term.indexOf(':') + 1)] : ['change', term];
      if (key === 'change') result = result.filter((c) => String(c.spec.number) === value || c.changeId === value);
      else if (key === 'project') result = result.filter((c) => c.spec.project === value);
      else if (key === 'status' && value === 'open') result = result.filter((c) => c.spec.status === 'NEW');
      else if (key === 'status') result = result.filter((c) => c.spec.status.toLowerCase() === value);
      else if (key === 'branch') result = result.filter((c) => c.spec.branch === value);
      else result = [];
    }
    return result.sort((a, b) => b.updated.localeCompare(a.updated));
  }

  private changeInfo(change: StoredChange, options: ReadonlySet<string>): object {
    const { spec } = change;
    const detailed = options.has('DETAILED_ACCOUNTS');
    const account = (a: AccountSpec): object => (detailed ? { _account_id: a.id, name: a.name, email: a.email, username: a.username } : { _account_id: a.id });
    const current = change.revisions[change.revisions.length - 1]!;
    const info: Record<string, unknown> = {
      id: `${encodeURIComponent(spec.project)}~${encodeURIComponent(spec.branch)}~${change.changeId}`,
      project: spec.project,
      branch: spec.branch,
      ...(spec.topic ? { topic: spec.topic } : {}),
      change_id: change.changeId,
      subject: spec.subject,
      status: spec.status,
      created: change.created,
      updated: change.updated,
      insertions: 1,
      deletions: 0,
      _number: spec.number,
      owner: account(spec.owner),
    };
    const wanted = options.has('ALL_REVISIONS') ? change.revisions : options.has('CURRENT_REVISION') ? [current] : [];
    if (wanted.length > 0) {
      info['current_revision'] = current;
      info['revisions'] = Object.fromEntries(
        wanted.map((sha) => {
          const ps = change.revisions.indexOf(sha) + 1;
          const ref = changeRefName(spec.number, ps);
          return [sha, { kind: 'REWORK', _number: ps, created: change.uploaded[ps - 1], uploader: account(spec.owner), ref, fetch: { 'anonymous http': { url: this.gitUrl(spec.project), ref } } }];
        }),
      );
    }
    return info;
  }

  /** Git's smart HTTP (upload-pack only: fetch/clone) through `git http-backend` as a CGI. */
  private gitHttpBackend(request: IncomingMessage, response: ServerResponse, project: string, service: string, query: string): Promise<void> {
    return new Promise((resolve) => {
      const cgi = spawn('git', ['http-backend'], {
        env: {
          ...process.env,
          ...GIT_ENV,
          GIT_PROJECT_ROOT: join(this.root, 'git'),
          GIT_HTTP_EXPORT_ALL: '1',
          PATH_INFO: `/${project}/${service}`,
          REQUEST_METHOD: request.method ?? 'GET',
          QUERY_STRING: query,
          CONTENT_TYPE: request.headers['content-type'] ?? '',
          ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(request.headers['content-encoding']) } : {}),
          ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
          REMOTE_ADDR: '127.0.0.1',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      request.pipe(cgi.stdin);
      const chunks: Buffer[] = [];
      cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      cgi.stderr.resume();
      cgi.on('close', () => {
        const output = Buffer.concat(chunks);
        const end = output.indexOf('\r\n\r\n');
        const headerEnd = end >= 0 ? end : output.indexOf('\n\n');
        const sep = end >= 0 ? 4 : 2;
        const headers: Record<string, string> = {};
        let status = 200;
        for (const line of output.subarray(0, headerEnd).toString('latin1').split(/\r?\n/)) {
          const colon = line.indexOf(':');
          if (colon < 0) continue;
          const name = line.slice(0, colon).trim();
          const value = line.slice(colon + 1).trim();
          if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
          else headers[name] = value;
        }
        response.writeHead(status, headers);
        response.end(output.subarray(headerEnd + sep));
        resolve();
      });
    });
  }
}

function gerritDate(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}000000`;
}

function json(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Disposition': 'attachment' });
  response.end(`)]}'\n${JSON.stringify(body, null, 2)}\n`);
}

function text(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=UTF-8' });
  response.end(body);
}
