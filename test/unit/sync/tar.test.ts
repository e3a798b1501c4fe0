import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildTar, computeDeletes, isSafeRelativePath, parseManifest, readManifest, serializeManifest, serializeManifestDelta, type TarEntry } from '../../../src/core/sync';

/** Extracts with GNU tar (a reader no one here wrote) and returns the directory. */
function extract(tar: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'tar-test-'));
  execFileSync('tar', ['-x', '-f', '-', '-C', dir], { input: tar });
  return dir;
}

const file = (path: string, data: string | Buffer, mode = 0o644): TarEntry => ({ type: 'file', path, data: Buffer.from(data), mode, mtime: 1767600000 });

test('GNU tar reads back names with spaces, quotes, unicode, long paths, symlinks, modes, binary', () => {
  const long = `${'deep/'.repeat(40)}file name ünïcødé 'quoted' "double".py`;
  const binary = Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 7919) % 256));
  const entries: TarEntry[] = [
    file('a b/it\'s "here".txt', 'spaces and quotes\n'),
    file('héllo/wörld.py', 'print("ü")\n'),
    file(long, 'long\n'),
    file('bin/run.sh', '#!/bin/sh\necho hi\n', 0o755),
    file('data.bin', binary),
    file('empty', ''),
    { type: 'symlink', path: 'link-to-run', target: 'bin/run.sh', mtime: 1767600000 },
    { type: 'symlink', path: 'long-link', target: `../${'x'.repeat(150)}/ünï`, mtime: 1767600000 },
  ];
  const dir = extract(buildTar(entries));
  try {
    for (const entry of entries) {
      const full = join(dir, entry.path);
      if (entry.type === 'file') {
        assert.deepEqual(readFileSync(full), Buffer.from(entry.data), entry.path);
        assert.equal(lstatSync(full).mode & 0o777, entry.mode, entry.path);
        assert.equal(Math.floor(lstatSync(full).mtimeMs / 1000), 1767600000);
      } else {
        assert.equal(readlinkSync(full), entry.target);
      }
    }
    const listed = execFileSync('tar', ['-t', '--quoting-style=literal', '-f', '-'], { input: buildTar(entries), encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.deepEqual(listed, entries.map((e) => e.path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('any safe path round-trips through GNU tar (property)', () => {
  const part = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => !s.includes('/') && !s.includes('\0') && s !== '.' && s !== '..');
  fc.assert(
    fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (parts) => {
      const path = parts.join('/');
      const listed = execFileSync('tar', ['-t', '--quoting-style=literal', '-f', '-'], { input: buildTar([file(path, 'x')]), encoding: 'utf8' });
      assert.equal(listed, `${path}\n`);
    }),
    { numRuns: 40 },
  );
});

test('unsafe paths are refused before anything is written', () => {
  for (const path of ['/etc/passwd', '../x', 'a/../../x', 'a//b', './a', '', 'a/\0b']) {
    assert.throws(() => buildTar([file(path, 'x')]), /Refusing/, path);
    assert.equal(isSafeRelativePath(path), false, path);
  }
});

test('manifest round-trip (paths with newlines), unknown content refused, deletes computed', () => {
  const paths = new Set(['a', 'b/c d', 'new\nline', 'ü/x']);
  assert.deepEqual(parseManifest(serializeManifest(paths)), paths);
  assert.deepEqual(parseManifest(''), new Set());
  assert.throws(() => parseManifest('rm -rf /\0'), /not an osa-dev manifest/);
  assert.throws(() => parseManifest('osa-dev-manifest 1\n../../etc/passwd\0'), /Refusing/);
  assert.throws(() => serializeManifest(['/abs']), /Refusing/);
  assert.deepEqual(computeDeletes(new Set(['a', 'b', 'c']), new Set(['a', 'c/x']), ['c/x']), ['b', 'c']);
  assert.deepEqual(computeDeletes(new Set(['keep']), new Set(['keep', 'new'])), []);
});

test('manifest version 2: a save appends only its records; they fold in order; version 1 is still read but not appended to', () => {
  const whole = serializeManifest(['a', 'b', '-starts-with-dash', '+plus']);
  const afterSave = Buffer.concat([whole, serializeManifestDelta(['c/new', 'a'], ['b']), serializeManifestDelta([], ['a'])]);
  assert.deepEqual(readManifest(afterSave), { paths: new Set(['-starts-with-dash', '+plus', 'c/new']), appendable: true });
  assert.equal(serializeManifestDelta([], []).length, 0, 'an unchanged set of paths appends nothing');
  // A record cut short (an interrupted append) is not taken.
  assert.deepEqual(readManifest(Buffer.concat([whole, Buffer.from('+half')])).paths, new Set(['a', 'b', '-starts-with-dash', '+plus']));
  assert.deepEqual(readManifest('osa-dev-manifest 1\na\0b c\0'), { paths: new Set(['a', 'b c']), appendable: false });
  assert.deepEqual(readManifest(''), { paths: new Set(), appendable: false });
  assert.throws(() => readManifest('osa-dev-manifest 2\n*a\0'), /neither \+path nor -path/);
  assert.throws(() => readManifest('osa-dev-manifest 2\n-../x\0'), /Refusing/);
  assert.throws(() => serializeManifestDelta(['.osa-dev-manifest.part'], []), /Refusing/);
});
