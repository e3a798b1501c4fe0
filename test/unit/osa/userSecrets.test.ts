import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from 'js-yaml';
import { setTopLevelSecret, UserSecretsError } from '../../../src/core/osa/userSecrets';

// The shape of openstack-ansible's etc/openstack_deploy/user_secrets.yml after bootstrap-aio
// (comments, section headers, empty values waiting for pw-token-gen, generated values).
const SECRETS = `---
# Copyright 2014, Rackspace US, Inc.
#
## Keystone Options
keystone_container_mysql_password: 3b0a1f5c2e
keystone_auth_admin_password:
keystone_rabbitmq_password: 9f8e7d

## Heat Options
heat_stack_domain_admin_password: |
  multi
  line
heat_auth_encryption_key: abc   # trailing comment
`;

test('sets an empty key in place; every other byte stays', () => {
  const result = setTopLevelSecret(SECRETS, 'keystone_auth_admin_password', 'S3cret');
  assert.equal(result, SECRETS.replace('keystone_auth_admin_password:\n', "keystone_auth_admin_password: 'S3cret'\n"));
});

test('replaces a block scalar with its continuation lines and keeps what follows', () => {
  const result = setTopLevelSecret(SECRETS, 'heat_stack_domain_admin_password', 'x');
  assert.match(result, /heat_stack_domain_admin_password: 'x'\nheat_auth_encryption_key: abc   # trailing comment\n$/);
  assert.equal((load(result) as Record<string, string>).heat_auth_encryption_key, 'abc');
});

test('values YAML would misread are quoted: quotes, #, colons, leading specials, yes/no, numbers', () => {
  for (const value of ["it's", 'a # b', 'k: v', '*alias', '!tag', '@x', '`x', 'yes', 'null', '0123', ' padded ', '"dq"', 'ünï', '{a}', '- x']) {
    const result = setTopLevelSecret(SECRETS, 'keystone_auth_admin_password', value);
    assert.equal((load(result) as Record<string, unknown>).keystone_auth_admin_password, value, value);
  }
});

test('a missing key is appended; a file without a final newline gets one first', () => {
  assert.equal(setTopLevelSecret('a: 1', 'b', 'two'), "a: 1\nb: 'two'\n");
  assert.equal(setTopLevelSecret('', 'b', 'two'), "b: 'two'\n");
});

test('keys with a common prefix and nested keys are not touched', () => {
  const text = 'keystone_auth_admin_password_old: keep\nnested:\n  keystone_auth_admin_password: keep\n';
  const result = setTopLevelSecret(text, 'keystone_auth_admin_password', 'new');
  assert.equal(result, `${text}keystone_auth_admin_password: 'new'\n`);
});

test('refusals: bad key names, empty or multi-line values, duplicates, invalid YAML', () => {
  assert.throws(() => setTopLevelSecret(SECRETS, 'bad key', 'v'), UserSecretsError);
  assert.throws(() => setTopLevelSecret(SECRETS, 'k', ''), /empty/);
  assert.throws(() => setTopLevelSecret(SECRETS, 'k', 'a\nb'), /one line/);
  assert.throws(() => setTopLevelSecret('k: 1\nk: 2\n', 'k', 'v'), UserSecretsError);
  assert.throws(() => setTopLevelSecret('k: [unclosed\n', 'k', 'v'), /not valid YAML/);
  assert.throws(() => setTopLevelSecret('- a\n- b\n', 'k', 'v'), /not a mapping/);
});
