// UI tests: a user's first steps in the OSA Dev view, in code-server through Debian's Chromium.
// Run by test/e2e/run-ui-tests.sh (node --test). The profile has NO host configured; the SSH
// config knows the alias aio1-lab (from the lab's lab.json) and known_hosts starts empty, so adding
// the host meets its key first. Screenshots: .artifacts/screenshots/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  freePort, LAB_ALIAS, LAB_JSON, launchBrowser, prepareProfile, readLab, ROOT, scratchEnv, startCodeServer, writeLabSshFiles,
} from '../lib/workbench.mjs';
import { labReachable } from '../lib/labReachable.mjs';

const scratch = process.env.OSA_E2E_SCRATCH || fs.mkdtempSync('/tmp/osa-e2e-ui-');
const shots = path.join(ROOT, '.artifacts/screenshots');
const labRequired = process.env.CI === 'true' || process.env.OSA_E2E_REQUIRE_LAB === '1';
fs.mkdirSync(shots, { recursive: true });

let server;
let context;
let page;
let lab;
let labProblem = '';


/** The lab tests fail in CI when the lab is down, and are skipped with the reason locally. */
function needLab(t) {
  if (lab) return true;
  if (labRequired) throw new Error(`lab required (CI=true) but unusable: ${labProblem}`);
  t.skip(labProblem);
  return false;
}

// Rows of the side bar's tree (notifications are list rows too).
const row = (text) => page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text }).first();
const shot = (name) => page.screenshot({ path: path.join(shots, name) });

before(async () => {
  const ssh = writeLabSshFiles(scratch, { trustHostKey: false });
  lab = ssh.lab;
  if (!lab) labProblem = `no ${LAB_JSON} (run \`npm run lab:up\`)`;
  else if (!(await labReachable(lab))) {
    labProblem = `lab SSH ${lab.ssh.host}:${lab.ssh.port} does not answer (run \`npm run lab:up\`)`;
    lab = undefined;
  }
  const dirs = prepareProfile(scratch, {
    'osaDev.sshConfigFile': ssh.config,
    'osaDev.knownHostsFile': ssh.knownHosts,
    // xterm's DOM renderer keeps the screen's text in the page, where the test can read it.
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
  await context?.close().catch(() => undefined);
  server?.stop();
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
    await shot('welcome.png');
  });

  it('Add Host: type the lab alias, see the SHA256 fingerprint in a modal, trust it', async (t) => {
    if (!needLab(t)) return;
    await page.getByRole('button', { name: 'Add Host', exact: true }).click();
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(LAB_ALIAS);
    await shot('add-host-input.png');
    await input.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.innerText();
    assert.ok(text.includes(lab.ssh.hostKeyFingerprint), `the modal shows ${lab.ssh.hostKeyFingerprint}:\n${text}`);
    await shot('host-key-prompt.png');
    await dialog.getByRole('button', { name: 'Trust and Connect' }).click();
    await row(LAB_ALIAS).waitFor({ timeout: 30_000 });
    const known = fs.readFileSync(path.join(scratch, 'ssh/known_hosts'), 'utf8');
    assert.ok(known.includes(lab.ssh.knownHostsLine.split(' ').slice(1).join(' ')), 'the key was recorded in known_hosts');
  });

  it('tree: host → heat → containers with management IPs', async (t) => {
    if (!needLab(t)) return;
    await row('heat').waitFor({ timeout: 30_000 });
    for (const name of ['keystone', 'utility']) await row(name).waitFor({ timeout: 5_000 });
    const heatRow = page.locator('.part.sidebar .monaco-list-row[aria-expanded]').filter({ hasText: /^heat/ }).first();
    if ((await heatRow.getAttribute('aria-expanded')) !== 'true') await heatRow.click();
    const heat = lab.containers.filter((c) => c.service === 'heat');
    for (const c of heat) {
      const r = row(c.name);
      await r.waitFor({ timeout: 10_000 });
      assert.match(await r.innerText(), new RegExp(c.ip.replace(/\./g, '\\.')), `${c.name} shows ${c.ip}`);
    }
    // Widen the side bar so names and IPs are readable in the picture.
    const bar = await page.locator('.part.sidebar').boundingBox();
    if (bar && bar.width < 600) {
      await page.mouse.move(bar.x + bar.width - 1, bar.y + bar.height / 2);
      await page.mouse.down();
      await page.mouse.move(bar.x + 620, bar.y + bar.height / 2, { steps: 8 });
      await page.mouse.up();
    }
    await page.mouse.move(900, 600);
    await page.waitForTimeout(400);
    await shot('tree.png');
  });

  it('context menu of a running container offers Open Shell, Show Logs, Copy IP; the shell runs in it', async (t) => {
    if (!needLab(t)) return;
    const c = lab.containers.find((x) => x.service === 'heat');
    await row(c.name).click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    const items = await menu.locator('.action-label').allInnerTexts();
    for (const want of ['Open Shell', 'Show Logs', 'Copy IP']) {
      assert.ok(items.some((i) => i.includes(want)), `menu has ${want}: ${items.join(' | ')}`);
    }
    await page.waitForTimeout(500); // the menu fades in
    await shot('context-menu.png');
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
    await shot('terminal.png');
  });
});
