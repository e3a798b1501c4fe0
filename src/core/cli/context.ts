import { existsSync, readFileSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { loadCatalog, type Catalog } from '../catalog';
import { DevLoopEngine } from '../devloop/engine';
import { haproxyHostsFrom } from '../devloop/haproxyHosts';
import { currentProcess } from '../devloop/holderProcess';
import type { LockHolder } from '../devloop/journal';
import { JournalStore } from '../devloop/journalStore';
import type { Logger } from '../log';
import { LoggingRunner } from '../process/loggingRunner';
import { loadHostView } from '../model/loadHostView';
import type { HostView } from '../model/hostView';
import type { PhysicalNode } from '../model/topology';
import { createRuntime, detectRuntime } from '../runtime/detect';
import { RoutingRuntime } from '../runtime/hostRuntimes';
import type { ContainerRuntime } from '../runtime/types';
import { runCommand } from '../process/runCommand';
import { resolveHost, SshHost } from '../ssh';
import type { CliOptions } from './args';

/** What every CLI command works with: one SSH connection, the runtime, a logger, the catalog. */
export interface CliContext {
  readonly options: CliOptions;
  readonly ssh: SshHost;
  readonly runner: LoggingRunner;
  /** The host's runtime once detectRuntime() ran (LXC until then). */
  readonly runtime: ContainerRuntime;
  /** Probes the host's container runtime (LXC, podman, docker): one round trip. */
  detectRuntime(): Promise<ContainerRuntime>;
  readonly logger: Logger;
  readonly holder: LockHolder;
  catalog(): Catalog;
  /** The SSH host of a physical host reached through HOST (one per node, opened on first use). */
  nodeHost(node: PhysicalNode): SshHost;
  /** Runs on the container's physical host: HOST itself, or `node` through HOST. */
  runnerOn(node: PhysicalNode | undefined): LoggingRunner;
  /** HOST's containers and its nodes', read once per run (Develop's isolate reads the HAProxy hosts from it too). */
  hostView(): Promise<HostView>;
  /** The engine for a container on HOST or on `node`: the journal stays on HOST; HAProxy is isolated on every HAProxy host. */
  engine(container: string, node?: PhysicalNode): DevLoopEngine;
  out(text: string): void;
  /** Closes every connection. */
  dispose(): void;
}

export function createCliContext(options: CliOptions): CliContext {
  const home = homedir();
  const logger = stderrLogger(options.verbose);
  const target = resolveHost(options.host, readOptional(options.sshConfig ?? join(home, '.ssh', 'config')), { home, localUser: userInfo().username });
  const ssh = new SshHost({
    target: options.knownHosts ? { ...target, userKnownHostsFiles: [options.knownHosts] } : target,
    askTrust: async () => false,
    secrets: { get: async () => undefined, store: async () => undefined, ask: async () => undefined },
    logger,
    home,
    ...(process.env.SSH_AUTH_SOCK ? { agentSocket: process.env.SSH_AUTH_SOCK } : {}),
  });
  const runner = new LoggingRunner(ssh, logger, options.host);
  let detected: ContainerRuntime | undefined;
  const lxc = createRuntime('lxc', options.host);
  const runtime = new RoutingRuntime(() => detected ?? lxc);
  const nodes = new Map<string, { ssh: SshHost; runner: LoggingRunner }>();
  const node = (n: PhysicalNode): { ssh: SshHost; runner: LoggingRunner } => {
    const key = `${n.name}@${n.address}:${n.port ?? 22}`;
    let entry = nodes.get(key);
    if (!entry) {
      const nodeSsh = ssh.through(n.name, n.address, n.port);
      entry = { ssh: nodeSsh, runner: new LoggingRunner(nodeSsh, logger, `${options.host}>${n.name}`) };
      nodes.set(key, entry);
    }
    return entry;
  };
  const runnerOn = (n: PhysicalNode | undefined): LoggingRunner => (n ? node(n).runner : runner);
  let view: Promise<HostView> | undefined;
  const hostView = (): Promise<HostView> => (view ??= loadHostView(runner, runtime, logger, runnerOn));
  // Isolate goes to every HAProxy host of HOST's inventory: the view Develop already read.
  const haproxy = haproxyHostsFrom(async () => (await hostView()).topology, (n) => node(n).runner);
  // The process is recorded so that the next osa-dev run takes this one's lock once it has exited.
  const running = currentProcess();
  const holder: LockHolder = {
    holder: `${userInfo().username}@${hostname()} (osa-dev CLI pid ${process.pid})`,
    since: new Date().toISOString(),
    ...(running ? { process: running } : {}),
  };
  return {
    options,
    ssh,
    runner,
    runtime,
    detectRuntime: async () => (detected = await runCommand(runner, detectRuntime(options.host))),
    logger,
    holder,
    catalog: () => loadCatalog({ shipped: { path: findShippedCatalog() }, user: { path: join(home, '.config', 'osa-dev', 'services.yaml') }, workspace: { path: join(process.cwd(), '.osa-dev.yaml') } }),
    nodeHost: (n) => node(n).ssh,
    runnerOn,
    hostView,
    engine: (container, n) =>
      new DevLoopEngine({ host: runnerOn(n), ...(n ? { deployment: runner } : {}), haproxy, runtime, store: new JournalStore(runner), container, holder, logger }),
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    dispose: () => {
      for (const entry of nodes.values()) entry.ssh.dispose();
      ssh.dispose();
    },
  };
}

/** catalog/services.yaml beside the bundle (dist/cli.js) or the sources (src/core/cli). */
function findShippedCatalog(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'catalog', 'services.yaml');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('catalog/services.yaml not found beside the osa-dev CLI');
}

function stderrLogger(verbose: boolean): Logger {
  const write = (level: string) => (message: string | Error) => {
    if (verbose || level === 'error' || level === 'warn') process.stderr.write(`[${level}] ${String(message)}\n`);
  };
  return { trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
