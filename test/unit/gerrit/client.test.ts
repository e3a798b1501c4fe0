import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChangeNotFoundError,
  GerritAuthError,
  GerritClient,
  GerritResponseError,
  GerritUnreachableError,
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
  await assert.rejects(statusClient(401).getChange(1), (e: unknown) => e instanceof GerritAuthError && /requires signing in/.test(e.message));
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
