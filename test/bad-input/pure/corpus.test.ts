/**
 * The generated bad-input corpus (seeds × value classes × entry points), without a host: every
 * value gets a clear error or is handled; names and refs with shell or control characters are
 * refused; every command line the product would run is exactly argv quoted by quoteArg (a real
 * bash splits it back into the same words), and no canary file appears while bash reads them.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { shellJoin } from '../../../src/core/shell/quote';
import { ENTRY_POINTS } from '../support/entryPoints';
import { unclearError } from '../support/outcome';
import { RecordingRunner } from '../support/recordingRunner';
import { shellWords } from '../support/shellWords';
import { badValue, show, VALUE_CLASSES, type BadValue } from '../support/values';

const SEEDS = 8;
const sandbox = mkdtempSync(join(tmpdir(), 'osa-bad-input-'));
after(() => rmSync(sandbox, { recursive: true, force: true }));

interface Case {
  readonly entry: string;
  readonly bad: BadValue;
  readonly accepted: boolean;
  readonly unclear?: string;
  readonly lines: readonly string[];
  readonly strict: boolean;
  readonly converted: boolean;
}

const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');

test(`bad-input corpus: ${SEEDS} seeds × ${VALUE_CLASSES.length} classes × ${ENTRY_POINTS.length} entry points`, async () => {
  const cases: Case[] = [];
  let n = 0;
  for (const entry of ENTRY_POINTS) {
    for (const valueClass of VALUE_CLASSES) {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const bad = badValue(valueClass, seed, entry.base, join(sandbox, `pwned-${n++}`));
        const host = new RecordingRunner();
        let accepted = true;
        let unclear: string | undefined;
        try {
          await entry.feed(bad.value, host);
        } catch (error) {
          accepted = false;
          unclear = unclearError(error);
        }
        cases.push({ entry: entry.name, bad, accepted, lines: host.lines, strict: entry.strict, converted: entry.converted ?? false, ...(unclear ? { unclear } : {}) });
      }
    }
  }

  const failures: string[] = [];
  const where = (c: Case): string => `${c.entry} ← ${c.bad.valueClass}#${c.bad.seed} ${show(c.bad.value)}`;
  for (const c of cases) {
    if (c.unclear) failures.push(`${where(c)}: ${c.unclear}`);
    // Whitespace around a value is trimmed by the entry points that take typed text: that is handling it.
    const core = c.bad.value.trim();
    const hostile = c.bad.valueClass === 'shell' || /[\0-\x1f\x7f]/.test(core) || core.startsWith('-');
    if (c.strict && c.accepted && hostile) failures.push(`${where(c)}: accepted a name/ref with shell, control or option syntax`);
  }

  // Every line the product would send, split by a real shell: it must be argv joined by quoteArg.
  const all = cases.flatMap((c) => c.lines.map((line) => ({ c, line })));
  const words = shellWords(all.map((x) => x.line), sandbox);
  all.forEach(({ c, line }, i) => {
    const argv = words[i]!;
    if (shellJoin(argv) !== utf8(line)) failures.push(`${where(c)}: a command line is not argv quoted by quoteArg: ${show(line)}`);
    else if (c.accepted && !c.converted && c.bad.valueClass === 'shell' && !argv.some((word) => word.includes(utf8(c.bad.value)))) {
      failures.push(`${where(c)}: the value did not arrive as one word: ${show(line)}`);
    }
  });
  const canaries = readdirSync(sandbox);
  if (canaries.length > 0) failures.push(`a shell ran part of a value: ${canaries.join(', ')} created`);

  const refused = cases.filter((c) => !c.accepted).length;
  console.log(
    `bad input (pure): ${cases.length} tried over ${ENTRY_POINTS.length} entry points, ${refused} refused with a clear error, ` +
      `${cases.length - refused} handled; ${all.length} command lines checked by bash, ${canaries.length} canaries created, ${failures.length} failures`,
  );
  assert.ok(cases.length >= 1000, `only ${cases.length} cases`);
  assert.equal(existsSync(sandbox), true);
  assert.deepEqual(failures, []);
});
