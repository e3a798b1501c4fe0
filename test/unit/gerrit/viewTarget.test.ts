import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeSummary } from '../../../src/core/gerrit';
import { changeSpec, changeTarget, changeWebUrl } from '../../../src/extension/gerrit/commands/target';

const project = { baseUrl: 'https://review.example.org', project: 'openstack/heat', branch: 'master', from: '.gitreview' };
const change: ChangeSummary = {
  number: 12345,
  project: 'openstack/heat',
  branch: 'master',
  subject: 'Make stacks faster',
  owner: { id: 1, name: 'Alice Example' },
  updated: '2026-01-05 09:06:00.000000000',
  status: 'NEW',
  latestPatchset: 5,
};

test('Gerrit view targets: the current patchset is asked for by number alone, an older one as N,PS (git-review names its branch -patchPS)', () => {
  assert.equal(changeSpec({ project, change }), '12345');
  assert.equal(changeSpec({ project, change, patchset: 5 }), '12345');
  assert.equal(changeSpec({ project, change, patchset: 2 }), '12345,2');
  assert.equal(changeWebUrl({ project, change }), 'https://review.example.org/c/openstack/heat/+/12345');
  assert.equal(changeWebUrl({ project, change, patchset: 2 }), 'https://review.example.org/c/openstack/heat/+/12345/2');
  assert.throws(() => changeTarget(undefined), /Choose a change or a patchset in the Gerrit view/);
  assert.throws(() => changeTarget({ id: 'host:aio1' }), /Choose a change/);
  assert.equal(changeTarget({ project, change }).change.number, 12345);
});
