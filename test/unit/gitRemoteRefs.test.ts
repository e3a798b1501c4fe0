import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseRemoteRefs } from '../../src/core/git/remoteRefs';

test('branches and tags of a real repository, master first, then stable/ newest first, then tags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osa-refs-'));
  const git = (...args: string[]): string => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'master');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'x');
  for (const branch of ['stable/2024.1', 'stable/2025.1', 'stable/2024.2', 'feature/x']) git('branch', branch);
  git('tag', '30.0.0');
  git('tag', '-a', '31.0.0', '-m', 'annotated');
  const refs = parseRemoteRefs(execFileSync('git', ['ls-remote', '--heads', '--tags', dir], { encoding: 'utf8' }));
  assert.deepEqual(refs, ['master', 'stable/2025.1', 'stable/2024.2', 'stable/2024.1', 'feature/x', '31.0.0', '30.0.0']);
});

test('junk lines are ignored', () => {
  assert.deepEqual(parseRemoteRefs('warning: x\nabc\trefs/pull/1/head\n\n'), []);
});
