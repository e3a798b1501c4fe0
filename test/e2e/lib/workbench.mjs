// Shared by the extension-host runner, the UI suite and the demo: a scratch profile, code-server
// (VS Code 1.100.3's workbench + Node extension host) on 127.0.0.1, and Debian's Chromium.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(E2E_DIR, '../..');
export const CODE_SERVER = path.join(E2E_DIR, 'node_modules/code-server/out/node/entry.js');
export const LAB_JSON = process.env.OSA_LAB_JSON || '/var/lib/osa-lab/lab.json';
export const LAB_ALIAS = 'aio1-lab';

const log = (...a) => console.error('[workbench]', ...a);

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

export function readLab() {
  try {
    return JSON.parse(fs.readFileSync(LAB_JSON, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Writes SCRATCH/ssh/config (Host aio1-lab → the lab's sshd) and SCRATCH/ssh/known_hosts. With
 * trustHostKey false the known_hosts file starts empty, so the extension meets the key first.
 * trustNodeKeys: the lab's other physical hosts' keys too (infra2 runs HAProxy as well, so every
 * Develop reaches it; extension-host tests cannot answer the first-connection modal).
 */
/** The ssh alias of the lab's fresh deploy host in the generated config. */
export const DEPLOY_ALIAS = 'deploy1-lab';
/** The ssh alias of the lab's Kolla host (test/lab/lib/kolla-host.sh) in the generated config. */
export const KOLLA_ALIAS = 'kolla1-lab';

export function writeLabSshFiles(scratch, { trustHostKey = true, trustNodeKeys = false } = {}) {
  const dir = path.join(scratch, 'ssh');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lab = readLab();
  const config = path.join(dir, 'config');
  const knownHosts = path.join(dir, 'known_hosts');
  const s = lab?.ssh;
  fs.writeFileSync(
    config,
    s
      ? [
          `# generated for the test run from ${LAB_JSON}`,
          `Host ${LAB_ALIAS}`,
          `  HostName ${s.host}`,
          `  Port ${s.port}`,
          `  User ${s.user}`,
          `  IdentityFile ${s.identityFile}`,
          `  IdentitiesOnly yes`,
          '',
          // the lab's fresh host for "Create OSA All-In-One" (test/lab/lib/deploy-host.sh)
          ...(lab.deployHost
            ? [`Host ${DEPLOY_ALIAS}`, `  HostName ${lab.deployHost.ssh.host}`, `  Port ${lab.deployHost.ssh.port}`, `  User ${lab.deployHost.ssh.user}`,
               `  IdentityFile ${lab.deployHost.ssh.identityFile}`, '  IdentitiesOnly yes', '']
            : []),
          ...(lab.kollaHost
            ? [`Host ${KOLLA_ALIAS}`, `  HostName ${lab.kollaHost.ssh.host}`, `  Port ${lab.kollaHost.ssh.port}`, `  User ${lab.kollaHost.ssh.user}`,
               `  IdentityFile ${lab.kollaHost.ssh.identityFile}`, '  IdentitiesOnly yes', '']
            : []),
        ].join('\n')
      : `# no lab description at ${LAB_JSON}: run \`npm run lab:up\`\n`,
    { mode: 0o600 },
  );
  const keys = s && trustHostKey
    ? [s.knownHostsLine, ...(lab.deployHost ? [lab.deployHost.ssh.knownHostsLine] : []), ...(lab.kollaHost ? [lab.kollaHost.ssh.knownHostsLine] : []),
       ...(trustNodeKeys ? (lab.nodes ?? []).map((node) => node.knownHostsLine) : [])]
    : [];
  fs.writeFileSync(knownHosts, keys.map((line) => `${line}\n`).join(''), { mode: 0o600 });
  return { config, knownHosts, lab };
}

/** SCRATCH/{user-data,extensions,workspace,xdg…}; settings.json gets `settings` on top of quiet defaults. */
export function prepareProfile(scratch, settings) {
  const dirs = {
    userData: path.join(scratch, 'user-data'),
    extensions: path.join(scratch, 'extensions'),
    workspace: path.join(scratch, 'workspace'),
    browser: path.join(scratch, 'chromium'),
    xdgConfig: path.join(scratch, 'xdg/config'),
    xdgData: path.join(scratch, 'xdg/data'),
    xdgCache: path.join(scratch, 'xdg/cache'),
    tmp: path.join(scratch, 'tmp'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  const quiet = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'git.enabled': false,
    'chat.commandCenter.enabled': false,
    'window.commandCenter': false,
  };
  fs.writeFileSync(path.join(dirs.userData, 'User/settings.json'), JSON.stringify({ ...quiet, ...settings }, null, 2));
  return dirs;
}

/** Environment for code-server and everything it starts: all writes go to the scratch folder. */
export function scratchEnv(dirs, extra = {}) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    TMPDIR: dirs.tmp,
    ...extra,
  };
}

/**
 * Starts code-server in its own process group (pid written to pidFile: `kill -- -PID` ends it and
 * the extension hosts it forked), and waits for /healthz.
 */
export async function startCodeServer({ dirs, port, pidFile, logFile, env, extraArgs = [] }) {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server is not installed: run bash test/e2e/install.sh`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      CODE_SERVER,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', dirs.userData,
      '--extensions-dir', dirs.extensions,
      ...extraArgs,
      dirs.workspace,
    ],
    { detached: true, stdio: ['ignore', out, out], env },
  );
  fs.closeSync(out);
  if (pidFile) fs.writeFileSync(pidFile, `${child.pid}\n`);
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`code-server exited while starting; log: ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > 60_000) throw new Error(`code-server did not answer ${url}/healthz in 60 s; log: ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`code-server up at ${url} (pid ${child.pid}, ${Date.now() - started} ms)`);
  child.unref();
  return { url, pid: child.pid, stop: () => killGroup(child.pid) };
}

export function killGroup(pid) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 2000).unref();
}

/** Debian's Chromium, headless, in a fresh profile, through playwright-core. */
export async function launchBrowser(dirs, { viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import(path.join(E2E_DIR, 'node_modules/playwright-core/index.mjs'));
  return chromium.launchPersistentContext(dirs.browser, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
