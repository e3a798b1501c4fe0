import type { CommandSpec, ExecResult } from '../process/types';
import { CommandFailedError } from '../process/types';
import { shellJoin } from '../shell/quote';
import { splitWords, type ConfigFile } from './config';
import { assertBackendName, assertHostPath, assertServerName } from './validate';

/**
 * The config route (the socket route is the default): add or remove `disabled` on the given
 * servers of one backend/listen section, preserving every other byte (line endings, indentation,
 * comments, other servers). Pure.
 */
export interface DisabledEdit {
  readonly text: string;
  /** Servers whose line changed. */
  readonly changed: readonly string[];
  /** Requested servers not found in that section. */
  readonly missing: readonly string[];
}

const SECTION = /^\s*(global|defaults|frontend|backend|listen|peers|resolvers|userlist|program|mailers|cache|ring|http-errors|crt-store|traces)(\s|$)/;

export function setServersDisabled(text: string, backend: string, servers: readonly string[], disabled: boolean): DisabledEdit {
  assertBackendName(backend);
  servers.forEach(assertServerName);
  const wanted = new Set(servers);
  const found = new Set<string>();
  const changed: string[] = [];
  // Split keeping the separators so joining gives back the same bytes.
  const pieces = text.split(/(\r?\n)/);
  let inTarget = false;
  for (let i = 0; i < pieces.length; i += 2) {
    const line = pieces[i]!;
    const words = splitWords(line);
    if (SECTION.test(line) && words.length > 0) {
      inTarget = (words[0] === 'backend' || words[0] === 'listen') && words[1] === backend;
      continue;
    }
    if (!inTarget || words[0] !== 'server' || words[1] === undefined || !wanted.has(words[1])) {
      continue;
    }
    found.add(words[1]);
    const edited = disabled ? addDisabled(line, words) : removeDisabled(line);
    if (edited !== line) {
      pieces[i] = edited;
      changed.push(words[1]);
    }
  }
  return { text: pieces.join(''), changed, missing: servers.filter((s) => !found.has(s)) };
}

function addDisabled(line: string, words: readonly string[]): string {
  if (words.includes('disabled')) {
    return line;
  }
  // Insert before a trailing comment, else at the end of the content (before trailing blanks).
  const comment = commentStart(line);
  const content = comment === undefined ? line : line.slice(0, comment);
  const trimmed = content.replace(/[ \t]+$/, '');
  return `${trimmed} disabled${content.slice(trimmed.length)}${comment === undefined ? '' : line.slice(comment)}`;
}

function removeDisabled(line: string): string {
  const comment = commentStart(line);
  const content = comment === undefined ? line : line.slice(0, comment);
  const edited = content.replace(/[ \t]+disabled(?=[ \t]|$)/g, '');
  return edited + (comment === undefined ? '' : line.slice(comment));
}

function commentStart(line: string): number | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\') i++;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '\\') {
      i++;
    } else if (ch === '#') {
      return i;
    }
  }
  return undefined;
}

/** `haproxy -c -q -f <cfg> [-f <more>…]` (a directory works too: its files load in order). */
export function checkConfigCommand(files: readonly string[]): CommandSpec<{ valid: boolean; messages: string }> {
  if (files.length === 0) {
    throw new Error('No HAProxy configuration file to check.');
  }
  const argv = ['haproxy', '-c', '-q', ...files.flatMap((f) => ['-f', assertHostPath('configuration path', f)])];
  return {
    argv,
    describe: `Validate HAProxy configuration ${files.join(' ')}`,
    parse(result: ExecResult) {
      if (result.code === 127) {
        throw new CommandFailedError(shellJoin(argv), result, 'haproxy is not installed on the host');
      }
      return { valid: result.code === 0, messages: `${result.stdout}${result.stderr}`.trim() };
    },
  };
}

const READ_MARKER = '@@osa-dev-haproxy-file ';
// The main config, then every regular file of the fragment directory in sort order, each after
// a marker line; paths are positional parameters.
const READ_SCRIPT = [
  'cfg=$1; dir=$2',
  `if [ -f "$cfg" ]; then printf '${READ_MARKER}%s\\n' "$cfg"; cat "$cfg"; echo; fi`,
  'if [ -n "$dir" ] && [ -d "$dir" ]; then for f in "$dir"/*; do [ -f "$f" ] || continue',
  `  printf '${READ_MARKER}%s\\n' "$f"; cat "$f"; echo; done; fi`,
].join('\n');

/**
 * Reads /etc/haproxy/haproxy.cfg and the conf.d fragments in one round trip. The assembled
 * haproxy.cfg is what HAProxy runs; the fragments are what OSA writes (and what a config edit
 * must change).
 */
export function readConfigFiles(cfg = '/etc/haproxy/haproxy.cfg', confd = '/etc/haproxy/conf.d'): CommandSpec<{ main?: ConfigFile; fragments: ConfigFile[] }> {
  const argv = ['sh', '-c', READ_SCRIPT, 'sh', assertHostPath('configuration path', cfg), assertHostPath('fragment directory', confd)];
  return {
    argv,
    describe: `Read ${cfg} and ${confd}`,
    secretOutput: true, // `stats auth user:password` lines
    parse(result: ExecResult) {
      if (result.code !== 0) {
        throw new CommandFailedError(shellJoin(argv), result, 'Could not read the HAProxy configuration');
      }
      const files: ConfigFile[] = [];
      for (const chunk of result.stdout.split(READ_MARKER).slice(1)) {
        const nl = chunk.indexOf('\n');
        // `echo` after each file added one newline.
        files.push({ path: chunk.slice(0, nl), text: chunk.slice(nl + 1).replace(/\n$/, '') });
      }
      const main = files.find((f) => f.path === cfg);
      return { ...(main === undefined ? {} : { main }), fragments: files.filter((f) => f !== main) };
    },
  };
}
