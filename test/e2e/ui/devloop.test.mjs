// UI test: a user's dev loop in the OSA Dev view, in code-server through Debian's Chromium.
// The profile already knows the lab host (aio1-lab, key trusted): expand the host and heat →
// right-click a heat container → Develop This Service… → answer the quick picks by typing → watch
// the progress notification → the dev terminal streams coloured oslo.log lines → right-click →
// Restore Production → the tree is back to normal and both heat containers serve again.
// Run by test/e2e/run-ui-tests.sh (node --test). Screenshots: .artifacts/screenshots/devloop-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LAB_ALIAS } from '../lib/workbench.mjs';
import { frontendHosts, openWorkbench, until } from '../lib/ui.mjs';

const DEV_CONTAINER = 'aio1-heat-api-container-5d2a9f10';
let developStarted = false;
let ui;
let page;

before(async () => {
  // Its own folder under the runner's scratch (the other UI files use other profiles).
  ui = await openWorkbench({ folder: 'devloop' });
  page = ui.page;
});

after(async () => {
  // Leave the lab in production whatever happened in the UI.
  if (developStarted) await ui?.restoreIfLeft(DEV_CONTAINER, 'devloop-ui');
  await ui?.close();
});

describe('OSA Dev: develop and restore a heat container', { concurrency: 1 }, () => {
  it('tree: expand the host and heat, the container is running', async (t) => {
    if (!ui.needLab(t)) return;
    const row = await ui.showContainer(DEV_CONTAINER);
    assert.doesNotMatch(await row.innerText(), /dev mode/, 'in production before the test');
    await ui.widenSideBar(540);
    await page.mouse.move(900, 300);
    await page.waitForTimeout(300);
    await ui.shot('devloop-tree.png');
  });

  it('right-click → Develop This Service… → answer by typing → progress → dev mode in the tree', async (t) => {
    if (!ui.needLab(t)) return;
    developStarted = true; // from here on after() restores this container if it is left in dev mode
    // Every progress message the notification shows, recorded as it appears: a warm Develop takes a
    // few seconds, so a step may come and go between two polls.
    await page.evaluate(() => {
      const seen = (window.__osaProgress = []);
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('.notification-toast .notification-list-item-message')) {
          const text = el.textContent ?? '';
          if (!seen.includes(text)) seen.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const items = await ui.develop(DEV_CONTAINER, { choice: 'Run', item: 'logs in a terminal', atBranch: () => ui.shot('devloop-wizard-branch.png') });
    assert.ok(!items.some((i) => i.includes('Restore Production')), `no Restore Production in production: ${items.join(' | ')}`);

    // The progress notification names each step as "N/M title" (screenshot while one shows).
    const toast = page.locator('.notification-toast').filter({ hasText: `in ${DEV_CONTAINER}` }).first();
    const stepText = toast.locator('.notification-list-item-message').filter({ hasText: /\d+\/\d+ / });
    if (await stepText.waitFor({ timeout: 20_000 }).then(() => true, () => false)) await ui.shot('devloop-progress.png');

    // Done: the tree shows dev mode (the row is re-rendered after the refresh).
    await ui.row(DEV_CONTAINER).filter({ hasText: 'in dev mode' }).waitFor({ timeout: 240_000 });
    await toast.waitFor({ state: 'detached', timeout: 30_000 });
    const progress = await page.evaluate(() => window.__osaProgress);
    assert.ok(progress.some((text) => /Develop heat-api in .*\d+\/\d+ /s.test(text)), `the notification showed the steps as N/M: ${progress.join(' | ')}`);
  });

  it('the dev terminal streams coloured oslo.log lines; HAProxy sends requests only to it', async (t) => {
    if (!ui.needLab(t)) return;
    const tab = page.locator('.terminal-tabs-entry, .single-terminal-tab, .terminal-tab').filter({ hasText: 'heat-api (dev)' });
    const title = page.locator('.part.panel').filter({ hasText: 'heat-api (dev)' });
    await Promise.any([tab.first().waitFor({ timeout: 30_000 }), title.first().waitFor({ timeout: 30_000 })]);
    const screen = page.locator('.part.panel .terminal-wrapper.active .xterm-rows, .part.panel .terminal-wrapper .xterm-rows').first();
    await screen.filter({ hasText: / INFO / }).waitFor({ timeout: 60_000 });
    // Requests through HAProxy: answered by the dev container only, and logged in the terminal.
    const hosts = await until('GET / answered only by the dev container', async () => {
      const h = await frontendHosts(ui.lab, 6);
      return { ok: h.every((x) => x === DEV_CONTAINER), value: h };
    }, 60_000);
    assert.deepEqual(new Set(hosts), new Set([DEV_CONTAINER]));
    await screen.filter({ hasText: /GET \// }).waitFor({ timeout: 20_000 });
    // oslo.log levels are coloured: xterm's DOM renderer gives coloured spans an xterm-fg-* class or a style.
    const coloured = await screen.locator('span[class*="xterm-fg-"], span[style*="color"]').count();
    assert.ok(coloured > 0, 'coloured spans in the terminal');
    // A taller panel so more log lines fit in the picture.
    await page.mouse.move(900, 200);
    await page.waitForTimeout(500);
    await ui.shot('devloop-terminal.png');
  });

  it('right-click → Restore Production → the tree is back to normal, both heat containers serve', async (t) => {
    if (!ui.needLab(t)) return;
    await page.keyboard.press('Escape');
    await ui.shot('devloop-dev-mode.png');
    const items = await ui.contextMenu(ui.row(DEV_CONTAINER), 'Restore Production');
    assert.ok(items.some((i) => i.includes('Restore Production')), `the menu of a container in dev mode has Restore Production: ${items.join(' | ')}`);
    const heatIp = ui.lab.containers.find((c) => c.name === DEV_CONTAINER).ip;
    await until('the container row without "in dev mode"', async () => {
      const text = await ui.row(DEV_CONTAINER).innerText().catch(() => '');
      return { ok: text.includes(heatIp) && !text.includes('dev mode'), value: text };
    }, 120_000);
    const heat = ui.lab.containers.filter((c) => c.service === 'heat').map((c) => c.name).sort();
    const hosts = await until('both heat containers answer', async () => {
      const h = await frontendHosts(ui.lab, 8);
      return { ok: new Set(h).size === heat.length && h.every((x) => heat.includes(x)), value: h };
    }, 60_000);
    assert.deepEqual([...new Set(hosts)].sort(), heat);
    const status = (await ui.cli('status', LAB_ALIAS)).stdout;
    assert.ok(!status.includes(DEV_CONTAINER), `no journal left for ${DEV_CONTAINER}:\n${status}`);
    await page.mouse.move(900, 300);
    await page.waitForTimeout(300);
    await ui.shot('devloop-restored.png');
  });
});
