/** What users type to name a Gerrit change, parsed without any network. Pure. */
import { GerritInputError } from './errors';
import { shownValue } from '../text/shownValue';

export interface ChangeRef {
  readonly number: number;
  /** Absent: the current patchset. */
  readonly patchset?: number;
  /** From a URL: where it came from (scheme://host[:port]). */
  readonly origin?: string;
  /** From a PolyGerrit URL `/c/<project>/+/<n>`. */
  readonly project?: string;
}

const MAX_CHANGE = 2 ** 31 - 1;

function toNumber(text: string, what: string, input: string): number {
  if (!/^[0-9]{1,10}$/.test(text)) throw new GerritInputError(`${shownValue(input)}: ${what} ${shownValue(text)} is not a number.`);
  const value = Number(text);
  if (value < 1 || value > MAX_CHANGE) throw new GerritInputError(`${shownValue(input)}: ${what} ${text} is out of range.`);
  return value;
}

/**
 * `12345`, `12345,3`, `12345/3`, `https://host/c/<project>/+/12345[/3]`, `https://host/#/c/12345[/3]/`,
 * `https://host/12345[/3]`. Anything else is refused with a message that shows the accepted forms.
 */
export function parseChangeRef(input: string): ChangeRef {
  const text = input.trim();
  const help = 'use a change number (12345), a change and patchset (12345,3 or 12345/3) or a review URL';
  if (text === '') throw new GerritInputError(`No change given: ${help}.`);
  const plain = /^([0-9]+)(?:[,/]([0-9]+))?\/?$/.exec(text);
  if (plain) return withPatchset(toNumber(plain[1]!, 'change', text), plain[2], text);
  if (!/^https?:\/\//i.test(text)) throw new GerritInputError(`${shownValue(text)} is not a change: ${help}.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new GerritInputError(`${shownValue(text)} is not a valid URL.`);
  }
  const origin = `${url.protocol}//${url.host}`;
  // The old UI keeps the route in the fragment (#/c/12345/3), the new one in the path.
  const route = url.hash.startsWith('#/') ? url.hash.slice(1) : decodePath(url.pathname, text);
  const parts = route.split('/').filter((part) => part !== '');
  let project: string | undefined;
  let rest: string[];
  const plus = parts.indexOf('+');
  if (parts[0] === 'c' && plus > 1) {
    project = parts.slice(1, plus).join('/');
    rest = parts.slice(plus + 1);
  } else if (parts[0] === 'c') {
    rest = parts.slice(1);
  } else {
    rest = parts;
  }
  // PolyGerrit may add a file path or a patchset range after the patchset: ignore beyond it.
  const [change, patchset] = rest;
  if (change === undefined || !/^[0-9]+$/.test(change)) {
    throw new GerritInputError(`${shownValue(text)} does not name a change (expected …/c/<project>/+/12345, …/#/c/12345 or …/12345).`);
  }
  const psText = patchset !== undefined && /^[0-9]+$/.test(patchset) ? patchset : undefined;
  if (patchset !== undefined && psText === undefined && rest.length === 2 && !patchset.includes('.')) {
    throw new GerritInputError(`${shownValue(text)}: ${shownValue(patchset)} is not a patchset number.`);
  }
  const ref = withPatchset(toNumber(change, 'change', text), psText, text);
  return { ...ref, origin, ...(project ? { project } : {}) };
}

function decodePath(pathname: string, input: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    throw new GerritInputError(`${shownValue(input)} is not a valid URL (a malformed %-escape).`);
  }
}

function withPatchset(number: number, patchset: string | undefined, input: string): ChangeRef {
  return patchset === undefined ? { number } : { number, patchset: toNumber(patchset, 'patchset', input) };
}

/** `refs/changes/NN/C/PS`: NN is the change number's last two digits, zero-padded. */
export function changeRefName(change: number, patchset: number): string {
  if (!Number.isInteger(change) || change < 1) throw new GerritInputError(`Invalid change number ${change}.`);
  if (!Number.isInteger(patchset) || patchset < 1) throw new GerritInputError(`Invalid patchset number ${patchset}.`);
  return `refs/changes/${String(change % 100).padStart(2, '0')}/${change}/${patchset}`;
}

/** The inverse of changeRefName; undefined for any other ref. */
export function parseChangeRefName(ref: string): { change: number; patchset: number } | undefined {
  const match = /^refs\/changes\/([0-9]{2})\/([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(ref);
  if (!match) return undefined;
  const change = Number(match[2]);
  if (String(change % 100).padStart(2, '0') !== match[1]) return undefined;
  return { change, patchset: Number(match[3]) };
}
