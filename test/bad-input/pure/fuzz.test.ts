/**
 * Seeded mutation fuzz of every parser of outside text, from real fixtures (lxc-ls of LXC 1 to 5,
 * the lab's haproxy.cfg, OSA's inventory, a Gerrit answer, the catalog…): each mutant is parsed
 * or refused with the parser's own error — never a TypeError/RangeError, never a hang (a case
 * that takes longer than HANG_MS is reported as one).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unclearError } from '../support/outcome';
import { FUZZED_PARSERS } from '../support/parsers';
import { mutate } from '../support/mutate';

const MUTANTS_PER_PARSER = Number(process.env.OSA_FUZZ_MUTANTS ?? 500);
// Not a performance assertion: a liveness bound far above any real parse (~ms), to name a hang.
const HANG_MS = 5_000;

test(`parser fuzz: ${FUZZED_PARSERS.length} parsers × ${MUTANTS_PER_PARSER} seeded mutants`, { timeout: 600_000 }, () => {
  const failures: string[] = [];
  let cases = 0;
  let parsed = 0;
  let refused = 0;
  let slowest = { ms: 0, where: '' };
  const started = Date.now();
  for (const parser of FUZZED_PARSERS) {
    for (let seed = 1; seed <= MUTANTS_PER_PARSER; seed++) {
      const input = parser.inputs[seed % parser.inputs.length]!;
      const mutant = mutate(input, seed * 31 + parser.name.length, parser.json ?? false);
      const where = `${parser.name} seed ${seed} (${mutant.how})`;
      const t0 = performance.now();
      try {
        parser.parse(mutant.text);
        parsed++;
      } catch (error) {
        refused++;
        const unclear = unclearError(error);
        if (unclear) failures.push(`${where}: ${unclear}`);
      }
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { ms, where };
      if (ms > HANG_MS) failures.push(`${where}: took ${Math.round(ms)} ms (a hang)`);
      cases++;
    }
  }
  console.log(
    `parser fuzz: ${cases} mutants of ${FUZZED_PARSERS.length} parsers, ${parsed} parsed, ${refused} refused with a clear error, ` +
      `${failures.length} crashes or hangs; slowest ${slowest.ms.toFixed(1)} ms (${slowest.where}); ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
  );
  assert.deepEqual(failures, []);
});
