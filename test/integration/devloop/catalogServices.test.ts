/**
 * Develop and Restore the lab's keystone, glance, placement and cinder containers from the shipped
 * catalog alone: the CLI is given no --unit (the catalog's unit is the one the container runs,
 * under OSA's name: keystone-wsgi-public, glance-api, placement-api, cinder-api), db_sync runs the catalog's
 * command, the catalog's foreground command serves HAProxy's frontend from the dev venv, and
 * Restore leaves the host byte-identical (no --take-over: the lock names the develop run's CLI
 * process, which has exited on this machine, so restore takes it over without asking).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import { planDevelop, stepsForRestore, type DevelopRequest } from '../../../src/core/devloop/plan';
import { shellJoin } from '../../../src/core/shell/quote';
import type { PtySession, SshHost } from '../../../src/core/ssh';
import { labCatalog, labEngine, labRuntime, labStepContext } from '../../support/heatOnLab';
import { connectLab, readLab, type LabContainer, type LabDescription } from '../../support/lab';
import { osaDevOnLab } from '../../support/labCli';
import { answerFromFrontend } from '../../support/labServices';
import { productionSnapshot, waitForHaproxySettled } from '../../support/productionSnapshot';


/**
 * What OSA calls each sample service's unit and HAProxy service (catalog/services.yaml), and the
 * script the dev process runs (cinder's API is pbr's WSGI script, as OSA's uwsgi runs it).
 */
const EXPECTED = [
  { service: 'keystone', unit: 'keystone-wsgi-public', frontend: 'keystone_service', script: 'keystone-wsgi-public' },
  { service: 'glance', unit: 'glance-api', frontend: 'glance_api', script: 'glance-api' },
  { service: 'placement', unit: 'placement-api', frontend: 'placement', script: 'placement-api' },
  { service: 'cinder', unit: 'cinder-api', frontend: 'cinder_api', script: 'cinder-wsgi' },
] as const;

interface LabWithRepos extends LabDescription {
  readonly git: LabDescription['git'] & { readonly repos: Record<string, { readonly urlInNamespace: string }> };
}

let lab: LabWithRepos;
let ssh: SshHost;
let baseline: string;
const touched: string[] = [];


before(async () => {
  lab = readLab() as LabWithRepos;
  ssh = connectLab(lab);
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

after(async () => {
  for (const name of touched) {
    const journal = await new JournalStore(ssh).read(name).catch(() => undefined);
    if (journal) await labEngine(ssh, name, 'ci@lab (catalog)').restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
  }
  ssh?.dispose();
});

for (const expected of EXPECTED) {
  test(`${expected.service}: develop from the catalog (no --unit), serve the frontend from the dev venv, restore byte-identical`, async () => {
    const container: LabContainer | undefined = lab.containers.find((c) => c.service === expected.service);
    assert.ok(container, `the lab has a ${expected.service} container`);
    assert.deepEqual(container.units, [expected.unit], 'the lab runs the unit under OSA’s name');
    const url = lab.git.repos[expected.service]!.urlInNamespace;
    touched.push(container.name);

    const developed = await osaDevOnLab(lab, 'develop', container.name, '--git', url, '--ref', 'master');
    assert.equal(developed.code, 0, developed.stderr);
    assert.match(developed.stdout, new RegExp(`${container.name} is in dev mode: ${expected.unit} runs from /opt/osa-dev/venvs/${expected.service}`));
    assert.match(developed.stderr, new RegExp(`Run ${expected.service} db_sync \\(cannot be undone\\): (applied|already-done)`));

    // The catalog's foreground command, as the dev terminal runs it.
    const request: DevelopRequest = {
      container: container.name,
      managementIp: container.ip,
      service: expected.service,
      unit: expected.unit,
      source: { kind: 'git', url, ref: 'master' },
      project: expected.service,
    };
    const plan = await planDevelop(labStepContext(ssh, container.name), labCatalog(), request, [...container.units]);
    const session: PtySession = await ssh.openPty(shellJoin(plan.foreground), { rows: 24, cols: 120 });
    try {
      const body = await answerFromFrontend(lab.haproxy.frontends[expected.frontend]!, container.name);
      assert.equal(body.code_version, `lab-${expected.service}-1`);
      const cmdline = await ssh.exec(shellJoin(labRuntime.execArgv(container.name, ['sh', '-c', `tr "\\0" " " < /proc/$(cat /run/osa-dev/${expected.unit}.pid)/cmdline`])));
      assert.match(cmdline.stdout, new RegExp(`/opt/osa-dev/venvs/${expected.service}/bin/(python\\S* )?\\S*${expected.script}`), 'the dev venv serves');
    } finally {
      session.close();
    }

    const restored = await osaDevOnLab(lab, 'restore', container.name);
    assert.equal(restored.code, 0, restored.stderr);
    await waitForHaproxySettled();
    assert.equal(productionSnapshot(lab), baseline);
  });
}
