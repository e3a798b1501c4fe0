/**
 * The Gerrit stand-in checked by a client no one here wrote (Debian's git-review), then our client
 * against it: anonymous and /a/ reads, 404/401, patchsets, open changes, an unreachable server.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ChangeNotFoundError, GerritAuthError, GerritClient, GerritUnreachableError, PatchsetNotFoundError } from '../../../src/core/gerrit';
import { standardFixtures } from '../../support/gerrit/builders';
import { mustRun, run } from '../../support/gerrit/exec';
import { GerritStandIn } from '../../support/gerrit/standIn';

let gerrit: GerritStandIn;
let work: string;

before(async () => {
  gerrit = await GerritStandIn.start({ account: { username: 'alice', password: 'http-pass' } });
  for (const change of standardFixtures()) gerrit.addChange(change);
  work = mkdtempSync(join(tmpdir(), 'git-review-'));
});
after(async () => {
  await gerrit.stop();
  rmSync(work, { recursive: true, force: true });
});

async function gitReviewClone(name: string): Promise<string> {
  const dir = join(work, name);
  // The remote git-review looks for is "gerrit" (.gitreview defaultremote); with an http(s)
  // remote URL it queries `<url minus project>/changes/?q=C&o=…` and fetches from that URL.
  await mustRun('git', ['clone', '-q', '-o', 'gerrit', gerrit.gitUrl('openstack/heat'), dir], work);
  await mustRun('git', ['config', 'user.email', 't@example.org'], dir);
  await mustRun('git', ['config', 'user.name', 'T'], dir);
  return dir;
}

test('git review -d 12345 checks out the current patchset from the stand-in', async () => {
  const dir = await gitReviewClone('current');
  await mustRun('git', ['review', '-d', '12345'], dir);
  assert.equal((await mustRun('git', ['rev-parse', 'HEAD'], dir)).trim(), gerrit.revision(12345, 5));
  // Over HTTP Gerrit sends only _account_id without DETAILED_ACCOUNTS, so git-review says "unknown".
  assert.equal((await mustRun('git', ['rev-parse', '--abbrev-ref', 'HEAD'], dir)).trim(), 'review/unknown/bug/2000001');
  assert.ok(gerrit.requests.some((r) => r.url === '/changes/?q=12345&o=CURRENT_REVISION'));
});

test('git review -d 12345,3 checks out the older patchset on a -patch3 branch', async () => {
  const dir = await gitReviewClone('older');
  await mustRun('git', ['review', '-d', '12345,3'], dir);
  assert.equal((await mustRun('git', ['rev-parse', 'HEAD'], dir)).trim(), gerrit.revision(12345, 3));
  assert.equal((await mustRun('git', ['rev-parse', '--abbrev-ref', 'HEAD'], dir)).trim(), 'review/unknown/bug/2000001-patch3');
  assert.ok(gerrit.requests.some((r) => r.url === '/changes/?q=12345&o=ALL_REVISIONS'));
});

test('git review -d on a stable/2025.1 change and a missing patchset', async () => {
  const dir = await gitReviewClone('stable');
  await mustRun('git', ['review', '-d', '12348'], dir);
  assert.equal((await mustRun('git', ['rev-parse', 'HEAD'], dir)).trim(), gerrit.revision(12348, 2));
  const missing = await run('git', ['review', '-d', '12345,9'], dir);
  // git-review's PatchSetNotFound: its own exit code, the change spec printed, nothing checked out.
  assert.notEqual(missing.code, 0);
  assert.match(missing.stdout + missing.stderr, /12345,9/);
  assert.equal((await mustRun('git', ['rev-parse', 'HEAD'], dir)).trim(), gerrit.revision(12348, 2));
});

test('our client: anonymous reads, all fixtures, statuses, branches, patchsets', async () => {
  const client = new GerritClient({ baseUrl: gerrit.url });
  const change = await client.getChange(12345, { allRevisions: true });
  assert.deepEqual(change.patchsets.map((ps) => ps.number), [1, 2, 3, 4, 5]);
  assert.deepEqual(change.patchsets.map((ps) => ps.revision), [1, 2, 3, 4, 5].map((ps) => gerrit.revision(12345, ps)));
  assert.equal(change.owner.name, 'Alice Example');
  assert.equal(change.topic, 'bug/2000001');
  assert.equal((await client.getChange(12346)).status, 'MERGED');
  assert.equal((await client.getChange(12347)).status, 'ABANDONED');
  assert.equal((await client.getChange(12348, { project: 'openstack/heat' })).branch, 'stable/2025.1');
  assert.equal((await client.resolvePatchset(12345, 2)).patchset.ref, 'refs/changes/45/12345/2');
  await assert.rejects(client.resolvePatchset(12345, 6), PatchsetNotFoundError);
  await assert.rejects(client.getChange(99999), ChangeNotFoundError);
  // A private change is invisible anonymously (Gerrit answers 404 rather than revealing it).
  await assert.rejects(client.getChange(12349), ChangeNotFoundError);
  const open = await client.listOpenChanges('openstack/heat', { limit: 10 });
  assert.deepEqual(open.changes.map((c) => c.number).sort((a, b) => a - b), [7, 12345, 12348]);
  assert.equal(open.more, false);
  const first = open.changes.find((c) => c.number === 12345)!;
  assert.equal(first.latestPatchset, 5);
  assert.equal(first.owner.name, 'Alice Example');
  assert.ok(first.updated.startsWith('2026-'));
  const master = await client.listOpenChanges('openstack/heat', { branch: 'master', limit: 10 });
  assert.deepEqual(master.changes.map((c) => c.number).sort((a, b) => a - b), [7, 12345]);
  assert.ok(gerrit.requests.some((r) => r.url.startsWith(`/changes/?q=${encodeURIComponent('status:open project:openstack/heat branch:master')}&n=10`)));
});

test('our client pages through open changes with n and S until _more_changes is absent', async () => {
  const client = new GerritClient({ baseUrl: gerrit.url });
  const seen: number[] = [];
  let start = 0;
  let pages = 0;
  for (;;) {
    const page = await client.listOpenChanges('openstack/heat', { limit: 1, start });
    seen.push(...page.changes.map((c) => c.number));
    pages++;
    if (!page.more) break;
    start = page.next;
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, (await client.listOpenChanges('openstack/heat', { limit: 10 })).changes.map((c) => c.number), 'the pages are the whole list, in order, once');
});

test('our client: authenticated under /a/, wrong password, unreachable server', async () => {
  const logged: string[] = [];
  const log = (m: string | Error): void => void logged.push(String(m));
  const logger = { trace: log, debug: log, info: log, warn: log, error: log };
  const client = new GerritClient({ baseUrl: gerrit.url, credentials: { username: 'alice', password: async () => 'http-pass' }, logger });
  assert.equal((await client.getChange(12349)).subject, 'Security fix under embargo');
  assert.ok(gerrit.requests.some((r) => r.url.startsWith('/a/changes/12349') && r.authorization));
  // Anonymous reads do not see the private change, and the stand-in refuses /a/ without Basic auth, as Gerrit does.
  assert.equal((await client.listOpenChanges('openstack/heat', { limit: 10 })).changes.some((c) => c.number === 12349), true);
  assert.equal((await fetch(`${gerrit.url}/a/changes/12345`)).status, 401);
  const wrong = new GerritClient({ baseUrl: gerrit.url, credentials: { username: 'alice', password: async () => 'nope-wrong' }, logger });
  await assert.rejects(wrong.getChange(12345), (e: unknown) => e instanceof GerritAuthError && /^Not authorized by 127.0.0.1:\d+: it refused the user name or HTTP password/.test(e.message));
  const secrets = ['http-pass', 'nope-wrong', Buffer.from('alice:http-pass').toString('base64'), Buffer.from('alice:nope-wrong').toString('base64')];
  assert.ok(logged.length >= 3, 'the client logged its requests');
  for (const line of logged) for (const secret of secrets) assert.ok(!line.includes(secret), `a password in the log: ${line}`);
  const down = new GerritClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 3000 });
  await assert.rejects(down.getChange(12345), (e: unknown) => e instanceof GerritUnreachableError && /connection refused/.test(e.message));
});

/** A loopback port nothing listens on (bound, then closed). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
