import { createHmac, timingSafeEqual } from 'node:crypto';

/** One key line of a known_hosts file (comments and blank lines are dropped). */
export interface KnownHostEntry {
  /** 1-based line number, for messages and `ssh-keygen -R`. */
  readonly line: number;
  readonly marker?: '@revoked' | '@cert-authority';
  /** Comma-separated patterns, or one `|1|salt|hash` hashed name. */
  readonly hosts: string;
  readonly keyType: string;
  readonly key: Buffer;
}

export type KnownHostVerdict =
  | { readonly kind: 'match'; readonly entry: KnownHostEntry }
  | { readonly kind: 'revoked'; readonly entry: KnownHostEntry }
  | { readonly kind: 'mismatch'; readonly entry: KnownHostEntry }
  | { readonly kind: 'unknown' };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m !== '@revoked' && m !== '@cert-authority') return; // unknown marker: ignored like OpenSSH
      marker = m;
    }
    const [hosts, keyType, keyBase64] = fields;
    if (hosts === undefined || keyType === undefined || keyBase64 === undefined) return;
    if (!/^[A-Za-z0-9+/]+=*$/.test(keyBase64)) return;
    entries.push({ line: index + 1, ...(marker ? { marker } : {}), hosts, keyType, key: Buffer.from(keyBase64, 'base64') });
  });
  return entries;
}

/** The name known_hosts uses: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function formatKnownHostsLine(host: string, port: number, keyType: string, key: Buffer): string {
  return `${knownHostsName(host, port)} ${keyType} ${key.toString('base64')}`;
}

/** Whether an entry's host field names `host`:`port` (plain lists with wildcards and `!`, or hashed). */
export function entryMatchesHost(hosts: string, host: string, port: number): boolean {
  const name = knownHostsName(host.toLowerCase(), port);
  if (hosts.startsWith('|1|')) return hashedMatches(hosts, name);
  let matched = false;
  for (const raw of hosts.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (globMatches(pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/**
 * OpenSSH's decision: a revoked key refuses; a stored key of the same type that equals the
 * presented one accepts; a stored key of the same type that differs is a mismatch.
 */
export function checkKnownHost(entries: readonly KnownHostEntry[], host: string, port: number, keyType: string, key: Buffer): KnownHostVerdict {
  const forHost = entries.filter((entry) => entry.marker !== '@cert-authority');
  const revoked = forHost.find((entry) => entry.marker === '@revoked' && entry.key.equals(key));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const named = forHost.filter((entry) => entry.marker === undefined && entryMatchesHost(entry.hosts, host, port));
  const match = named.find((entry) => entry.keyType === keyType && entry.key.equals(key));
  if (match) return { kind: 'match', entry: match };
  const mismatch = named.find((entry) => entry.keyType === keyType);
  if (mismatch) return { kind: 'mismatch', entry: mismatch };
  return { kind: 'unknown' };
}

function hashedMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * `*` and `?` wildcards, matched without building a RegExp: a pattern with many `*` would make a
 * regular expression backtrack exponentially (a hang while connecting), and a huge one would not
 * compile. Backtracks only to the last `*`: O(pattern × text).
 */
function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
