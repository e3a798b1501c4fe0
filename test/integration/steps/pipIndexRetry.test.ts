/**
 * OSA's wheel repository lacks a package the change needs (issue #3, step 4): the lab's heat
 * branch feature/metrics requires osalab-metrics, which only the lab's package index (a PEP 503
 * stand-in for pypi.org/simple) has. Develop must fail at install-deps naming the package and the
 * remedy, succeed when retried with the index enabled in the container's legacy
 * /root/.pip/pip.conf (core API, then the CLI's --index-url), and Restore must put pip.conf and
 * everything else back byte for byte.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { StepFailedError } from '../../../src/core/devloop/engine';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import { stepsForRestore, type DevelopRequest } from '../../../src/core/devloop/plan';
import { devVenvPath } from '../../../src/core/devloop/steps/devVenv';
import { INPUTS_RECORD } from '../../../src/core/devloop/steps/installDeps';
import { MissingPackagesError } from '../../../src/core/devloop/steps/pipErrors';
import type { SshHost } from '../../../src/core/ssh';
import { heatRepoInNamespace, heatRequest, labEngine, planHeat } from '../../support/heatOnLab';
import { connectLab, labHostExec, readLab, type LabDescription } from '../../support/lab';
import { osaDevOnLab } from '../../support/labCli';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';

const CONTAINER = 'aio1_heat_api_container-36e270c9';
const BRANCH = 'feature/metrics';
const MISSING = 'osalab-metrics';

interface LabWithIndex extends LabDescription {
  readonly packageIndex: { readonly url: string };
}

let lab: LabWithIndex;
let ssh: SshHost;
let baseline: string;
let request: DevelopRequest;

function inContainer(...argv: string[]): string {
  return labHostExec(['lxc-attach', '-n', CONTAINER, '--clear-env', '--set-var', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', '--set-var', 'HOME=/root', '--', ...argv]);
}

/** The dev venv as it was before: without the package and without a record of a successful install. */
function forgetTheMissingPackage(): void {
  const dev = devVenvPath('heat');
  inContainer('sh', '-c', `[ -x ${dev}/bin/pip ] && ${dev}/bin/pip uninstall -q -y ${MISSING} 2>/dev/null; rm -f ${dev}/${INPUTS_RECORD}; true`);
}

async function restoreIfLeft(): Promise<void> {
  const journal = await new JournalStore(ssh).read(CONTAINER).catch(() => undefined);
  if (journal) await labEngine(ssh, CONTAINER, 'ci@lab (pip index)').restore(stepsForRestore(journal), { takeOverLock: true });
}


before(async () => {
  lab = readLab() as LabWithIndex;
  assert.ok(lab.packageIndex?.url, 'lab.json names the package index (test/lab/up.sh)');
  ssh = connectLab(lab);
  request = heatRequest(lab, { container: CONTAINER, source: { kind: 'git', url: heatRepoInNamespace(lab), ref: BRANCH } });
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

beforeEach(() => forgetTheMissingPackage());

after(async () => {
  await restoreIfLeft().catch(() => undefined);
  forgetTheMissingPackage();
  ssh?.dispose();
});

test('core: install-deps fails naming the missing package; the retry with the index succeeds; Restore is byte-identical', async () => {
  const pipConfBefore = inContainer('sh', '-c', 'sha256sum /root/.pip/pip.conf; stat -c "%a %u:%g %s" /root/.pip/pip.conf');
  assert.match(inContainer('cat', '/root/.pip/pip.conf'), /no-index = true/, 'the container has OSA’s legacy pip.conf');
  const engine = labEngine(ssh, CONTAINER, 'ci@lab (pip index)');

  const failed = await engine.develop((await planHeat(ssh, request)).steps, { ...request }).then(
    () => assert.fail('Develop must fail: the wheel repo lacks osalab-metrics'),
    (error: unknown) => error,
  );
  assert.ok(failed instanceof StepFailedError, String(failed));
  assert.match(failed.stepId, /^install-deps:/);
  assert.ok(failed.cause instanceof MissingPackagesError);
  assert.deepEqual(failed.cause.packages, [`${MISSING}>=1.0.0`]);
  assert.equal(failed.cause.container, CONTAINER);
  assert.match(failed.message, /pip could not find osalab-metrics>=1\.0\.0 in aio1_heat_api_container-36e270c9/);
  assert.match(failed.message, /wheel repository .* retry with the public index .*--index-url URL.*Restore production puts back/s);
  const journal = await new JournalStore(ssh).read(CONTAINER);
  assert.equal(journal?.steps.find((s) => s.id.startsWith('install-deps'))?.status, 'failed', 'the step is marked failed in the journal');
  assert.equal(inContainer('sh', '-c', 'sha256sum /root/.pip/pip.conf; stat -c "%a %u:%g %s" /root/.pip/pip.conf'), pipConfBefore, 'pip.conf untouched until the retry');

  // Retry with the index: a pip-conf step joins the plan before install-deps.
  const retry = { ...request, indexUrl: lab.packageIndex.url };
  const plan = await planHeat(ssh, retry);
  assert.ok(plan.steps.findIndex((s) => s.id === 'pip-conf') === plan.steps.findIndex((s) => s.id.startsWith('install-deps')) - 1);
  const doc = await engine.develop(plan.steps, { ...retry });
  assert.ok(doc.steps.every((s) => s.status === 'applied' || s.status === 'skipped'), JSON.stringify(doc.steps.map((s) => [s.id, s.status, s.error])));
  const conf = inContainer('cat', '/root/.pip/pip.conf');
  assert.match(conf, new RegExp(`index-url = ${lab.packageIndex.url.replace(/[./]/g, '\\$&')}`));
  assert.doesNotMatch(conf, /no-index/);
  assert.match(conf, /find-links = http:\/\/172\.29\.236\.100:8181\//, 'the wheel repo stays configured');
  const where = inContainer(`${devVenvPath('heat')}/bin/python`, '-c', 'import osalab_metrics; print(osalab_metrics.__file__)');
  assert.match(where, /^\/opt\/osa-dev\/venvs\/heat\/lib\/python3\.\d+\/site-packages\/osalab_metrics\/__init__\.py/, 'installed into the dev venv, not production');

  await engine.restore(stepsForRestore((await new JournalStore(ssh).read(CONTAINER))!));
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
});

test('CLI: develop names the package and --index-url; develop --index-url succeeds; restore is byte-identical', async () => {
  const source = request.source as { url: string; ref: string };
  const develop = [CONTAINER, '--unit', 'heat-api', '--git', source.url, '--ref', source.ref];
  const first = await osaDevOnLab(lab, 'develop', ...develop);
  assert.equal(first.code, 1, first.stderr);
  assert.match(first.stderr, /\[\d+\/\d+\] Install dependencies into the dev venv: failed/);
  assert.match(first.stderr, /osa-dev: .*pip could not find osalab-metrics>=1\.0\.0 in aio1_heat_api_container-36e270c9.*--index-url URL/s);

  const second = await osaDevOnLab(lab, 'develop', ...develop, '--index-url', lab.packageIndex.url, '--take-over');
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /Enable the package index .*: applied/);
  assert.match(second.stdout, /aio1_heat_api_container-36e270c9 is in dev mode: heat-api runs from \/opt\/osa-dev\/venvs\/heat/);

  const restored = await osaDevOnLab(lab, 'restore', CONTAINER, '--take-over');
  assert.equal(restored.code, 0, restored.stderr);
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
});
