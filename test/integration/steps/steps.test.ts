import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadCatalog } from '../../../src/core/catalog';
import { dbSync } from '../../../src/core/devloop/steps/dbSync';
import { devVenv, devVenvPath } from '../../../src/core/devloop/steps/devVenv';
import { findVenv } from '../../../src/core/devloop/steps/findVenv';
import { installDeps } from '../../../src/core/devloop/steps/installDeps';
import { pipConf } from '../../../src/core/devloop/steps/pipConf';
import { stopUnit, UnitNotFoundError } from '../../../src/core/devloop/steps/stopUnit';
import type { StepContext } from '../../../src/core/devloop/types';
import { silentLogger } from '../../../src/core/log';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';
import type { SshHost } from '../../../src/core/ssh';
import { connectLab, labHostExec, readLab } from '../../support/lab';

const CONTAINER = 'aio1-heat-api-container-5d2a9f10';
const SRC = '/opt/osa-dev/src/heat';
let ssh: SshHost;
let ctx: StepContext;
const timings: string[] = [];
let clonedHere = false;

function inContainer(...argv: string[]): string {
  return labHostExec(['lxc-attach', '-n', CONTAINER, '--clear-env', '--set-var', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', '--set-var', 'HOME=/root', '--', ...argv]);
}
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    timings.push(`${label}: ${Date.now() - t} ms`);
  }
}
const catalog = loadCatalog({ shipped: { path: `${__dirname}/../../../catalog/services.yaml` } });
const heat = catalog.get('heat')!;

before(() => {
  const lab = readLab();
  ssh = connectLab(lab);
  ctx = { host: ssh, runtime: new LxcRuntime({ host: 'lab' }), container: CONTAINER, logger: silentLogger, signal: new AbortController().signal, report: () => undefined };
  clonedHere = inContainer('sh', '-c', `if [ -d ${SRC}/.git ]; then echo kept; else git clone -q git://172.29.236.100/openstack/heat ${SRC} && echo cloned; fi`).trim() === 'cloned';
});
after(() => {
  // Restore whatever a failed test may have left: units running, no hold drop-in.
  inContainer('sh', '-c', 'rm -f /run/systemd/system/heat-engine.service.d/zz-osa-dev-hold.conf; rmdir /run/systemd/system/heat-engine.service.d 2>/dev/null; systemctl daemon-reload; systemctl start heat-engine heat-api');
  inContainer('rm', '-rf', devVenvPath('heat'));
  if (clonedHere) inContainer('rm', '-rf', SRC);
  ssh?.dispose();
  console.log(`timings on the lab:\n  ${timings.join('\n  ')}`);
});

test('stopUnit: capture, apply holds it stopped, check, undo after partial apply and twice', async () => {
  const step = stopUnit('heat-engine');
  const original = await timed('stopUnit.capture', () => step.capture(ctx));
  assert.deepEqual(original, { unit: 'heat-engine.service', manager: 'systemd', loadState: 'loaded', activeState: 'active', unitFileState: 'enabled' });
  assert.equal(await step.check(ctx, original), false);
  await timed('stopUnit.apply', () => step.apply(ctx, original));
  assert.equal(await step.check(ctx, original), true);
  inContainer('systemctl', 'start', 'heat-engine');
  assert.equal(inContainer('sh', '-c', 'systemctl is-active heat-engine || true').trim(), 'inactive', 'held: start does not start it');
  await step.apply(ctx, original); // idempotent
  await timed('stopUnit.undo', () => step.undo(ctx, original));
  assert.equal(inContainer('systemctl', 'is-active', 'heat-engine').trim(), 'active');
  await step.undo(ctx, original); // twice
  assert.equal(inContainer('systemctl', 'is-active', 'heat-engine').trim(), 'active');
  // Partial apply: the hold written, the unit still running (crash before stop).
  inContainer('sh', '-c', 'mkdir -p /run/systemd/system/heat-engine.service.d && printf "[Unit]\\nConditionPathExists=/nope\\n" > /run/systemd/system/heat-engine.service.d/zz-osa-dev-hold.conf && systemctl daemon-reload');
  await step.undo(ctx, original);
  assert.equal(inContainer('sh', '-c', 'ls /run/systemd/system/heat-engine.service.d 2>&1 || true').includes('No such file'), true);
  assert.equal(inContainer('systemctl', 'is-active', 'heat-engine').trim(), 'active');
});

test('stopUnit: an unknown unit names the units the container has', async () => {
  await assert.rejects(stopUnit('heat-nope').capture(ctx), (error: unknown) => {
    assert.ok(error instanceof UnitNotFoundError);
    assert.match(error.message, /heat-nope\.service does not exist in aio1-heat-api-container-5d2a9f10; its units are: .*heat-api.*heat-engine/);
    return true;
  });
});

test('findVenv: from ExecStart, else by glob', async () => {
  assert.deepEqual(await timed('findVenv', () => findVenv(ctx, 'heat-api', heat.venv)), { venv: '/openstack/venvs/heat-31.0.0', how: 'execstart' });
  assert.deepEqual(await findVenv(ctx, 'heat-nope', heat.venv), { venv: '/openstack/venvs/heat-31.0.0', how: 'glob' });
  await assert.rejects(findVenv(ctx, 'heat-nope', '/openstack/venvs/nova-*'), /No production venv found for heat-nope\.service/);
});

test('devVenv + installDeps + dbSync: the production venv stays byte-identical', async () => {
  const prod = '/openstack/venvs/heat-31.0.0';
  const dev = devVenvPath('heat');
  const sums = (): string => inContainer('sh', '-c', `find ${prod} -type f -exec sha256sum {} + | LC_ALL=C sort | sha256sum; stat -c '%a %u %g %Y' ${prod} ${prod}/lib/python3.11/site-packages`);
  const before = sums();
  inContainer('rm', '-rf', dev);
  try {
    const venvStep = devVenv('heat', prod);
    const vo = await venvStep.capture(ctx);
    assert.equal(await venvStep.check(ctx, vo), false);
    await timed('devVenv.apply (cold)', () => venvStep.apply(ctx, vo));
    assert.equal(await venvStep.check(ctx, vo), true);
    await venvStep.apply(ctx, vo);

    const deps = installDeps({ prodVenv: prod, devVenv: dev, src: SRC });
    const dord = await deps.capture(ctx);
    assert.equal(await deps.check(ctx, dord), false);
    await timed('installDeps.apply (cold)', () => deps.apply(ctx, dord));
    assert.equal(await timed('installDeps.check (unchanged: skip)', () => deps.check(ctx, dord)), true);
    const where = inContainer(`${dev}/bin/python`, '-c', 'import heat, osalab_db; print(heat.__file__); print(osalab_db.__file__)');
    assert.match(where, new RegExp(`^${SRC}/heat/__init__.py\n${prod}/lib/python3.11/site-packages/osalab_db/__init__.py`));
    assert.ok(inContainer('ls', `${dev}/bin`).includes('heat-manage'));

    const sync = dbSync({ service: heat, devVenv: dev, src: SRC });
    const so = await sync.capture(ctx);
    assert.equal(await sync.check(ctx, so), false);
    await timed('dbSync.apply', () => sync.apply(ctx, so));
    assert.equal(await sync.check(ctx, so), true, 'unchanged migrations: skip');
    assert.equal(await dbSync({ service: heat, devVenv: dev, src: SRC, force: true }).check(ctx, so), false);
    await sync.undo(ctx, so);

    await venvStep.undo(ctx, vo);
    await deps.undo(ctx, dord);
  } finally {
    assert.equal(sums(), before, 'production venv byte-identical');
  }
});

test('pipConf: enable the index, restore byte-identical (sha256 + stat), undo after partial apply and twice', async () => {
  const stat = (): string => inContainer('sh', '-c', 'sha256sum /root/.pip/pip.conf; stat -c "%a %u %g %s" /root/.pip/pip.conf');
  const before = stat();
  const step = pipConf({ prodVenv: '/openstack/venvs/heat-31.0.0', unit: 'heat-api' });
  const original = await timed('pipConf.capture', () => step.capture(ctx));
  assert.equal(original.path, '/root/.pip/pip.conf');
  assert.equal(original.state, 'present');
  try {
    assert.equal(await step.check(ctx, original), false);
    await timed('pipConf.apply', () => step.apply(ctx, original));
    assert.equal(await step.check(ctx, original), true);
    const text = inContainer('cat', '/root/.pip/pip.conf');
    assert.match(text, /index-url = https:\/\/pypi\.org\/simple/);
    assert.doesNotMatch(text, /no-index/);
    await timed('pipConf.undo', () => step.undo(ctx, original));
    assert.equal(stat(), before);
    await step.undo(ctx, original);
    assert.equal(stat(), before);
    // partial apply: a truncated file
    inContainer('sh', '-c', ': > /root/.pip/pip.conf');
    await step.undo(ctx, original);
    assert.equal(stat(), before);
  } finally {
    await step.undo(ctx, original);
  }
  // absent → created → deleted
  const absent = pipConf({ prodVenv: '/openstack/venvs/heat-31.0.0' });
  const orig2 = { path: '/root/.config/pip/pip.conf', state: 'absent' as const, dirExisted: false };
  await absent.apply(ctx, orig2);
  assert.match(inContainer('cat', '/root/.config/pip/pip.conf'), /index-url/);
  await absent.undo(ctx, orig2);
  await absent.undo(ctx, orig2);
  assert.match(inContainer('sh', '-c', 'ls /root/.config/pip 2>&1 || true'), /No such file/);
});
