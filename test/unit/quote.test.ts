import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { op, quoteArg, shellJoin, shellLine } from '../../src/core/shell/quote';

test('safe words pass through unquoted', () => {
  assert.equal(quoteArg('heat-api'), 'heat-api');
  assert.equal(quoteArg('/openstack/venvs/heat-31.0.0/bin/python'), '/openstack/venvs/heat-31.0.0/bin/python');
});

test("a single quote becomes '\\'' (the case naive quoting breaks on: it's)", () => {
  assert.equal(quoteArg("it's"), `'it'\\''s'`);
  assert.equal(quoteArg(''), `''`);
  assert.equal(quoteArg('$(reboot)'), `'$(reboot)'`);
});

test('a NUL byte is refused instead of silently truncated', () => {
  assert.throws(() => quoteArg('a\0b'), /NUL/);
});

test('shellJoin refuses an empty argv', () => {
  assert.throws(() => shellJoin([]), /empty/);
});

test('shellLine keeps operators raw and quotes every value', () => {
  assert.equal(shellLine(['cat', 'a b', op('|'), 'grep', "it's"]), `cat 'a b' | grep 'it'\\''s'`);
});

// The local /bin/sh is a real POSIX shell (dash on Debian): every string survives a round trip.
// The same property over the real SSH remote shell lives in the integration suite.
test('quoted strings come back byte-identical through a real local sh', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 64 }).filter((s) => !s.includes('\0')), (value) => {
      const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${quoteArg(value)}`]);
      assert.equal(out.toString('utf8'), Buffer.from(value, 'utf8').toString('utf8'));
    }),
    { numRuns: 300 },
  );
});
