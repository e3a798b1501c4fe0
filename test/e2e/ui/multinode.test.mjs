// UI test: a multi-node deployment in the OSA Dev view, in code-server through Debian's Chromium.
// The lab host aio1-lab is configured and trusted; its inventory also places containers on infra2,
// a second physical host with its own sshd reached only through aio1 (test/lab/lib/node-host.sh),
// whose key is NOT known yet. Expanding infra2 meets its key: the modal names infra2, its address,
// the host it is reached through and its fingerprint; trusting lists its containers.
// Screenshots: .artifacts/screenshots/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { LAB_ALIAS } from '../lib/workbench.mjs';
import { openWorkbench } from '../lib/ui.mjs';

let ui;
let page;
let lab;

before(async () => {
  ui = await openWorkbench({ folder: 'multinode', trustNodeKeys: false });
  page = ui.page;
  lab = ui.lab;
});

after(async () => {
  await ui?.close();
});

describe('OSA Dev view: a second physical host', { concurrency: 1 }, () => {
  it('infra2 follows the host’s own services; expanding it asks about its key, naming it; trusted, it lists its containers', async (t) => {
    if (!ui.needLab(t)) return;
    const node = lab.nodes?.[0];
    if (!node) return t.skip('the lab has no second physical host (lab.json nodes)');
    await page.locator('.activitybar').getByRole('tab', { name: /OSA Dev/ }).click();
    await ui.row('heat').waitFor({ timeout: 30_000 });
    const row = ui.row(node.name);
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), new RegExp(node.ip.replace(/\./g, '\\.')), `${node.name} shows its address`);
    assert.equal(await row.getAttribute('aria-expanded'), 'false', 'listed only when expanded');
    await ui.expand(node.name);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.innerText();
    assert.ok(text.includes(node.hostKeyFingerprint), `the modal shows ${node.hostKeyFingerprint}:\n${text}`);
    assert.match(text, new RegExp(`First connection to ${node.name} \\(${node.ip.replace(/\./g, '\\.')}, through root@127\\.0\\.0\\.1:2222\\)`));
    await ui.shot('node-host-key-prompt.png');
    await dialog.getByRole('button', { name: 'Trust and Connect' }).click();
    for (const c of node.containers) {
      // infra2's services are one level below it (aio1's own services, also 'placement', are level 2).
      const service = page.locator('.part.sidebar .monaco-list-row[aria-level="3"][aria-expanded]').filter({ hasText: new RegExp(`^${c.service}`) }).first();
      await service.waitFor({ timeout: 30_000 });
      if ((await service.getAttribute('aria-expanded')) !== 'true') await service.click();
      const r = ui.row(c.name);
      await r.waitFor({ timeout: 30_000 });
      assert.match(await r.innerText(), new RegExp(c.ip.replace(/\./g, '\\.')), `${c.name} shows ${c.ip}`);
    }
    assert.ok(fs.readFileSync(ui.ssh.knownHosts, 'utf8').includes(node.knownHostsLine), `${node.name}'s key recorded under its address`);
    await ui.widenSideBar(620);
    await page.mouse.move(900, 600);
    await page.waitForTimeout(400);
    await ui.shot('tree-multinode.png');
    assert.ok(await ui.row(LAB_ALIAS).isVisible());
  });
});
