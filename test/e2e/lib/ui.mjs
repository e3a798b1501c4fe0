// The set-up every UI test file shares: a scratch profile, the lab's SSH files, code-server with the
// extension loaded from this checkout, Debian's Chromium on the workbench, and the small helpers the
// tests drive it with (tree rows, quick picks, context menus, screenshots, the CLI as a safety net).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { labReachable } from './labReachable.mjs';
import { freePort, LAB_ALIAS, LAB_JSON, launchBrowser, prepareProfile, ROOT, scratchEnv, startCodeServer, writeLabSshFiles } from './workbench.mjs';

const run = promisify(execFile);
export const SHOTS = path.join(ROOT, '.artifacts/screenshots');
/** In CI (CI=true) a lab that is down fails the lab tests; locally they are skipped, saying why. */
export const LAB_REQUIRED = process.env.CI === 'true' || process.env.OSA_E2E_REQUIRE_LAB === '1';

/** Polls `check` (→ {ok, value}) every 500 ms until ok; the last value is in the timeout's message. */
export async function until(what, check, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const last = await check();
    if (last.ok) return last.value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}: ${JSON.stringify(last.value)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Who answers GET / on the lab's heat API frontend (the sample's JSON names its container in `host`). */
export async function frontendHosts(lab, count, headers = {}) {
  const hosts = [];
  for (let i = 0; i < count; i++) {
    try {
      const res = await fetch(`${lab.haproxy.frontends.heat_api}/`, { headers, signal: AbortSignal.timeout(5000) });
      hosts.push(res.ok ? String((await res.json()).host) : `HTTP ${res.status}`);
    } catch (error) {
      hosts.push(`error ${error}`);
    }
  }
  return hosts;
}

/**
 * Starts a workbench for one test file. `folder`: its scratch subfolder (the runner's
 * OSA_E2E_SCRATCH, or a fresh one); `hostConfigured`: the lab host already in osaDev.hosts with its
 * key trusted (else the profile has no host and known_hosts starts empty); `trustNodeKeys` false: the
 * other physical hosts' keys (infra2) are not known yet; `settings` go on top;
 * `prepare(dirs)` runs before code-server starts (files in the workspace).
 */
export async function openWorkbench({ folder = '', hostConfigured = true, trustNodeKeys = hostConfigured, settings = {}, prepare } = {}) {
  const base = process.env.OSA_E2E_SCRATCH || fs.mkdtempSync('/tmp/osa-e2e-ui-');
  const scratch = path.join(base, folder);
  fs.mkdirSync(scratch, { recursive: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const ssh = writeLabSshFiles(scratch, { trustHostKey: hostConfigured, trustNodeKeys });
  let lab = ssh.lab;
  let labProblem = '';
  if (!lab) labProblem = `no ${LAB_JSON} (run \`npm run lab:up\`)`;
  else if (!(await labReachable(lab))) {
    labProblem = `lab SSH ${lab.ssh.host}:${lab.ssh.port} does not answer (run \`npm run lab:up\`)`;
    lab = undefined;
  }
  const dirs = prepareProfile(scratch, {
    ...(hostConfigured ? { 'osaDev.hosts': [{ host: LAB_ALIAS }] } : {}),
    'osaDev.sshConfigFile': ssh.config,
    'osaDev.knownHostsFile': ssh.knownHosts,
    // xterm's DOM renderer keeps the screen's text (and its colours) in the page, where tests read it.
    'terminal.integrated.gpuAcceleration': 'off',
    ...settings,
  });
  await prepare?.(dirs);
  const ui = new Workbench({ scratch, dirs, ssh, lab, labProblem });
  return ui.start();
}

class Workbench {
  constructor({ scratch, dirs, ssh, lab, labProblem }) {
    Object.assign(this, { scratch, dirs, ssh, lab, labProblem });
  }

  async start() {
    const port = await freePort();
    this.server = await startCodeServer({
      dirs: this.dirs, port, env: scratchEnv(this.dirs),
      pidFile: path.join(this.scratch, 'code-server.pid'),
      logFile: path.join(this.scratch, 'code-server.log'),
    });
    this.context = await launchBrowser(this.dirs);
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ROOT}`]]);
    await this.page.goto(`${this.server.url}/?folder=${encodeURIComponent(this.dirs.workspace)}&payload=${encodeURIComponent(payload)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.activitybar').waitFor({ timeout: 60_000 });
    return this;
  }

  async close() {
    await this.context?.close().catch(() => undefined);
    this.server?.stop();
  }

  /** True when the lab is usable; else skips the test (fails it in CI) with the reason. */
  needLab(t) {
    if (this.lab) return true;
    if (LAB_REQUIRED) throw new Error(`lab required (CI=true) but unusable: ${this.labProblem}`);
    t.skip(this.labProblem);
    return false;
  }

  /** A row of the side bar's tree (notifications are list rows too). */
  row(text) {
    return this.page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text }).first();
  }

  shot(name) {
    return this.page.screenshot({ path: path.join(SHOTS, name) });
  }

  quickInput() {
    return this.page.locator('.quick-input-widget input.input');
  }

  /** Types into the open quick pick / input box and waits until the wanted item is active (Enter is the caller's). */
  async answer(text, { activeItem } = {}) {
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await input.fill('');
    await input.pressSequentially(text, { delay: 15 });
    if (activeItem) {
      await this.page.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: activeItem }).waitFor({ timeout: 10_000 });
    }
    await this.page.waitForTimeout(150);
  }

  /** Runs a palette command by its title. */
  async palette(title) {
    await this.page.keyboard.press('F1');
    await this.answer(`>${title}`, { activeItem: title.replace(/^[^:]+: /, '') });
    await this.page.keyboard.press('Enter');
  }

  /** Shows the OSA Dev view (clicking its icon when it is not the one shown: a second click hides the side bar). */
  async openOsaView() {
    const item = this.page.locator('.activitybar').getByRole('tab', { name: /OSA Dev/ });
    await item.waitFor({ timeout: 30_000 });
    // The selected tab, not the side bar's title: Run and Debug's configuration list names "OSA Dev" too.
    if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
    await until('the OSA Dev view shown', async () => {
      const selected = await item.getAttribute('aria-selected');
      return { ok: selected === 'true', value: selected };
    }, 10_000);
  }

  /** Expands a tree row (host, service) when it is collapsed. */
  async expand(text) {
    const r = this.page.locator('.part.sidebar .monaco-list-row[aria-expanded]').filter({ hasText: text }).first();
    await r.waitFor({ timeout: 30_000 });
    if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
  }

  /** The OSA Dev view with the lab host and heat expanded, `container`'s row visible. */
  async showContainer(container) {
    await this.openOsaView();
    await this.expand(LAB_ALIAS);
    await this.expand(/^heat/);
    await this.row(container).waitFor({ timeout: 15_000 });
    return this.row(container);
  }

  /** Right-click on a locator, then the context menu item; returns the menu's labels. */
  async contextMenu(target, item) {
    await target.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    const items = await menu.locator('.action-label').allInnerTexts();
    if (item) {
      await this.page.waitForTimeout(500); // the menu fades in: a click before that is lost
      await menu.locator('.action-label', { hasText: item }).click();
    }
    return items;
  }

  /** Widens the side bar so names, IPs and "in dev mode" are readable in the pictures. */
  async widenSideBar(width) {
    const bar = await this.page.locator('.part.sidebar').boundingBox();
    if (bar && bar.width < width - 20) {
      await this.page.mouse.move(bar.x + bar.width - 1, bar.y + bar.height / 2);
      await this.page.mouse.down();
      await this.page.mouse.move(bar.x + width, bar.y + bar.height / 2, { steps: 8 });
      await this.page.mouse.up();
    }
  }

  /** The CLI over the same SSH files. */
  cli(...args) {
    return run(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args, '--ssh-config', this.ssh.config, '--known-hosts', this.ssh.knownHosts], { timeout: 120_000 });
  }

  /** The safety net after a test that developed `container`: restore it with the CLI when left in dev mode. */
  async restoreIfLeft(container, tag) {
    if (!this.lab) return;
    const status = await this.cli('status', LAB_ALIAS, '--json').then((r) => r.stdout, (e) => String(e));
    if (status.includes(container)) {
      console.error(`[${tag}] ${container} left in dev mode: restoring with the CLI`);
      await this.cli('restore', LAB_ALIAS, container, '--take-over').catch((e) => console.error(String(e)));
    }
  }

  /** The lab is shared: waits until no container is in dev mode (another test may be developing one). */
  async waitForLabInProduction(ms) {
    let said = false;
    await until('no container in dev mode on the lab', async () => {
      const out = await this.cli('status', LAB_ALIAS).then((r) => r.stdout, (e) => String(e));
      const ok = !this.lab.containers.some((c) => out.includes(c.name));
      if (!ok && !said) console.error(`[ui] waiting until the shared lab is in production:\n${out}`);
      said ||= !ok;
      return { ok, value: out };
    }, ms);
  }

  /**
   * Develop This Service… on `container` from the context menu, answering the wizard by typing:
   * heat-api, a fork (the lab's repository), master, then `choice` (typed) until `item` is active.
   * `atBranch` / `atRun` run just before the branch / run answers are accepted (screenshots).
   * Returns the context menu's labels.
   */
  async develop(container, { choice, item, atBranch, atRun }) {
    const items = await this.contextMenu(this.row(container), 'Develop This Service');
    const { page } = this;
    // 1/5 unit (the container runs heat-api and heat-engine), 2/5 code, 3/5 URL, 4/5 branch, 5/5 run.
    await page.locator('.quick-input-title').filter({ hasText: 'unit' }).waitFor({ timeout: 20_000 });
    await this.answer('heat-api', { activeItem: 'heat-api' });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-title').filter({ hasText: 'code' }).waitFor({ timeout: 10_000 });
    await this.answer('Fork', { activeItem: 'Fork or other repository' });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-title').filter({ hasText: 'repository' }).waitFor({ timeout: 10_000 });
    // "Fork or other repository…" clones on this machine: the lab's git daemon as this machine reaches it.
    await this.answer(this.lab.git.heatRepoUrl);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-title').filter({ hasText: 'branch' }).waitFor({ timeout: 10_000 });
    await this.answer('master', { activeItem: 'master' }); // a picker of the repository's branches and tags
    await atBranch?.();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-title').filter({ hasText: ': run' }).waitFor({ timeout: 10_000 });
    await this.answer(choice, { activeItem: item });
    await atRun?.();
    await page.keyboard.press('Enter');
    return items;
  }
}
