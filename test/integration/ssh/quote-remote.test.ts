import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { quoteArg } from '../../../src/core/shell/quote';
import type { SshHost } from '../../../src/core/ssh/sshHost';
import { startSshd, type TestSshd } from '../../support/sshd';
import { hostFor, trustServer } from './harness';

// bash -c receives the whole command line as one argv string, capped at 128 KiB by Linux.
const MAX_LINE_BYTES = 100_000;

let sshd: TestSshd;
let host: SshHost;

before(async () => {
  sshd = await startSshd();
  trustServer(sshd);
  host = hostFor(sshd);
});

after(async () => {
  host?.dispose();
  await sshd?.stop();
});

const nasty = fc.constantFrom("'", '"', '\n', '\r', '\t', ' ', '$(id)', '`id`', '${HOME}', '$HOME', '*', '?', '[a-z]', '~', '\\', '!', '!!', '#', ';', '&', '|', '<', '>', '%s', '-n', '--', 'é', '日本', '🚀', '\u200b', '\x7f', '\x01');
const ascii = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 });
const noNul = (s: string): boolean => !s.includes('\0');
const value = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).filter(noNul) },
  { weight: 4, arbitrary: fc.array(nasty, { maxLength: 12 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: fc.oneof(ascii, nasty), maxLength: 60 }).filter(noNul) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.string({ unit: fc.oneof(ascii, nasty, fc.string({ unit: 'binary', maxLength: 1 })), minLength: 2_000, maxLength: 15_000 }).filter(noNul) },
);

/** Sends values as `printf '%s\0' <quoted>...` in as few execs as the line limit allows. */
async function roundTrip(values: readonly string[]): Promise<Buffer> {
  const received: Buffer[] = [];
  let batch: string[] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const result = await host.exec(`printf '%s\\0' ${batch.join(' ')}`, { onStdout: (chunk) => received.push(Buffer.from(chunk)) });
    assert.equal(result.code, 0, result.stderr);
    batch = [];
    bytes = 0;
  };
  for (const v of values) {
    const quoted = quoteArg(v);
    const size = Buffer.byteLength(quoted) + 1;
    if (bytes + size > MAX_LINE_BYTES) await flush();
    batch.push(quoted);
    bytes += size;
  }
  await flush();
  return Buffer.concat(received);
}

test('quoteArg output comes back byte-identical through the real remote shell (>= 2,000 values)', async () => {
  let count = 0;
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(fc.array(value, { minLength: 100, maxLength: 150 }), async (values) => {
      count += values.length;
      const expected = Buffer.concat(values.flatMap((v) => [Buffer.from(v, 'utf8'), Buffer.from([0])]));
      const actual = await roundTrip(values);
      assert.ok(actual.equals(expected), 'remote output differs from the input');
    }),
    { numRuns: 20 },
  );
  console.log(`# remote quoting property: ${count} values in ${Date.now() - started} ms`);
  assert.ok(count >= 2000, `only ${count} values`);
});
