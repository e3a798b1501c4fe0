import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';
import type { StreamTerminal } from '../../src/extension/terminal/streamTerminal';
import type { Prompter } from '../../src/extension/wizard/prompter';
import { suite, suiteSetup, suiteTeardown, test, type TestContext } from './mocha';
import { CONTAINER_SNAPSHOT_SCRIPT, HAPROXY_SNAPSHOT_SCRIPT } from '../support/productionSnapshotScripts';
import {
  activeOsaDevSession, addVerifiedBreakpoint, continueOnce, DapRecorder, developFailingOnError, devStatusBar, eventually, executeWithAnswers, extension, findLab, LAB_ALIAS, labOrSkip,
  localPortRefuses, osalabStatusLine, productionSnapshot, rows, ScriptedPrompter, services, sshLab, stopInApplication, tokenCondition, waitForHaproxySettled, type Lab, type TreeRow,
} from './support';

/**
 * Multi-node through the extension, against the lab's second physical host infra2 (test/lab/lib/
 * node-host.sh: its own sshd on its management address only, reached through aio1-lab): the tree
 * lists it under the lab host, its container is developed and restored with the commands, and
 * both hosts are as before; with infra2's sshd stopped its node says why and the rest is listed.
 */
interface LabNode {
  name: string;
  ip: string;
  knownHostsLine: string;
  containers: { name: string; service: string; ip: string; units: string[] }[];
}
type MultiNodeLab = Lab & { nodes?: LabNode[]; git: Lab['git'] & { repos: Record<string, { url: string }> } };


/** node-host.sh on this machine (the extension host runs on the lab's machine, as root): not the code under test. */
function nodeHost(...args: string[]): Promise<string> {
  const script = path.join(extension().extensionPath, 'test/lab/lib/node-host.sh');
  return new Promise((resolve, reject) =>
    execFile('bash', [script, ...args], { timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout))),
  );
}

/** infra2's side of the production snapshot: its HAProxy (OSA's haproxy_hosts: Develop isolates there too) and each of its containers, as the lab host's are read. */
async function nodeSnapshot(node: LabNode): Promise<string> {
  const parts: string[] = [`## ${node.name} haproxy`, await nodeHost('exec', 'bash', '-c', HAPROXY_SNAPSHOT_SCRIPT)];
  for (const c of node.containers) {
    parts.push(`## ${c.name}`, await nodeHost('exec', 'lxc-attach', '-n', c.name, '--', 'sh', '-c', CONTAINER_SNAPSHOT_SCRIPT, 'sh', ...c.units));
  }
  return parts.join('\n');
}

/** Both hosts as the production snapshot sees them: aio1's side, then infra2's. */
async function bothHosts(lab: Lab, node: LabNode): Promise<string> {
  return `${await productionSnapshot(lab)}\n${await nodeSnapshot(node)}`;
}

suite('Multi-node: the lab’s second physical host infra2', () => {
  let lab: MultiNodeLab | undefined;
  let node: LabNode | undefined;
  let why = '';
  let s: Services;
  let initialHosts: unknown;
  let knownHostsBefore: string | undefined;
  let originalPrompter: Prompter;
  let devStarted = false;
  let recorder: DapRecorder;
  let initialJustMyCode: unknown;

  suiteSetup(async function () {
    this.timeout(60_000);
    const found = await findLab();
    if (typeof found === 'string') why = found;
    else if (!(found as MultiNodeLab).nodes?.[0]) why = 'the lab has no second physical host (lab.json nodes): run `npm run lab:up`';
    else {
      lab = found as MultiNodeLab;
      node = lab.nodes![0]!;
    }
    s = await services();
    originalPrompter = s.prompter;
    const config = vscode.workspace.getConfiguration('osaDev');
    initialHosts = config.inspect('hosts')?.globalValue;
    // infra2's key is known (the unknown/changed cases are covered by test/integration/multinode).
    const known = config.get<string>('knownHostsFile');
    if (lab && node && known) {
      knownHostsBefore = fs.readFileSync(known, 'utf8');
      fs.appendFileSync(known, `${node.knownHostsLine}\n`);
    }
    await config.update('hosts', [{ host: LAB_ALIAS }], vscode.ConfigurationTarget.Global);
    await eventually('the lab host in the registry', () => (s.registry.list().length === 1 ? true : undefined));
    recorder = new DapRecorder('osa-dev');
    initialJustMyCode = config.inspect('debug.justMyCode')?.globalValue;
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    s.prompter = originalPrompter;
    for (const session of recorder?.live() ?? []) await vscode.debug.stopDebugging(session).then(undefined, () => undefined);
    recorder?.dispose();
    if (lab && node) {
      await nodeHost('sshd-start').catch(() => undefined);
      const target = node.containers[0]!.name;
      const journal = devStarted ? await s.devLoop.journals(LAB_ALIAS).read(target).catch(() => undefined) : undefined;
      if (journal) {
        console.log(`      (teardown: ${target} still in dev mode, restoring)`);
        await vscode.commands.executeCommand('osaDev.restore', { host: s.registry.list()[0], container: { name: target } });
      }
    }
    const known = vscode.workspace.getConfiguration('osaDev').get<string>('knownHostsFile');
    if (known && knownHostsBefore !== undefined) fs.writeFileSync(known, knownHostsBefore);
    await vscode.workspace.getConfiguration('osaDev').update('debug.justMyCode', initialJustMyCode, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('osaDev').update('hosts', initialHosts, vscode.ConfigurationTarget.Global);
  });

  const needLab = (ctx: TestContext): { lab: MultiNodeLab; node: LabNode } => {
    const l = labOrSkip(ctx, lab, why);
    return { lab: l, node: node! };
  };

  /** infra2's placement container, and both hosts' snapshot once HAProxy has settled (production). */
  async function placementFromProduction(ctx: TestContext): Promise<{ lab: MultiNodeLab; node: LabNode; target: LabNode['containers'][number]; before: string }> {
    const { lab: l, node: n } = needLab(ctx);
    const target = n.containers.find((c) => c.service === 'placement')!;
    await waitForHaproxySettled(60_000);
    return { lab: l, node: n, target, before: await bothHosts(l, n) };
  }

  async function nodeRow(name: string): Promise<TreeRow> {
    s.tree.refresh();
    const host = (await rows(s)).find((r) => r.label === LAB_ALIAS);
    assert.ok(host, `host ${LAB_ALIAS} in the tree`);
    const children = await rows(s, host.node);
    const row = children.find((r) => r.item.contextValue === 'physicalHost' && r.label === name);
    assert.ok(row, `physical host ${name} among ${children.map((r) => `${r.label} (${String(r.item.contextValue)})`).join(', ')}`);
    return row;
  }

  async function containerUnder(nodeName: string, container: string): Promise<TreeRow> {
    for (const service of await rows(s, (await nodeRow(nodeName)).node)) {
      const row = (await rows(s, service.node)).find((r) => r.label === container);
      if (row) return row;
    }
    throw new Error(`${container} not under ${nodeName}`);
  }

  test('tree: the lab host’s own services, then infra2 (its address) → placement → its container', async function () {
    this.timeout(60_000);
    const { lab: l, node: n } = needLab(this);
    const host = (await rows(s)).find((r) => r.label === LAB_ALIAS)!;
    const children = await rows(s, host.node);
    const services = children.filter((r) => r.item.contextValue === 'service').map((r) => r.label);
    for (const name of ['heat', 'keystone', 'placement', 'utility']) assert.ok(services.includes(name), `${name} directly under the host: ${services.join(', ')}`);
    assert.equal(children.at(-1)?.label, n.name, 'the other physical host comes after the host’s own services');
    const infra2 = await nodeRow(n.name);
    assert.equal(infra2.item.description, n.ip);
    assert.equal(infra2.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'listed when expanded');
    const nodeServices = await rows(s, infra2.node);
    assert.deepEqual(nodeServices.map((r) => r.label), [...new Set(n.containers.map((c) => c.service))].sort());
    for (const c of n.containers) {
      const row = await containerUnder(n.name, c.name);
      assert.equal(row.item.contextValue, 'runningContainer');
      assert.equal(row.item.description, c.ip);
    }
    // The lab host's containers are still where they were, and not under infra2.
    const aio1Placement = l.containers.find((c) => c.service === 'placement')!.name;
    const placement = children.find((r) => r.label === 'placement')!;
    assert.deepEqual((await rows(s, placement.node)).map((r) => r.label), [aio1Placement]);
  });

  test('Develop This Service and Restore Production on infra2’s container: served through aio1’s HAProxy by it only, both hosts as before', async function () {
    this.timeout(300_000);
    const { lab: l, node: n, target, before } = await placementFromProduction(this);
    const row = await containerUnder(n.name, target.name);
    const prompter = new ScriptedPrompter([{ pick: 'fork' }, { input: l.git.repos['placement']!.url }, { pick: 'master' }, { pick: false }]);
    s.prompter = prompter;
    let ok: unknown;
    try {
      devStarted = true;
      ok = await vscode.commands.executeCommand('osaDev.develop', row.node);
    } finally {
      s.prompter = originalPrompter;
    }
    assert.equal(ok, true, `osaDev.develop resolves true (asked: ${prompter.asked.join(' | ')})`);
    const dev = await containerUnder(n.name, target.name);
    assert.equal(dev.item.contextValue, 'runningDevContainer');
    assert.ok(vscode.window.terminals.some((t) => t.name === `placement-api (dev) · ${target.name}`), 'the dev terminal runs on infra2');
    assert.deepEqual(devStatusBar(s).targets().map((t) => t.container.name), [target.name], 'the status bar follows dev mode on infra2');
    // After a reload the tree has not listed infra2 yet: the journal on aio1 alone puts it in dev mode.
    s.tree.refresh();
    const host = (await rows(s)).find((r) => r.label === LAB_ALIAS)!;
    const unlisted = (await rows(s, host.node)).find((r) => r.label === n.name)!;
    assert.equal(unlisted.item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'infra2 is shown expanded while one of its containers is in dev mode');
    assert.deepEqual(devStatusBar(s).targets().map((t) => t.container.name), [target.name]);
    const answered = await eventually('placement answered by infra2’s dev process only', async () => {
      const hosts: string[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await fetch(`${l.haproxy.frontends['placement']}/`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
        hosts.push(response?.ok ? String(((await response.json()) as { host: string }).host) : 'no answer');
      }
      return hosts.every((h) => h === target.name) ? hosts : undefined;
    }, 60_000);
    assert.equal(answered.length, 6);
    assert.match(await nodeHost('exec', 'lxc-attach', '-n', target.name, '--', 'sh', '-c', 'tr "\\0" " " < /proc/$(cat /run/osa-dev/placement-api.pid)/cmdline'), /\/opt\/osa-dev\/venvs\/placement\//);
    // infra2 runs HAProxy too (the lab's haproxy_hosts): isolated there as well, read through its own admin socket.
    const infra2Placement = await nodeHost('exec', 'sh', '-c', 'echo "show servers state placement-back" | socat stdio /var/run/haproxy.stat | awk \'NR > 2 && NF > 6 { print $4, "admin=" $7 }\' | sort');
    assert.equal(infra2Placement, `${l.containers.find((c) => c.service === 'placement')!.name} admin=1\n${target.name} admin=0\n`, 'infra2’s HAProxy: only the dev container in service');

    assert.equal(await vscode.commands.executeCommand('osaDev.restore', dev.node), true, 'osaDev.restore resolves true');
    devStarted = false;
    await waitForHaproxySettled(60_000);
    assert.equal(await bothHosts(l, n), before, 'both hosts as before');
    assert.equal((await containerUnder(n.name, target.name)).item.contextValue, 'runningContainer');
  });

  test('Run under the debugger on infra2’s container: the session forwards to it through aio1, a breakpoint in the lab’s WSGI module stops one request through aio1’s HAProxy, continue → infra2 answers; Restore → both hosts as before, no session, forward closed', async function () {
    this.timeout(400_000);
    const { lab: l, node: n, target, before } = await placementFromProduction(this);
    // The breakpoint is in a library (the lab's shared WSGI module): stop there too.
    await vscode.workspace.getConfiguration('osaDev').update('debug.justMyCode', false, vscode.ConfigurationTarget.Global);
    const row = await containerUnder(n.name, target.name);
    const prompter = new ScriptedPrompter([{ pick: 'fork' }, { input: l.git.repos['placement']!.url }, { pick: 'master' }, { pick: true }]);
    const t0 = Date.now();
    devStarted = true;
    const ok = await developFailingOnError(s, prompter, row.node, 300_000);
    console.log(`      (develop + attach on ${n.name} took ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    assert.equal(ok, true, `osaDev.develop resolves true (asked: ${prompter.asked.join(' | ')})`);
    assert.equal(prompter.remaining(), 0, 'every scripted answer was asked for');
    assert.match(prompter.asked.at(-1)!, /\[false, true\]$/, 'the last question is Run / Run under the debugger');

    // The session routes to infra2's container: its configuration names it, and its local port is
    // the forward the extension opened over aio1's SSH connection and infra2's (proven below by the
    // stop in infra2's process and the answer from infra2's container).
    const session = await activeOsaDevSession();
    assert.equal(session.configuration['osaDevHost'], LAB_ALIAS);
    assert.equal(session.configuration['container'], target.name);
    assert.equal(session.configuration['service'], 'placement-api');
    assert.equal(session.configuration['justMyCode'], false, 'the setting reaches the attach');
    const port = session.configuration['osaDevPort'] as number;
    assert.ok(Number.isInteger(port) && port > 0, `the forwarded local port: ${port}`);
    assert.deepEqual(session.configuration['connect'], { host: '127.0.0.1', port });
    assert.equal((session.configuration['pathMappings'] as { remoteRoot: string }[])[0]?.remoteRoot, '/opt/osa-dev/src/placement');

    // placement's own tree has no per-request code: the GET / handler is the lab's osalab_wsgi, a
    // library of the dev process, at the path the dev venv's python imports it from.
    const inTarget = (...argv: string[]): Promise<string> => nodeHost('exec', 'lxc-attach', '-n', target.name, '--', ...argv);
    const remoteFile = (await inTarget('/opt/osa-dev/venvs/placement/bin/python', '-c', 'import osalab_wsgi; print(osalab_wsgi.__file__)')).trim();
    assert.match(remoteFile, /^\/.*\/site-packages\/osalab_wsgi\/__init__\.py$/);
    const line = osalabStatusLine(await inTarget('cat', remoteFile));

    // The file exists only in the container (outside the clone's mapping, no local copy): the
    // breakpoint is on its container path, which debugpy takes as is. Not a customRequest with that
    // path: in code-server the workbench turns a bare path into a file: URI of ITS side, which
    // reached debugpy as vscode-local:/… ("Breakpoint in file that does not exist"); a breakpoint
    // Uri goes through VS Code's own URI mapping, as the breakpoints in the clone do.
    // HAProxy health-checks GET / too: the condition lets only this test's request stop.
    const token = `t${Date.now()}`;
    const bp = await addVerifiedBreakpoint(recorder, remoteFile, line, tokenCondition(token));
    try {
      const stop = await stopInApplication(session, recorder, `${l.haproxy.frontends['placement']}/`, token, line);
      assert.equal(stop.top.rawPath, remoteFile, 'the top frame is the module in infra2’s container');
      assert.match(stop.locals.get('body') ?? '', /'service': 'placement-api'/);
      const answer = await continueOnce(session, recorder, stop);
      assert.equal(answer.status, 200);
      const body = (await answer.json()) as { service: string; host: string };
      assert.equal(body.service, 'placement-api');
      assert.equal(body.host, target.name, 'answered by infra2’s container through aio1’s HAProxy');
    } finally {
      vscode.debug.removeBreakpoints([bp]);
    }

    const tRestore = Date.now();
    assert.equal(await vscode.commands.executeCommand('osaDev.restore', (await containerUnder(n.name, target.name)).node), true, 'osaDev.restore resolves true');
    console.log(`      (restore took ${((Date.now() - tRestore) / 1000).toFixed(1)} s)`);
    devStarted = false;
    await eventually('no osa-dev debug session left', () => (recorder.live().length === 0 ? true : undefined), 30_000);
    await eventually(`the forward 127.0.0.1:${port} closed`, async () => ((await localPortRefuses(port)) ? true : undefined), 15_000);
    await waitForHaproxySettled(60_000);
    assert.equal(await bothHosts(l, n), before, 'both hosts as before');
    assert.equal((await containerUnder(n.name, target.name)).item.contextValue, 'runningContainer');
  });

  test('Open Shell on infra2’s container: a PTY in it, over infra2’s connection through aio1', async function () {
    this.timeout(90_000);
    const { node: n } = needLab(this);
    const target = n.containers[0]!;
    const row = await containerUnder(n.name, target.name);
    const marker = `/tmp/osa-dev-e2e-multinode-${Date.now()}`;
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((t) => (sub.dispose(), resolve(t)));
    });
    const returned = await vscode.commands.executeCommand<vscode.Terminal | undefined>('osaDev.openShell', row.node);
    const terminal = returned ?? (await opened);
    try {
      // Typed as a user would; again until the shell answers (input before the PTY is up can be lost).
      const content = await eventually(`${marker} in ${target.name}`, async () => {
        terminal.sendText(`hostname > ${marker}`, true);
        await new Promise((r) => setTimeout(r, 1500));
        const out = await nodeHost('exec', 'lxc-attach', '-n', target.name, '--', 'sh', '-c', `cat ${marker} 2>/dev/null || true`);
        return out.trim() === '' ? undefined : out.trim();
      }, 40_000);
      assert.equal(content, (await nodeHost('exec', 'lxc-attach', '-n', target.name, '--', 'hostname')).trim(), 'the shell runs in infra2’s container');
    } finally {
      terminal.dispose();
      await nodeHost('exec', 'lxc-attach', '-n', target.name, '--', 'rm', '-f', marker).catch(() => undefined);
    }
  });

  test('Rebuild Container… on infra2’s container from its row: confirmation names it and the playbooks, recreated on infra2 only, recap in the terminal, row back', async function () {
    this.timeout(360_000);
    const { lab: l, node: n } = needLab(this);
    const target = n.containers.find((c) => c.service === 'placement')!;
    // The init pid of a container: it changes when the container is destroyed and created again.
    const onNode = async (name: string): Promise<string> => (await nodeHost('exec', 'lxc-info', '-n', name, '-pH')).trim();
    const onAio1 = async (): Promise<Record<string, string>> =>
      Object.fromEntries(await Promise.all(l.containers.map(async (c) => [c.name, (await sshLab(`lxc-info -n ${c.name} -pH`)).trim()] as const)));
    const aio1Before = await onAio1();
    const pid = await onNode(target.name);
    assert.match(pid, /^\d+$/, `${target.name} runs on ${n.name}`);
    const row = await containerUnder(n.name, target.name);
    assert.equal(row.item.contextValue, 'runningContainer');
    const prompter = new ScriptedPrompter([{ confirm: true }]);
    const t0 = Date.now();
    const result = await executeWithAnswers(s, prompter, 'osaDev.rebuildContainer', row.node);
    console.log(`      (rebuild of ${target.name} on ${n.name} took ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    assert.equal(result, true, 'osaDev.rebuildContainer resolves true');
    const asked = prompter.asked[0] ?? '';
    assert.match(asked, new RegExp(`Destroy and rebuild ${target.name}`));
    for (const line of [
      `openstack-ansible openstack.osa.containers_lxc_destroy --limit localhost,${target.name} -e force_containers_destroy=yes -e force_containers_data_destroy=no`,
      `openstack-ansible openstack.osa.containers_lxc_create --limit localhost,lxc_hosts,${target.name}`,
      `openstack-ansible openstack.osa.placement --limit ${target.name}`,
    ]) {
      assert.ok(asked.includes(line), `the confirmation names "${line}":\n${asked}`);
    }

    const terminal = vscode.window.terminals.find((t) => t.name === `Rebuild · ${target.name}`);
    assert.ok(terminal, `rebuild terminal in ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    try {
      const shown = ((terminal.creationOptions as vscode.ExtensionTerminalOptions).pty as unknown as StreamTerminal).transcript();
      assert.match(shown, /PLAY RECAP/);
      assert.match(shown, new RegExp(`\\[${target.name} -> ${n.name}`), 'the container’s lxc tasks were delegated to infra2');
      assert.match(shown, new RegExp(`Rebuilt ${target.name} in \\d+ s`), 'the summary at the end');
      assert.match(shown, new RegExp(`openstack.osa.placement: ${target.name}: ok \\d+, changed \\d+`), 'the recap summarised');
    } finally {
      terminal.dispose();
    }
    const after = await onNode(target.name);
    assert.match(after, /^\d+$/, `running again on ${n.name}`);
    assert.notEqual(after, pid, 'a new container instance on infra2');
    assert.equal((await sshLab(`lxc-ls --filter '^${target.name}$'`)).trim(), '', 'not created on aio1');
    assert.deepEqual(await onAio1(), aio1Before, 'aio1’s containers run the same instances');
    assert.equal((await containerUnder(n.name, target.name)).item.contextValue, 'runningContainer', 'its row is back, running');
    await waitForHaproxySettled(60_000);
  });

  test('infra2 unreachable (sshd stopped): its node says so, naming it and its address; the host’s own services are listed', async function () {
    this.timeout(60_000);
    const { node: n } = needLab(this);
    await nodeHost('sshd-stop');
    try {
      const infra2 = await nodeRow(n.name);
      const children = await rows(s, infra2.node);
      assert.equal(children.length, 1);
      assert.equal(children[0]!.item.contextValue, 'error');
      assert.match(children[0]!.label, new RegExp(`^${n.name} \\(${n.ip.replace(/\./g, '\\.')}\\): Cannot reach ${n.name} at ${n.ip.replace(/\./g, '\\.')}:22`));
      const host = (await rows(s)).find((r) => r.label === LAB_ALIAS)!;
      assert.ok((await rows(s, host.node)).some((r) => r.label === 'heat' && r.item.contextValue === 'service'), 'the host’s own services are listed');
    } finally {
      await nodeHost('sshd-start');
    }
  });
});
