import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveHost } from '../../../src/core/ssh/resolveHost';

const env = { home: '/home/dev', localUser: 'dev' };

const CONFIG = `
Host aio
  HostName 192.168.56.10
  User stack
  Port 2200
  IdentityFile ~/.ssh/aio_%h_%p_%r_%u_%%
  IdentityFile /keys/second
  IdentitiesOnly yes
  UserKnownHostsFile ~/.ssh/known_hosts_lab /etc/ssh/lab_hosts
  StrictHostKeyChecking accept-new

Host behind
  HostName 10.1.0.4
  ProxyJump bastion,root@gw2:2022

Host bastion
  HostName bastion.example.com
  User jump
  ProxyJump outer

Host outer
  HostName 203.0.113.9

Host loop1
  ProxyJump loop2
Host loop2
  ProxyJump loop1

Host *
  User fallback
`;

test('alias resolution with tokens, ~ and the first-match-wins rule', () => {
  const host = resolveHost('aio', CONFIG, env);
  assert.equal(host.hostName, '192.168.56.10');
  assert.equal(host.port, 2200);
  assert.equal(host.user, 'stack');
  assert.deepEqual(host.identityFiles, ['/home/dev/.ssh/aio_192.168.56.10_2200_stack_dev_%', '/keys/second']);
  assert.equal(host.identitiesOnly, true);
  assert.deepEqual(host.userKnownHostsFiles, ['/home/dev/.ssh/known_hosts_lab', '/etc/ssh/lab_hosts']);
  assert.equal(host.strictHostKeyChecking, 'accept-new');
  assert.deepEqual(host.proxyJump, []);
});

test('user and port typed by the user win over the config', () => {
  const host = resolveHost('admin@aio:2022', CONFIG, env);
  assert.equal(host.user, 'admin');
  assert.equal(host.port, 2022);
  assert.equal(host.identityFiles[0], '/home/dev/.ssh/aio_192.168.56.10_2022_admin_dev_%');
});

test('plain addresses get defaults: port 22, Host * user, ~/.ssh/known_hosts, ask', () => {
  const host = resolveHost('10.9.9.9', CONFIG, env);
  assert.equal(host.hostName, '10.9.9.9');
  assert.equal(host.port, 22);
  assert.equal(host.user, 'fallback');
  assert.deepEqual(host.identityFiles, []);
  assert.deepEqual(host.userKnownHostsFiles, ['/home/dev/.ssh/known_hosts']);
  assert.equal(host.strictHostKeyChecking, 'ask');
  assert.equal(resolveHost('10.9.9.9', '', env).user, 'dev');
});

test('ProxyJump hops are resolved in connection order, each with its own config', () => {
  const host = resolveHost('behind', CONFIG, env);
  assert.deepEqual(
    host.proxyJump.map((hop) => `${hop.user}@${hop.hostName}:${hop.port}`),
    ['fallback@203.0.113.9:22', 'jump@bastion.example.com:22', 'root@gw2:2022'],
  );
  assert.ok(host.proxyJump.every((hop) => hop.proxyJump.length === 0));
});

test('a ProxyJump loop is reported instead of recursing forever', () => {
  assert.throws(() => resolveHost('loop1', CONFIG, env), /loop/);
});

test('bad values in the config are reported', () => {
  assert.throws(() => resolveHost('x', 'Host x\n  Port 99999\n', env), /65535/);
  assert.throws(() => resolveHost('x', 'Host x\n  IdentityFile ~/%Z\n', env), /Unsupported token %Z/);
  assert.throws(() => resolveHost('x', 'Host x\n  HostName evil;rm\n', env), /not a valid host name/);
  assert.throws(() => resolveHost('x', 'Host x\n  StrictHostKeyChecking maybe\n', env), /StrictHostKeyChecking/);
});

test('Match exec is never executed for untrusted config text', () => {
  const host = resolveHost('x', 'Match exec "touch /tmp/osa-dev-should-not-exist"\n  User pwned\n', env);
  assert.notEqual(host.user, 'pwned');
});
