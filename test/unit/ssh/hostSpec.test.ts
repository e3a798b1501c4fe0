import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidHostSpecError } from '../../../src/core/ssh/errors';
import { formatDestination, parseHostSpec } from '../../../src/core/ssh/hostSpec';

test('alias, address, user@address:port and [v6]:port forms', () => {
  assert.deepEqual(parseHostSpec('aio1'), { host: 'aio1' });
  assert.deepEqual(parseHostSpec('10.0.0.5'), { host: '10.0.0.5' });
  assert.deepEqual(parseHostSpec('stack@aio1.example.com:2222'), { host: 'aio1.example.com', user: 'stack', port: 2222 });
  assert.deepEqual(parseHostSpec('[fe80::1]:22'), { host: 'fe80::1', port: 22 });
  assert.deepEqual(parseHostSpec('root@[2001:db8::7]'), { host: '2001:db8::7', user: 'root' });
  assert.deepEqual(parseHostSpec('2001:db8::7'), { host: '2001:db8::7' });
  assert.deepEqual(parseHostSpec('  root@aio1  '), { host: 'aio1', user: 'root' });
});

test('shell metacharacters, empty host and bad ports are refused with clear messages', () => {
  for (const bad of ['aio1;reboot', 'root@$(id)', 'a b', 'host`x`', "o'neil@h", 'h|x', 'h&', 'h>x', '~/x']) {
    assert.throws(() => parseHostSpec(bad), (e: Error) => e instanceof InvalidHostSpecError && /metacharacters/.test(e.message), bad);
  }
  assert.throws(() => parseHostSpec(''), /empty/);
  assert.throws(() => parseHostSpec('root@'), /empty host name/);
  assert.throws(() => parseHostSpec('root@:22'), /empty host name/);
  assert.throws(() => parseHostSpec('h:0'), /1 to 65535/);
  assert.throws(() => parseHostSpec('h:65536'), /1 to 65535/);
  assert.throws(() => parseHostSpec('h:ssh'), /1 to 65535/);
  assert.throws(() => parseHostSpec('[::1'), /Missing "\]"/);
  assert.throws(() => parseHostSpec('-oProxyCommand=x'), /not a valid host name/);
});

test('destinations print as people type them', () => {
  assert.equal(formatDestination('root', 'aio1', 22), 'root@aio1');
  assert.equal(formatDestination('root', '::1', 2222), 'root@[::1]:2222');
});
