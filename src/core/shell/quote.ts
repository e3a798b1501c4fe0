/**
 * The one place where values become POSIX shell words.
 *
 * Every string that reaches a remote shell goes through `quoteArg`; commands are argv arrays
 * joined by `shellJoin`, never string concatenation. Single quotes protect everything except a
 * single quote itself, which becomes `'\''` (close, escaped quote, reopen).
 */

/** Characters that never need quoting in any POSIX shell word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(value: string): string {
  if (value.includes('\0')) {
    // A NUL byte cannot be passed through argv at all: refuse instead of truncating silently.
    throw new Error('A shell argument cannot contain a NUL byte.');
  }
  if (value.length > 0 && SAFE_WORD.test(value)) {
    return value;
  }
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Joins an argv array into one shell command line, each element quoted. */
export function shellJoin(argv: readonly string[]): string {
  if (argv.length === 0) {
    throw new Error('Cannot build an empty command.');
  }
  return argv.map(quoteArg).join(' ');
}

/**
 * A shell command line built from argv parts. `raw` pieces (pipes, redirections, `&&`) are
 * operators written by us as constants, never user values; everything else is quoted.
 */
export type ShellPart = string | { readonly raw: ShellOperator };

export type ShellOperator = '|' | '&&' | '||' | ';' | '>' | '>>' | '<' | '2>&1' | '2>/dev/null' | '>/dev/null';

export function op(raw: ShellOperator): { readonly raw: ShellOperator } {
  return { raw };
}

export function shellLine(parts: readonly ShellPart[]): string {
  if (parts.length === 0) {
    throw new Error('Cannot build an empty command.');
  }
  return parts.map((part) => (typeof part === 'string' ? quoteArg(part) : part.raw)).join(' ');
}
