// WORK IN PROGRESS (not run by CI: run-ui-tests.sh runs test/e2e/ui/*.test.mjs only).
// The UI path to a stopped breakpoint and its screenshot for the README; it has not passed end to end
// yet (the tree row did not show "in dev mode" within 30 s after Develop with the debugger in the
// last run). Run: CI=true node --test test/e2e/ui-wip/debug.test.mjs (lab up, npm run build first).
// UI test: debugging a dev process in the workbench, in code-server through Debian's Chromium.
// The profile knows the lab host (aio1-lab, key trusted): right-click a heat container → Develop
// This Service… → … → "Run under the debugger" → the debug toolbar (an osa-dev session attached
// through the SSH connection) → open the LOCAL clone's heat/api/app.py (Ctrl+P, absolute path) →
// go to the GET / handler's line → a breakpoint from the gutter's context menu (conditional on a
// header this test sends: HAProxy health-checks GET / every 2 s and a stop on each check would mark
// the single dev process DOWN) → GET / through HAProxy → the editor stops on the line, Variables
// and Call Stack show it (screenshot debug-breakpoint.png) → F5 continues → the HTTP answer
// arrives → right-click → Restore Production → no debug session, the row is back.
// Run by test/e2e/run-ui-tests.sh (node --test). Screenshots: .artifacts/screenshots/debug-*.png.
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
const scratch = path.join(process.env.OSA_E2E_SCRATCH || fs.mkdtempSync('/tmp/osa-e2e-ui-'), 'debug');
fs.mkdirSync(scratch, { recursive: true });
const shots = path.join(ROOT, '.artifacts/screenshots');
const labRequired = process.env.CI === 'true' || process.env.OSA_E2E_REQUIRE_LAB === '1';
fs.mkdirSync(shots, { recursive: true });

// The old-style name (the devloop UI test and the core debug test develop the other one).
const DEV_CONTAINER = 'aio1_heat_api_container-36e270c9';
const TOKEN = `ui-${Date.now()}`;
let developStarted = false;

let server;
let context;
let page;
let lab;
let ssh;
let dirs;
let labProblem = '';
let localFile = '';
let line = 0;
let pending; // the HTTP request waiting at the breakpoint


function needLab(t) {
  if (lab) return true;
  if (labRequired) throw new Error(`lab required (CI=true) but unusable: ${labProblem}`);
  t.skip(labProblem);
  return false;
}

const row = (text) => page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text }).first();
const shot = (name) => page.screenshot({ path: path.join(shots, name) });
const quickInput = () => page.locator('.quick-input-widget input.input');
const debugToolbar = () => page.locator('.debug-toolbar');

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

function cli(...args) {
  return run(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args, '--ssh-config', ssh.config, '--known-hosts', ssh.knownHosts], { timeout: 120_000 });
}

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

async function openOsaView() {
  const item = page.locator('.activitybar').getByRole('tab', { name: /OSA Dev/ });
  await item.waitFor({ timeout: 30_000 });
  // Clicking the selected view's icon hides the side bar: click only when the OSA Dev view is not shown.
  const shown = await page.locator('.part.sidebar .composite.title').filter({ hasText: /OSA Dev/i }).isVisible().catch(() => false);
  if (!shown) await item.click();
  await page.locator('.part.sidebar .composite.title').filter({ hasText: /OSA Dev/i }).waitFor({ timeout: 10_000 });
}

before(async () => {
  ssh = writeLabSshFiles(scratch, { trustHostKey: true });
  lab = ssh.lab;
  if (!lab) labProblem = `no ${LAB_JSON} (run \`npm run lab:up\`)`;
  else if (!(await labReachable(lab))) {
    labProblem = `lab SSH ${lab.ssh.host}:${lab.ssh.port} does not answer (run \`npm run lab:up\`)`;
    lab = undefined;
  }
  if (lab) {
    // The lab is shared: wait until no container is in dev mode (another test may be developing one).
    await until('no container in dev mode on the lab', async () => {
      const out = await cli('status', LAB_ALIAS).then((r) => r.stdout, (e) => String(e));
      return { ok: !lab.containers.some((c) => out.includes(c.name)), value: out };
    }, 600_000);
  }
  dirs = prepareProfile(scratch, {
    'osaDev.hosts': [{ host: LAB_ALIAS }],
    'osaDev.sshConfigFile': ssh.config,
    'osaDev.knownHostsFile': ssh.knownHosts,
    'terminal.integrated.gpuAcceleration': 'off',
    // The stopped editor, not a terminal, is what the picture is about.
    'debug.openDebug': 'openOnDebugBreak',
    'debug.toolBarLocation': 'floating',
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
}, { timeout: 700_000 });

after(async () => {
  await pending?.catch(() => undefined);
  if (lab && developStarted) {
    const status = await cli('status', LAB_ALIAS, '--json').then((r) => r.stdout, (e) => String(e));
    if (status.includes(DEV_CONTAINER)) {
      console.error(`[debug-ui] ${DEV_CONTAINER} left in dev mode: restoring with the CLI`);
      await cli('restore', LAB_ALIAS, DEV_CONTAINER, '--take-over').catch((e) => console.error(String(e)));
    }
  }
  await context?.close().catch(() => undefined);
  server?.stop();
});

describe('OSA Dev: debug a heat container in the workbench', { concurrency: 1 }, () => {
  it('right-click → Develop This Service… → "Run under the debugger" → dev mode and a debug session', async (t) => {
    if (!needLab(t)) return;
    await openOsaView();
    const host = page.locator('.part.sidebar .monaco-list-row[aria-expanded]').filter({ hasText: LAB_ALIAS }).first();
    await host.waitFor({ timeout: 30_000 });
    if ((await host.getAttribute('aria-expanded')) !== 'true') await host.click();
    const heat = page.locator('.part.sidebar .monaco-list-row[aria-expanded]').filter({ hasText: /^heat/ }).first();
    await heat.waitFor({ timeout: 30_000 });
    if ((await heat.getAttribute('aria-expanded')) !== 'true') await heat.click();
    await row(DEV_CONTAINER).waitFor({ timeout: 15_000 });
    assert.doesNotMatch(await row(DEV_CONTAINER).innerText(), /dev mode/, 'in production before the test');

    await row(DEV_CONTAINER).click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500); // the menu fades in: a click before that is lost
    developStarted = true;
    await menu.locator('.action-label', { hasText: 'Develop This Service' }).click();
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
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-title').filter({ hasText: ': run' }).waitFor({ timeout: 10_000 });
    await answer('debugger', { activeItem: 'Run under the debugger' });
    await shot('debug-wizard-run.png');
    await page.keyboard.press('Enter');

    // The osa-dev session is attached: the debug toolbar is up, with a Pause button (running).
    // (Starting the session shows Run and Debug in the side bar: back to the OSA Dev view after.)
    // Develop ends with the attach: the session start shows Run and Debug in the side bar (the
    // toolbar appears); when the attach fails the OSA Dev view stays and its row says dev mode.
    await Promise.any([
      debugToolbar().waitFor({ state: 'visible', timeout: 300_000 }),
      row(DEV_CONTAINER).filter({ hasText: 'in dev mode' }).waitFor({ timeout: 300_000 }),
    ]);
    await page.waitForTimeout(1000);
    await openOsaView();
    await row(DEV_CONTAINER).filter({ hasText: 'in dev mode' }).waitFor({ timeout: 30_000 });
    const attached = await debugToolbar().waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    if (!attached) {
      // KNOWN PRODUCT RACE: Develop attaches right after starting the dev process; when debugpy does
      // not listen yet the forward is refused and the session ends. The user's way out: Attach Debugger.
      console.log('[debug-ui] no session after Develop (attach raced debugpy --listen): right-click → Attach Debugger');
      await openOsaView();
      await row(DEV_CONTAINER).click({ button: 'right' });
      const again = page.locator('.context-view .monaco-menu');
      await again.waitFor({ timeout: 10_000 });
      await page.waitForTimeout(500);
      await again.locator('.action-label', { hasText: 'Attach Debugger' }).click();
      await debugToolbar().waitFor({ state: 'visible', timeout: 30_000 });
    }
    await debugToolbar().locator('.codicon-debug-pause').waitFor({ timeout: 30_000 });
  });

  it('open the local clone\'s app.py, breakpoint from the gutter, GET / → the editor stops there with Variables and Call Stack', async (t) => {
    if (!needLab(t)) return;
    localFile = path.join(dirs.userData, 'User/globalStorage/osa-dev.osa-dev/sources/heat/heat/api/app.py');
    assert.ok(fs.existsSync(localFile), `the product cloned the fork here: ${localFile}`);
    const lines = fs.readFileSync(localFile, 'utf8').split('\n');
    line = lines.findIndex((l) => l.includes('if path == "/":')) + 2;
    assert.match(lines[line - 1], /return _json\(start_response, "200 OK"/);

    // Ctrl+P takes an absolute path (the clone is outside the workspace folder).
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await answer(localFile);
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'app.py' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const tab = page.locator('.tabs-container .tab').filter({ hasText: 'app.py' });
    await tab.waitFor({ timeout: 15_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ timeout: 15_000 });
    // Go to the line, then the gutter's context menu on it: Add Conditional Breakpoint…
    await page.keyboard.press('Control+G');
    await answer(`:${line}`);
    await page.keyboard.press('Enter');
    const lineRow = editor.locator('.view-line').filter({ hasText: /return\s_json\(start_response,\s"200\sOK"/ }).first();
    await lineRow.waitFor({ timeout: 10_000 });
    const box = await lineRow.boundingBox();
    const margin = await editor.locator('.margin').first().boundingBox();
    await page.mouse.click(margin.x + 8, box.y + box.height / 2, { button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    await menu.locator('.action-label', { hasText: 'Add Conditional Breakpoint' }).click();
    const widget = page.locator('.breakpoint-widget .inputContainer textarea, .breakpoint-widget .monaco-editor textarea').first();
    await widget.waitFor({ timeout: 10_000 });
    await page.keyboard.type(`environ.get("HTTP_X_OSA_DEV_TEST") == "${TOKEN}"`, { delay: 5 });
    await page.keyboard.press('Enter');
    // The breakpoint glyph (conditional, verified by debugpy: not the "unverified" one).
    const glyph = editor.locator('.codicon-debug-breakpoint-conditional');
    await glyph.first().waitFor({ timeout: 20_000 });
    assert.equal(await editor.locator('.codicon-debug-breakpoint-conditional-unverified').count(), 0, 'debugpy verified the breakpoint');

    const t0 = Date.now();
    pending = fetch(`${lab.haproxy.frontends.heat_api}/`, { headers: { 'X-OSA-Dev-Test': TOKEN }, signal: AbortSignal.timeout(180_000) });
    // Stopped: the top stack frame's line decoration in the editor, Continue in the toolbar.
    await editor.locator('.debug-top-stack-frame-line').waitFor({ timeout: 60_000 });
    await debugToolbar().locator('.codicon-debug-continue').waitFor({ timeout: 10_000 });
    console.log(`[debug-ui] stopped ${Date.now() - t0} ms after the request`);
    const stack = page.locator('.debug-call-stack .monaco-list-row').filter({ hasText: 'application' }).first();
    await stack.waitFor({ timeout: 20_000 });
    assert.match(await stack.innerText(), new RegExp(`app\\.py[\\s\\S]*${line}`), 'the call stack names app.py and the line');
    const variable = page.locator('.debug-variables .monaco-list-row').filter({ hasText: /^path/ }).filter({ hasText: "'/'" }).first();
    await variable.waitFor({ timeout: 20_000 });
    const stoppedLine = await editor.locator('.view-line').filter({ hasText: /return\s_json\(start_response,\s"200\sOK"/ }).first().boundingBox();
    const decoration = await editor.locator('.debug-top-stack-frame-line').first().boundingBox();
    assert.ok(Math.abs(stoppedLine.y - decoration.y) < 2, `the stopped line is the breakpoint line (${stoppedLine.y} vs ${decoration.y})`);
    await page.mouse.move(700, 820);
    await page.waitForTimeout(500);
    await shot('debug-breakpoint.png');
  });

  it('F5 continues → the HTTP answer (200 JSON from the dev container)', async (t) => {
    if (!needLab(t)) return;
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click({ position: { x: 400, y: 20 } });
    // Clear the breakpoint first (F9 on the line: the cursor is still there): the return statement
    // spans lines and Python comes back to its first line for the call, which would stop again.
    await page.keyboard.press('Control+G');
    await answer(`:${line}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('F9');
    await editor.locator('.codicon-debug-breakpoint-conditional').waitFor({ state: 'detached', timeout: 10_000 });
    await page.keyboard.press('F5');
    const t0 = Date.now();
    assert.ok(pending, "the request was sent");
    const response = await pending;
    console.log(`[debug-ui] HTTP answer ${Date.now() - t0} ms after F5`);
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.host, DEV_CONTAINER);
    assert.equal(body.service, 'heat-api');
    await editor.locator('.debug-top-stack-frame-line').waitFor({ state: 'detached', timeout: 10_000 });
    await debugToolbar().locator('.codicon-debug-pause').waitFor({ timeout: 10_000 });
  });

  it('right-click → Restore Production → no debug session, the row is back, both heat containers serve', async (t) => {
    if (!needLab(t)) return;
    await openOsaView();
    await row(DEV_CONTAINER).click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    await menu.locator('.action-label', { hasText: 'Restore Production' }).click();
    const heatIp = lab.containers.find((c) => c.name === DEV_CONTAINER).ip;
    await until('the container row without "in dev mode"', async () => {
      const text = await row(DEV_CONTAINER).innerText().catch(() => '');
      return { ok: text.includes(heatIp) && !text.includes('dev mode'), value: text };
    }, 120_000);
    await debugToolbar().waitFor({ state: 'hidden', timeout: 30_000 });
    const status = (await cli('status', LAB_ALIAS)).stdout;
    assert.ok(!status.includes(DEV_CONTAINER), `no journal left for ${DEV_CONTAINER}:\n${status}`);
    const heat = lab.containers.filter((c) => c.service === 'heat').map((c) => c.name).sort();
    await until('both heat containers answer', async () => {
      const hosts = [];
      for (let i = 0; i < 8; i++) {
        const res = await fetch(`${lab.haproxy.frontends.heat_api}/`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
        hosts.push(res?.ok ? (await res.json()).host : String(res?.status));
      }
      return { ok: new Set(hosts).size === heat.length && hosts.every((h) => heat.includes(h)), value: hosts };
    }, 60_000);
  });
});
