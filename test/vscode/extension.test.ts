import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from './mocha';
import { canary, ContextKeySpy, eventually, extension, services } from './support';

interface Manifest {
  contributes: { commands: { command: string }[] };
}

suite('Activation', () => {
  let spy: ContextKeySpy;
  let initialHosts: unknown;

  suiteSetup(() => {
    // Installed before activation so the first setContext is seen too.
    spy = new ContextKeySpy();
    initialHosts = vscode.workspace.getConfiguration('osaDev').inspect('hosts')?.globalValue;
  });

  suiteTeardown(async () => {
    spy.dispose();
    await vscode.workspace.getConfiguration('osaDev').update('hosts', initialHosts, vscode.ConfigurationTarget.Global);
  });

  test('activates and exports its services without opening an SSH connection', async function () {
    this.timeout(20_000);
    // A configured host whose "sshd" only counts who knocks: activation must not contact it.
    const knock = await canary();
    try {
      const hosts = vscode.workspace.getConfiguration('osaDev').get<unknown[]>('hosts') ?? [];
      await vscode.workspace
        .getConfiguration('osaDev')
        .update('hosts', [...hosts, { host: `root@127.0.0.1:${knock.port}` }], vscode.ConfigurationTarget.Global);
      const ext = extension();
      const wasActive = ext.isActive;
      const s = await services();
      assert.ok(ext.isActive, 'extension is active');
      for (const key of ['registry', 'tree', 'logger', 'runtime', 'connection', 'probe'] as const) {
        assert.ok(s[key], `exports.${key} is present`);
      }
      assert.equal(typeof s.tree.getChildren, 'function');
      assert.equal(typeof s.tree.refresh, 'function');
      // Listing the configured hosts is local; loading a host's containers is what connects.
      const roots = await s.tree.getChildren();
      assert.ok(roots.length >= 1, 'configured hosts are listed');
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(knock.connections(), 0, `no TCP connection to a configured host${wasActive ? ' (extension was already active)' : ''}`);
    } finally {
      await knock.close();
      await vscode.workspace.getConfiguration('osaDev').update('hosts', initialHosts, vscode.ConfigurationTarget.Global);
    }
  });

  test('registers every command contributed in package.json', async () => {
    const ext = extension();
    const manifest = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8')) as Manifest;
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    await services();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('sets osaDev.hostCount to 0 with no hosts (the welcome view), and back', async function () {
    this.timeout(15_000);
    await services();
    const config = vscode.workspace.getConfiguration('osaDev');
    await config.update('hosts', [], vscode.ConfigurationTarget.Global);
    await eventually('osaDev.hostCount == 0', () => (spy.values.get('osaDev.hostCount') === 0 ? true : undefined));
    const s = await services();
    assert.deepEqual(s.registry.list(), []);
    assert.deepEqual(await s.tree.getChildren(), [], 'the tree is empty, so the welcome view shows');

    await config.update('hosts', [{ host: 'aio1-welcome-check' }], vscode.ConfigurationTarget.Global);
    await eventually('osaDev.hostCount == 1', () => (spy.values.get('osaDev.hostCount') === 1 ? true : undefined));
  });
});
