// UI test: Rebuild Container… as a user runs it, in code-server through Debian's Chromium.
// Right-click the utility container → Rebuild Container… → the modal names what is destroyed and
// what runs → Destroy and Rebuild → the Ansible output streams into the "Rebuild · <container>"
// terminal with its PLAY RECAP → the summary → the container was recreated (new init pid).
// Run by test/e2e/run-ui-tests.sh (node --test). Screenshots: .artifacts/screenshots/rebuild-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LAB_ALIAS, ROOT } from '../lib/workbench.mjs';
import { openWorkbench } from '../lib/ui.mjs';

let ui;
let page;

/** The container's init pid as the lab host sees it: a rebuilt container has a new one. */
function initPid(container) {
  return execFileSync('bash', [path.join(ROOT, 'test/lab/host-exec.sh'), 'lxc-info', '-n', container, '-pH'], { encoding: 'utf8' }).trim();
}

before(async () => {
  ui = await openWorkbench({ folder: 'rebuild' });
  page = ui.page;
});

after(async () => {
  await ui?.close();
});

describe('OSA Dev: rebuild a container with OSA\'s playbooks', { concurrency: 1 }, () => {
  it('right-click → Rebuild Container… → the modal names what goes → Ansible output and recap in a terminal', async (t) => {
    if (!ui.needLab(t)) return;
    const container = ui.lab.containers.find((c) => c.service === 'utility').name;
    const pidBefore = initPid(container);
    await ui.openOsaView();
    await ui.expand(LAB_ALIAS);
    await ui.expand(/^utility/);
    await ui.row(container).waitFor({ timeout: 15_000 });
    await ui.widenSideBar(540);

    await ui.contextMenu(ui.row(container), 'Rebuild Container');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.innerText();
    assert.match(text, new RegExp(`Destroy and rebuild ${container}`), text);
    assert.match(text, /containers_lxc_destroy/, `the modal names the playbooks:\n${text}`);
    await ui.shot('rebuild-confirm.png');
    await dialog.getByRole('button', { name: 'Destroy and Rebuild' }).click();

    const screen = page.locator('.part.panel .terminal-wrapper.active .xterm-rows, .part.panel .terminal-wrapper .xterm-rows').first();
    await screen.filter({ hasText: /PLAY RECAP/ }).waitFor({ timeout: 180_000 });
    await screen.filter({ hasText: new RegExp(`Rebuilt ${container}`) }).waitFor({ timeout: 180_000 });
    const transcript = await screen.innerText();
    assert.match(transcript, /ok=\d+\s+changed=\d+/, 'the recap lines are in the terminal');
    const toast = page.locator('.notification-toast').filter({ hasText: `Rebuilt ${container}` }).first();
    await toast.waitFor({ timeout: 30_000 });
    await page.mouse.move(900, 200);
    await page.waitForTimeout(300);
    await ui.shot('rebuild-terminal.png');
    assert.notEqual(initPid(container), pidBefore, 'the container was destroyed and created again');
    await ui.row(container).waitFor({ timeout: 30_000 });
  });
});
