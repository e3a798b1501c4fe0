import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';
import type { TreeNode } from '../../src/extension/tree/treeNode';

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
}

export interface Lab {
  ssh: { host: string; port: number; user: string; identityFile: string };
  containers: LabContainer[];
}

const LAB_JSON = process.env.OSA_LAB_JSON || '/var/lib/osa-lab/lab.json';

/** In CI a missing lab is a failure; on a developer's machine the lab suite is skipped, saying why. */
export function labRequired(): boolean {
  return process.env.CI === 'true' || process.env.OSA_E2E_REQUIRE_LAB === '1';
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

/** Runs a command on the lab host with the system's ssh and the test run's ssh config. */
export function sshLab(command: string): Promise<string> {
  const config = vscode.workspace.getConfiguration('osaDev').get<string>('sshConfigFile') || '';
  const known = vscode.workspace.getConfiguration('osaDev').get<string>('knownHostsFile') || '';
  const args = [
    ...(config ? ['-F', config] : []),
    ...(known ? ['-o', `UserKnownHostsFile=${known}`] : []),
    '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
    LAB_ALIAS, command,
  ];
  return new Promise((resolve, reject) => {
    execFile('ssh', args, { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ssh ${LAB_ALIAS} ${command}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
