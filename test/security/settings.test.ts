/**
 * Nothing secret goes to settings (which sync and sit in workspace files): no contributed setting
 * holds one, the only setting the extension writes is the host list, a host or Gerrit URL with a
 * password in it is refused, and user_secrets.yml edits never echo the password. Pure: no lab.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GerritClient, GerritInputError } from '../../src/core/gerrit';
import { setTopLevelSecret } from '../../src/core/osa/userSecrets';
import { InvalidHostSpecError, parseHostSpec } from '../../src/core/ssh';

const REPO = join(__dirname, '..', '..');
const SECRET_WORDS = /password|passphrase|secret|token|credential|apikey|api_key/i;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('no contributed setting is meant to hold a secret', () => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } };
  const keys = Object.keys(pkg.contributes.configuration.properties);
  assert.ok(keys.length > 5);
  assert.deepEqual(keys.filter((key) => SECRET_WORDS.test(key)), []);
});

test('the extension writes one setting, the host list, and a host with a password in it is refused', () => {
  const writes = sources(join(REPO, 'src', 'extension')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/getConfiguration\([^)]*\)\s*\.update\(\s*([^,]+),/g)].map((m) => `${file.slice(REPO.length + 1)}: ${m[1]}`),
  );
  assert.ok(writes.length > 0);
  for (const write of writes) assert.match(write, /: Settings\.hosts$/, write);
  for (const spec of ['root:hunter2@aio1', 'root:hunter2@10.0.0.1:22']) assert.throws(() => parseHostSpec(spec), InvalidHostSpecError);
  assert.throws(() => new GerritClient({ baseUrl: 'https://alice:hunter2@review.example.org' }), GerritInputError);
});

test('setting the keystone admin password in user_secrets.yml never echoes it in an error', () => {
  const secret = 'osa-canary-keystone-settings';
  const failures: unknown[] = [];
  for (const [text, key, value] of [
    ['keystone_auth_admin_password: a\nkeystone_auth_admin_password: b\n', 'keystone_auth_admin_password', secret],
    ['{ not yaml', 'keystone_auth_admin_password', secret],
    ['- a list\n', 'keystone_auth_admin_password', secret],
    ['', 'keystone_auth_admin_password', `${secret}\nsecond line`],
    ['', 'bad key!', secret],
  ] as const) {
    try {
      setTopLevelSecret(text, key, value);
    } catch (error) {
      failures.push(error);
    }
  }
  assert.equal(failures.length, 5);
  for (const error of failures) assert.ok(!String(error).includes(secret), String(error));
});
