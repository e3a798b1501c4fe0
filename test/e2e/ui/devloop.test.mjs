// UI test: a user's dev loop in the OSA Dev view, in code-server through Debian's Chromium.
// The profile already knows the lab host (aio1-lab, key trusted): expand the host and heat →
// right-click a heat container → Develop This Service… → answer the quick picks by typing → watch
// the progress notification → the dev terminal streams coloured oslo.log lines → right-click →
// Restore Production → the tree is back to normal and both heat containers serve again.
// Run by test/e2e/run-ui-tests.sh (node --test). Screenshots: .artifacts/screenshots/devloop-*.png.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  freePort, LAB_ALIAS, LAB_JSON, launchBrowser, prepareProfile, ROOT, scratchEnv, startCodeServer, writeLabSshFiles,
} from '../lib/workbench.mjs';
import { labReachable } from '../lib/labReachable.mjs';

const run = promisify(execFile);
// Its own folder under the runner's scratch (the other UI file uses a profile with no host).
const scratch = path.join(process.env.OSA_E2E_SCRATCH || fs.mkdtempSync('/tmp/osa-e2e-ui-'), 'devloop');
fs.mkdirSync(scratch, { recursive: true });
const shots = path.join(ROOT, '.artifacts/screenshots');
const labRequired = process.env.CI === 'true' || process.env.OSA_E2E_REQUIRE_LAB === '1';
fs.mkdirSync(shots, { recursive: true });

const DEV_CONTAINER = 'aio1-heat-api-container-5d2a9f10';
// "Fork or other repository…" clones on this machine and syncs into the container: the lab's git
// daemon as this machine reaches it (lab.json git.heatRepoUrl).
let developStarted = false;

let server;
let context;
let page;
let lab;
let ssh;
let labProblem = '';


function needLab(t) {
  if (lab) return true;
  if (labRequired) throw new Error(`lab required (CI=true) but unusable: ${labProblem}`);
  t.skip(labProblem);
  return false;
}

const row = (text) => page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text }).first();
const shot = (name) => page.screenshot({ path: path.join(shots, name) });
const quickInput = () => page.locator('.quick-input-widget input.input');

/** Who answers GET / on the heat API frontend (the sample's JSON names its container in `host`). */
async function frontendHosts(count) {
  const hosts = [];
  for (let i = 0; i < count; i++) {
    try {
      const res = await fetch(`${lab.haproxy.frontends.heat_api}/`, { signal: AbortSignal.timeout(5000) });
      hosts.push(res.ok ? String((await res.json()).host) : `HTTP ${res.status}`);
    } catch (error) {
      hosts.push(`error ${error}`);
    }
  }
  return hosts;
}

async function until(what, check, ms) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await check();
    if (last.ok) return last.value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}: ${JSON.stringify(last.value)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The CLI over the same SSH files: the safety net that leaves the lab in production. */
function cli(...args) {
  return run(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args, '--ssh-config', ssh.config, '--known-hosts', ssh.knownHosts], { timeout: 120_000 });
}

/** Types into the open quick pick / input box, waits until the wanted item is active, accepts. */
async function answer(text, { activeItem } = {}) {
  const input = quickInput();
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill('');
  await input.pressSequentially(text, { delay: 15 });
  if (activeItem) {
    await page.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: activeItem }).waitFor({ timeout: 10_000 });
  }
  await page.waitForTimeout(150);
}

before(async () => {
  ssh = writeLabSshFiles(scratch, { trustHostKey: true });
  lab = ssh.lab;
  if (!lab) labProblem = `no ${LAB_JSON} (run \`npm run lab:up\`)`;
  else if (!(await labReachable(lab))) {
    labProblem = `lab SSH ${lab.ssh.host}:${lab.ssh.port} does not answer (run \`npm run lab:up\`)`;
    lab = undefined;
  }
  const dirs = prepareProfile(scratch, {
    'osaDev.hosts': [{ host: LAB_ALIAS }],
    'osaDev.sshConfigFile': ssh.config,
    'osaDev.knownHostsFile': ssh.knownHosts,
    // xterm's DOM renderer keeps the screen's text (and its colours) in the page.
    'terminal.integrated.gpuAcceleration': 'off',
  });
  const port = await freePort();
  server = await startCodeServer({
    dirs, port, env: scratchEnv(dirs),
    pidFile: path.join(scratch, 'code-server.pid'),
    logFile: path.join(scratch, 'code-server.log'),
  });
  context = await launchBrowser(dirs);
  page = context.pages()[0] ?? (await context.newPage());
  const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ROOT}`]]);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(payload)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
});

after(async () => {
  // Leave the lab in production whatever happened in the UI.
  if (lab && developStarted) {
    const status = await cli('status', LAB_ALIAS, '--json').then((r) => r.stdout, (e) => String(e));
    if (status.includes(DEV_CONTAINER)) {
      console.error(`[devloop-ui] ${DEV_CONTAINER} left in dev mode: restoring with the CLI`);
      await cli('restore', LAB_ALIAS, DEV_CONTAINER, '--take-over').catch((e) => console.error(String(e)));
    }
  }
  await context?.close().catch(() => undefined);
  server?.stop();
});

describe('OSA Dev: develop and restore a heat container', { concurrency: 1 }, () => {
  it('tree: expand the host and heat, the container is running', async (t) => {
    if (!needLab(t)) return;
    const item = page.locator('.activitybar').getByRole('tab', { name: /OSA Dev/ });
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    const host = page.locator('.part.sidebar .monaco-list-row[aria-expanded]').filter({ hasText: LAB_ALIAS }).first();
    await host.waitFor({ timeout: 30_000 });
    if ((await host.getAttribute('aria-expanded')) !== 'true') await host.click();
    const heat = page.locator('.part.sidebar .monaco-list-row[aria-expanded]').filter({ hasText: /^heat/ }).first();
    await heat.waitFor({ timeout: 30_000 });
    if ((await heat.getAttribute('aria-expanded')) !== 'true') await heat.click();
    await row(DEV_CONTAINER).waitFor({ timeout: 15_000 });
    assert.doesNotMatch(await row(DEV_CONTAINER).innerText(), /dev mode/, 'in production before the test');
    // Widen the side bar so names, IPs and "in dev mode" are readable in the pictures.
    const bar = await page.locator('.part.sidebar').boundingBox();
    if (bar && bar.width < 520) {
      await page.mouse.move(bar.x + bar.width - 1, bar.y + bar.height / 2);
      await page.mouse.down();
      await page.mouse.move(bar.x + 540, bar.y + bar.height / 2, { steps: 8 });
      await page.mouse.up();
    }
    await page.mouse.move(900, 300);
    await page.waitForTimeout(300);
    await shot('devloop-tree.png');
  });

  it('right-click → Develop This Service… → answer by typing → progress → dev mode in the tree', async (t) => {
    if (!needLab(t)) return;
    await row(DEV_CONTAINER).click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    const items = await menu.locator('.action-label').allInnerTexts();
    assert.ok(items.some((i) => i.includes('Develop This Service')), `menu has Develop This Service…: ${items.join(' | ')}`);
    assert.ok(!items.some((i) => i.includes('Restore Production')), `no Restore Production in production: ${items.join(' | ')}`);
    await page.waitForTimeout(500); // the menu fades in: a click before that is lost
    developStarted = true; // from here on after() restores this container if it is left in dev mode
    await menu.locator('.action-label', { hasText: 'Develop This Service' }).click();

    // 1/5 unit (the container runs heat-api and heat-engine), 2/5 code, 3/5 URL, 4/5 branch, 5/5 run.
    await page.locator('.quick-input-title').filter({ hasText: 'unit' }).waitFor({ timeout: 20_000 });
    await answer('heat-api', { activeItem: 'heat-api' });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-title').filter({ hasText: 'code' }).waitFor({ timeout: 10_000 });
    await answer('Fork', { activeItem: 'Fork or other repository' });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-title').filter({ hasText: 'repository' }).waitFor({ timeout: 10_000 });
    await answer(lab.git.heatRepoUrl);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-title').filter({ hasText: 'branch' }).waitFor({ timeout: 10_000 });
    await answer('master');
    await shot('devloop-wizard-branch.png');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-title').filter({ hasText: ': run' }).waitFor({ timeout: 10_000 });
    await answer('Run', { activeItem: 'logs in a terminal' });
    await page.keyboard.press('Enter');

    // The progress notification names each step as "N/M title".
    const toast = page.locator('.notification-toast').filter({ hasText: `in ${DEV_CONTAINER}` }).first();
    await toast.waitFor({ timeout: 20_000 });
    const stepText = toast.locator('.notification-list-item-message').filter({ hasText: /\d+\/\d+ / });
    await stepText.waitFor({ timeout: 30_000 });
    const seen = await stepText.innerText();
    await shot('devloop-progress.png');
    assert.match(seen, /Develop heat-api in .*\d+\/\d+ /s, `the notification shows a step: ${seen}`);

    // Done: the tree shows dev mode (the row is re-rendered after the refresh).
    await row(DEV_CONTAINER).filter({ hasText: 'in dev mode' }).waitFor({ timeout: 240_000 });
    await toast.waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('the dev terminal streams coloured oslo.log lines; HAProxy sends requests only to it', async (t) => {
    if (!needLab(t)) return;
    const tab = page.locator('.terminal-tabs-entry, .single-terminal-tab, .terminal-tab').filter({ hasText: 'heat-api (dev)' });
    const title = page.locator('.part.panel').filter({ hasText: 'heat-api (dev)' });
    await Promise.any([tab.first().waitFor({ timeout: 30_000 }), title.first().waitFor({ timeout: 30_000 })]);
    const screen = page.locator('.part.panel .terminal-wrapper.active .xterm-rows, .part.panel .terminal-wrapper .xterm-rows').first();
    await screen.filter({ hasText: / INFO / }).waitFor({ timeout: 60_000 });
    // Requests through HAProxy: answered by the dev container only, and logged in the terminal.
    const hosts = await until('GET / answered only by the dev container', async () => {
      const h = await frontendHosts(6);
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
    await shot('devloop-terminal.png');
  });

  it('right-click → Restore Production → the tree is back to normal, both heat containers serve', async (t) => {
    if (!needLab(t)) return;
    await page.keyboard.press('Escape');
    await shot('devloop-dev-mode.png');
    await row(DEV_CONTAINER).click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    const items = await menu.locator('.action-label').allInnerTexts();
    assert.ok(items.some((i) => i.includes('Restore Production')), `the menu of a container in dev mode has Restore Production: ${items.join(' | ')}`);
    await page.waitForTimeout(500); // the menu fades in: a click before that is lost
    await menu.locator('.action-label', { hasText: 'Restore Production' }).click();
    const heatIp = lab.containers.find((c) => c.name === DEV_CONTAINER).ip;
    await until('the container row without "in dev mode"', async () => {
      const text = await row(DEV_CONTAINER).innerText().catch(() => '');
      return { ok: text.includes(heatIp) && !text.includes('dev mode'), value: text };
    }, 120_000);
    const heat = lab.containers.filter((c) => c.service === 'heat').map((c) => c.name).sort();
    const hosts = await until('both heat containers answer', async () => {
      const h = await frontendHosts(8);
      return { ok: new Set(h).size === heat.length && h.every((x) => heat.includes(x)), value: h };
    }, 60_000);
    assert.deepEqual([...new Set(hosts)].sort(), heat);
    const status = (await cli('status', LAB_ALIAS)).stdout;
    assert.ok(!status.includes(DEV_CONTAINER), `no journal left for ${DEV_CONTAINER}:\n${status}`);
    await page.mouse.move(900, 300);
    await page.waitForTimeout(300);
    await shot('devloop-restored.png');
  });
});
