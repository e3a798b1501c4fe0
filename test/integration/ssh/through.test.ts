/**
 * SshHost.through: a second sshd (the "node") reached through the first (the "deployment host")
 * over the deployment host's own connection, as OSA Dev reaches a multi-node deployment's other
 * physical hosts. Two throwaway sshds on 127.0.0.1; the node authorizes the deployment host's
 * client key (the same identities are used for both).
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ConnectionLostError, HostKeyMismatchError, HostKeyRejectedError, NodeUnreachableError } from '../../../src/core/ssh/errors';
import type { TrustQuestion } from '../../../src/core/ssh/hostKeyVerifier';
import { freePort, startSshd, type TestSshd } from '../../support/sshd';
import { hostFor, trustServer } from './harness';

let deployment: TestSshd;
let node: TestSshd;

before(async () => {
  [deployment, node] = await Promise.all([startSshd(), startSshd()]);
  appendFileSync(join(node.dir, 'authorized_keys'), `${deployment.clientKey.publicLine}\n`);
});

after(async () => {
  await Promise.all([deployment?.stop(), node?.stop()]);
});

/** known_hosts of the deployment host's target: its own key, plus `extra` lines. */
function knownHosts(...extra: string[]): string {
  const file = trustServer(deployment);
  if (extra.length > 0) appendFileSync(file, `${extra.join('\n')}\n`);
  return file;
}

test('the node runs commands through ONE channel of the deployment host’s connection; when that drops, the node re-dials through a fresh one', async () => {
  knownHosts(node.knownHostsLine());
  const host = hostFor(deployment);
  const through = host.through('node1', '127.0.0.1', node.port);
  try {
    assert.equal((await host.exec('echo deployment')).stdout, 'deployment\n');
    assert.equal(host.openChannels, 0);
    assert.equal((await through.exec('echo node')).stdout, 'node\n');
    assert.equal(host.openChannels, 1, 'the node’s SSH session is one direct-tcpip channel of the deployment host’s connection');
    const running = through.exec('sleep 30');
    await new Promise((r) => setTimeout(r, 300));
    deployment.killConnections();
    await assert.rejects(running, ConnectionLostError);
    assert.equal((await through.exec('echo back')).stdout, 'back\n', 'the next command reaches the node again');
    assert.equal(host.openChannels, 1);
  } finally {
    through.dispose();
    host.dispose();
  }
});

test('the node’s key unknown: asked with its own fingerprint and address; declined → refused, nothing runs; accepted → recorded', async () => {
  const file = knownHosts();
  const questions: TrustQuestion[] = [];
  const declining = hostFor(deployment, { askTrust: async (q) => (questions.push(q), false) });
  try {
    await assert.rejects(declining.through('node1', '127.0.0.1', node.port).exec('touch /tmp/osa-dev-should-not-exist'), HostKeyRejectedError);
    assert.deepEqual(questions.map((q) => [q.host, q.port, q.fingerprint, q.through]), [
      ['127.0.0.1', node.port, node.hostFingerprint(), { name: 'node1', via: `${deployment.user}@127.0.0.1:${deployment.port}` }],
    ], 'asked about the node by its name, its address and the host it is reached through');
  } finally {
    declining.dispose();
  }
  const accepting = hostFor(deployment, { askTrust: async () => true });
  try {
    assert.equal((await accepting.through('node1', '127.0.0.1', node.port).exec('echo ok')).stdout, 'ok\n');
    assert.ok(readFileSync(file, 'utf8').includes(`[127.0.0.1]:${node.port} ssh-ed25519 `), 'recorded in the deployment host’s known_hosts file');
  } finally {
    accepting.dispose();
  }
});

test('a node whose sshd is not there: NodeUnreachableError naming it, its address and the host it was tried through', async () => {
  knownHosts();
  const port = await freePort();
  const host = hostFor(deployment);
  try {
    const error = await host.through('compute1', '127.0.0.1', port).exec('true').then(() => assert.fail('expected unreachable'), (e: unknown) => e);
    assert.ok(error instanceof NodeUnreachableError, String(error));
    assert.match(error.message, new RegExp(`^Cannot reach compute1 at 127\\.0\\.0\\.1:${port} through ${deployment.user}@127\\.0\\.0\\.1:${deployment.port}: `));
    assert.equal((await host.exec('echo still')).stdout, 'still\n', 'the deployment host is fine');
  } finally {
    host.dispose();
  }
});

test('the node’s key changed: refused without asking (last: it restarts the node with a new key)', async () => {
  knownHosts(node.knownHostsLine());
  await node.restartWithNewHostKey();
  const host = hostFor(deployment, { askTrust: async () => assert.fail('a changed key must not be asked about') });
  try {
    await assert.rejects(host.through('node1', '127.0.0.1', node.port).exec('true'), (error: unknown) => error instanceof HostKeyMismatchError && /HOST KEY MISMATCH/.test(error.message));
  } finally {
    host.dispose();
  }
});
