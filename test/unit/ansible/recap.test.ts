import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatRecap, parseRecaps, summarizePlaybookRun } from '../../../src/core/ansible/recap';

// Recorded from real ansible-playbook 2.14 runs (Debian's ansible-core): see test/fixtures/ansible.
const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures/ansible', name), 'utf8');

test('a run with ok, changed, skipped, rescued, ignored, failed and unreachable hosts', () => {
  const outcome = summarizePlaybookRun(fixture('recap-mixed.txt'), 4);
  assert.deepEqual(outcome.recap, [
    { host: 'aio1_heat_api_container-36e270c9', ok: 4, changed: 2, unreachable: 0, failed: 1, skipped: 1, rescued: 1, ignored: 1 },
    { host: 'localhost', ok: 4, changed: 2, unreachable: 0, failed: 0, skipped: 2, rescued: 1, ignored: 1 },
    { host: 'unreach_host', ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
  ]);
  assert.equal(outcome.succeeded, false);
  assert.equal(outcome.error, undefined);
  // The ignored and the rescued failures are not reported; the real one and the unreachable host are.
  assert.deepEqual(
    outcome.failures.map((f) => [f.host, f.task, f.unreachable]),
    [
      ['aio1_heat_api_container-36e270c9', 'real failure on container', false],
      ['unreach_host', 'ok task', true],
    ],
  );
  assert.equal(outcome.failures[0]?.message, 'non-zero return code');
  assert.match(outcome.failures[1]!.message, /Connection refused/);
});

test('coloured output (ANSIBLE_FORCE_COLOR, as in a terminal) reads the same as plain', () => {
  const plain = summarizePlaybookRun(fixture('recap-mixed.txt'), 4);
  const coloured = summarizePlaybookRun(fixture('recap-mixed-color.txt'), 4);
  assert.deepEqual(coloured, plain);
});

test('PTY line endings (CRLF) are read like LF', () => {
  const crlf = fixture('recap-ok.txt').replace(/\n/g, '\r\n');
  assert.deepEqual(summarizePlaybookRun(crlf, 0), summarizePlaybookRun(fixture('recap-ok.txt'), 0));
});

test('a clean run succeeds and formats one line per host', () => {
  const outcome = summarizePlaybookRun(fixture('recap-ok.txt'), 0);
  assert.equal(outcome.succeeded, true);
  assert.deepEqual(outcome.failures, []);
  assert.equal(formatRecap(outcome.recap), 'localhost: ok 1, changed 0');
  assert.equal(
    formatRecap(summarizePlaybookRun(fixture('recap-mixed.txt'), 4).recap),
    [
      'aio1_heat_api_container-36e270c9: ok 4, changed 2, failed 1, skipped 1, rescued 1, ignored 1',
      'localhost: ok 4, changed 2, skipped 2, rescued 1, ignored 1',
      'unreach_host: ok 0, changed 0, unreachable 1',
    ].join('\n'),
  );
});

test('a clean recap with a non-zero exit code is not a success', () => {
  assert.equal(summarizePlaybookRun(fixture('recap-ok.txt'), 2).succeeded, false);
});

test('ansible refusing to start: the ERROR! line, no recap', () => {
  const missing = summarizePlaybookRun(fixture('playbook-missing.txt'), 1);
  assert.equal(missing.error, 'the playbook: missing.yml could not be found');
  assert.deepEqual(missing.recap, []);
  assert.equal(missing.succeeded, false);
  const noHosts = summarizePlaybookRun(fixture('limit-no-hosts.txt'), 1);
  assert.match(noHosts.error ?? '', /leaves us with no hosts to target/);
});

test('several runs in one log: one recap block each; the summary takes the last', () => {
  const log = fixture('recap-mixed.txt') + fixture('recap-ok.txt');
  const blocks = parseRecaps(log);
  assert.deepEqual(blocks.map((b) => b.length), [3, 1]);
  assert.deepEqual(summarizePlaybookRun(log, 0).recap.map((h) => h.host), ['localhost']);
});

test('lines that only look like a recap outside the PLAY RECAP block are ignored', () => {
  assert.deepEqual(parseRecaps('host : ok=1 changed=0 unreachable=0 failed=0\n'), []);
  assert.deepEqual(parseRecaps('PLAY RECAP ***\nnot a recap line\nh : ok=1 failed=0\n'), [[]]);
});
