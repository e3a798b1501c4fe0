/**
 * The bad-input corpus: deterministic values per class, derived from a seed and a valid base value
 * of the entry point (so many cases are "almost right", which is where validators slip).
 * Shell-metacharacter values carry a canary: a command that would create `canary(n)` if any shell
 * ever interpreted the value instead of receiving it as one quoted word.
 */

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export const VALUE_CLASSES = ['malformed', 'oversized', 'unicode', 'shell', 'traversal', 'control'] as const;
export type ValueClass = (typeof VALUE_CLASSES)[number];

export interface BadValue {
  readonly valueClass: ValueClass;
  readonly seed: number;
  readonly value: string;
  /** The file a shell would create if it interpreted this value (shell class only). */
  readonly canary?: string;
}

const MALFORMED = ['', ' ', '-', '--', '-rf', '--help', '--upload-pack=touch CANARY', '-oProxyCommand=touch CANARY', '-n', '.', '..', '.lock', 'a..b', 'a//b', '@{1}', '@', '0', '-1', '65536', '99999999999999999999', '1e3', '0x50', '1.5', ' 22', 'NaN', 'Infinity', 'null', 'undefined', '[]', '{}', 'a b', 'ü', '/', '//', ':', 'a:', ':1', '[::1', '::1]', 'user@', '@host', 'a@b@c', 'x.', '.x', '%', '%zz', '%E0%A4%A', '%00', '%0a'];
const UNICODE = ['\u0430io1', 'heat\u200b-api', '\u202eipa-taeh', 'ｈｅａｔ', '１２３４５', 'caf\u00e9', 'e\u0301', '\u{1F525}', 'a\u00a0b', '\ufeffheat', '\ud800', 'heat\u2028api', '\u0000heat', 'İ', 'ß', '\u{10FFFF}'];
const SHELL = ['$(touch CANARY)', '`touch CANARY`', ';touch CANARY', '|touch CANARY', '&&touch CANARY', '||touch CANARY', "'; touch CANARY; '", '"; touch CANARY; "', '$(touch${IFS}CANARY)', '\ntouch CANARY\n', '>CANARY', '&touch CANARY&', "x'\\''$(touch CANARY)", '${PATH:0:0}$(touch CANARY)', '\\$(touch CANARY)', '*', '~root', '!!', '#', '$HOME', '{a,b}'];
const TRAVERSAL = ['../../etc/passwd', '/etc/../root/.ssh/authorized_keys', '..', '../', './..', 'a/../../b', '%2e%2e%2f%2e%2e%2fetc', '/proc/self/environ', '....//....//etc', '..\\..\\windows', '/dev/null', '/', '//etc', '/etc/heat/../../root', '~/../../etc', 'file:///etc/shadow', 'a/./b', '/var/lib/osa-dev/../../etc'];
const CONTROL = ['\0', 'a\0b', '\n', 'a\nb', '\r\n', '\t', 'a\tb', '\x1b[31mred\x1b[0m', '\x7f', '\x08\x08', '\x1b]0;title\x07', '\v', '\f'];

/** One bad value of `valueClass` for an entry point whose valid value is `base`. */
export function badValue(valueClass: ValueClass, seed: number, base: string, canary: string): BadValue {
  const random = prng(seed * 7919 + VALUE_CLASSES.indexOf(valueClass) * 104729 + hash(base));
  const place = (piece: string): string => {
    switch (Math.floor(random() * 4)) {
      case 0:
        return piece;
      case 1:
        return `${base}${piece}`;
      case 2:
        return `${piece}${base}`;
      default: {
        const at = Math.floor(random() * (base.length + 1));
        return `${base.slice(0, at)}${piece}${base.slice(at)}`;
      }
    }
  };
  switch (valueClass) {
    case 'malformed':
      return { valueClass, seed, value: place(pick(random, MALFORMED).replace('CANARY', canary)), canary };
    case 'oversized': {
      const size = pick(random, [256, 1025, 4097, 65_537, 1_000_001]);
      const unit = pick(random, ['a', '9', base || 'x', 'é', '/a', '../']);
      return { valueClass, seed, value: (base + unit.repeat(Math.ceil(size / unit.length))).slice(0, size + base.length) };
    }
    case 'unicode':
      return { valueClass, seed, value: place(pick(random, UNICODE)) };
    case 'shell':
      return { valueClass, seed, value: place(pick(random, SHELL).replace(/CANARY/g, canary)), canary };
    case 'traversal':
      return { valueClass, seed, value: place(pick(random, TRAVERSAL)) };
    case 'control':
      return { valueClass, seed, value: place(pick(random, CONTROL)) };
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A printable, bounded rendering of a value for failure messages. */
export function show(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…" (${value.length} chars)` : text;
}
