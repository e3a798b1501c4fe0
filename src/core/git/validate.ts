/** Validation of user-typed git URLs and refs before they reach any command (local or remote). */
import { clipText, shownValue } from '../text/shownValue';

export class InvalidGitInputError extends Error {
  constructor(message: string) {
    super(clipText(message, 1000));
    this.name = 'InvalidGitInputError';
  }
}

const URL_SCHEMES = /^(?:https?|git|ssh|git\+ssh|file):\/\//;
// user@host:path (scp-like), as git itself accepts it.
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$/;

export function assertGitUrl(url: string): string {
  if (url.length === 0 || url.length > 2048) throw new InvalidGitInputError('The git URL is empty or too long.');
  if (url.startsWith('-')) throw new InvalidGitInputError(`${shownValue(url)} is not a git URL (it would be read as an option).`);
  if (/[\s\0-\x1f\x7f]/.test(url)) throw new InvalidGitInputError('The git URL must not contain spaces or control characters.');
  // Quoting makes these harmless, but no real repository URL needs them: refuse, and say why.
  if (/[$`'"\\;|&<>(){}]/.test(url)) throw new InvalidGitInputError(`${shownValue(url)} contains shell metacharacters; no git URL needs them.`);
  if (/(^|\/)\.\.(\/|$)/.test(url)) throw new InvalidGitInputError(`${shownValue(url)} contains "..".`);
  if (URL_SCHEMES.test(url)) {
    try {
      const parsed = new URL(url.replace(/^git\+ssh:/, 'ssh:'));
      if (!parsed.hostname && parsed.protocol !== 'file:') throw new Error('no host');
    } catch (error) {
      throw new InvalidGitInputError(`${shownValue(url)} is not a valid git URL (${error instanceof Error ? error.message : String(error)}).`);
    }
    return url;
  }
  if (SCP_LIKE.test(url) && !url.includes('..')) return url;
  throw new InvalidGitInputError(`${shownValue(url)} is not a git URL: use https://…, git://…, ssh://… or user@host:path.`);
}

/**
 * The rules of `git check-ref-format --allow-onelevel`, plus: no leading '-' (option injection)
 * and, as for URLs, no shell metacharacters (quoting makes them harmless; no real branch needs them).
 */
export function assertGitRef(ref: string): string {
  const bad =
    ref.length === 0 ||
    ref.length > 255 ||
    ref.startsWith('-') ||
    ref.startsWith('/') ||
    ref.endsWith('/') ||
    ref.endsWith('.') ||
    ref.endsWith('.lock') ||
    ref.includes('..') ||
    ref.includes('//') ||
    ref.includes('@{') ||
    ref === '@' ||
    /[\0-\x20\x7f~^:?*[\\]/.test(ref) ||
    ref.split('/').some((part) => part.startsWith('.'));
  if (bad) throw new InvalidGitInputError(`${shownValue(ref)} is not a valid branch, tag or ref name.`);
  if (/[$`'"\\;|&<>(){}!#]/.test(ref)) throw new InvalidGitInputError(`${shownValue(ref)} contains shell metacharacters; no branch or tag needs them.`);
  return ref;
}
