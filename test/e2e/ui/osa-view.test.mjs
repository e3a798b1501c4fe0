// UI tests: a user's first steps in the OSA Dev view, in code-server through Debian's Chromium.
// Run by test/e2e/run-ui-tests.sh (node --test). The profile has NO host configured; the SSH
// config knows the alias aio1-lab (from the lab's lab.json) and known_hosts starts empty, so adding
// the host meets its key first. Screenshots: .artifacts/screenshots/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { LAB_ALIAS } from '../lib/workbench.mjs';
import { openWorkbench } from '../lib/ui.mjs';

let ui;
let page;
let lab;

before(async () => {
  ui = await openWorkbench({ hostConfigured: false });
  page = ui.page;
  lab = ui.lab;
});

after(async () => {
  await ui?.close();
});

describe('OSA Dev view', { concurrency: 1 }, () => {
  it('opens from the activity bar and shows the welcome view with Add Host', async () => {
    const item = page.locator('.activitybar').getByRole('tab', { name: /OSA Dev/ });
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    const welcome = page.locator('.welcome-view-content');
    await welcome.waitFor({ timeout: 30_000 });
    assert.match(await welcome.innerText(), /No OpenStack-Ansible host is configured yet/);
    await page.getByRole('button', { name: 'Add Host', exact: true }).waitFor();
    await page.mouse.move(700, 500); // no tooltip in the picture
    await page.waitForTimeout(300);
    await ui.shot('welcome.png');
  });

  it('Add Host: type the lab alias, see the SHA256 fingerprint in a modal, trust it', async (t) => {
    if (!ui.needLab(t)) return;
    await page.getByRole('button', { name: 'Add Host', exact: true }).click();
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(LAB_ALIAS);
    await ui.shot('add-host-input.png');
    await input.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.innerText();
    assert.ok(text.includes(lab.ssh.hostKeyFingerprint), `the modal shows ${lab.ssh.hostKeyFingerprint}:\n${text}`);
    await ui.shot('host-key-prompt.png');
    await dialog.getByRole('button', { name: 'Trust and Connect' }).click();
    await ui.row(LAB_ALIAS).waitFor({ timeout: 30_000 });
    const known = fs.readFileSync(ui.ssh.knownHosts, 'utf8');
    assert.ok(known.includes(lab.ssh.knownHostsLine.split(' ').slice(1).join(' ')), 'the key was recorded in known_hosts');
  });

  it('tree: host → heat → containers with management IPs', async (t) => {
    if (!ui.needLab(t)) return;
    await ui.row('heat').waitFor({ timeout: 30_000 });
    for (const name of ['keystone', 'utility']) await ui.row(name).waitFor({ timeout: 5_000 });
    await ui.expand(/^heat/);
    const heat = lab.containers.filter((c) => c.service === 'heat');
    for (const c of heat) {
      const r = ui.row(c.name);
      await r.waitFor({ timeout: 10_000 });
      assert.match(await r.innerText(), new RegExp(c.ip.replace(/\./g, '\\.')), `${c.name} shows ${c.ip}`);
    }
    await ui.widenSideBar(620);
    await page.mouse.move(900, 600);
    await page.waitForTimeout(400);
    await ui.shot('tree.png');
  });

  it('context menu of a running container offers Open Shell, Show Logs, Copy IP; the shell runs in it', async (t) => {
    if (!ui.needLab(t)) return;
    const c = lab.containers.find((x) => x.service === 'heat');
    await ui.row(c.name).click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    const items = await menu.locator('.action-label').allInnerTexts();
    for (const want of ['Open Shell', 'Show Logs', 'Copy IP']) {
      assert.ok(items.some((i) => i.includes(want)), `menu has ${want}: ${items.join(' | ')}`);
    }
    await page.waitForTimeout(500); // the menu fades in
    await ui.shot('context-menu.png');
    await menu.locator('.action-label', { hasText: 'Open Shell' }).click();
    const terminal = page.locator('.terminal-wrapper');
    await terminal.first().waitFor({ timeout: 30_000 });
    // The DOM renderer (gpuAcceleration off) keeps the screen's text in .xterm-rows: wait for the
    // container's prompt before typing, as a user would, then for the command's output.
    const screen = page.locator('.terminal-wrapper .xterm-rows').first();
    await screen.filter({ hasText: `@${c.name}` }).waitFor({ timeout: 30_000 });
    await page.keyboard.type('hostname; ls /openstack/venvs\n');
    await screen.filter({ hasText: /heat-[0-9.]+/ }).waitFor({ timeout: 15_000 });
    const text = await screen.innerText();
    assert.ok(text.split('\n').some((line) => line.trim() === c.name), `hostname printed ${c.name}:\n${text}`);
    await page.waitForTimeout(300);
    await ui.shot('terminal.png');
  });
});
