import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  AuthenticationError,
  ConnectionLostError,
  HostKeyMismatchError,
  HostKeyRejectedError,
  HostUnreachableError,
  KeyPassphraseError,
} from '../../../src/core/ssh/errors';
import type { TrustQuestion } from '../../../src/core/ssh/hostKeyVerifier';
import { passphraseSecretKey } from '../../../src/core/ssh/secrets';
import { startSshd, type TestSshd } from '../../support/sshd';
import { FakeSecrets, hostFor, RecordingLogger, targetFor, trustServer } from './harness';

let sshd: TestSshd;

before(async () => {
  sshd = await startSshd();
});

after(async () => {
  await sshd?.stop();
});

test('a dropped connection rejects the running exec with ConnectionLostError; the next exec reconnects', async () => {
  trustServer(sshd);
  const host = hostFor(sshd);
  try {
    await host.exec('true');
    const running = host.exec('sleep 30');
    await new Promise((r) => setTimeout(r, 300));
    sshd.killConnections();
    const error = await running.then(() => assert.fail('expected a lost connection'), (e: unknown) => e);
    assert.ok(error instanceof ConnectionLostError, String(error));
    assert.match(error.message, /lost while running `sleep 30`.*reconnects/);
    assert.equal((await host.exec('echo back')).stdout, 'back\n');
  } finally {
    host.dispose();
  }
});

test('a command sent right after a drop the client has not noticed yet runs on a fresh connection (it never started)', async () => {
  trustServer(sshd);
  const host = hostFor(sshd);
  try {
    await host.exec('true');
    sshd.killConnections();
    assert.equal((await host.exec('echo again')).stdout, 'again\n');
  } finally {
    host.dispose();
  }
});

test('first contact: accepted key is recorded and not asked again; refused key runs nothing', async () => {
  const knownHosts = join(sshd.dir, 'first_contact_known_hosts');
  rmSync(knownHosts, { force: true });
  const questions: TrustQuestion[] = [];
  const target = targetFor(sshd, { userKnownHostsFiles: [knownHosts] });
  const refusing = hostFor(sshd, { target, askTrust: async (q) => (questions.push(q), false) });
  await assert.rejects(refusing.exec('touch /tmp/never'), HostKeyRejectedError);
  refusing.dispose();
  assert.equal(existsSync(knownHosts), false);

  const accepting = hostFor(sshd, { target, askTrust: async (q) => (questions.push(q), true) });
  assert.equal((await accepting.exec('echo hi')).stdout, 'hi\n');
  accepting.dispose();
  assert.equal(questions.length, 2);
  assert.deepEqual(questions[1], { host: '127.0.0.1', port: sshd.port, keyType: 'ssh-ed25519', fingerprint: sshd.hostFingerprint() });
  assert.equal(readFileSync(knownHosts, 'utf8'), `${sshd.knownHostsLine()}\n`);

  const again = hostFor(sshd, { target, askTrust: async (q) => (questions.push(q), false) });
  assert.equal((await again.exec('echo again')).stdout, 'again\n');
  again.dispose();
  assert.equal(questions.length, 2);
});

test('wrong client key: AuthenticationError lists what was tried, no secrets', async () => {
  trustServer(sshd);
  const host = hostFor(sshd, { target: targetFor(sshd, { identityFiles: [sshd.strangerKey.path, join(sshd.dir, 'nope')] }) });
  const error = await host.exec('true').then(() => assert.fail('expected auth failure'), (e: unknown) => e);
  host.dispose();
  assert.ok(error instanceof AuthenticationError, String(error));
  assert.match(error.message, /stranger_ed25519/);
  assert.match(error.message, /nope \(file not found\)/);
  assert.match(error.message, /ssh-copy-id/);
});

test('nothing listening: HostUnreachableError with a next step', async () => {
  const idle = createServer();
  await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve));
  const port = (idle.address() as AddressInfo).port;
  await new Promise<void>((resolve) => idle.close(() => resolve()));
  const host = hostFor(sshd, { target: targetFor(sshd, { port }) });
  const error = await host.exec('true').then(() => assert.fail('expected unreachable'), (e: unknown) => e);
  host.dispose();
  assert.ok(error instanceof HostUnreachableError, String(error));
  assert.match(error.message, /ECONNREFUSED/);
  assert.match(error.message, /sshd is running/);
});

test('encrypted key: passphrase asked, stored, reused; wrong-then-right; wrong twice fails clearly', async () => {
  trustServer(sshd);
  const target = targetFor(sshd, { identityFiles: [sshd.encryptedKey.path] });
  const secretKey = passphraseSecretKey(sshd.encryptedKey.path);
  const logger = new RecordingLogger();

  const secrets = new FakeSecrets([sshd.passphrase]);
  const first = hostFor(sshd, { target, secrets, logger });
  assert.equal((await first.exec('echo ok')).stdout, 'ok\n');
  first.dispose();
  assert.equal(secrets.prompts.length, 1);
  assert.equal(secrets.stored.get(secretKey), sshd.passphrase);
  const second = hostFor(sshd, { target, secrets, logger });
  assert.equal((await second.exec('echo ok')).stdout, 'ok\n');
  second.dispose();
  assert.equal(secrets.prompts.length, 1, 'the stored passphrase is reused');

  const retry = new FakeSecrets(['wrong-guess', sshd.passphrase]);
  const third = hostFor(sshd, { target, secrets: retry, logger });
  assert.equal((await third.exec('echo ok')).stdout, 'ok\n');
  third.dispose();
  assert.equal(retry.prompts.length, 2);
  assert.match(retry.prompts[1] ?? '', /Wrong passphrase/);

  const hopeless = new FakeSecrets(['bad-one', 'bad-two', 'never-asked']);
  const fourth = hostFor(sshd, { target, secrets: hopeless, logger });
  const error = await fourth.exec('true').then(() => assert.fail('expected passphrase failure'), (e: unknown) => e);
  fourth.dispose();
  assert.ok(error instanceof KeyPassphraseError, String(error));
  assert.equal(hopeless.prompts.length, 2);
  assert.equal(hopeless.stored.size, 0);
  for (const secret of [sshd.passphrase, 'wrong-guess', 'bad-one', 'bad-two']) {
    assert.ok(!error.message.includes(secret));
    assert.ok(!logger.lines.some((line) => line.includes(secret)), `log leaks ${secret}`);
  }
});

test('host key swapped: HostKeyMismatchError and nothing is run', async () => {
  trustServer(sshd);
  const oldFingerprint = sshd.hostFingerprint();
  await sshd.restartWithNewHostKey();
  const marker = join(sshd.dir, 'must-not-exist');
  const host = hostFor(sshd, { askTrust: async () => true });
  const error = await host.exec(`touch ${marker}`).then(() => assert.fail('expected mismatch'), (e: unknown) => e);
  host.dispose();
  assert.ok(error instanceof HostKeyMismatchError, String(error));
  assert.equal(error.expectedFingerprint, oldFingerprint);
  assert.equal(error.actualFingerprint, sshd.hostFingerprint());
  assert.match(error.message, /known_hosts:1/);
  assert.match(error.message, /ssh-keygen -R/);
  assert.equal(existsSync(marker), false);
});

test('ssh-agent: a key loaded with ssh-add authenticates without any identity file', async () => {
  trustServer(sshd);
  const socket = join(sshd.dir, 'agent.sock');
  const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 5000;
    while (!existsSync(socket)) {
      if (Date.now() > deadline) assert.fail('ssh-agent did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    execFileSync('ssh-add', [sshd.clientKey.path], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
    const host = hostFor(sshd, {
      target: targetFor(sshd, { identityFiles: [], identitiesOnly: false }),
      agentSocket: socket,
    });
    assert.equal((await host.exec('echo via-agent')).stdout, 'via-agent\n');
    host.dispose();
  } finally {
    agent.kill('SIGTERM');
  }
});

test('ProxyJump: the target is reached through a jump host on the same sshd', async () => {
  trustServer(sshd);
  const jump = targetFor(sshd);
  const host = hostFor(sshd, { target: targetFor(sshd, { proxyJump: [jump] }) });
  assert.equal((await host.exec('echo $SSH_CONNECTION | cut -d" " -f1')).stdout, '127.0.0.1\n');
  assert.equal(host.openChannels, 0);
  host.dispose();
});
