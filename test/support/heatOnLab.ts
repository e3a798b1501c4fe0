/**
 * Developing the lab's heat-api, as the integration tests, the fault matrix and the benchmarks do
 * it: one request shape, one catalog, one way to build the engine and the plan.
 */
import { join } from 'node:path';
import { loadCatalog, shippedCatalogPath, type Catalog } from '../../src/core/catalog';
import { DevLoopEngine } from '../../src/core/devloop/engine';
import { JournalStore } from '../../src/core/devloop/journalStore';
import { planDevelop, type DevelopPlan, type DevelopRequest } from '../../src/core/devloop/plan';
import { haproxyHostsFrom } from '../../src/core/devloop/haproxyHosts';
import type { HaproxyHosts, StepContext } from '../../src/core/devloop/types';
import { loadHostView } from '../../src/core/model/loadHostView';
import type { PhysicalNode, Topology } from '../../src/core/model/topology';
import type { SshHost } from '../../src/core/ssh';
import { silentLogger } from '../../src/core/log';
import type { ShellRunner } from '../../src/core/process/types';
import { LxcRuntime } from '../../src/core/runtime/lxc/lxcRuntime';
import type { LabDescription } from './lab';

export const labRuntime = new LxcRuntime();

/** The dash-style heat container (the other one stays in the backend for isolation to matter). */
export const HEAT_CONTAINER = 'aio1-heat-api-container-5d2a9f10';

/** The lab's heat repository as the containers reach it (inside the lab's network namespace). */
export function heatRepoInNamespace(lab: LabDescription): string {
  return lab.git.heatRepoUrl.replace('127.0.0.1:19418', '172.29.236.100');
}

/** Develop heat-api in a heat container from the lab's git server (fetched inside the container). */
export function heatRequest(lab: LabDescription, extra: Partial<DevelopRequest> = {}): DevelopRequest {
  const container = extra.container ?? HEAT_CONTAINER;
  const target = lab.containers.find((c) => c.name === container);
  if (!target) throw new Error(`The lab has no container ${container}.`);
  return {
    container,
    managementIp: target.ip,
    service: 'heat',
    unit: 'heat-api',
    source: { kind: 'git', url: heatRepoInNamespace(lab), ref: 'master' },
    project: 'heat',
    ...extra,
  };
}

export function labCatalog(): Catalog {
  return loadCatalog({ shipped: { path: shippedCatalogPath(join(__dirname, '..', '..')) } });
}

export function labStepContext(host: ShellRunner, container: string, signal: AbortSignal = new AbortController().signal): StepContext {
  return { host, runtime: labRuntime, container, logger: silentLogger, signal, report: () => undefined };
}

export function planHeat(host: ShellRunner, request: DevelopRequest): Promise<DevelopPlan> {
  return planDevelop(labStepContext(host, request.container), labCatalog(), request, ['heat-api', 'heat-engine']);
}

/**
 * The engine as a library user builds it: HAProxy on `host` alone, unless `haproxy` (labHaproxyHosts:
 * every HAProxy host of the lab's inventory, as the extension and the CLI build it).
 */
export function labEngine(host: ShellRunner, container: string, holder: string, haproxy?: HaproxyHosts): DevLoopEngine {
  return new DevLoopEngine({
    host,
    ...(haproxy ? { haproxy } : {}),
    runtime: labRuntime,
    store: new JournalStore(host),
    container,
    holder: { holder, since: new Date().toISOString() },
    logger: silentLogger,
  });
}

/**
 * The lab's HAProxy hosts as the CLI finds them: the inventory's haproxy_hosts (aio1 and infra2),
 * aio1 by the engine's own runner, infra2 through `ssh` (its key must be known: connectLab).
 */
export function labHaproxyHosts(ssh: SshHost): HaproxyHosts {
  let topology: Promise<Topology> | undefined;
  const nodes = new Map<string, SshHost>(); // one connection per node, over ssh's (closed with it)
  const reach = (node: PhysicalNode): SshHost => {
    let host = nodes.get(node.name);
    if (!host) nodes.set(node.name, (host = ssh.through(node.name, node.address, node.port)));
    return host;
  };
  return haproxyHostsFrom(() => (topology ??= loadHostView(ssh, labRuntime, silentLogger).then((view) => view.topology)), reach);
}
