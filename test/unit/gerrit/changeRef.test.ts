import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { changeRefName, GerritInputError, parseChangeRef, parseChangeRefName, parseGitReview, reviewBranchName } from '../../../src/core/gerrit';

test('change refs as users type them', () => {
  const cases: Array<[string, object]> = [
    ['12345', { number: 12345 }],
    [' 12345 ', { number: 12345 }],
    ['12345,3', { number: 12345, patchset: 3 }],
    ['12345/3', { number: 12345, patchset: 3 }],
    ['https://review.opendev.org/c/openstack/heat/+/12345/3', { number: 12345, patchset: 3, origin: 'https://review.opendev.org', project: 'openstack/heat' }],
    ['https://review.opendev.org/c/openstack/heat/+/12345', { number: 12345, origin: 'https://review.opendev.org', project: 'openstack/heat' }],
    ['https://review.opendev.org/c/openstack/heat/+/12345/3/heat/engine/service.py', { number: 12345, patchset: 3, origin: 'https://review.opendev.org', project: 'openstack/heat' }],
    ['https://review.opendev.org/#/c/12345/', { number: 12345, origin: 'https://review.opendev.org' }],
    ['https://review.opendev.org/#/c/12345/2', { number: 12345, patchset: 2, origin: 'https://review.opendev.org' }],
    ['https://review.opendev.org/12345', { number: 12345, origin: 'https://review.opendev.org' }],
    ['https://review.opendev.org/12345/4', { number: 12345, patchset: 4, origin: 'https://review.opendev.org' }],
    ['http://127.0.0.1:8080/c/x/y/z/+/7', { number: 7, origin: 'http://127.0.0.1:8080', project: 'x/y/z' }],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseChangeRef(input), expected, input);
});

test('malformed change refs are refused with a message naming the input', () => {
  for (const input of ['', 'abc', '12345,', '12345,x', '12345,3,4', '-1', '0', '99999999999', '12345;rm -rf /', 'ftp://h/12345', 'https://review.opendev.org/', 'https://review.opendev.org/c/openstack/heat/+/', 'https://review.opendev.org/q/status:open', 'https://h/12345/abc']) {
    assert.throws(() => parseChangeRef(input), (e: unknown) => e instanceof GerritInputError && e.message.length > 10, input);
  }
});

test('refs/changes/NN/C/PS: NN is the last two digits, zero-padded, and parsing inverts it', () => {
  assert.equal(changeRefName(12345, 3), 'refs/changes/45/12345/3');
  assert.equal(changeRefName(7, 1), 'refs/changes/07/7/1');
  assert.equal(changeRefName(100, 2), 'refs/changes/00/100/2');
  assert.throws(() => changeRefName(0, 1), GerritInputError);
  assert.throws(() => changeRefName(5, 0), GerritInputError);
  assert.equal(parseChangeRefName('refs/changes/44/12345/3'), undefined);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 999 }), (c, ps) => {
      assert.deepEqual(parseChangeRefName(changeRefName(c, ps)), { change: c, patchset: ps });
      assert.deepEqual(parseChangeRef(`${c},${ps}`), { number: c, patchset: ps });
    }),
  );
});

test('.gitreview: required keys, defaults, comments, scheme', () => {
  assert.deepEqual(parseGitReview('[gerrit]\nhost=review.opendev.org\nport=29418\nproject=openstack/heat.git\ndefaultbranch=stable/2025.1\n'), {
    host: 'review.opendev.org',
    port: 29418,
    project: 'openstack/heat',
    defaultBranch: 'stable/2025.1',
    defaultRemote: 'gerrit',
    scheme: 'ssh',
  });
  assert.deepEqual(parseGitReview('# c\n[gerrit]\r\nhost = 127.0.0.1\r\nproject = x\r\nscheme = http\r\ndefaultremote = origin\r\n[other]\nhost=nope\n'), {
    host: '127.0.0.1',
    port: 29418,
    project: 'x',
    defaultBranch: 'master',
    defaultRemote: 'origin',
    scheme: 'http',
  });
  assert.throws(() => parseGitReview('[gerrit]\nproject=x\n'), /host is missing/);
  assert.throws(() => parseGitReview('[gerrit]\nhost=h\n'), /project is missing/);
  assert.throws(() => parseGitReview('[gerrit]\nhost=h\nproject=x\nport=abc\n'), /not a TCP port/);
  assert.throws(() => parseGitReview('[gerrit]\nhost=h;reboot\nproject=x\n'), /not a host name/);
  assert.throws(() => parseGitReview('[gerrit]\nhost=h\nproject=../x\n'), /not a project name/);
  assert.throws(() => parseGitReview('host=h\n'), /outside the \[gerrit\] section/);
  assert.throws(() => parseGitReview('[gerrit]\nthis is not ini\n'), /\.gitreview:2/);
});

test('review branch names follow git-review', () => {
  const owner = { id: 1, name: "Bob O'Neil-Ström" };
  assert.equal(reviewBranchName({ number: 12345, owner, topic: 'bug/1' }), 'review/bob_o_neil_ström/bug/1');
  assert.equal(reviewBranchName({ number: 12345, owner }), 'review/bob_o_neil_ström/12345');
  assert.equal(reviewBranchName({ number: 12345, owner, topic: 'master' }), 'review/bob_o_neil_ström/12345');
  assert.equal(reviewBranchName({ number: 12345, owner, topic: 'stable/x' }, { defaultBranch: 'stable/x', patchset: 2 }), 'review/bob_o_neil_ström/12345-patch2');
  assert.equal(reviewBranchName({ number: 9, owner: { id: 2 } }, { patchset: 1 }), 'review/unknown/9-patch1');
  assert.equal(reviewBranchName({ number: 9, owner: { id: 2, name: 'A' }, topic: 'a..b c:~' }), 'review/a/a.b_c_');
});
