import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';
import type { TreeNode } from '../../src/extension/tree/treeNode';
import type { PickItem, Prompter, StepInfo } from '../../src/extension/wizard/prompter';
import type { TestContext } from './mocha';
import { quoteArg, shellJoin } from '../../src/core/shell/quote';
import { CONTAINER_SNAPSHOT_SCRIPT, HAPROXY_STATES_SCRIPT, HOST_SNAPSHOT_SCRIPT, unsettledServers } from '../support/productionSnapshotScripts';

export const EXTENSION_ID = 'osa-dev.osa-dev';
export const LAB_ALIAS = 'aio1-lab';

export function extension(): vscode.Extension<Services> {
  const ext = vscode.extensions.getExtension<Services>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded (extensionDevelopmentPath wrong?)`);
  return ext;
}

export async function services(): Promise<Services> {
  return extension().activate();
}

/** Resolves when `check` returns a value other than undefined; rejects after `ms`. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Records what the extension sets with `setContext` (tests and extension share one `vscode` API object). */
export class ContextKeySpy implements vscode.Disposable {
  readonly values = new Map<string, unknown>();
  private readonly original = vscode.commands.executeCommand;

  constructor() {
    const values = this.values;
    const original = this.original;
    const spy = function (this: unknown, command: string, ...rest: unknown[]): Thenable<unknown> {
      if (command === 'setContext' && typeof rest[0] === 'string') values.set(rest[0], rest[1]);
      return original.call(vscode.commands, command, ...rest);
    };
    (vscode.commands as { executeCommand: unknown }).executeCommand = spy;
  }

  dispose(): void {
    (vscode.commands as { executeCommand: unknown }).executeCommand = this.original;
  }
}

/** A TCP listener on 127.0.0.1 that counts connections: a host nobody should contact yet. */
export async function canary(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, connections: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface TreeRow {
  node: TreeNode;
  item: vscode.TreeItem;
  label: string;
}

export async function rows(s: Services, parent?: TreeNode): Promise<TreeRow[]> {
  const nodes = await s.tree.getChildren(parent);
  return nodes.map((node) => {
    const item = s.tree.getTreeItem(node) as vscode.TreeItem;
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return { node, item, label };
  });
}

// --- the lab -----------------------------------------------------------------------------------

export interface LabContainer {
  name: string;
  service: string;
  ip: string;
  units: string[];
}

export interface Lab {
  ssh: { host: string; port: number; user: string; identityFile: string };
  containers: LabContainer[];
  haproxy: { frontends: Record<string, string> };
  git: { heatRepoUrl: string; heatRepoUrlInNamespace: string };
}

const LAB_JSON = process.env.OSA_LAB_JSON || '/var/lib/osa-lab/lab.json';

/** In CI a missing lab is a failure; on a developer's machine the lab suite is skipped, saying why. */
export function labRequired(): boolean {
  return process.env.CI === 'true' || process.env.OSA_E2E_REQUIRE_LAB === '1';
}

/** The lab for a test that needs it; without one the test fails in CI and is skipped elsewhere, saying why. */
export function labOrSkip<T extends Lab>(ctx: TestContext, lab: T | undefined, why: string): T {
  if (lab) return lab;
  if (labRequired()) throw new Error(`lab required (CI=true) but unusable: ${why}`);
  console.log(`      (skipped: ${why})`);
  return ctx.skip();
}

/** The lab's description when its SSH port answers, else the reason it is not usable. */
export async function findLab(): Promise<Lab | string> {
  let lab: Lab;
  try {
    lab = JSON.parse(fs.readFileSync(LAB_JSON, 'utf8')) as Lab;
  } catch (error) {
    return `no lab description at ${LAB_JSON} (run \`npm run lab:up\`): ${String(error)}`;
  }
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect(lab.ssh.port, lab.ssh.host);
    socket.setTimeout(3000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
  return reachable ? lab : `the lab's SSH port ${lab.ssh.host}:${lab.ssh.port} does not answer (run \`npm run lab:up\`)`;
}

/** Runs a command on the lab host (or another alias of the run's ssh config) with the system's ssh. */
export function sshLab(command: string, alias = LAB_ALIAS): Promise<string> {
  const config = vscode.workspace.getConfiguration('osaDev').get<string>('sshConfigFile') || '';
  const known = vscode.workspace.getConfiguration('osaDev').get<string>('knownHostsFile') || '';
  const args = [
    ...(config ? ['-F', config] : []),
    ...(known ? ['-o', `UserKnownHostsFile=${known}`] : []),
    '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
    alias, command,
  ];
  return new Promise((resolve, reject) => {
    execFile('ssh', args, { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ssh ${alias} ${command}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Runs a bash script on the lab host (sent on stdin, so no quoting), with positional `args`. */
export function sshLabScript(script: string, args: readonly string[] = [], timeoutMs = 60_000): Promise<string> {
  const config = vscode.workspace.getConfiguration('osaDev').get<string>('sshConfigFile') || '';
  const known = vscode.workspace.getConfiguration('osaDev').get<string>('knownHostsFile') || '';
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const argv = [
    ...(config ? ['-F', config] : []),
    ...(known ? ['-o', `UserKnownHostsFile=${known}`] : []),
    '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
    LAB_ALIAS, `bash -s -- ${quoted}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`ssh ${LAB_ALIAS} bash -s (exit ${code}): ${stderr || stdout}`));
    });
    child.stdin.end(script);
  });
}

/** Runs argv inside a container on the lab host (lxc-attach), returns stdout. */
export function inContainer(container: string, argv: readonly string[]): Promise<string> {
  return sshLabScript('c="$1"; shift; exec lxc-attach -n "$c" -- "$@"', [container, ...argv]);
}

// The same snapshot as test/support/productionSnapshot.ts (the integration tests' notion of
// "production is back exactly"), taken over the system's ssh in one round trip.
export async function productionSnapshot(lab: Lab): Promise<string> {
  const perContainer = lab.containers
    .map((c) => `echo "## ${c.name}"; ${shellJoin(['lxc-attach', '-n', c.name, '--', 'sh', '-c'])} "$CS" sh ${c.units.map(quoteArg).join(' ')}`)
    .join('\n');
  return sshLabScript(`${HOST_SNAPSHOT_SCRIPT}\nCS=$(cat <<'OSA_EOF'\n${CONTAINER_SNAPSHOT_SCRIPT}\nOSA_EOF\n)\n${perContainer}\n`);
}

/** Waits until HAProxy's health checks agree with the admin states (enabled servers really are UP). */
export async function waitForHaproxySettled(ms = 30_000): Promise<void> {
  await eventually(
    'HAProxy servers UP',
    async () => {
      const states = await sshLabScript(HAPROXY_STATES_SCRIPT);
      return unsettledServers(states).length === 0 ? true : undefined;
    },
    ms,
  );
}

/** Who answers GET / on the heat API frontend (the sample's JSON names its container in `host`). */
export async function frontendHosts(lab: Lab, count: number): Promise<string[]> {
  const hosts: string[] = [];
  for (let i = 0; i < count; i++) {
    try {
      const response = await fetch(`${lab.haproxy.frontends['heat_api']}/`, { signal: AbortSignal.timeout(5000) });
      hosts.push(response.ok ? String(((await response.json()) as { host: string }).host) : `HTTP ${response.status}`);
    } catch (error) {
      hosts.push(`error ${String(error)}`);
    }
  }
  return hosts;
}

/** The tree row of a container, walking host → services → containers (freshly listed). */
export async function containerRow(s: Services, name: string): Promise<TreeRow> {
  const host = (await rows(s)).find((r) => r.label === LAB_ALIAS);
  if (!host) throw new Error(`host ${LAB_ALIAS} not in the tree`);
  for (const service of await rows(s, host.node)) {
    const row = (await rows(s, service.node)).find((r) => r.label === name);
    if (row) return row;
  }
  throw new Error(`${name} not in the tree`);
}

export type Answer = { pick: unknown } | { input: string } | { confirm: boolean };

/**
 * A Prompter that answers from a script, in order, and records what it was asked. A pick answer
 * must be the value of one of the offered items; an input answer must pass the wizard's validation.
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  /** Every pick's items as offered (label, description, detail), in order. */
  readonly offered: PickItem<unknown>[][] = [];
  constructor(private readonly answers: Answer[]) {}

  async pick<T>(info: StepInfo, items: readonly PickItem<T>[], placeholder: string): Promise<T | undefined> {
    this.offered.push([...items]);
    this.asked.push(`pick ${info.step}/${info.totalSteps} ${info.title} [${items.map((i) => String(i.value)).join(', ')}]`);
    const answer = this.answers.shift();
    if (!answer || !('pick' in answer)) throw new Error(`unscripted pick "${placeholder}" (${info.title}); asked so far:\n${this.asked.join('\n')}`);
    const item = items.find((i) => i.value === answer.pick);
    if (!item) throw new Error(`"${String(answer.pick)}" is not offered by "${placeholder}": ${items.map((i) => String(i.value)).join(', ')}`);
    return item.value;
  }

  async input(info: StepInfo, prompt: string, value: string, validate: (value: string) => string | undefined): Promise<string | undefined> {
    this.asked.push(`input ${info.step}/${info.totalSteps} ${info.title} (default "${value}")`);
    const answer = this.answers.shift();
    if (!answer || !('input' in answer)) throw new Error(`unscripted input "${prompt}" (${info.title}); asked so far:\n${this.asked.join('\n')}`);
    const problem = validate(answer.input);
    if (problem) throw new Error(`"${answer.input}" rejected by "${prompt}": ${problem}`);
    return answer.input;
  }

  async confirm(message: string, detail: string, action: string): Promise<boolean> {
    this.asked.push(`confirm "${action}": ${message}\n${detail}`);
    const answer = this.answers.shift();
    if (!answer || !('confirm' in answer)) throw new Error(`unscripted confirmation "${message}"; asked so far:\n${this.asked.join('\n')}`);
    return answer.confirm;
  }

  remaining(): number {
    return this.answers.length;
  }
}

// --- debugging (debug.test.ts) -----------------------------------------------------------------

/** A DAP message as a tracker sees it (loosely typed: the tests read a few fields). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DapMessage = { type: string; seq: number; command?: string; event?: string; request_seq?: number; success?: boolean; body?: any; arguments?: any };

/**
 * Records the DAP traffic of every debug session of `type` (registerDebugAdapterTrackerFactory):
 * messages from the adapter and to it, in order, and the sessions started and terminated.
 */
export class DapRecorder implements vscode.Disposable {
  readonly messages: { session: vscode.DebugSession; fromAdapter: boolean; message: DapMessage }[] = [];
  readonly sessions: vscode.DebugSession[] = [];
  readonly terminated = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(type: string) {
    const messages = this.messages;
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory(type, {
        createDebugAdapterTracker: (session) => ({
          onWillReceiveMessage: (message: DapMessage) => messages.push({ session, fromAdapter: false, message }),
          onDidSendMessage: (message: DapMessage) => messages.push({ session, fromAdapter: true, message }),
        }),
      }),
      vscode.debug.onDidStartDebugSession((session) => session.type === type && this.sessions.push(session)),
      vscode.debug.onDidTerminateDebugSession((session) => this.terminated.add(session.id)),
    );
  }

  /** Sessions started and not terminated. */
  live(): vscode.DebugSession[] {
    return this.sessions.filter((x) => !this.terminated.has(x.id));
  }

  /** The request (sent to the adapter) a response answers. */
  requestOf(response: DapMessage): DapMessage | undefined {
    const own = this.messages.find((m) => m.fromAdapter && m.message === response)?.session;
    return this.messages.find((m) => !m.fromAdapter && m.session === own && m.message.type === 'request' && m.message.seq === response.request_seq)?.message;
  }

  /** The first message from the adapter (at index `from` or later) for which `match` returns a value. */
  async waitFor<T>(what: string, match: (m: DapMessage) => T | undefined, ms: number, from = 0): Promise<T> {
    return eventually(what, () => {
      for (let i = from; i < this.messages.length; i++) {
        const m = this.messages[i]!;
        if (!m.fromAdapter) continue;
        const value = match(m.message);
        if (value !== undefined) return value;
      }
      return undefined;
    }, ms);
  }

  async waitForTermination(session: vscode.DebugSession, ms: number): Promise<void> {
    await eventually(`debug session ${session.name} terminated`, () => (this.terminated.has(session.id) ? true : undefined), ms);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Records what the extension shows with `vscode.window.showErrorMessage` (shared API object). */
export class ErrorMessageSpy implements vscode.Disposable {
  readonly messages: string[] = [];
  private readonly original = vscode.window.showErrorMessage;

  constructor() {
    const messages = this.messages;
    const original = this.original;
    const spy = function (this: unknown, message: string, ...rest: unknown[]): Thenable<unknown> {
      messages.push(message);
      return (original as (...a: unknown[]) => Thenable<unknown>).call(vscode.window, message, ...rest);
    };
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = spy;
  }

  dispose(): void {
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = this.original;
  }
}

/** True when nothing listens on 127.0.0.1:port any more (connection refused). */
export function localPortRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(3000);
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/**
 * The lab is shared: waits until no container of the lab host has a dev-mode journal (another
 * engineer's test may be developing one) and HAProxy has settled, so a production snapshot is one.
 */
export async function waitForLabInProduction(s: Services, ms: number): Promise<void> {
  const t0 = Date.now();
  let said = false;
  await eventually('no container in dev mode on the lab (shared lab)', async () => {
    const journals = await s.devLoop.journals(LAB_ALIAS).list();
    if (journals.length === 0) return true;
    if (!said) console.log(`      (waiting: in dev mode on the lab: ${journals.map((j) => j.container).join(', ')})`);
    said = true;
    return undefined;
  }, ms);
  await waitForHaproxySettled(Math.max(30_000, ms - (Date.now() - t0)));
  // A server left in maintenance (admin state ≠ 0) would be captured as "production" and put back so.
  const admin = await sshLabScript(`echo "show servers state" | socat stdio /var/run/haproxy.stat | awk 'NR > 2 && NF > 6 && $7 != 0 { print $2 "/" $4 " admin=" $7 }'`);
  if (admin.trim() !== '') throw new Error(`HAProxy servers in maintenance with no container in dev mode (the lab is not in production):\n${admin}`);
}

/** The production snapshot a suite compares with after Restore, once nobody has the shared lab in dev mode. */
export async function productionBaseline(s: Services, lab: Lab): Promise<string> {
  await waitForLabInProduction(s, 300_000);
  const baseline = await productionSnapshot(lab);
  assert.doesNotMatch(baseline, /^dev processes: [1-9]|^holds: [1-9]/m, `the lab is in production before the suite:\n${baseline}`);
  return baseline;
}

/** A suite's teardown: Restore Production on `container` if a failed test left it in dev mode. */
export async function restoreIfLeftInDevMode(s: Services, container: string): Promise<void> {
  const journal = await s.devLoop.journals(LAB_ALIAS).read(container).catch(() => undefined);
  if (!journal) return;
  console.log(`      (teardown: ${container} still in dev mode, restoring)`);
  const row = await containerRow(s, container).catch(() => undefined);
  if (row) await vscode.commands.executeCommand('osaDev.restore', row.node);
}

/** The status bar item the extension shows in dev mode; not exported, found among its disposables. */
export interface DevStatusBarLike {
  targets(): { container: { name: string } }[];
  item: vscode.StatusBarItem;
}
/** Runs a command with its wizard answered by `prompter`; the extension's own prompter is put back after. */
export async function executeWithAnswers(s: Services, prompter: Prompter, command: string, ...args: unknown[]): Promise<unknown> {
  const original = s.prompter;
  s.prompter = prompter;
  try {
    return await vscode.commands.executeCommand(command, ...args);
  } finally {
    s.prompter = original;
  }
}

export function devStatusBar(s: Services): DevStatusBarLike {
  const found = s.context.subscriptions.find(
    (d) => typeof (d as Partial<DevStatusBarLike>).targets === 'function' && (d as Partial<DevStatusBarLike>).item !== undefined,
  );
  if (!found) throw new Error('the dev-mode status bar is not among the extension subscriptions');
  return found as unknown as DevStatusBarLike;
}

/**
 * Develop This Service answered by `prompter`, failing at once with the text of an error message the
 * extension shows meanwhile (a failed attach ends in a non-modal message nobody answers here: the
 * test would otherwise wait for its timeout). Resolves with the command's result.
 */
export async function developFailingOnError(s: Services, prompter: Prompter, node: TreeNode, ms: number): Promise<unknown> {
  const original = s.prompter;
  s.prompter = prompter;
  const errors = new ErrorMessageSpy();
  try {
    const develop = Promise.resolve(vscode.commands.executeCommand('osaDev.develop', node));
    let done = false;
    const failed = eventually('an error message', () => (done ? '' : errors.messages[0]), ms).then((m) => {
      if (m) throw new Error(`Develop showed an error: ${m}`);
    });
    return await Promise.race([develop, failed]).finally(() => (done = true));
  } finally {
    errors.dispose();
    s.prompter = original;
  }
}

/** The active `osa-dev` debug session (Develop with "Run under the debugger" starts it). */
export function activeOsaDevSession(ms = 30_000): Promise<vscode.DebugSession> {
  // Develop attaches once debugpy listens (waitForListening); a session that ends at once leaves
  // its reason in the OSA Dev log (e.g. "ssh forward to <ip>:5678 failed").
  return eventually('an active osa-dev debug session (ended at once? see the OSA Dev log)', () => {
    const a = vscode.debug.activeDebugSession;
    return a?.type === 'osa-dev' ? a : undefined;
  }, ms);
}

/** The header a test's request carries; a breakpoint conditioned on it stops that request only (HAProxy health-checks GET / too). */
export const TEST_HEADER = 'X-OSA-Dev-Test';
export const tokenCondition = (token: string): string => `environ.get("HTTP_X_OSA_DEV_TEST") == "${token}"`;

/**
 * The 1-based line of the lab's osalab_wsgi GET / answer status, `status = "200 OK"`: a one-line
 * statement (on one spanning lines Python 3.11 reports its first line twice: two stops).
 */
export function osalabStatusLine(source: string): number {
  const lines = source.split('\n');
  const handler = lines.findIndex((x) => x.includes('if path == "/":'));
  const line = lines.findIndex((x, i) => i > handler && x.trim() === 'status = "200 OK"') + 1;
  if (handler < 0 || line <= 0) throw new Error('no `status = "200 OK"` line in the GET / branch of osalab_wsgi');
  return line;
}

/** A request sent while the debugger stops it: its answer (later) and the stopped event (now). */
export interface StoppedRequest {
  response: Promise<Response>;
  stopped: DapMessage;
  /** The index in the recorder's messages right after the stop. */
  mark: number;
}

/** GET `url` with the test token and waits for the stop; fails if the request is answered without stopping. */
export async function requestUntilStopped(recorder: DapRecorder, url: string, token: string, ms = 60_000): Promise<StoppedRequest> {
  const from = recorder.messages.length;
  const tRequest = Date.now();
  const response = fetch(url, { headers: { [TEST_HEADER]: token }, signal: AbortSignal.timeout(120_000) });
  let settled: string | false = false;
  void response.then((r) => (settled = `HTTP ${r.status}`), (e) => (settled = String(e)));
  const stopped = await recorder.waitFor('the stopped event', (m) => {
    if (m.type === 'event' && m.event === 'stopped') return m;
    if (settled) throw new Error(`the request was answered without stopping: ${settled}`);
    return undefined;
  }, ms, from);
  console.log(`      (stopped ${Date.now() - tRequest} ms after the request)`);
  if (settled) throw new Error(`the HTTP request should wait while the process is stopped: ${String(settled)}`);
  return { response, stopped, mark: recorder.messages.length };
}

export interface StackFrame {
  id: number;
  name: string;
  line: number;
  source?: { path?: string };
}

/**
 * The top frame of a stopped thread: as the session sees it, and the path debugpy sent (raw DAP).
 * In code-server the workbench is remote to the extension host and hands customRequest the path as
 * a vscode-remote:// URI: `path` is that URI's path.
 */
export async function topFrame(session: vscode.DebugSession, recorder: DapRecorder, threadId: number): Promise<{ frame: StackFrame; path: string; rawPath: string }> {
  const stack = (await session.customRequest('stackTrace', { threadId })) as { stackFrames: StackFrame[] };
  const frame = stack.stackFrames[0]!;
  const raw = await recorder.waitFor('the raw stackTrace response', (m) =>
    m.type === 'response' && m.command === 'stackTrace' && m.body?.stackFrames?.[0]?.id === frame.id ? m : undefined, 5000);
  const seen = frame.source?.path ?? '';
  return { frame, path: seen.includes('://') ? vscode.Uri.parse(seen).path : seen, rawPath: String(raw.body.stackFrames[0].source?.path) };
}

/** The Locals scope's variables of a frame, by name. */
export async function localsOf(session: vscode.DebugSession, frameId: number): Promise<Map<string, string>> {
  const scopes = (await session.customRequest('scopes', { frameId })) as { scopes: { name: string; variablesReference: number }[] };
  const locals = scopes.scopes.find((x) => /local/i.test(x.name));
  if (!locals) throw new Error(`no Locals scope: ${scopes.scopes.map((x) => x.name).join(', ')}`);
  const variables = ((await session.customRequest('variables', { variablesReference: locals.variablesReference })) as { variables: { name: string; value: string }[] }).variables;
  return new Map(variables.map((v) => [v.name, v.value]));
}

/** Continues the thread and waits for the HTTP answer (failing with the DAP traffic since after 30 s). */
export async function continueToAnswer(session: vscode.DebugSession, recorder: DapRecorder, threadId: number, response: Promise<Response>): Promise<Response> {
  const mark = recorder.messages.length;
  const tContinue = Date.now();
  await session.customRequest('continue', { threadId });
  let timer: NodeJS.Timeout | undefined;
  const answer = await Promise.race([
    response,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no HTTP answer 30 s after continue; DAP since:\n${
      recorder.messages.slice(mark).map((m) => `${m.fromAdapter ? '<-' : '->'} ${JSON.stringify(m.message).slice(0, 300)}`).join('\n')}`)), 30_000))),
  ]).finally(() => clearTimeout(timer));
  console.log(`      (HTTP answer ${Date.now() - tContinue} ms after continue)`);
  return answer;
}

/** A request stopped at a breakpoint in the WSGI `application` (heat's app, the lab's osalab_wsgi): its thread, top frame and locals. */
export interface StoppedInApplication extends StoppedRequest {
  threadId: number;
  top: Awaited<ReturnType<typeof topFrame>>;
  locals: Map<string, string>;
}

/**
 * GET `url` with the test token, once HAProxy has settled, until it stops on the breakpoint at
 * `line` of the WSGI `application` serving GET / (checked: reason, line, function, its `path` local).
 */
export async function stopInApplication(session: vscode.DebugSession, recorder: DapRecorder, url: string, token: string, line: number): Promise<StoppedInApplication> {
  // The dev process is the only enabled server: wait until HAProxy's checks have it UP (else 503).
  await waitForHaproxySettled(60_000);
  const request = await requestUntilStopped(recorder, url, token);
  assert.equal(request.stopped.body.reason, 'breakpoint', JSON.stringify(request.stopped.body));
  const threadId = request.stopped.body.threadId as number;
  const top = await topFrame(session, recorder, threadId);
  assert.equal(top.frame.line, line, 'stopped on the breakpoint line');
  assert.equal(top.frame.name, 'application');
  const locals = await localsOf(session, top.frame.id);
  assert.equal(locals.get('path'), "'/'", 'the local variable path');
  return { ...request, threadId, top, locals };
}

/** Continues with the breakpoint still set and returns the HTTP answer; the same request must not stop again. */
export async function continueOnce(session: vscode.DebugSession, recorder: DapRecorder, stop: StoppedInApplication): Promise<Response> {
  const answer = await continueToAnswer(session, recorder, stop.threadId, stop.response);
  const stops = recorder.messages.slice(stop.mark).filter((m) => m.fromAdapter && m.session.id === session.id && m.message.event === 'stopped');
  assert.deepEqual(stops.map((m) => m.message.body), [], 'one stop per request');
  return answer;
}

/** Adds a conditional SourceBreakpoint on `file` (as VS Code sends it to the adapter: its path) and waits until debugpy verified it. */
export async function addVerifiedBreakpoint(recorder: DapRecorder, file: string, line: number, condition: string): Promise<vscode.SourceBreakpoint> {
  const bp = new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(file), new vscode.Position(line - 1, 0)), true, condition);
  vscode.debug.addBreakpoints([bp]);
  try {
    const set = await recorder.waitFor(`setBreakpoints response for ${file}`, (m) =>
      m.type === 'response' && m.command === 'setBreakpoints' && recorder.requestOf(m)?.arguments?.source?.path === file ? m : undefined, 30_000);
    if (set.success !== true || set.body?.breakpoints?.[0]?.verified !== true) throw new Error(`debugpy did not verify the breakpoint: ${JSON.stringify(set)}`);
  } catch (error) {
    vscode.debug.removeBreakpoints([bp]);
    throw error;
  }
  return bp;
}
