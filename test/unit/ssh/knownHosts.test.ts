import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { silentLogger } from '../../../src/core/log';
import { HostKeyMismatchError, HostKeyRejectedError, HostKeyRevokedError } from '../../../src/core/ssh/errors';
import { keyTypeOfBlob, sha256Fingerprint } from '../../../src/core/ssh/fingerprint';
import { HostKeyVerifier, type TrustQuestion } from '../../../src/core/ssh/hostKeyVerifier';
import { checkKnownHost, entryMatchesHost, parseKnownHosts } from '../../../src/core/ssh/knownHosts';

const dir = mkdtempSync(join(tmpdir(), 'osa-kh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface TestKey {
  readonly type: string;
  readonly base64: string;
  readonly blob: Buffer;
  readonly pubPath: string;
}

function makeKey(name: string, type: 'ed25519' | 'ecdsa' | 'rsa'): TestKey {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', name, '-f', path]);
  const [keyType = '', base64 = ''] = readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/);
  return { type: keyType, base64, blob: Buffer.from(base64, 'base64'), pubPath: `${path}.pub` };
}

const ed = makeKey('ed', 'ed25519');
const ed2 = makeKey('ed2', 'ed25519');
const ec = makeKey('ec', 'ecdsa');
const rsa = makeKey('rsa', 'rsa');

test('fingerprints equal `ssh-keygen -lf` output for ed25519, ecdsa and rsa', () => {
  for (const key of [ed, ec, rsa]) {
    const printed = execFileSync('ssh-keygen', ['-lf', key.pubPath], { encoding: 'utf8' }).split(/\s+/)[1];
    assert.equal(sha256Fingerprint(key.blob), printed);
    assert.equal(keyTypeOfBlob(key.blob), key.type);
  }
});

test('hashed entries made by real `ssh-keygen -H` match the right host and port only', () => {
  const file = join(dir, 'hashed_known_hosts');
  writeFileSync(file, `aio1.lab ${ed.type} ${ed.base64}\n[aio1.lab]:2222 ${ec.type} ${ec.base64}\n`);
  execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
  const entries = parseKnownHosts(readFileSync(file, 'utf8'));
  assert.equal(entries.length, 2);
  assert.ok(entries.every((entry) => entry.hosts.startsWith('|1|')));
  assert.equal(checkKnownHost(entries, 'aio1.lab', 22, ed.type, ed.blob).kind, 'match');
  assert.equal(checkKnownHost(entries, 'AIO1.lab', 22, ed.type, ed.blob).kind, 'match');
  assert.equal(checkKnownHost(entries, 'aio1.lab', 2222, ec.type, ec.blob).kind, 'match');
  assert.equal(checkKnownHost(entries, 'aio1.lab', 2222, ed.type, ed.blob).kind, 'unknown');
  assert.equal(checkKnownHost(entries, 'aio2.lab', 22, ed.type, ed.blob).kind, 'unknown');
  assert.equal(checkKnownHost(entries, 'aio1.lab', 22, ed2.type, ed2.blob).kind, 'mismatch');
});

test('plain lists, [host]:port, wildcards, negation, markers and comments', () => {
  const text = [
    '# comment',
    '',
    `web1,10.0.0.1 ${ed.type} ${ed.base64} comment here`,
    `[10.0.0.2]:2200 ${ed.type} ${ed.base64}`,
    `*.lab,!secret.lab ${ec.type} ${ec.base64}`,
    `@cert-authority *.lab ${rsa.type} ${rsa.base64}`,
    `@revoked * ${ed2.type} ${ed2.base64}`,
    'garbage-line',
  ].join('\n');
  const entries = parseKnownHosts(text);
  assert.deepEqual(entries.map((e) => e.line), [3, 4, 5, 6, 7]);
  assert.equal(checkKnownHost(entries, '10.0.0.1', 22, ed.type, ed.blob).kind, 'match');
  assert.equal(checkKnownHost(entries, '10.0.0.1', 2200, ed.type, ed.blob).kind, 'unknown');
  assert.equal(checkKnownHost(entries, '10.0.0.2', 2200, ed.type, ed.blob).kind, 'match');
  assert.equal(checkKnownHost(entries, '10.0.0.2', 22, ed.type, ed.blob).kind, 'unknown');
  assert.equal(checkKnownHost(entries, 'a.lab', 22, ec.type, ec.blob).kind, 'match');
  assert.equal(checkKnownHost(entries, 'secret.lab', 22, ec.type, ec.blob).kind, 'unknown');
  // The CA line is not a host key: an RSA key for x.lab stays unknown.
  assert.equal(checkKnownHost(entries, 'x.lab', 22, rsa.type, rsa.blob).kind, 'unknown');
  const revoked = checkKnownHost(entries, 'web1', 22, ed2.type, ed2.blob);
  assert.equal(revoked.kind, 'revoked');
  assert.equal(entryMatchesHost('web?', 'web1', 22), true);
});

test('verifier: first contact asks, records a line (file 0600, dir 0700) and does not ask again', async () => {
  const file = join(dir, 'fresh', 'sub', 'known_hosts');
  const questions: TrustQuestion[] = [];
  const verifier = new HostKeyVerifier(async (q) => (questions.push(q), true), silentLogger);
  const policy = { knownHostsFiles: [file], strict: 'ask' as const };
  await verifier.verify('127.0.0.1', 2222, ed.blob, policy);
  assert.deepEqual(questions, [{ host: '127.0.0.1', port: 2222, keyType: ed.type, fingerprint: sha256Fingerprint(ed.blob) }]);
  assert.equal(readFileSync(file, 'utf8'), `[127.0.0.1]:2222 ${ed.type} ${ed.base64}\n`);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'fresh', 'sub')).mode & 0o777, 0o700);
  await verifier.verify('127.0.0.1', 2222, ed.blob, policy);
  assert.equal(questions.length, 1);
  // ssh-keygen agrees the recorded line names this host.
  assert.match(execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' }), /ssh-ed25519/);
});

test('verifier: refusal, StrictHostKeyChecking yes/accept-new, mismatch and revoked', async () => {
  const file = join(dir, 'kh2');
  let asked = 0;
  const no = new HostKeyVerifier(async () => (asked++, false), silentLogger);
  await assert.rejects(no.verify('h', 22, ed.blob, { knownHostsFiles: [file], strict: 'ask' }), HostKeyRejectedError);
  await assert.rejects(no.verify('h', 22, ed.blob, { knownHostsFiles: [file], strict: 'yes' }), /StrictHostKeyChecking is yes/);
  assert.equal(asked, 1);
  await no.verify('h', 22, ed.blob, { knownHostsFiles: [file], strict: 'accept-new' });
  assert.equal(asked, 1);
  const error = await no.verify('h', 22, ed2.blob, { knownHostsFiles: [file], strict: 'no' }).then(
    () => assert.fail('expected a mismatch'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof HostKeyMismatchError);
  assert.match(error.message, new RegExp(`expects ssh-ed25519 ${escape(sha256Fingerprint(ed.blob))}`));
  assert.match(error.message, new RegExp(`presented ${escape(sha256Fingerprint(ed2.blob))}`));
  assert.match(error.message, new RegExp(`${escape(file)}:1`));
  assert.match(error.message, /ssh-keygen -R 'h' -f /);
  writeFileSync(file, `@revoked * ${ed.type} ${ed.base64}\n`, { flag: 'a' });
  await assert.rejects(no.verify('h', 22, ed.blob, { knownHostsFiles: [file], strict: 'ask' }), HostKeyRevokedError);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
