// Runs the extension-host suite (out/test/vscode/index.js) inside code-server: opens the workbench
// in headless Chromium with a payload naming extensionDevelopmentPath + extensionTestsPath, prints
// the browser console (mocha's output arrives there) and exits with the runner's exit code.
//   node test/e2e/run-vscode-tests.mjs SCRATCH_DIR      (test/e2e/run-vscode-tests.sh prepares it)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import {
  freePort, LAB_ALIAS, launchBrowser, prepareProfile, ROOT, scratchEnv, startCodeServer, writeLabSshFiles,
} from './lib/workbench.mjs';

const scratch = path.resolve(process.argv[2] ?? fs.mkdtempSync('/tmp/osa-e2e-'));
// The whole run (every suite; mocha's per-test timeouts catch a hung test first). The full run takes
// about 3 min on 2 cores; the bound leaves room for a slow machine without hiding a hang for long.
const timeoutMs = Number(process.env.OSA_E2E_TIMEOUT_MS || 900_000);
const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

const ssh = writeLabSshFiles(scratch, { trustHostKey: true, trustNodeKeys: true });
const dirs = prepareProfile(scratch, {
  'osaDev.hosts': [{ host: LAB_ALIAS }],
  'osaDev.sshConfigFile': ssh.config,
  'osaDev.knownHostsFile': ssh.knownHosts,
});
// The extension under test: the checkout (OSA_E2E_EXTENSION_DIR only to debug the harness itself).
const extensionDir = path.resolve(process.env.OSA_E2E_EXTENSION_DIR || ROOT);
const port = Number(process.env.OSA_E2E_PORT || (await freePort()));
const env = scratchEnv(dirs, { OSA_LAB_JSON: process.env.OSA_LAB_JSON || '/var/lib/osa-lab/lab.json' });

// Workbench chatter that is not the tests' output (all of it stays in SCRATCH/browser-console.log).
const NOISE =
  /^(INFO )?(Resolving connection token|Resolved connection token|Creating a socket|\[Service Worker\]|ChatSessionStore|Updating additional builtin)|open-vsx|ENOTFOUND|ERR_NAME_NOT_RESOLVED|Failed to load resource|same-origin iframe|allow-scripts and allow-same-origin|Overwriting extension|^\s*at /;

/** The message as the workbench meant it: VS Code logs `('%c LEVEL', 'color: …', fmt, ...args)`. */
async function consoleText(msg) {
  let args;
  try {
    args = await Promise.all(msg.args().map((a) => a.jsonValue()));
  } catch {
    return msg.text();
  }
  let level = '';
  const head = typeof args[0] === 'string' ? /^%c\s*(\w+)\s*$/.exec(args[0]) : null;
  if (head && typeof args[1] === 'string' && args[1].startsWith('color:')) {
    level = head[1] === 'INFO' ? '' : `${head[1]} `;
    args = args.slice(2);
  }
  return level + format(...args);
}

let server;
let context;
let code = 1;
const finish = async (exitCode) => {
  await context?.close().catch(() => undefined);
  server?.stop();
  console.error(`[vscode-tests] exit ${exitCode} after ${since()}`);
  process.exit(exitCode);
};
process.on('SIGINT', () => void finish(130));
process.on('SIGTERM', () => void finish(143));

try {
  server = await startCodeServer({
    dirs, port, env,
    pidFile: path.join(scratch, 'code-server.pid'),
    logFile: path.join(scratch, 'code-server.log'),
  });
  context = await launchBrowser(dirs);
  const page = context.pages()[0] ?? (await context.newPage());

  const exited = new Promise((resolve) => {
    void page.exposeFunction('codeAutomationExit', (c) => resolve(Number(c)));
  });
  const consoleLog = fs.createWriteStream(path.join(scratch, 'browser-console.log'));
  page.on('console', async (msg) => {
    const text = await consoleText(msg);
    consoleLog.write(`[${msg.type()}] ${text}\n`);
    if (text.trim() !== '' && !NOISE.test(text)) console.log(text);
  });
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));

  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extensionDir)],
    ['extensionTestsPath', remote(path.join(extensionDir, 'out/test/vscode/index.js'))],
  ]);
  const url = `${server.url}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(payload)}`;
  console.error(`[vscode-tests] ${since()} opening the workbench (scratch ${scratch})`);
  await page.goto(url);
  const timeout = new Promise((resolve) =>
    setTimeout(() => {
      console.error(`[vscode-tests] timed out after ${timeoutMs} ms; console: ${scratch}/browser-console.log`);
      resolve(124);
    }, timeoutMs).unref(),
  );
  code = await Promise.race([exited, timeout]);
} catch (error) {
  console.error(`[vscode-tests] ${error instanceof Error ? error.stack : error}`);
  code = 1;
}
await finish(code);
