import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliUsageError, parseCliArgs } from '../../src/core/cli/args';

test('develop takes a container and a source', () => {
  const o = parseCliArgs(['develop', 'aio1', 'aio1-heat-api-container-5d2a9f10', '--git', 'git://172.29.236.100/openstack/heat', '--ref', 'master', '--unit', 'heat-api', '--run']);
  assert.equal(o.command, 'develop');
  assert.equal(o.container, 'aio1-heat-api-container-5d2a9f10');
  assert.equal(o.git, 'git://172.29.236.100/openstack/heat');
  assert.equal(o.run, true);
  assert.equal(o.forceDbSync, false);
});

test('usage errors are clear and name what is missing', () => {
  assert.throws(() => parseCliArgs(['develop', 'aio1']), (e: unknown) => e instanceof CliUsageError && /needs a CONTAINER/.test(e.message));
  assert.throws(() => parseCliArgs(['develop', 'aio1', 'c1', '--git', 'git://h/x']), /--git URL --ref REF, or --path DIR/);
  assert.throws(() => parseCliArgs(['develop', 'aio1', 'c1', '--ref', 'master']), /--git URL --ref REF, or --path DIR/);
  // Neither: the container's kolla_dev_mode checkout is looked for when develop runs.
  assert.equal(parseCliArgs(['develop', 'kolla1', 'heat_engine']).container, 'heat_engine');
  assert.throws(() => parseCliArgs(['containers', 'aio1', 'extra']), /unexpected argument/);
  assert.throws(() => parseCliArgs(['reboot', 'aio1']), /unknown command "reboot"/);
  assert.throws(() => parseCliArgs(['status', 'aio1', '--unit']), /--unit needs a value/);
  assert.equal(parseCliArgs([]).command, 'help');
});
