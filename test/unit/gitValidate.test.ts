import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { assertGitRef, assertGitUrl, InvalidGitInputError } from '../../src/core/git/validate';

test('ordinary URLs are accepted', () => {
  for (const url of [
    'https://opendev.org/openstack/heat',
    'https://opendev.org/openstack/heat.git',
    'git://172.29.236.100/openstack/heat',
    'ssh://me@review.opendev.org:29418/openstack/heat',
    'git@github.com:me/heat.git',
  ]) {
    assert.equal(assertGitUrl(url), url);
  }
});

test('option injection, spaces, shell metacharacters and traversal are refused', () => {
  for (const url of ['--upload-pack=touch /tmp/x', 'https://x/a b', "https://x/$(reboot)'", 'git://h/../../etc', 'ext::sh -c reboot', '', 'heat']) {
    assert.throws(() => assertGitUrl(url), InvalidGitInputError, url);
  }
});

test('refs follow git check-ref-format (checked against the real git on generated names)', () => {
  for (const ref of ['master', 'stable/2025.1', '24.0.0', 'refs/changes/45/12345/3', 'review/alice/bug-1']) assert.equal(assertGitRef(ref), ref);
  for (const ref of ['-b', 'a..b', 'a b', 'a~1', 'x.lock', '.hidden', 'a//b', 'a@{1}', '@', 'feat:x', '']) {
    assert.throws(() => assertGitRef(ref), InvalidGitInputError, ref);
  }
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'b', '/', '.', '-', '@', '{', ' ', '~', ':', 'é', '\\', '*') }), (ref) => {
      let gitAccepts = true;
      try {
        execFileSync('git', ['check-ref-format', '--allow-onelevel', ref], { stdio: 'ignore' });
      } catch {
        gitAccepts = false;
      }
      let weAccept = true;
      try {
        assertGitRef(ref);
      } catch {
        weAccept = false;
      }
      // We may be stricter than git (leading '-', shell metacharacters), never looser.
      if (weAccept) assert.ok(gitAccepts, `we accepted ${JSON.stringify(ref)} but git refuses it`);
      if (gitAccepts && !ref.startsWith('-') && !/[$`'"\\;|&<>(){}!#]/.test(ref)) assert.ok(weAccept, `git accepts ${JSON.stringify(ref)} but we refuse it`);
    }),
    { numRuns: 400 },
  );
});
