/**
 * A tolerant reader of HAProxy configuration text: haproxy.cfg and OSA's
 * `/etc/haproxy/conf.d/<svc>` fragments (openstack-ansible-haproxy_server templates/service.j2).
 * Pure. Keeps every line (number, raw text, words) so edits can preserve every other byte.
 */

export type SectionKind =
  | 'global'
  | 'defaults'
  | 'frontend'
  | 'backend'
  | 'listen'
  | 'peers'
  | 'resolvers'
  | 'userlist'
  | 'program'
  | 'mailers'
  | 'cache'
  | 'ring'
  | 'http-errors'
  | 'crt-store'
  | 'traces';

const SECTION_KINDS = new Set<string>([
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'peers',
  'resolvers',
  'userlist',
  'program',
  'mailers',
  'cache',
  'ring',
  'http-errors',
  'crt-store',
  'traces',
]);

export interface ConfigLine {
  /** 1-based line number in its file. */
  readonly line: number;
  readonly raw: string;
  /** Words without comments, quotes removed. Empty for blank and comment lines. */
  readonly words: readonly string[];
}

export interface ConfigSection {
  readonly kind: SectionKind;
  /** Empty for global and for unnamed defaults. */
  readonly name: string;
  readonly file?: string;
  /** The header line. */
  readonly header: ConfigLine;
  /** Lines after the header up to the next section. */
  readonly lines: readonly ConfigLine[];
}

export interface ConfigServer {
  readonly name: string;
  /** As written (`172.29.236.101:8004`, `ipv4@10.0.0.1:80`, `galera1:3306`). */
  readonly addressRaw: string;
  readonly address: string;
  readonly port?: number;
  /** Every word after the address. */
  readonly options: readonly string[];
  readonly disabled: boolean;
  readonly backup: boolean;
  readonly check: boolean;
  readonly line: number;
  readonly file?: string;
}

export interface ConfigBackend {
  readonly name: string;
  /** `listen` sections proxy like a frontend and a backend at once. */
  readonly kind: 'backend' | 'listen';
  readonly servers: readonly ConfigServer[];
  /** `load-server-state-from-file` in this section, or inherited from the defaults before it. */
  readonly loadServerStateFromFile?: string;
  readonly file?: string;
}

export interface StatsSocket {
  readonly path: string;
  readonly level?: string;
  readonly mode?: string;
  readonly line: number;
  readonly file?: string;
}

export interface HaproxyConfig {
  readonly sections: readonly ConfigSection[];
  readonly backends: readonly ConfigBackend[];
  readonly statsSockets: readonly StatsSocket[];
  readonly serverStateFile?: string;
  readonly serverStateBase?: string;
}

export interface ConfigFile {
  readonly path?: string;
  readonly text: string;
}

/** Parses one file, or several read in order (haproxy.cfg, then conf.d fragments). */
export function parseHaproxyConfig(input: string | readonly ConfigFile[]): HaproxyConfig {
  const files: readonly ConfigFile[] = typeof input === 'string' ? [{ text: input }] : input;
  const sections: ConfigSection[] = [];
  for (const file of files) {
    sections.push(...parseSections(file));
  }
  return summarize(sections);
}

/** Splits one line into words: `#` starts a comment outside quotes, quotes group, `\` escapes. */
export function splitWords(raw: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (quote) {
      if (ch === quote) {
        quote = undefined;
      } else if (ch === '\\' && quote === '"' && i + 1 < raw.length) {
        current += unescape(raw[++i]!);
      } else {
        current += ch;
      }
      continue;
    }
    if (ch === '#') {
      break;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      if (inWord) {
        words.push(current);
        current = '';
        inWord = false;
      }
      continue;
    }
    inWord = true;
    if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '\\' && i + 1 < raw.length) {
      current += unescape(raw[++i]!);
    } else {
      current += ch;
    }
  }
  if (inWord) {
    words.push(current);
  }
  return words;
}

// HAProxy turns \r, \n and \t into CR, LF and TAB; any other escaped character is itself.
function unescape(ch: string): string {
  return ch === 'r' ? '\r' : ch === 'n' ? '\n' : ch === 't' ? '\t' : ch;
}

function parseSections(file: ConfigFile): ConfigSection[] {
  const sections: { kind: SectionKind; name: string; header: ConfigLine; lines: ConfigLine[] }[] = [];
  const rawLines = file.text.split('\n');
  if (rawLines[rawLines.length - 1] === '') {
    rawLines.pop();
  }
  rawLines.forEach((raw, i) => {
    const line: ConfigLine = { line: i + 1, raw: raw.replace(/\r$/, ''), words: splitWords(raw) };
    const first = line.words[0];
    if (first !== undefined && SECTION_KINDS.has(first)) {
      sections.push({ kind: first as SectionKind, name: line.words[1] ?? '', header: line, lines: [] });
      return;
    }
    // Lines before any section (banners, comments) belong to no section.
    sections[sections.length - 1]?.lines.push(line);
  });
  return sections.map((s) => ({ ...s, ...(file.path === undefined ? {} : { file: file.path }) }));
}

function summarize(sections: readonly ConfigSection[]): HaproxyConfig {
  const backends: ConfigBackend[] = [];
  const statsSockets: StatsSocket[] = [];
  let serverStateFile: string | undefined;
  let serverStateBase: string | undefined;
  let defaultLoad: string | undefined;
  for (const section of sections) {
    const fileProp = section.file === undefined ? {} : { file: section.file };
    if (section.kind === 'global') {
      for (const line of section.lines) {
        const [a, b, c] = line.words;
        if (a === 'stats' && b === 'socket' && c !== undefined) {
          statsSockets.push({ path: c, ...optionValues(line.words.slice(3), ['level', 'mode']), line: line.line, ...fileProp });
        } else if (a === 'server-state-file' && b !== undefined) {
          serverStateFile = b;
        } else if (a === 'server-state-base' && b !== undefined) {
          serverStateBase = b;
        }
      }
      continue;
    }
    if (section.kind === 'defaults') {
      // Each defaults section resets what the following proxies inherit.
      defaultLoad = lastValue(section.lines, 'load-server-state-from-file');
      continue;
    }
    if (section.kind !== 'backend' && section.kind !== 'listen') {
      continue;
    }
    const servers: ConfigServer[] = [];
    for (const line of section.lines) {
      if (line.words[0] === 'server' && line.words[1] !== undefined && line.words[2] !== undefined) {
        servers.push(toServer(line, section.file));
      }
    }
    const load = lastValue(section.lines, 'load-server-state-from-file') ?? defaultLoad;
    backends.push({
      name: section.name,
      kind: section.kind,
      servers,
      ...(load === undefined ? {} : { loadServerStateFromFile: load }),
      ...fileProp,
    });
  }
  return {
    sections,
    backends,
    statsSockets,
    ...(serverStateFile === undefined ? {} : { serverStateFile }),
    ...(serverStateBase === undefined ? {} : { serverStateBase }),
  };
}

function optionValues(words: readonly string[], keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < words.length - 1; i++) {
    if (keys.includes(words[i]!)) {
      out[words[i]!] = words[i + 1]!;
    }
  }
  return out;
}

function lastValue(lines: readonly ConfigLine[], keyword: string): string | undefined {
  let value: string | undefined;
  for (const line of lines) {
    if (line.words[0] === keyword && line.words[1] !== undefined) {
      value = line.words[1];
    }
  }
  return value;
}

function toServer(line: ConfigLine, file: string | undefined): ConfigServer {
  const [, name, addressRaw, ...options] = line.words as [string, string, string, ...string[]];
  const { address, port } = splitAddress(addressRaw);
  return {
    name,
    addressRaw,
    address,
    ...(port === undefined ? {} : { port }),
    options,
    disabled: options.includes('disabled'),
    backup: options.includes('backup'),
    check: options.includes('check'),
    line: line.line,
    ...(file === undefined ? {} : { file }),
  };
}

/** `ip:port`, `[v6]:port`, `ipv4@ip:port`, `host`, `ip:+1` … the last colon before digits is the port. */
export function splitAddress(raw: string): { address: string; port?: number } {
  let rest = raw.replace(/^(ipv4|ipv6|unix|abns)@/, '');
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed) {
    return { address: bracketed[1]!, ...(bracketed[2] === undefined ? {} : { port: Number(bracketed[2]) }) };
  }
  const withPort = /^(.*):(\d+)$/.exec(rest);
  if (withPort && withPort[1] !== '') {
    return { address: withPort[1]!, port: Number(withPort[2]) };
  }
  rest = rest.replace(/:$/, '');
  return { address: rest };
}

/**
 * The server-state-file as HAProxy resolves it: relative names are under server-state-base.
 * Undefined when none is configured (then runtime states cannot survive a reload).
 */
export function resolveServerStateFile(config: HaproxyConfig): string | undefined {
  const file = config.serverStateFile;
  if (file === undefined) {
    return undefined;
  }
  if (file.startsWith('/') || config.serverStateBase === undefined) {
    return file;
  }
  return `${config.serverStateBase.replace(/\/+$/, '')}/${file}`;
}

/** The first `stats socket` at level admin (HAProxy's default level is "user": not enough). */
export function adminSocketOf(config: HaproxyConfig): StatsSocket | undefined {
  return config.statsSockets.find((s) => s.level === 'admin' && !/^(ipv4@|ipv6@|[0-9.]*:\d+$)/.test(s.path));
}

/** Whether a reload keeps the runtime admin state of this backend (global state file + global loading). */
export function reloadKeepsStates(config: HaproxyConfig, backend: string): boolean {
  const b = config.backends.find((x) => x.name === backend);
  return config.serverStateFile !== undefined && b?.loadServerStateFromFile === 'global';
}

/** `rise`/`fall` of a server line (HAProxy defaults 2 and 3; `default-server` lines are not followed). */
export function checkParamsOf(server: ConfigServer): { rise: number; fall: number } {
  const value = (key: string, fallback: number): number => {
    const i = server.options.indexOf(key);
    const n = i < 0 ? NaN : Number(server.options[i + 1]);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return { rise: value('rise', 2), fall: value('fall', 3) };
}
