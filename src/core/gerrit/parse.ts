/** Parsing of Gerrit REST answers. Pure: literal text in, validated values out. */
import { GerritResponseError } from './errors';
import type { Account, Change, ChangeStatus, ChangeSummary, Patchset } from './types';

/** Gerrit's XSSI guard: every JSON answer starts with the line `)]}'`. */
export const XSSI_PREFIX = ")]}'";

export function parseGerritJson(text: string): unknown {
  const body = text.startsWith(XSSI_PREFIX) ? text.slice(XSSI_PREFIX.length) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const head = text.slice(0, 60).replace(/\s+/g, ' ');
    throw new GerritResponseError(`Gerrit answered something that is not JSON (${(error as Error).message}): "${head}…"`);
  }
}

const STATUSES: readonly ChangeStatus[] = ['NEW', 'MERGED', 'ABANDONED'];

function fail(what: string): never {
  throw new GerritResponseError(`Unexpected Gerrit answer: ${what}.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(record: Record<string, unknown>, key: string, where: string): string {
  const value = record[key];
  if (typeof value !== 'string') fail(`${where}.${key} is missing or not a string`);
  return value;
}

function optStr(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function int(record: Record<string, unknown>, key: string, where: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(`${where}.${key} is missing or not an integer`);
  return value;
}

export function parseAccount(value: unknown, where: string): Account {
  if (!isRecord(value)) fail(`${where} is not an AccountInfo`);
  const name = optStr(value, 'name');
  const email = optStr(value, 'email');
  const username = optStr(value, 'username');
  return {
    id: int(value, '_account_id', where),
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    ...(username ? { username } : {}),
  };
}

export function parseChangeInfo(value: unknown): Change {
  if (!isRecord(value)) fail('a change is not an object');
  const number = int(value, '_number', 'change');
  const where = `change ${number}`;
  const status = str(value, 'status', where) as ChangeStatus;
  if (!STATUSES.includes(status)) fail(`${where}.status "${status}" is not NEW, MERGED or ABANDONED`);
  const patchsets: Patchset[] = [];
  const revisions = value['revisions'];
  if (revisions !== undefined) {
    if (!isRecord(revisions)) fail(`${where}.revisions is not an object`);
    for (const [sha, revision] of Object.entries(revisions)) {
      if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) fail(`${where}: revision "${sha}" is not a commit id`);
      if (!isRecord(revision)) fail(`${where}.revisions.${sha} is not a RevisionInfo`);
      const fetchUrls: Record<string, string> = {};
      const fetch = revision['fetch'];
      let ref = optStr(revision, 'ref');
      if (isRecord(fetch)) {
        for (const [scheme, info] of Object.entries(fetch)) {
          if (isRecord(info) && typeof info['url'] === 'string') fetchUrls[scheme] = info['url'];
          if (ref === undefined && isRecord(info) && typeof info['ref'] === 'string') ref = info['ref'];
        }
      }
      if (ref === undefined) fail(`${where}.revisions.${sha} has no ref`);
      patchsets.push({ number: int(revision, '_number', `${where}.revisions.${sha}`), revision: sha, ref, fetchUrls, created: optStr(revision, 'created') ?? '' });
    }
  }
  patchsets.sort((a, b) => a.number - b.number);
  const topic = optStr(value, 'topic');
  const currentRevision = optStr(value, 'current_revision');
  return {
    number,
    changeId: str(value, 'change_id', where),
    project: str(value, 'project', where),
    branch: str(value, 'branch', where),
    ...(topic ? { topic } : {}),
    subject: str(value, 'subject', where),
    status,
    updated: str(value, 'updated', where),
    owner: parseAccount(value['owner'], `${where}.owner`),
    ...(currentRevision ? { currentRevision } : {}),
    patchsets,
  };
}

export function parseChangeList(value: unknown): Change[] {
  if (!Array.isArray(value)) fail('a change query did not return a list');
  return value.map(parseChangeInfo);
}

/** One page of a query: Gerrit sets `_more_changes: true` on the last change when more match. */
export function parseChangePage(value: unknown): { changes: Change[]; more: boolean } {
  const changes = parseChangeList(value);
  const last = (value as unknown[])[changes.length - 1];
  return { changes, more: isRecord(last) && last['_more_changes'] === true };
}

export function summarize(change: Change): ChangeSummary {
  const current = change.patchsets.find((ps) => ps.revision === change.currentRevision) ?? change.patchsets[change.patchsets.length - 1];
  return {
    number: change.number,
    project: change.project,
    branch: change.branch,
    subject: change.subject,
    owner: change.owner,
    updated: change.updated,
    status: change.status,
    ...(change.topic ? { topic: change.topic } : {}),
    ...(current ? { latestPatchset: current.number } : {}),
  };
}

/** The current patchset: the one whose revision is `current_revision`. */
export function currentPatchset(change: Change): Patchset | undefined {
  return change.patchsets.find((ps) => ps.revision === change.currentRevision);
}
