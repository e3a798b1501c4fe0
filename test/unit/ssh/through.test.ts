import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../src/core/log';
import { InvalidHostSpecError, SshHost } from '../../../src/core/ssh';

// No connection is opened: through() only builds the node's SshHost (and validates its address).
const deployment = new SshHost({
  target: {
    alias: 'aio1', hostName: '203.0.113.10', port: 22, user: 'root', identityFiles: [], identitiesOnly: false,
    userKnownHostsFiles: ['/dev/null'], strictHostKeyChecking: 'ask', proxyJump: [],
  },
  askTrust: async () => false,
  secrets: { get: async () => undefined, store: async () => undefined, ask: async () => undefined },
  logger: silentLogger,
  home: '/nonexistent',
});

test('an inventory address that is not a host name or IP is refused before anything is dialled, naming the host', () => {
  for (const bad of ['172.29.236.12; reboot', '$(id)', '', '-oProxyCommand=x', 'a b']) {
    assert.throws(() => deployment.through('infra2', bad), (error: unknown) => error instanceof InvalidHostSpecError && /infra2/.test(error.message), bad);
  }
});

test('a node is addressed as user@address like any host, with the deployment host’s user', () => {
  const node = deployment.through('infra2', '172.29.236.12');
  assert.equal(node.destination, 'root@172.29.236.12');
  assert.equal(deployment.through('infra3', 'fd00::12', 2222).destination, 'root@[fd00::12]:2222');
  node.dispose();
});
