/**
 * Seeded mutations of real parser inputs: byte-level damage (flips, cuts, duplicates, huge runs,
 * deep nesting) and, for JSON, structural damage (a node replaced by a value of another type).
 * The same seed gives the same mutant on every machine, so a failure names a reproducible case.
 */
import { pick, prng } from './values';

const SPICE = ['\0', '\n', '\r\n', ' ', '\t', '"', "'", '{', '}', '[', ']', ',', ':', '-', '#', '\\', '%', 'é', '\u202e', '\ud800', '9', '-1', 'null', '$(x)', ')]}\'', '\u2028'];
const EXTREMES: readonly unknown[] = [null, true, 0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, '', ' ', '-', '\0', 'x'.repeat(70_000), [], {}, [[[]]], { '': null }, { __proto__: { x: 1 } }, ['a', 1, null], '../../etc/passwd', '$(touch /tmp/osa-fuzz)'];

export interface Mutant {
  readonly how: string;
  readonly text: string;
}

export function mutate(text: string, seed: number, json = false): Mutant {
  const random = prng(seed);
  const at = (): number => Math.floor(random() * (text.length + 1));
  const lines = (): string[] => text.split('\n');
  const kind = Math.floor(random() * (json ? 10 : 9));
  switch (kind) {
    case 0: {
      const i = at();
      const n = 1 + Math.floor(random() * 8);
      let out = text;
      for (let k = 0; k < n; k++) {
        const j = Math.floor(random() * out.length);
        out = out.slice(0, j) + pick(random, SPICE) + out.slice(j + 1);
      }
      return { how: `${n} characters replaced from ${i}`, text: out };
    }
    case 1: {
      const i = at();
      const len = Math.floor(random() * 200);
      return { how: `cut ${len} at ${i}`, text: text.slice(0, i) + text.slice(i + len) };
    }
    case 2: {
      const i = at();
      const len = Math.floor(random() * 300);
      const times = 1 + Math.floor(random() * 50);
      return { how: `span of ${len} at ${i} repeated ${times}×`, text: text.slice(0, i) + text.slice(i, i + len).repeat(times) + text.slice(i) };
    }
    case 3: {
      const ls = lines();
      const a = Math.floor(random() * ls.length);
      const b = Math.floor(random() * ls.length);
      [ls[a], ls[b]] = [ls[b]!, ls[a]!];
      return { how: `lines ${a + 1} and ${b + 1} swapped`, text: ls.join('\n') };
    }
    case 4: {
      const i = at();
      return { how: `truncated at ${i}`, text: text.slice(0, i) };
    }
    case 5: {
      const i = at();
      const run = pick(random, ['a', ' ', '\n', ',', '0', 'é', '\t', '-']).repeat(pick(random, [1000, 70_000, 300_000]));
      return { how: `run of ${run.length} inserted at ${i}`, text: text.slice(0, i) + run + text.slice(i) };
    }
    case 6: {
      const i = at();
      const depth = pick(random, [100, 5_000, 50_000]);
      const [open, close] = pick(random, [['[', ']'], ['{"a":', '}'], ['- ', ''], ['{a: ', '}']] as const);
      return { how: `nesting ${depth} deep at ${i}`, text: text.slice(0, i) + open.repeat(depth) + '1' + close.repeat(depth) + text.slice(i) };
    }
    case 7: {
      const ls = lines();
      const a = Math.floor(random() * ls.length);
      const words = (ls[a] ?? '').split(/(\s+)/);
      const w = Math.floor(random() * words.length);
      words[w] = String(pick(random, ['-1', '0', '99999999999999999999', 'NaN', '', '-', 'x'.repeat(5000), '\u0000', '../..', '*']));
      ls[a] = words.join('');
      return { how: `a word of line ${a + 1} replaced`, text: ls.join('\n') };
    }
    case 8: {
      const ls = lines();
      const from = Math.floor(random() * ls.length);
      const n = 1 + Math.floor(random() * 5);
      ls.splice(from, n);
      return { how: `lines ${from + 1}..${from + n} deleted`, text: ls.join('\n') };
    }
    default:
      return mutateJson(text, random);
  }
}

/** Replaces one node of the parsed document by a value of another type (keeps any `)]}'` prefix). */
function mutateJson(text: string, random: () => number): Mutant {
  const prefix = text.startsWith(")]}'") ? text.slice(0, text.indexOf('\n') + 1) : '';
  let doc: unknown;
  try {
    doc = JSON.parse(text.slice(prefix.length));
  } catch {
    return { how: 'not JSON: unchanged', text };
  }
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number; path: string }[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => (nodes.push({ parent: value, key: i, path: `${path}[${i}]` }), walk(item, `${path}[${i}]`)));
    else if (value && typeof value === 'object') {
      for (const [k, item] of Object.entries(value)) {
        nodes.push({ parent: value as Record<string, unknown>, key: k, path: `${path}.${k}` });
        walk(item, `${path}.${k}`);
      }
    }
  };
  walk(doc, '$');
  if (nodes.length === 0) return { how: 'empty JSON: unchanged', text };
  const node = pick(random, nodes);
  const replacement = pick(random, EXTREMES);
  const action = Math.floor(random() * 3);
  if (action === 0 && !Array.isArray(node.parent)) delete (node.parent as Record<string, unknown>)[node.key as string];
  else (node.parent as Record<string, unknown>)[node.key as string] = structuredClone(replacement);
  const how = action === 0 ? `${node.path} deleted` : `${node.path} := ${JSON.stringify(replacement)?.slice(0, 40)}`;
  return { how, text: prefix + JSON.stringify(doc, null, 1) };
}
