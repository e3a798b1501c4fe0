import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PhysicalNode } from '../../core/model/topology';
import { resolveHost, SshHost, type ResolvedHost } from '../../core/ssh';
import { expandHome } from '../../core/ssh/configTokens';
import { Settings } from '../constants';
import { askTrust } from './askTrust';
import { SecretStore } from './secretStore';

/** One SshHost per configured host, created on first use; nothing connects until a command runs. */
export class ConnectionPool implements vscode.Disposable {
  private readonly hosts = new Map<string, SshHost>();
  /** Other physical hosts, reached through a configured host's connection: key `host>name@address`. */
  private readonly nodes = new Map<string, { host: string; ssh: SshHost }>();
  private readonly secrets: SecretStore;

  constructor(
    context: vscode.ExtensionContext,
    private readonly logger: vscode.LogOutputChannel,
  ) {
    this.secrets = new SecretStore(context.secrets);
  }

  get(host: string): SshHost {
    let ssh = this.hosts.get(host);
    if (!ssh) {
      ssh = new SshHost({
        target: this.resolve(host),
        askTrust,
        secrets: this.secrets,
        logger: this.logger,
        home: homedir(),
        ...(process.env.SSH_AUTH_SOCK ? { agentSocket: process.env.SSH_AUTH_SOCK } : {}),
      });
      this.hosts.set(host, ssh);
    }
    return ssh;
  }

  /** A physical host of `host`'s deployment, reached through `host` (ProxyJump over its connection). */
  node(host: string, node: PhysicalNode): SshHost {
    const key = `${host}>${node.name}@${node.address}:${node.port ?? 22}`;
    let entry = this.nodes.get(key);
    if (!entry) {
      entry = { host, ssh: this.get(host).through(node.name, node.address, node.port) };
      this.nodes.set(key, entry);
    }
    return entry.ssh;
  }

  /** Connects (asking about the host key on first contact) and runs a harmless command. */
  async probe(host: string): Promise<void> {
    const result = await this.get(host).exec('command -v lxc-ls >/dev/null 2>&1 && echo lxc || echo no-lxc');
    if (result.stdout.trim() !== 'lxc') {
      this.logger.warn(`${host}: lxc-ls not found; the host answers but lists no LXC containers`);
    }
  }

  /** Drops connections of hosts that are no longer configured, and of hosts whose settings changed. */
  retain(hosts: readonly string[]): void {
    for (const [host, ssh] of this.hosts) {
      if (!hosts.includes(host)) {
        ssh.dispose();
        this.hosts.delete(host);
      }
    }
    for (const [key, entry] of this.nodes) {
      if (!hosts.includes(entry.host)) {
        entry.ssh.dispose();
        this.nodes.delete(key);
      }
    }
  }

  /** SSH settings changed: every host reconnects with them on next use. */
  reset(): void {
    for (const entry of this.nodes.values()) entry.ssh.dispose();
    this.nodes.clear();
    for (const ssh of this.hosts.values()) ssh.dispose();
    this.hosts.clear();
  }

  private resolve(host: string): ResolvedHost {
    const config = vscode.workspace.getConfiguration(Settings.section);
    const home = homedir();
    const configFile = expandHome(config.get<string>(Settings.sshConfigFile, '') || join(home, '.ssh', 'config'), home);
    const knownHosts = config.get<string>(Settings.knownHostsFile, '');
    const resolved = resolveHost(host, readIfExists(configFile), { home, localUser: userInfo().username });
    return knownHosts ? { ...resolved, userKnownHostsFiles: [expandHome(knownHosts, home)] } : resolved;
  }

  dispose(): void {
    this.reset();
  }
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

