/** The bugs the corpus and the fuzz found, pinned down one by one (each failed before its fix). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJournal } from '../../../src/core/devloop/journal';
import { codeStep } from '../../../src/core/devloop/steps/codeStep';
import { statContainerPath } from '../../../src/core/devloop/steps/containerPaths';
import { pipConf } from '../../../src/core/devloop/steps/pipConf';
import { parseExecStart } from '../../../src/core/devloop/steps/systemdShow';
import { GerritInputError, parseChangeRef, parseGitReview, reviewBranchName } from '../../../src/core/gerrit';
import { assertGitRef } from '../../../src/core/git/validate';
import { checkKnownHost, parseKnownHosts, resolveHost, SshConfigError } from '../../../src/core/ssh';
import { assertContainerName } from '../../../src/core/runtime/lxc/validate';
import { unclearError } from '../support/outcome';
import { RecordingRunner, runtime } from '../support/recordingRunner';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIG0KqK2fO0tF6c2v1m3YtW8Zr0Ff3b2wq8cJ7zJtq9Xx';

test('a review URL with a malformed %-escape is a GerritInputError, not a URIError', () => {
  assert.throws(() => parseChangeRef('https://review.opendev.org/c/openstack/heat/+/%E0%A4%A'), GerritInputError);
});

test('ExecStart with a huge run of spaces parses (the old expression backtracked quadratically: 28 s)', () => {
  // The fuzz's case: the run lands inside "ignore_errors", so `(.*?)\s*;` scanned it at every position.
  const text = `{ path=/usr/bin/heat-api ; argv[]=/usr/bin/heat-api --config-file /etc/heat/heat.conf ; ignore_err${' '.repeat(300_000)}ors=no ; pid=275 }`;
  assert.deepEqual(parseExecStart(text), []);
  assert.deepEqual(parseExecStart(`{ path=/bin/sh ; argv[]=/bin/sh -c a;b ; ignore_errors=no ; }`)[0]?.argv, ['/bin/sh', '-c', 'a;b']);
});

test('known_hosts patterns with many "*" match without a RegExp (no exponential backtracking, no "too large")', () => {
  const entries = parseKnownHosts(`${'*'.repeat(60)}x ssh-ed25519 ${KEY}\n${'a'.repeat(70_000)} ssh-ed25519 ${KEY}\n[127.0.0.1]:2?2* ssh-ed25519 ${KEY}\n`);
  const verdict = checkKnownHost(entries, '127.0.0.1', 2222, 'ssh-ed25519', Buffer.from(KEY, 'base64'));
  assert.equal(verdict.kind, 'match');
  assert.equal(verdict.kind === 'match' && verdict.entry.line, 3);
});

test('a truncated ssh config is an SshConfigError, not the library\'s TypeError', () => {
  assert.throws(() => resolveHost('aio1', 'Host aio1\n  HostName 127.0.0.1\n  ProxyJump jump\nHost', { home: '/root', localUser: 'root' }), SshConfigError);
});

test('a journal with a damaged step is refused when read, before Restore or the tree meet it', () => {
  const doc = { format: 'osa-dev-journal/1', container: 'c1', request: {}, createdAt: '', updatedAt: '', steps: [{ id: 5, title: 'x', status: 'applied' }] };
  assert.throws(() => parseJournal('/var/lib/osa-dev/c1.json', JSON.stringify(doc)), /step 1 is not a journal step/);
  assert.throws(() => parseJournal('/var/lib/osa-dev/c1.json', JSON.stringify({ ...doc, steps: [], request: null })), /not an osa-dev-journal/);
});

test('.gitreview host or project starting with "-" is refused (it would reach git and ssh as an option)', () => {
  assert.throws(() => parseGitReview('[gerrit]\nhost=-oProxyCommand=x\nproject=openstack/heat\n'), GerritInputError);
  assert.throws(() => parseGitReview('[gerrit]\nhost=review.opendev.org\nproject=openstack/-heat\n'), GerritInputError);
});

test('a bad package index URL is refused when the plan is built, not after isolation and stop', () => {
  for (const url of ['pypi.org/simple', 'https://x y', 'javascript:alert(1)', `https://${'a'.repeat(3000)}`]) {
    assert.throws(() => pipConf({ prodVenv: '/openstack/venvs/heat', indexUrl: url }), /Invalid package index URL/);
  }
  assert.doesNotThrow(() => pipConf({ prodVenv: '/openstack/venvs/heat', indexUrl: 'file:///var/www/repo/simple' }));
});

test('container paths are absolute and without ".." everywhere (code path, stat, list), before any command', async () => {
  const host = new RecordingRunner();
  assert.throws(() => codeStep('heat', { kind: 'container-path', path: 'opt/heat' }), /must be absolute/);
  await assert.rejects(statContainerPath(host, runtime, 'c1', '/etc/heat/../../root/.ssh'), /without "\.\."/);
  assert.deepEqual(host.lines, []);
});

test('a Gerrit topic of any length gives a valid review branch', () => {
  const branch = reviewBranchName({ number: 1, owner: { id: 1, name: 'é'.repeat(500) }, topic: 'bug/'.repeat(600) });
  assert.equal(assertGitRef(branch), branch);
});

test('a huge value is quoted in the error message, clipped', () => {
  let error: unknown;
  try {
    assertContainerName('x'.repeat(1_000_000));
  } catch (e) {
    error = e;
  }
  assert.equal(unclearError(error), undefined);
  assert.match((error as Error).message, /…" \(1000000 characters\)/);
});

test('refs with shell metacharacters are refused like URLs are; review branches never contain them', () => {
  for (const ref of ['master$(touch${IFS}x)', 'a;b', 'x`y`', 'it\'s', '#1', 'a|b']) assert.throws(() => assertGitRef(ref), /shell metacharacters/);
  const branch = reviewBranchName({ number: 7, owner: { id: 1, username: 'bob' }, topic: 'fix$(id);`x`|y' });
  assert.equal(assertGitRef(branch), branch);
});

test('a .gitreview header with a long run of blanks parses at once (the old expression backtracked: 28–52 s)', () => {
  assert.throws(() => parseGitReview(`[ge${' '.repeat(300_000)}rrit]\nhost=review.opendev.org\nproject=openstack/heat\n`), /host is missing/);
  assert.equal(parseGitReview('[ gerrit ]\nhost=review.opendev.org\nproject=openstack/heat\n').host, 'review.opendev.org');
});
