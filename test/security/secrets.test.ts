/**
 * Security on the lab (run under test/lab/exclusive.sh), one Develop-with-debugger/Restore session:
 * - (b) distinctive canary secrets — an ssh key passphrase (a wrong one typed first), a Gerrit HTTP
 *   password (an authenticated query and checkout, and a refused one), a keystone admin password in
 *   the lab host's /etc/openstack_deploy/user_secrets.yml — never appear, plain or base64, in what
 *   the product wrote: the log channel (LoggingRunner + every step's logger), error messages,
 *   prompts, the journal files on the host, the files under the storage (sources) folder;
 * - (c) the journal directory is root 0700 and its files root 0600 while in dev mode;
 * - (d) debugpy listens on the container's management address only: not on a wildcard or
 *   loopback in the container, not on the host's or this machine's 127.0.0.1, but through SSH;
 * and Restore puts production back byte-identical.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadCatalog, shippedCatalogPath } from '../../src/core/catalog';
import { openDebugTunnel } from '../../src/core/debug/tunnel';
import { DevLoopEngine } from '../../src/core/devloop/engine';
import { JOURNAL_DIR, JournalStore } from '../../src/core/devloop/journalStore';
import { planDevelop, stepsForRestore, type DevelopRequest } from '../../src/core/devloop/plan';
import type { StepContext } from '../../src/core/devloop/types';
import { GerritClient } from '../../src/core/gerrit';
import { loadHostView } from '../../src/core/model/loadHostView';
import { LoggingRunner } from '../../src/core/process/loggingRunner';
import { shellJoin } from '../../src/core/shell/quote';
import { checkoutGerritChange, cloneOrFetch } from '../../src/core/sources';
import { resolveHost, SshHost } from '../../src/core/ssh';
import { standardFixtures } from '../support/gerrit/builders';
import { GerritStandIn } from '../support/gerrit/standIn';
import { heatRequest, labRuntime as runtime } from '../support/heatOnLab';
import { labHostExec, readLab, writeLabClientFiles, type LabDescription } from '../support/lab';
import { productionSnapshot, waitForHaproxySettled } from '../support/productionSnapshot';
import { restoreIfOurs } from '../support/restoreOurs';
import { FakeSecrets, RecordingLogger } from '../integration/ssh/harness';

const CONTAINER = 'aio1-heat-api-container-5d2a9f10';
const DEBUG_PORT = 5679;
const tag = `${process.pid}x${Date.now().toString(36)}`;
const CANARY = {
  passphrase: `osa-canary-passphrase-${tag}`,
  wrongPassphrase: `osa-canary-wrong-passphrase-${tag}`,
  gerrit: `osa-canary-gerrit-${tag}`,
  wrongGerrit: `osa-canary-wrong-gerrit-${tag}`,
  keystone: `osa-canary-keystone-${tag}`,
};
const SECRETS_FILE = '/etc/openstack_deploy/user_secrets.yml';
const holder = { holder: `ci@lab (security ${tag})`, since: new Date().toISOString() };

let lab: LabDescription;
let work: string;
let ssh: SshHost;
let logger: RecordingLogger;
let secrets: FakeSecrets;
let gerrit: GerritStandIn;
let originalSecretsFile: string | undefined;
let baseline: string;
const errors: string[] = [];

/** Every form a canary could be written in: plain, base64 (journal originals), Basic auth. */
function canaryForms(): string[] {
  const plain = Object.values(CANARY);
  return [...plain, ...plain.map((c) => Buffer.from(c).toString('base64').slice(0, 24)), Buffer.from(`alice:${CANARY.gerrit}`).toString('base64')];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

before(async () => {
  lab = readLab();
  work = mkdtempSync(join(tmpdir(), 'osa-security-'));
  // The keystone admin password an OSA host keeps in user_secrets.yml (put back byte for byte after).
  originalSecretsFile = labHostExec(['sh', '-c', `[ -f ${SECRETS_FILE} ] && base64 -w0 ${SECRETS_FILE} || true`]).trim() || undefined;
  labHostExec(['sh', '-c', `mkdir -p /etc/openstack_deploy && printf 'keystone_auth_admin_password: %s\\n' "$1" >> ${SECRETS_FILE}`, 'sh', CANARY.keystone]);
  // The lab's client key, encrypted with the canary passphrase.
  const key = join(work, 'id_ed25519');
  copyFileSync(lab.ssh.identityFile, key);
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', CANARY.passphrase, '-f', key]);
  const files = writeLabClientFiles(lab, mkdtempSync(join(work, 'client-')));
  const target = resolveHost(files.alias, readFileSync(files.sshConfig, 'utf8').replace(lab.ssh.identityFile, key), { home: homedir(), localUser: 'root' });
  logger = new RecordingLogger();
  secrets = new FakeSecrets([CANARY.wrongPassphrase, CANARY.passphrase]);
  ssh = new SshHost({ target: { ...target, userKnownHostsFiles: [files.knownHosts] }, askTrust: async () => false, secrets, logger, home: homedir() });
  gerrit = await GerritStandIn.start({ account: { username: 'alice', password: CANARY.gerrit } });
  for (const change of standardFixtures()) gerrit.addChange(change);
  await waitForHaproxySettled();
  baseline = productionSnapshot(lab);
});

after(async () => {
  await restoreIfOurs(new JournalStore(ssh), CONTAINER, holder.holder, engine);
  if (originalSecretsFile === undefined) labHostExec(['rm', '-f', SECRETS_FILE]);
  else labHostExec(['sh', '-c', `printf '%s' "$1" | base64 -d > ${SECRETS_FILE}`, 'sh', originalSecretsFile]);
  ssh?.dispose();
  await gerrit?.stop();
  rmSync(work, { recursive: true, force: true });
});

const runner = (): LoggingRunner => new LoggingRunner(ssh, logger, 'aio1-lab');

function engine(): DevLoopEngine {
  return new DevLoopEngine({ host: runner(), runtime, store: new JournalStore(runner()), container: CONTAINER, holder, logger });
}

function stepContext(): StepContext {
  return { host: runner(), runtime, container: CONTAINER, logger, signal: new AbortController().signal, report: (m) => logger.info(m) };
}

async function inContainer(script: string): Promise<string> {
  return (await ssh.exec(shellJoin(runtime.execArgv(CONTAINER, ['sh', '-c', script])))).stdout;
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(3000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

test('Gerrit: authenticated query and checkout, and a refused password, leave the password nowhere', async () => {
  // The extension's storage folder, as globalStorage/sources is created on first use.
  mkdirSync(join(work, 'storage', 'sources'), { recursive: true });
  const client = new GerritClient({ baseUrl: gerrit.url, credentials: { username: 'alice', password: async () => CANARY.gerrit }, logger });
  const dir = join(work, 'storage', 'sources', 'heat');
  await cloneOrFetch({ url: gerrit.gitUrl('openstack/heat'), ref: 'master', dir });
  const checkout = await checkoutGerritChange(client, { dir, change: '12345' });
  assert.equal(checkout.change.number, 12345);
  assert.ok(gerrit.requests.some((r) => r.authorization), 'the query went under /a/ with the password');
  const wrong = new GerritClient({ baseUrl: gerrit.url, credentials: { username: 'alice', password: async () => CANARY.wrongGerrit }, logger });
  await wrong.getChange(12345).then(
    () => assert.fail('a wrong HTTP password was accepted'),
    (error: unknown) => errors.push(String(error)),
  );
});

test('Develop heat-api under the debugger and Restore, over a passphrase-protected key', async () => {
  await loadHostView(runner(), runtime, logger);
  assert.equal(secrets.prompts.length, 2, 'asked twice: the wrong passphrase, then the right one');
  const request: DevelopRequest = heatRequest(lab, { container: CONTAINER, debug: { port: DEBUG_PORT } });
  const catalog = loadCatalog({ shipped: { path: shippedCatalogPath(join(__dirname, '..', '..')) } });
  const plan = await planDevelop(stepContext(), catalog, request, ['heat-api', 'heat-engine']);
  const doc = await engine().develop(plan.steps, { ...request });
  assert.ok(doc.steps.every((s) => s.status === 'applied' || s.status === 'skipped'), JSON.stringify(doc.steps.map((s) => [s.id, s.status, s.error])));

  // (c) The journal directory and files: root only.
  const modes = labHostExec(['sh', '-c', `stat -c '%a %U %n' ${JOURNAL_DIR} ${JOURNAL_DIR}/*`]).trim().split('\n');
  assert.equal(modes[0], `700 root ${JOURNAL_DIR}`);
  assert.ok(modes.length >= 3, modes.join('\n'));
  for (const line of modes.slice(1)) assert.match(line, /^600 root \/var\/lib\/osa-dev\/.+\.(json|lock)$/, line);
  const journalText = labHostExec(['sh', '-c', `cat ${JOURNAL_DIR}/*`]);

  // (d) The dev process under debugpy: listening on the management IP only.
  const session = await ssh.openPty(shellJoin(plan.foreground), { rows: 24, cols: 160 });
  try {
    const listen = `${request.managementIp}:${DEBUG_PORT}`;
    let sockets = '';
    for (let i = 0; i < 120 && !sockets.includes(listen); i++) {
      sockets = await inContainer('ss -ltnpH');
      if (!sockets.includes(listen)) await new Promise((r) => setTimeout(r, 250));
    }
    const onPort = sockets.split('\n').filter((l) => l.includes(`:${DEBUG_PORT} `));
    assert.deepEqual(onPort.map((l) => l.split(/\s+/)[3]), [listen], `listeners on :${DEBUG_PORT}:\n${sockets}`);
    assert.match(onPort[0]!, /python/);
    assert.equal(await tcpOpen('127.0.0.1', DEBUG_PORT), false, "this machine's 127.0.0.1 must not reach debugpy");
    assert.doesNotMatch(labHostExec(['ss', '-ltnH']), new RegExp(`:${DEBUG_PORT}\\b`), "nothing listens on the lab host for debugpy");
    const tunnel = await openDebugTunnel(ssh, request.managementIp!, DEBUG_PORT);
    try {
      assert.equal(await tcpOpen('127.0.0.1', tunnel.localPort), true, 'reachable through the SSH forward');
    } finally {
      await tunnel.close();
    }
  } finally {
    session.close();
  }

  const journal = await new JournalStore(runner()).read(CONTAINER);
  assert.ok(journal);
  await engine().restore(stepsForRestore(journal));
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);

  // (b) Grep everything the product wrote for every form of every canary.
  const storage = filesUnder(join(work, 'storage'));
  const written = [
    { where: 'log channel', text: logger.lines.join('\n') },
    { where: 'error messages', text: errors.join('\n') },
    { where: 'prompts', text: secrets.prompts.join('\n') },
    { where: 'journal files on the host', text: journalText },
    ...storage.map((file) => ({ where: file, text: readFileSync(file).toString('latin1') })),
  ];
  const leaks = written.flatMap(({ where, text }) => canaryForms().filter((c) => text.includes(c)).map((c) => `${c} in ${where}`));
  const bytes = written.reduce((n, w) => n + w.text.length, 0);
  console.log(
    `secrets: ${Object.keys(CANARY).length} canaries, ${logger.lines.length} log lines, ${errors.length} error messages, ${secrets.prompts.length} prompts, ` +
      `${storage.length} storage files and the host journal (${bytes} bytes) scanned: ${leaks.length} leaks; journal 0700/0600 root; debugpy on ${request.managementIp}:${DEBUG_PORT} only`,
  );
  assert.deepEqual(leaks, []);
  assert.ok(storage.some((f) => f.endsWith(join('.git', 'config'))), 'the Gerrit checkout is among the scanned files');
  assert.ok(statSync(join(work, 'storage')).isDirectory());
});
