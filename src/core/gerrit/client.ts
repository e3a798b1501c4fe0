/** A small Gerrit REST client over `fetch`: anonymous reads, or `/a/` with HTTP Basic. */
import { silentLogger, type Logger } from '../log';
import { ChangeNotFoundError, GerritAuthError, GerritError, GerritInputError, GerritResponseError, GerritUnreachableError, PatchsetNotFoundError } from './errors';
import { currentPatchset, parseAccount, parseChangeInfo, parseChangePage, parseGerritJson, summarize } from './parse';
import { buildChangeQuery, changeQueryPath } from './query';
import type { Account, Change, ChangeSummary, Patchset } from './types';
import { shownValue } from '../text/shownValue';

/** Where the HTTP password comes from (VS Code SecretStorage in the extension); asked per request, never kept or logged. */
export interface GerritCredentials {
  readonly username: string;
  password(): Promise<string | undefined>;
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; signal: AbortSignal }) => Promise<{
  readonly status: number;
  text(): Promise<string>;
}>;

export interface GerritClientOptions {
  /** e.g. `https://review.opendev.org` (a path prefix such as `https://host/r` is kept). */
  readonly baseUrl: string;
  /** Absent: anonymous reads. */
  readonly credentials?: GerritCredentials;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

export interface GetChangeOptions {
  /** All patchsets (ALL_REVISIONS) instead of only the current one. */
  readonly allRevisions?: boolean;
  /** `project~number` disambiguates a number across projects. */
  readonly project?: string;
  readonly signal?: AbortSignal;
}

export class GerritClient {
  readonly baseUrl: string;
  private readonly host: string;
  private readonly fetchImpl: FetchLike;
  private readonly logger: Logger;

  constructor(private readonly options: GerritClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new GerritInputError(`${shownValue(options.baseUrl)} is not a Gerrit URL (expected https://host).`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new GerritInputError(`${shownValue(options.baseUrl)}: Gerrit's REST API is served over http(s).`);
    if (url.username || url.password) throw new GerritInputError('Put Gerrit credentials in the credentials setting, not in the URL.');
    this.baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.host = url.host;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.logger = options.logger ?? silentLogger;
  }

  /** GET a REST path (`changes/…`), `)]}'` stripped, JSON parsed. `/a/` is added when authenticated. */
  async get(path: string, signal?: AbortSignal): Promise<unknown> {
    const credentials = this.options.credentials;
    const url = `${this.baseUrl}/${credentials ? 'a/' : ''}${path}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (credentials) {
      const password = await credentials.password();
      if (password === undefined) throw new GerritAuthError(401, this.host, false);
      headers['Authorization'] = `Basic ${Buffer.from(`${credentials.username}:${password}`, 'utf8').toString('base64')}`;
    }
    this.logger.debug(`Gerrit GET ${url}${credentials ? ` (as ${credentials.username})` : ''}`);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Awaited<ReturnType<FetchLike>>;
    let body: string;
    try {
      response = await this.fetchImpl(url, { method: 'GET', headers, signal: combined });
      body = await response.text();
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new GerritUnreachableError(this.baseUrl, describeNetworkError(error, timeout.aborted));
    }
    if (response.status === 401 || response.status === 403) throw new GerritAuthError(response.status, this.host, credentials !== undefined);
    if (response.status === 404) throw new NotFound(path);
    if (response.status < 200 || response.status >= 300) {
      throw new GerritResponseError(`Gerrit at ${this.host} answered HTTP ${response.status} for ${path}: ${body.trim().split('\n')[0]?.slice(0, 200) ?? ''}`);
    }
    return parseGerritJson(body);
  }

  /** One change; its current patchset, or all patchsets with `allRevisions`. */
  async getChange(number: number, options: GetChangeOptions = {}): Promise<Change> {
    assertChangeNumber(number);
    const id = options.project ? `${encodeURIComponent(options.project)}~${number}` : String(number);
    const path = `changes/${id}?o=${options.allRevisions ? 'ALL_REVISIONS' : 'CURRENT_REVISION'}&o=DETAILED_ACCOUNTS`;
    try {
      const change = parseChangeInfo(await this.get(path, options.signal));
      if (change.number !== number) throw new GerritResponseError(`Gerrit answered change ${change.number} when asked for ${number}.`);
      return change;
    } catch (error) {
      if (error instanceof NotFound) throw new ChangeNotFoundError(number, this.host);
      throw error;
    }
  }

  /** Every patchset of a change, oldest first. */
  async listPatchsets(number: number, options: Omit<GetChangeOptions, 'allRevisions'> = {}): Promise<Patchset[]> {
    return [...(await this.getChange(number, { ...options, allRevisions: true })).patchsets];
  }

  /** The change and one patchset of it (the current one when `patchset` is absent). */
  async resolvePatchset(number: number, patchset?: number, options: Omit<GetChangeOptions, 'allRevisions'> = {}): Promise<{ change: Change; patchset: Patchset }> {
    const change = await this.getChange(number, { ...options, allRevisions: patchset !== undefined });
    const found = patchset === undefined ? currentPatchset(change) : change.patchsets.find((ps) => ps.number === patchset);
    if (found === undefined) {
      if (patchset === undefined) throw new GerritResponseError(`Gerrit sent change ${number} without its current revision.`);
      throw new PatchsetNotFoundError(number, patchset, change.patchsets.map((ps) => ps.number));
    }
    return { change, patchset: found };
  }

  /** The signed-in account (`GET /a/accounts/self`): checks an HTTP password before it is kept. */
  async self(signal?: AbortSignal): Promise<Account> {
    if (!this.options.credentials) throw new GerritInputError('Signing in needs a user name and an HTTP password.');
    return parseAccount(await this.get('accounts/self', signal), 'accounts/self');
  }

  /** One page of a change query, most recently updated first (Gerrit's order). */
  async queryChanges(q: string, options: { limit?: number; start?: number; allRevisions?: boolean; signal?: AbortSignal } = {}): Promise<ChangePage<Change>> {
    const page = { limit: options.limit ?? 25, start: options.start ?? 0 };
    const path = changeQueryPath(q, page, [options.allRevisions ? 'ALL_REVISIONS' : 'CURRENT_REVISION', 'DETAILED_ACCOUNTS']);
    try {
      const { changes, more } = parseChangePage(await this.get(path, options.signal));
      return { changes, more, next: page.start + changes.length };
    } catch (error) {
      if (error instanceof NotFound) throw new GerritResponseError(`Gerrit at ${this.host} has no change query endpoint (is ${this.baseUrl} the Gerrit URL?).`);
      throw error;
    }
  }

  /** Open changes of a project (optionally of one branch), a page at a time: `start` is the previous page's `next`. */
  async listOpenChanges(project: string, options: { branch?: string; limit?: number; start?: number; signal?: AbortSignal } = {}): Promise<ChangePage<ChangeSummary>> {
    if (!/^[A-Za-z0-9._/-]+$/.test(project)) throw new GerritInputError(`"${project}" is not a project name.`);
    const q = buildChangeQuery({ project, ...(options.branch ? { branch: options.branch } : {}) });
    const page = await this.queryChanges(q, options);
    return { ...page, changes: page.changes.map(summarize) };
  }
}

/** A page of results; `more` when Gerrit has further matches, fetched with `start: next`. */
export interface ChangePage<T> {
  readonly changes: T[];
  readonly more: boolean;
  readonly next: number;
}

class NotFound extends GerritError {
  constructor(path: string) {
    super(`Not found: ${path}`);
  }
}

function assertChangeNumber(number: number): void {
  if (!Number.isInteger(number) || number < 1 || number > 2 ** 31 - 1) throw new GerritInputError(`${number} is not a change number.`);
}

function describeNetworkError(error: unknown, timedOut: boolean): string {
  if (timedOut) return 'no answer before the timeout.';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the URL and port right?).';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve.';
  if (code === 'ECONNRESET') return 'the connection was reset.';
  if (code && /CERT|SSL|TLS/.test(code)) return `TLS certificate problem (${code}).`;
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}
