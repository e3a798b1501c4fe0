import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChangeNotFoundError,
  GerritAuthError,
  GerritClient,
  GerritResponseError,
  GerritInputError,
  GerritUnreachableError,
  buildChangeQuery,
  changeQueryPath,
  parseChangeInfo,
  parseGerritJson,
  PatchsetNotFoundError,
  type FetchLike,
} from '../../../src/core/gerrit';

const SHA = (n: number): string => String(n).repeat(40).slice(0, 40);

function changeJson(revisions: number[], extra: object = {}): object {
  return {
    id: 'openstack%2Fheat~master~I1',
    project: 'openstack/heat',
    branch: 'master',
    change_id: 'I1',
    subject: 'Fix',
    status: 'NEW',
    created: '2026-01-05 09:01:00.000000000',
    updated: '2026-01-05 09:06:00.000000000',
    _number: 12345,
    owner: { _account_id: 1000096, name: 'Alice Example' },
    current_revision: SHA(revisions[revisions.length - 1]!),
    revisions: Object.fromEntries(
      revisions.map((ps) => [SHA(ps), { _number: ps, created: 'x', ref: `refs/changes/45/12345/${ps}`, fetch: { 'anonymous http': { url: 'https://h/openstack/heat', ref: `refs/changes/45/12345/${ps}` } } }]),
    ),
    ...extra,
  };
}

function fakeFetch(routes: Record<string, { status: number; body: string }>, seen: Array<{ url: string; headers: Record<string, string> }> = []): FetchLike {
  return async (url, init) => {
    seen.push({ url, headers: init.headers });
    const path = url.replace(/^https:\/\/review\.example\.org/, '');
    const route = routes[path] ?? { status: 404, body: 'Not found' };
    return { status: route.status, text: async () => route.body };
  };
}

const ok = (value: unknown): { status: number; body: string } => ({ status: 200, body: `)]}'\n${JSON.stringify(value)}` });

test('the XSSI prefix is stripped; non-JSON is a clear error', () => {
  assert.deepEqual(parseGerritJson(")]}'\n[1]"), [1]);
  assert.deepEqual(parseGerritJson('{"a":1}'), { a: 1 });
  assert.throws(() => parseGerritJson('<html>login</html>'), GerritResponseError);
});

test('ChangeInfo: patchsets sorted, refs, fetch URLs, owner; bad shapes refused', () => {
  const change = parseChangeInfo(changeJson([3, 1, 2]));
  assert.deepEqual(change.patchsets.map((ps) => ps.number), [1, 2, 3]);
  assert.equal(change.patchsets[2]!.fetchUrls['anonymous http'], 'https://h/openstack/heat');
  assert.equal(change.currentRevision, SHA(2));
  assert.deepEqual(change.owner, { id: 1000096, name: 'Alice Example' });
  assert.throws(() => parseChangeInfo({ ...changeJson([1]), status: 'DRAFT' }), /NEW, MERGED or ABANDONED/);
  assert.throws(() => parseChangeInfo({ ...changeJson([1]), _number: '1' }), /_number/);
  assert.throws(() => parseChangeInfo({ ...changeJson([1]), revisions: { nope: {} } }), /not a commit id/);
});

test('getChange and resolvePatchset: anonymous path, options, patchset lookup', async () => {
  const seen: Array<{ url: string; headers: Record<string, string> }> = [];
  const client = new GerritClient({
    baseUrl: 'https://review.example.org/',
    fetch: fakeFetch(
      {
        '/changes/12345?o=CURRENT_REVISION&o=DETAILED_ACCOUNTS': ok(changeJson([5])),
        '/changes/12345?o=ALL_REVISIONS&o=DETAILED_ACCOUNTS': ok(changeJson([1, 2, 3, 4, 5])),
      },
      seen,
    ),
  });
  const current = await client.resolvePatchset(12345);
  assert.equal(current.patchset.number, 5);
  assert.equal((await client.resolvePatchset(12345, 2)).patchset.ref, 'refs/changes/45/12345/2');
  await assert.rejects(client.resolvePatchset(12345, 9), (e: unknown) => e instanceof PatchsetNotFoundError && /has no patchset 9 \(it has patchsets 1–5\)/.test(e.message));
  await assert.rejects(client.getChange(1), ChangeNotFoundError);
  assert.ok(seen.every((s) => s.headers['Authorization'] === undefined));
});

test('authenticated reads go under /a/ with Basic auth; the password is asked per call and never logged', async () => {
  const seen: Array<{ url: string; headers: Record<string, string> }> = [];
  const logged: string[] = [];
  const log = (m: string | Error): void => void logged.push(String(m));
  const client = new GerritClient({
    baseUrl: 'https://review.example.org',
    credentials: { username: 'alice', password: async () => 'p4ss:word' },
    fetch: fakeFetch({ '/a/changes/openstack%2Fheat~12345?o=CURRENT_REVISION&o=DETAILED_ACCOUNTS': ok(changeJson([5])) }, seen),
    logger: { trace: log, debug: log, info: log, warn: log, error: log },
  });
  await client.getChange(12345, { project: 'openstack/heat' });
  assert.equal(seen[0]!.headers['Authorization'], `Basic ${Buffer.from('alice:p4ss:word').toString('base64')}`);
  assert.ok(logged.length > 0 && logged.every((line) => !line.includes('p4ss') && !line.includes(Buffer.from('alice:p4ss:word').toString('base64'))));
  const noPassword = new GerritClient({ baseUrl: 'https://review.example.org', credentials: { username: 'a', password: async () => undefined }, fetch: fakeFetch({}) });
  await assert.rejects(noPassword.getChange(1), GerritAuthError);
});

test('401, 403, 5xx and network failures become distinct, readable errors', async () => {
  const statusClient = (status: number): GerritClient =>
    new GerritClient({ baseUrl: 'https://review.example.org', fetch: async () => ({ status, text: async () => 'nope\nmore' }) });
  await assert.rejects(statusClient(401).getChange(1), (e: unknown) => e instanceof GerritAuthError && /^Not authorized by .*requires signing in/.test(e.message));
  await assert.rejects(statusClient(403).getChange(1), (e: unknown) => e instanceof GerritAuthError && /permission/.test(e.message));
  await assert.rejects(statusClient(502).getChange(1), (e: unknown) => e instanceof GerritResponseError && /HTTP 502.*nope$/.test(e.message));
  const refused = new GerritClient({
    baseUrl: 'https://review.example.org',
    fetch: async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    },
  });
  await assert.rejects(refused.getChange(1), (e: unknown) => e instanceof GerritUnreachableError && /connection refused/.test(e.message));
  assert.throws(() => new GerritClient({ baseUrl: 'https://u:p@h' }), /credentials/);
  assert.throws(() => new GerritClient({ baseUrl: 'ssh://h' }), /http/);
});

test('open changes a page at a time: status:open project:X branch:Y, n and S, _more_changes on the last one', async () => {
  const seen: Array<{ url: string; headers: Record<string, string> }> = [];
  const q = encodeURIComponent('status:open project:openstack/heat branch:stable/2025.1');
  const page = (numbers: number[], more: boolean): { status: number; body: string } =>
    ok(numbers.map((n, i) => ({ ...changeJson([1]), _number: n, ...(more && i === numbers.length - 1 ? { _more_changes: true } : {}) })));
  const client = new GerritClient({
    baseUrl: 'https://review.example.org',
    fetch: fakeFetch(
      {
        [`/changes/?q=${q}&n=2&o=CURRENT_REVISION&o=DETAILED_ACCOUNTS`]: page([3, 2], true),
        [`/changes/?q=${q}&n=2&S=2&o=CURRENT_REVISION&o=DETAILED_ACCOUNTS`]: page([1], false),
      },
      seen,
    ),
  });
  const first = await client.listOpenChanges('openstack/heat', { branch: 'stable/2025.1', limit: 2 });
  assert.deepEqual([first.changes.map((c) => c.number), first.more, first.next], [[3, 2], true, 2]);
  assert.equal(first.changes[0]!.latestPatchset, 1);
  const second = await client.listOpenChanges('openstack/heat', { branch: 'stable/2025.1', limit: 2, start: first.next });
  assert.deepEqual([second.changes.map((c) => c.number), second.more, second.next], [[1], false, 3]);
  assert.equal(seen.length, 2);
  await assert.rejects(client.listOpenChanges('openstack/heat; rm', {}), /not a project name/);
  await assert.rejects(client.listOpenChanges('openstack/heat', { limit: 0 }), /1–500/);
});

test('query strings: status first, values quoted when Gerrit would split them, quotes refused', () => {
  assert.equal(buildChangeQuery({ project: 'openstack/heat' }), 'status:open project:openstack/heat');
  assert.equal(buildChangeQuery({ project: 'openstack/heat', branch: 'stable/2025.1', status: 'merged' }), 'status:merged project:openstack/heat branch:stable/2025.1');
  assert.equal(buildChangeQuery({ project: 'x', branch: 'feature (a)' }), 'status:open project:x branch:"feature (a)"');
  assert.throws(() => buildChangeQuery({ project: 'x', branch: 'a"b' }), GerritInputError);
  assert.throws(() => buildChangeQuery({ project: '' }), GerritInputError);
  assert.equal(changeQueryPath('status:open', { limit: 25, start: 0 }, ['CURRENT_REVISION']), 'changes/?q=status%3Aopen&n=25&o=CURRENT_REVISION');
  assert.equal(changeQueryPath('a b', { limit: 5, start: 10 }, []), 'changes/?q=a%20b&n=5&S=10');
  assert.throws(() => changeQueryPath('x', { limit: 501, start: 0 }, []), /1–500/);
  assert.throws(() => changeQueryPath('x', { limit: 5, start: -1 }, []), /0 or more/);
});
