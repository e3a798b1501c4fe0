// UI test: the Gerrit Changes view in code-server through Debian's Chromium, against the Gerrit
// stand-in (test/support/gerrit/serve.ts, its own process on 127.0.0.1). The workspace's
// .gitreview points at the stand-in; no OSA host is needed. Open the OSA Dev side bar → the view
// lists the open changes → expand one → its patchsets, the latest marked → the context menu offers
// Develop This Change…, Check Out Locally and Open in Browser. Screenshot: gerrit-view.png.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { openWorkbench } from '../lib/ui.mjs';
import { ROOT } from '../lib/workbench.mjs';

let ui;
let page;
let standIn;

const row = (text) => ui.row(text);

/** Starts the stand-in process; resolves with its URL (first stdout line). */
function startStandIn() {
  standIn = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/gerrit/serve.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    standIn.once('exit', (code) => reject(new Error(`the Gerrit stand-in exited (${code})`)));
    readline.createInterface({ input: standIn.stdout }).once('line', (line) => resolve(JSON.parse(line).url));
  });
}

before(async () => {
  const url = new URL(await startStandIn());
  // No OSA host is needed: the workspace's .gitreview points at the stand-in.
  ui = await openWorkbench({
    folder: 'gerrit',
    hostConfigured: false,
    prepare: (dirs) => fs.writeFileSync(path.join(dirs.workspace, '.gitreview'), `[gerrit]\nhost=127.0.0.1\nport=${url.port}\nproject=openstack/heat.git\ndefaultbranch=master\nscheme=http\n`),
  });
  page = ui.page;
  await page.setViewportSize({ width: 1280, height: 720 });
});

after(async () => {
  await ui?.close();
  standIn?.kill('SIGTERM');
});

describe('Gerrit Changes view', { concurrency: 1 }, () => {
  it('lists the open changes of the .gitreview project; a change expands to its patchsets, the latest marked; the menu has the three actions', async () => {
    const tab = page.locator('.activitybar').getByRole('tab', { name: /OSA Dev/ });
    await tab.waitFor({ timeout: 30_000 });
    await tab.click();
    const header = page.locator('.part.sidebar .pane-header').filter({ hasText: 'Gerrit Changes' });
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    // Open changes on .gitreview's defaultbranch only: 12346 is merged, 12347 abandoned, 12348 on
    // stable/2025.1, 12349 private (anonymous reads do not see it).
    const change = row('12345 Make stacks faster');
    await change.waitFor({ timeout: 30_000 });
    await row('7 Small change number').waitFor();
    for (const absent of ['Already merged fix', 'Abandoned idea', 'Backport', 'embargo']) assert.equal(await row(absent).count(), 0, absent);
    assert.match(await change.innerText(), /Alice Example · 2026-01-05 \d\d:\d\d/);
    await change.click();
    await row('Patchset 5').waitFor({ timeout: 30_000 });
    assert.match(await row('Patchset 5').innerText(), /latest/);
    await row('Patchset 1').waitFor();
    assert.doesNotMatch(await row('Patchset 4').innerText(), /latest/);
    await row('Patchset 3').click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    const items = await menu.locator('.action-label').allInnerTexts();
    for (const label of ['Develop This Change…', 'Check Out Locally', 'Open in Browser']) assert.ok(items.some((i) => i.includes(label)), `${label} in ${items.join(' | ')}`);
    await page.keyboard.press('Escape');
    // A wider side bar and the Hosts view collapsed, for a readable picture.
    await ui.widenSideBar(620);
    const hosts = page.locator('.part.sidebar .pane-header').filter({ hasText: 'Hosts' });
    if ((await hosts.getAttribute('aria-expanded')) === 'true') await hosts.click();
    await row('Patchset 5').click();
    await page.mouse.move(900, 500); // no tooltip in the picture
    await page.waitForTimeout(300);
    await ui.shot('gerrit-view.png');
  });
});
