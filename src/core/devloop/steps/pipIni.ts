/** Minimal edits of a pip.conf (INI): enable an index, drop no-index; everything else untouched. */
import { shownValue } from '../../text/shownValue';

const NO_INDEX = /^\s*no[-_]index\s*[=:]/i;
const INDEX_URL = /^\s*index[-_]url\s*[=:]/i;

/** A package index pip can use (http, https or file URL): checked before any change is made. */
export function assertIndexUrl(indexUrl: string): string {
  const why = /[\0-\x20\x7f]/.test(indexUrl)
    ? 'it contains spaces, line breaks or control characters'
    : /[$`'"\\;|&<>(){}]/.test(indexUrl)
      ? 'it contains shell metacharacters; no index URL needs them'
      : indexUrl.length > 2048
        ? 'it is too long'
        : undefined;
  let protocol = '';
  try {
    protocol = new URL(indexUrl).protocol;
  } catch {
    // reported below
  }
  if (why || !['http:', 'https:', 'file:'].includes(protocol)) {
    throw new Error(`Invalid package index URL ${shownValue(indexUrl)}: ${why ?? 'expected an http://, https:// or file:// URL'}.`);
  }
  return indexUrl;
}

/** The text with `no-index` removed from every section and `index-url = URL` in [global]. */
export function enablePipIndex(text: string, indexUrl: string): string {
  if (/[\r\n]/.test(indexUrl)) throw new Error('An index URL cannot contain a line break.');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const out: string[] = [];
  let section = '';
  let globalAt = -1;
  let indexSet = false;
  for (const line of lines) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = header[1]!.trim().toLowerCase();
      out.push(line);
      if (section === 'global') globalAt = out.length;
      continue;
    }
    if (NO_INDEX.test(line)) continue;
    if (section === 'global' && INDEX_URL.test(line)) {
      out.push(`index-url = ${indexUrl}`);
      indexSet = true;
      continue;
    }
    out.push(line);
  }
  if (!indexSet) {
    if (globalAt >= 0) out.splice(globalAt, 0, `index-url = ${indexUrl}`);
    else out.unshift('[global]', `index-url = ${indexUrl}`);
  }
  return out.join(eol) + eol;
}

/** Files named by `pip config debug` with `exists: True`, in pip's load order (later wins). */
export function parsePipConfigDebug(stdout: string): { envFile?: string; files: string[] } {
  const files: string[] = [];
  let envFile: string | undefined;
  for (const line of stdout.split('\n')) {
    const file = /^\s+(\/\S+), exists: True\s*$/.exec(line);
    if (file) files.push(file[1]!);
    const env = /^\s+PIP_CONFIG_FILE='([^']+)'/.exec(line);
    if (env) envFile = env[1];
  }
  return envFile === undefined ? { files } : { envFile, files };
}
