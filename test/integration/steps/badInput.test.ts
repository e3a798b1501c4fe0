/**
 * Issue #3's bad input, on the lab: a container with no known service, a unit that does not exist,
 * no production venv, HAProxy's admin socket missing or refusing, pip failing, db_sync failing.
 * Each ends with a message naming what failed (and what to do), the step marked failed in the
 * journal when a step ran, nothing changed that the journal does not record, and Restore returning
 * the host to the snapshot taken before. (Disk full on the journal write is in test/faults.)
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { loadCatalog, shippedCatalogPath, type Catalog } from '../../../src/core/catalog';
import { StepFailedError } from '../../../src/core/devloop/engine';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import { planDevelop, stepsForRestore, type DevelopRequest } from '../../../src/core/devloop/plan';
import { DbSyncError } from '../../../src/core/devloop/steps/dbSync';
import { VenvNotFoundError } from '../../../src/core/devloop/steps/findVenv';
import { UnitNotFoundError } from '../../../src/core/devloop/steps/stopUnit';
import { HaproxySocketError } from '../../../src/core/haproxy/errors';
import { CommandFailedError } from '../../../src/core/process/types';
import type { SshHost } from '../../../src/core/ssh';
import { HEAT_CONTAINER, heatRequest, labCatalog, labEngine, labStepContext } from '../../support/heatOnLab';
import { connectLab, labHostExec, readLab, type LabDescription } from '../../support/lab';
import { osaDevOnLab } from '../../support/labCli';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';

const UTILITY = 'aio1-utility-container-d83fab91';
const SOCKET = '/var/run/haproxy.stat';
const PARKED = '/var/run/haproxy.stat.osa-dev-test';
/** Dev copies of heat made broken on purpose, inside the heat container (ours: /opt/osa-dev). */
const BROKEN = '/opt/osa-dev/src/heat-broken';

let lab: LabDescription;
let ssh: SshHost;
let baseline: string;
const HOLDER = 'ci@lab (bad input)';

function inContainer(container: string, script: string): string {
  return labHostExec(['lxc-attach', '-n', container, '--clear-env', '--set-var', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', '--set-var', 'HOME=/root', '--', 'sh', '-c', script]);
}

async function journalOf(container: string): ReturnType<JournalStore['read']> {
  return new JournalStore(ssh).read(container);
}

/** Develop expected to fail in a step: returns the failure and the journal it left. */
async function developFails(request: DevelopRequest, units: readonly string[], catalog: Catalog = labCatalog()): Promise<{ error: StepFailedError; steps: Record<string, string> }> {
  const plan = await planDevelop(labStepContext(ssh, request.container), catalog, request, units);
  const error = await labEngine(ssh, request.container, HOLDER).develop(plan.steps, { ...request }).then(
    () => assert.fail(`Develop ${request.unit} in ${request.container} was expected to fail`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof StepFailedError, String(error));
  const doc = await journalOf(request.container);
  assert.ok(doc, 'the journal records what was done before the failure');
  return { error, steps: Object.fromEntries(doc.steps.map((s) => [s.id.replace(/:.*/, ''), s.status])) };
}

/** Restore from the journal, then the host must be exactly as before. */
async function restoredToBaseline(container: string): Promise<void> {
  const doc = await journalOf(container);
  if (doc) await labEngine(ssh, container, HOLDER).restore(stepsForRestore(doc));
  assert.equal(await journalOf(container), undefined, 'no journal left');
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
}

/** Refused while planning: nothing ran, so nothing changed and there is no journal. */
async function unchanged(container: string): Promise<void> {
  assert.equal(await journalOf(container), undefined, 'no journal: nothing was changed');
  assert.equal(productionSnapshot(lab), baseline);
}

before(async () => {
  lab = readLab();
  ssh = connectLab(lab);
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

/** Whatever a failed test left: the socket back in place, journals restored (each test starts clean). */
async function putBack(): Promise<void> {
  labHostExec(['sh', '-c', `if [ -e ${PARKED} ]; then rm -f ${SOCKET}; mv ${PARKED} ${SOCKET}; fi`]);
  for (const container of [HEAT_CONTAINER, UTILITY]) {
    const doc = await journalOf(container).catch(() => undefined);
    if (doc) await labEngine(ssh, container, HOLDER).restore(stepsForRestore(doc), { takeOverLock: true }).catch(() => undefined);
  }
}

beforeEach(putBack);

after(async () => {
  await putBack();
  inContainer(HEAT_CONTAINER, `rm -rf ${BROKEN}`);
  ssh?.dispose();
});

test('a container with no known service: refused before anything changes (CLI and core), saying what to set', async () => {
  const cli = await osaDevOnLab(lab, 'develop', UTILITY, '--git', 'git://172.29.236.100/openstack/heat', '--ref', 'master');
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /osa-dev: aio1-utility-container-d83fab91 has no service unit to develop/);
  await unchanged(UTILITY);

  const request: DevelopRequest = { container: UTILITY, service: 'utility', unit: 'systemd-journald', source: { kind: 'container-path', path: '/root' }, project: 'utility' };
  await assert.rejects(planDevelop(labStepContext(ssh, UTILITY), labCatalog(), request, []), (error: unknown) => {
    assert.ok(error instanceof VenvNotFoundError, String(error));
    assert.match(error.message, /No production venv found for systemd-journald\.service in aio1-utility-container-d83fab91: its ExecStart \(\S*systemd-journald\) is not a venv program and nothing matches \/openstack\/venvs\/utility\*\. Next step: give the service's venv glob .* in \.osa-dev\.yaml/);
    return true;
  });
  await unchanged(UTILITY);
});

test('no production venv (catalog glob matches nothing, ExecStart not in a venv): refused while planning', async () => {
  const catalog = loadCatalog({
    shipped: { path: shippedCatalogPath(`${__dirname}/../../..`) },
    workspace: { path: '.osa-dev.yaml', text: 'services:\n  keystone:\n    venv: /openstack/venvs/nope-*\n    units:\n      systemd-journald:\n        command: ["{venv}/bin/python", "-V"]\n' },
  });
  const ks = lab.containers.find((c) => c.service === 'keystone')!;
  const request: DevelopRequest = { container: ks.name, service: 'keystone', unit: 'systemd-journald', source: { kind: 'container-path', path: '/root' }, project: 'keystone' };
  await assert.rejects(planDevelop(labStepContext(ssh, ks.name), catalog, request, [...ks.units]), /No production venv found for systemd-journald\.service in aio1-keystone-container-821e7cf8: .* nothing matches \/openstack\/venvs\/nope-\*\. Next step/);
  await unchanged(ks.name);
});

test('a unit the container does not have (heat-api-cfn): stop-unit fails naming the units it has; isolation is journaled and restored', async () => {
  const { error, steps } = await developFails(heatRequest(lab, { unit: 'heat-api-cfn' }), ['heat-api', 'heat-engine']);
  assert.equal(error.stepId, 'stop-unit:heat-api-cfn.service');
  assert.ok(error.cause instanceof UnitNotFoundError);
  assert.match(error.message, /Unit heat-api-cfn\.service does not exist in aio1-heat-api-container-5d2a9f10; its units are: .*\bheat-api\b.*\bheat-engine\b/);
  assert.deepEqual(steps, { isolate: 'applied', 'stop-unit': 'failed' });
  await restoredToBaseline(HEAT_CONTAINER);
});

test('HAProxy admin socket missing, then refusing connections: isolate fails saying so; nothing changed; restored', async () => {
  labHostExec(['mv', SOCKET, PARKED]);
  try {
    const missing = await developFails(heatRequest(lab), ['heat-api', 'heat-engine']);
    assert.equal(missing.error.stepId, 'isolate');
    assert.ok(missing.error.cause instanceof HaproxySocketError && missing.error.cause.reason === 'no-socket', String(missing.error.cause));
    assert.match(missing.error.message, /\/var\/run\/haproxy\.stat/);
    assert.deepEqual(missing.steps, { isolate: 'failed' });

    // A socket file nobody listens on (HAProxy stopped without cleaning up): connection refused.
    labHostExec(['/usr/bin/python3', '-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(SOCKET)})`]);
    const refused = await developFails(heatRequest(lab), ['heat-api', 'heat-engine']);
    assert.ok(refused.error.cause instanceof HaproxySocketError && refused.error.cause.reason === 'refused', String(refused.error.cause));
    assert.match(refused.error.message, /\/var\/run\/haproxy\.stat/);
    assert.deepEqual(refused.steps, { isolate: 'failed' });
  } finally {
    labHostExec(['sh', '-c', `rm -f ${SOCKET}; mv ${PARKED} ${SOCKET}`]);
  }
  await restoredToBaseline(HEAT_CONTAINER);
});

test('pip failing (an invalid requirement): install-deps fails with pip’s own error; restored', async () => {
  inContainer(HEAT_CONTAINER, `rm -rf ${BROKEN} && git clone -q git://172.29.236.100/openstack/heat ${BROKEN} && echo 'osalab-log >= = 1' >> ${BROKEN}/requirements.txt`);
  const { error, steps } = await developFails(heatRequest(lab, { source: { kind: 'container-path', path: BROKEN } }), ['heat-api', 'heat-engine']);
  assert.match(error.stepId, /^install-deps:/);
  assert.ok(error.cause instanceof CommandFailedError, String(error.cause));
  assert.match(error.message, /pip failed in aio1-heat-api-container-5d2a9f10/);
  assert.match(error.message, /Invalid requirement|Expected/i);
  assert.equal(steps['install-deps'], 'failed');
  assert.equal(steps['stop-unit'], 'applied');
  await restoredToBaseline(HEAT_CONTAINER);
});

test('db_sync failing (a broken migration): the step fails with the command and its output; production DB unchanged; restored', async () => {
  const dbVersion = (): string => inContainer(HEAT_CONTAINER, 'sqlite3 /var/lib/heat/heat.sqlite "SELECT MAX(version) FROM migrate_version"').trim();
  const before = dbVersion();
  inContainer(HEAT_CONTAINER, `rm -rf ${BROKEN} && git clone -q git://172.29.236.100/openstack/heat ${BROKEN} && printf '\\nMIGRATIONS.append((99, "broken", "THIS IS NOT SQL;"))\\n' >> ${BROKEN}/heat/db/migrations.py`);
  const { error, steps } = await developFails(heatRequest(lab, { source: { kind: 'container-path', path: BROKEN } }), ['heat-api', 'heat-engine']);
  assert.match(error.stepId, /^db-sync:/);
  assert.ok(error.cause instanceof DbSyncError, String(error.cause));
  assert.match(error.message, /db_sync failed in aio1-heat-api-container-5d2a9f10: \/opt\/osa-dev\/venvs\/heat\/bin\/heat-manage --config-file \/etc\/heat\/heat\.conf db_sync/);
  assert.match(error.message, /syntax error/);
  assert.equal(steps['db-sync'], 'failed');
  assert.equal(steps['install-deps'], 'applied');
  assert.equal(dbVersion(), before, 'the failed migration left the production database as it was');
  await restoredToBaseline(HEAT_CONTAINER);
});
