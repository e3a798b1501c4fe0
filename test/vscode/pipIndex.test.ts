import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';
import type { Prompter } from '../../src/extension/wizard/prompter';
import { suite, suiteSetup, suiteTeardown, test } from './mocha';
import { containerRow, findLab, inContainer, LAB_ALIAS, labOrSkip, productionSnapshot, ScriptedPrompter, services, waitForHaproxySettled, type Lab } from './support';

/**
 * OSA's wheel repo lacks a package (issue #3, step 4) through the extension's own Develop command:
 * the lab's heat branch feature/metrics needs osalab-metrics, which only the lab's package index
 * has. Develop fails at install-deps; the modal names the package and offers "Retry with <index>"
 * (osaDev.packageIndexUrl); answering it (scripted Prompter) develops with the index enabled in
 * /root/.pip/pip.conf; Restore Production returns the host to the snapshot taken before.
 */

const CONTAINER = 'aio1_heat_api_container-36e270c9';
const DEV_VENV = '/opt/osa-dev/venvs/heat';

interface LabWithIndex extends Lab {
  packageIndex: { url: string };
}

/** The dev venv without the package and without the record of a successful install. */
async function forgetTheMissingPackage(): Promise<void> {
  await inContainer(CONTAINER, ['sh', '-c', `[ -x ${DEV_VENV}/bin/pip ] && ${DEV_VENV}/bin/pip uninstall -q -y osalab-metrics 2>/dev/null; rm -f ${DEV_VENV}/.osa-dev-inputs.sha256; true`]);
}

suite('Package index retry through Develop (lab)', () => {
  let lab: LabWithIndex | undefined;
  let why = '';
  let s: Services;
  let originalPrompter: Prompter;
  let initialHosts: unknown;
  let initialIndex: unknown;
  let baseline = '';
  let started = false;

  suiteSetup(async function () {
    this.timeout(90_000);
    const found = await findLab();
    if (typeof found === 'string') why = found;
    else lab = found as LabWithIndex;
    s = await services();
    originalPrompter = s.prompter;
    const config = vscode.workspace.getConfiguration('osaDev');
    initialHosts = config.inspect('hosts')?.globalValue;
    initialIndex = config.inspect('packageIndexUrl')?.globalValue;
    await config.update('hosts', [{ host: LAB_ALIAS }], vscode.ConfigurationTarget.Global);
    if (!lab) return;
    await config.update('packageIndexUrl', lab.packageIndex.url, vscode.ConfigurationTarget.Global);
    await forgetTheMissingPackage();
    await waitForHaproxySettled(60_000);
    baseline = await productionSnapshot(lab);
    assert.doesNotMatch(baseline, /^dev processes: [1-9]|^holds: [1-9]/m, `the lab is in production before the suite:\n${baseline}`);
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    s.prompter = originalPrompter;
    if (lab && started) {
      const journal = await s.devLoop.journals(LAB_ALIAS).read(CONTAINER).catch(() => undefined);
      const row = journal ? await containerRow(s, CONTAINER).catch(() => undefined) : undefined;
      if (row) await vscode.commands.executeCommand('osaDev.restore', row.node);
      await forgetTheMissingPackage();
    }
    const config = vscode.workspace.getConfiguration('osaDev');
    await config.update('packageIndexUrl', initialIndex, vscode.ConfigurationTarget.Global);
    await config.update('hosts', initialHosts, vscode.ConfigurationTarget.Global);
  });

  test('install-deps fails naming osalab-metrics; "Retry with <index>" develops with pip.conf edited; Restore is byte-identical', async function () {
    this.timeout(300_000);
    const l = labOrSkip(this, lab, why);
    const row = await containerRow(s, CONTAINER);
    const prompter = new ScriptedPrompter([
      { pick: 'heat-api' },
      { pick: 'container-git' },
      { input: 'git://172.29.236.100/openstack/heat' },
      { input: 'feature/metrics' },
      { pick: false },
      { confirm: true },
    ]);
    s.prompter = prompter;
    let ok: unknown;
    try {
      started = true;
      ok = await vscode.commands.executeCommand('osaDev.develop', row.node);
    } finally {
      s.prompter = originalPrompter;
    }
    console.log(`      (asked:\n        ${prompter.asked.join('\n        ')})`);
    assert.equal(prompter.remaining(), 0, 'every scripted answer was asked for');
    const retry = prompter.asked.find((q) => q.startsWith('confirm'));
    assert.ok(retry, 'the retry was offered');
    assert.match(retry, new RegExp(`^confirm "Retry with ${l.packageIndex.url.replace(/[./]/g, '\\$&')}": pip could not find osalab-metrics>=1\\.0\\.0 in ${CONTAINER}`));
    assert.match(retry, /Restore Production puts the file back byte for byte/);
    assert.equal(ok, true, 'the retried Develop resolves true');

    const conf = await inContainer(CONTAINER, ['cat', '/root/.pip/pip.conf']);
    assert.match(conf, /^index-url = http:\/\/172\.29\.236\.100:8282\/simple\/$/m);
    assert.doesNotMatch(conf, /no-index/);
    await inContainer(CONTAINER, [`${DEV_VENV}/bin/python`, '-c', 'import osalab_metrics']);
    assert.equal((await containerRow(s, CONTAINER)).item.contextValue, 'runningDevContainer');

    assert.equal(await vscode.commands.executeCommand('osaDev.restore', (await containerRow(s, CONTAINER)).node), true);
    await waitForHaproxySettled(60_000);
    assert.equal(await productionSnapshot(l), baseline, 'production snapshot after Restore equals the one before (pip.conf included)');
  });
});
