/** git-review's local branch name for a downloaded change. Pure. */
import type { Change } from './types';

/**
 * `review/<owner>/<topic or number>[-patch<PS>]`, as `git review -d` names it: the owner's name
 * (git-review's default `branchauthor`) with runs of non-word characters turned into `_`,
 * lowercased, `unknown` without one; the topic unless it is empty or equals the target branch.
 * `patchset` is given only for an explicitly requested older patchset.
 */
export function reviewBranchName(change: Pick<Change, 'number' | 'owner' | 'topic'>, options: { patchset?: number; defaultBranch?: string } = {}): string {
  const name = change.owner.name ?? change.owner.username;
  const author = name ? clip(name.replace(/[^\p{L}\p{N}_]+/gu, '_').toLowerCase(), 60) : 'unknown';
  const topic = change.topic && change.topic !== (options.defaultBranch ?? 'master') ? sanitizeTopic(change.topic) : String(change.number);
  const base = `review/${author}/${topic}`;
  return options.patchset === undefined ? base : `${base}-patch${options.patchset}`;
}

// A topic may contain characters git refuses in branch names; keep what git accepts.
function sanitizeTopic(topic: string): string {
  const cleaned = clip(topic, 150)
    .replace(/[\0-\x20\x7f~^:?*[\\$`'"\\;|&<>(){}!#]+/g, '_')
    .replace(/\.\.+/g, '.')
    .replace(/@\{/g, '@_')
    .replace(/\/{2,}/g, '/')
    .split('/')
    .map((part) => part.replace(/^\.+/, '').replace(/\.lock$/, '_lock'))
    .filter((part) => part !== '')
    .join('/')
    .replace(/\.$/, '');
  return cleaned === '' ? '_' : cleaned;
}

// Git refuses ref names over 255 bytes; Gerrit allows topics of 2047. Whole characters only.
function clip(text: string, max: number): string {
  return text.length <= max ? text : Array.from(text).slice(0, max).join('');
}
