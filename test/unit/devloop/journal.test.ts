import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JOURNAL_FORMAT, JournalFormatError, parseJournal, stepsToUndo, withStep, type JournalDocument } from '../../../src/core/devloop/journal';
import { OPEN_MARKER, parseLockAndRead } from '../../../src/core/devloop/journalStore';

const at = '2026-11-25T12:00:00.000Z';
const doc: JournalDocument = {
  format: JOURNAL_FORMAT,
  container: 'aio1-heat-api-container-5d2a9f10',
  request: { service: 'heat' },
  createdAt: at,
  updatedAt: at,
  steps: [
    { id: 'isolate', title: 'Isolate', status: 'applied', original: { servers: 2 }, updatedAt: at },
    { id: 'stop', title: 'Stop', status: 'applying', original: { active: true }, updatedAt: at },
    { id: 'deps', title: 'Deps', status: 'skipped', note: 'unchanged', updatedAt: at },
    { id: 'db', title: 'db_sync', status: 'failed', updatedAt: at, error: 'capture failed' },
  ],
};

test('restore undoes what may have changed, last first; a failed capture changed nothing', () => {
  assert.deepEqual(stepsToUndo(doc).map((s) => s.id), ['stop', 'isolate']);
});

test('withStep replaces a step in place or appends it', () => {
  const replaced = withStep(doc, { id: 'stop', title: 'Stop', status: 'applied', original: { active: true }, updatedAt: 'later' });
  assert.deepEqual(replaced.steps.map((s) => s.status), ['applied', 'applied', 'skipped', 'failed']);
  assert.equal(replaced.updatedAt, 'later');
  const appended = withStep(doc, { id: 'run', title: 'Run', status: 'applying', original: {}, updatedAt: at });
  assert.equal(appended.steps.length, 5);
});

test('a journal round-trips through JSON; garbage is a clear error naming the file', () => {
  assert.deepEqual(parseJournal('/var/lib/osa-dev/x.json', JSON.stringify(doc)), doc);
  assert.throws(() => parseJournal('/var/lib/osa-dev/x.json', '{"format": "other"}'), (e: unknown) => e instanceof JournalFormatError && /x\.json/.test(e.message));
  assert.throws(() => parseJournal('/var/lib/osa-dev/x.json', '{truncated'), JournalFormatError);
});

test('the lock-and-read answer: a free lock, a held one, with and without a journal, cut short', () => {
  const lock = '{"holder":"alice@laptop (window 1)","since":"2026-11-25T10:00:00.000Z"}';
  assert.deepEqual(parseLockAndRead(`${OPEN_MARKER} absent\n`), {});
  assert.deepEqual(parseLockAndRead(`${OPEN_MARKER} present\n{"a":1}\n`), { journal: '{"a":1}\n' });
  assert.deepEqual(parseLockAndRead(`held\n${lock}\n${OPEN_MARKER} present\n{}`), {
    heldBy: { holder: 'alice@laptop (window 1)', since: '2026-11-25T10:00:00.000Z' },
    lockText: lock,
    journal: '{}',
  });
  assert.deepEqual(parseLockAndRead(`held\ngarbage\n${OPEN_MARKER} absent\n`)?.heldBy?.holder, 'an unknown holder (unreadable lock file)');
  assert.equal(parseLockAndRead('held\n'), undefined);
});
