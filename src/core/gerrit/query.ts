/** Gerrit search strings (`status:open project:X branch:Y`), built from validated values. Pure. */
import { GerritInputError } from './errors';

export interface ChangeQuery {
  readonly project: string;
  /** Only changes targeting this branch; absent: every branch. */
  readonly branch?: string;
  readonly status?: 'open' | 'merged' | 'abandoned';
}

// Gerrit's query language ends a bare value at whitespace and treats quotes, braces and parentheses
// specially: values with anything but these characters are quoted, a value holding `"` or `\` is refused.
const BARE = /^[A-Za-z0-9._/-]+$/;

function term(key: string, value: string): string {
  if (value === '' || /["\\\0-\x1f\x7f]/.test(value)) throw new GerritInputError(`${key} "${value}" cannot be searched for in Gerrit.`);
  return BARE.test(value) ? `${key}:${value}` : `${key}:"${value}"`;
}

/** `status:open project:openstack/heat branch:master` (status first, as Gerrit's UI writes it). */
export function buildChangeQuery(query: ChangeQuery): string {
  return [term('status', query.status ?? 'open'), term('project', query.project), ...(query.branch ? [term('branch', query.branch)] : [])].join(' ');
}

export interface Page {
  /** Changes per request (Gerrit's `n`). */
  readonly limit: number;
  /** How many to skip (Gerrit's `S`). */
  readonly start: number;
}

/** The query string of one page: `q=…&n=…[&S=…]` plus options; `_more_changes` on the last change says whether another page exists. */
export function changeQueryPath(q: string, page: Page, options: readonly string[]): string {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > 500) throw new GerritInputError(`limit ${page.limit} must be 1–500.`);
  if (!Number.isInteger(page.start) || page.start < 0) throw new GerritInputError(`start ${page.start} must be 0 or more.`);
  return `changes/?q=${encodeURIComponent(q)}&n=${page.limit}${page.start > 0 ? `&S=${page.start}` : ''}${options.map((o) => `&o=${o}`).join('')}`;
}
