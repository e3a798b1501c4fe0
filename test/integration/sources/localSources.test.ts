/** Local sources against the Gerrit stand-in (real git over http on loopback). */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ChangeNotFoundError, GerritClient, GerritInputError, PatchsetNotFoundError } from '../../../src/core/gerrit';
import { InvalidGitInputError } from '../../../src/core/git/validate';
import { checkoutGerritChange, cloneOrFetch, SourcesError, UncommittedChangesError } from '../../../src/core/sources';
import { standardFixtures } from '../../support/gerrit/builders';
import { mustRun } from '../../support/gerrit/exec';
import { GerritStandIn } from '../../support/gerrit/standIn';

let gerrit: GerritStandIn;
let client: GerritClient;
let work: string;

before(async () => {
  gerrit = await GerritStandIn.start();
  for (const change of standardFixtures()) gerrit.addChange(change);
  client = new GerritClient({ baseUrl: gerrit.url });
  work = mkdtempSync(join(tmpdir(), 'sources-'));
});
after(async () => {
  await gerrit.stop();
  rmSync(work, { recursive: true, force: true });
});

const head = async (dir: string): Promise<string> => (await mustRun('git', ['rev-parse', 'HEAD'], dir)).trim();
const branchOf = async (dir: string): Promise<string> => (await mustRun('git', ['rev-parse', '--abbrev-ref', 'HEAD'], dir)).trim();

test('clone a branch, reuse the clone (fetch only) for another branch and a tag', async () => {
  const dir = join(work, 'upstream');
  const url = gerrit.gitUrl('openstack/heat');
  const first = await cloneOrFetch({ url, ref: 'master', dir });
  assert.equal(first.cloned, true);
  assert.equal(first.branch, 'master');
  assert.equal(first.head, (await mustRun('git', ['rev-parse', 'master'], gerrit.repoDir('openstack/heat'))).trim());
  const stable = await cloneOrFetch({ url, ref: 'stable/2025.1', dir });
  assert.equal(stable.cloned, false);
  assert.equal(await branchOf(dir), 'stable/2025.1');
  const tag = await cloneOrFetch({ url, ref: '24.0.0', dir });
  assert.equal(tag.branch, undefined);
  assert.equal(await branchOf(dir), 'HEAD');
  assert.match(readFileSync(join(dir, 'heat/version.py'), 'utf8'), /'master'/);
});

test('bad URL, ref or folder: a clear error and nothing created', async () => {
  const dir = join(work, 'never');
  await assert.rejects(cloneOrFetch({ url: 'https://x/$(reboot)', ref: 'master', dir }), InvalidGitInputError);
  await assert.rejects(cloneOrFetch({ url: gerrit.gitUrl('openstack/heat'), ref: '--upload-pack=x', dir }), InvalidGitInputError);
  await assert.rejects(cloneOrFetch({ url: gerrit.gitUrl('openstack/heat'), ref: 'no-such-branch', dir }), /has no branch or tag named "no-such-branch"/);
  await assert.rejects(cloneOrFetch({ url: gerrit.gitUrl('openstack/nope'), ref: 'master', dir }), (e: unknown) => e instanceof SourcesError && /Cannot read/.test(e.message));
  await assert.rejects(cloneOrFetch({ url: gerrit.gitUrl('openstack/heat'), ref: 'master', dir: 'relative/dir' }), /absolute/);
  assert.equal(existsSync(dir), false);
  const full = join(work, 'full');
  mkdirSync(full);
  writeFileSync(join(full, 'mine.txt'), 'x');
  await assert.rejects(cloneOrFetch({ url: gerrit.gitUrl('openstack/heat'), ref: 'master', dir: full }), /non-empty folder/);
  assert.equal(readFileSync(join(full, 'mine.txt'), 'utf8'), 'x');
});

test('Gerrit change: current patchset, older patchset (-patch3), reuse with reset --keep, like git review -d', async () => {
  const dir = join(work, 'review');
  await cloneOrFetch({ url: gerrit.gitUrl('openstack/heat'), ref: 'master', dir });
  const current = await checkoutGerritChange(client, { dir, change: '12345' });
  assert.equal(current.head, gerrit.revision(12345, 5));
  assert.equal(current.branch, 'review/alice_example/bug/2000001');
  const older = await checkoutGerritChange(client, { dir, change: `${gerrit.url}/c/openstack/heat/+/12345/3` });
  assert.equal(older.head, gerrit.revision(12345, 3));
  assert.equal(older.branch, 'review/alice_example/bug/2000001-patch3');
  // The existing review branch is reused and moved with reset --keep.
  await mustRun('git', ['checkout', '-q', 'master'], dir);
  await mustRun('git', ['update-ref', 'refs/heads/review/alice_example/bug/2000001', gerrit.revision(12345, 3)], dir);
  const again = await checkoutGerritChange(client, { dir, change: '12345' });
  assert.equal(again.head, gerrit.revision(12345, 5));
  assert.equal(await branchOf(dir), 'review/alice_example/bug/2000001');
  const stable = await checkoutGerritChange(client, { dir, change: '12348,1' });
  assert.equal(stable.head, gerrit.revision(12348, 1));
  assert.equal(stable.branch, "review/bob_o_neil_ström/12348-patch1");
  await assert.rejects(checkoutGerritChange(client, { dir, change: '12345,9' }), PatchsetNotFoundError);
  await assert.rejects(checkoutGerritChange(client, { dir, change: '12345,x' }), GerritInputError);
  assert.equal(await head(dir), gerrit.revision(12348, 1));
});

test('uncommitted work: refused by default (nothing changes), stashed on request (recoverable)', async () => {
  const dir = join(work, 'dirty');
  await cloneOrFetch({ url: gerrit.gitUrl('openstack/heat'), ref: 'master', dir });
  const before = await head(dir);
  writeFileSync(join(dir, 'heat/version.py'), "CODE_MARKER = 'my work'\n");
  await assert.rejects(checkoutGerritChange(client, { dir, change: '12345' }), (e: unknown) => e instanceof UncommittedChangesError && /heat\/version\.py/.test(e.message));
  await assert.rejects(cloneOrFetch({ url: gerrit.gitUrl('openstack/heat'), ref: '24.0.0', dir }), UncommittedChangesError);
  assert.equal(await head(dir), before);
  assert.equal(readFileSync(join(dir, 'heat/version.py'), 'utf8'), "CODE_MARKER = 'my work'\n");
  const stashed = await checkoutGerritChange(client, { dir, change: '12345', onDirty: 'stash' });
  assert.ok(stashed.stashed);
  assert.equal(stashed.head, gerrit.revision(12345, 5));
  await mustRun('git', ['checkout', '-q', 'master'], dir);
  await mustRun('git', ['stash', 'pop', '-q'], dir);
  assert.equal(readFileSync(join(dir, 'heat/version.py'), 'utf8'), "CODE_MARKER = 'my work'\n");
});

test('bad input (issue #4): a URL that is not a git repository, a change or a change ref that does not exist: a clear error, the clone untouched', async () => {
  const dir = join(work, 'bad-input');
  await cloneOrFetch({ url: gerrit.gitUrl('openstack/heat'), ref: 'master', dir });
  const state = async (): Promise<string> => `${await head(dir)} ${await branchOf(dir)} ${(await mustRun('git', ['status', '--porcelain'], dir)).trim()}`;
  const before = await state();
  // The REST endpoint answers HTTP, but it is not git.
  await assert.rejects(cloneOrFetch({ url: `${gerrit.url}/changes/12345`, ref: 'master', dir }), (e: unknown) => e instanceof SourcesError && /^Cannot read http:\/\/127\.0\.0\.1:\d+\/changes\/12345: /.test(e.message));
  await assert.rejects(cloneOrFetch({ url: `${gerrit.url}/changes/12345`, ref: 'master', dir: join(work, 'not-git') }), /Cannot read/);
  assert.equal(existsSync(join(work, 'not-git')), false);
  await assert.rejects(checkoutGerritChange(client, { dir, change: '99999' }), (e: unknown) => e instanceof ChangeNotFoundError && /Change 99999 was not found on 127\.0\.0\.1:\d+/.test(e.message));
  await assert.rejects(checkoutGerritChange(client, { dir, change: 'https://review.example.org/c/openstack/heat/+/12x45' }), GerritInputError);
  // Gerrit lists patchset 2 but its ref is gone from the git server.
  await mustRun('git', ['update-ref', '-d', 'refs/changes/46/12346/2'], gerrit.repoDir('openstack/heat'));
  await assert.rejects(checkoutGerritChange(client, { dir, change: '12346,2' }), (e: unknown) => e instanceof SourcesError && /^Fetching refs\/changes\/46\/12346\/2 from .* failed: .*couldn't find remote ref/.test(e.message));
  assert.equal(await state(), before, 'HEAD, branch and working tree unchanged');
  assert.equal((await mustRun('git', ['branch', '--list', 'review/*'], dir)).trim(), '', 'no review branch created');
});
