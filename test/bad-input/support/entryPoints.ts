/**
 * Every place a user-supplied value enters the core, as the product itself takes it: the same
 * functions the extension and the CLI call, with a RecordingRunner standing in for the host so the
 * command lines that WOULD run are captured (the lab part runs the host-reaching ones for real).
 */
import { loadCatalog, expandArgv } from '../../../src/core/catalog';
import { parseCliArgs } from '../../../src/core/cli/args';
import { debugConfigPath, renderDebugConfig } from '../../../src/core/debug/debugConf';
import { validateDebugPort, validateListenHost } from '../../../src/core/debug/argv';
import { parseJournal } from '../../../src/core/devloop/journal';
import { JournalStore } from '../../../src/core/devloop/journalStore';
import { codeStep } from '../../../src/core/devloop/steps/codeStep';
import { readContainerFile } from '../../../src/core/devloop/steps/containerFile';
import { listContainerDir, statContainerPath } from '../../../src/core/devloop/steps/containerPaths';
import { devVenvPath } from '../../../src/core/devloop/steps/devVenv';
import { findVenv } from '../../../src/core/devloop/steps/findVenv';
import { pipConf } from '../../../src/core/devloop/steps/pipConf';
import { stopUnit } from '../../../src/core/devloop/steps/stopUnit';
import { assertGitRef } from '../../../src/core/git/validate';
import { GerritClient, parseChangeRef, parseGitReview, reviewBranchName, type ChangeRef } from '../../../src/core/gerrit';
import { disableServerCommand, haproxyCli } from '../../../src/core/haproxy/runtimeApi';
import { followJournalArgv } from '../../../src/core/model/journalLogs';
import { shellJoin } from '../../../src/core/shell/quote';
import { parseHostSpec, parseKnownHosts, resolveHost, type ResolvedHost } from '../../../src/core/ssh';
import { parsePort } from '../../../src/core/ssh/hostSpec';
import { isSafeRelativePath } from '../../../src/core/sync/manifest';
import { assertTarPath } from '../../../src/core/sync/tar';
import type { ShellRunner } from '../../../src/core/process/types';
import { phaseArgv, validateDeployOptions, type AioDeployOptions } from '../../../src/core/aio/phases';
import { planRebuild } from '../../../src/core/osa/rebuild';
import { parseInventory } from '../../../src/core/osa/inventory';
import { readFileSync } from 'node:fs';
import { runtime, stepContext } from './recordingRunner';

export interface EntryPoint {
  readonly name: string;
  /** A valid value: bad values are built around it. */
  readonly base: string;
  /** A name or ref: a value with shell metacharacters or control characters must be refused. */
  readonly strict: boolean;
  /** The value reaches commands converted (a number), not as itself. */
  readonly converted?: boolean;
  /** Takes the value as the product does; throws when it refuses it. */
  feed(value: string, host: ShellRunner): Promise<unknown>;
}

const CONTAINER = 'aio1-heat-api-container-5d2a9f10';
const SSH_CONFIG = 'Host aio1\n  HostName 127.0.0.1\n  Port 2222\n  User root\n';
const ENV = { home: '/root', localUser: 'root' };
const SHIPPED = `${__dirname}/../../../catalog/services.yaml`;
const INVENTORY = parseInventory(readFileSync(`${__dirname}/../../fixtures/osa/openstack_inventory.aio.json`, 'utf8'));

/** A catalog layer with `value` at one place, loaded over the shipped catalog, then used like plan does. */
async function catalogWith(host: ShellRunner, yaml: string): Promise<void> {
  const catalog = loadCatalog({ shipped: { path: SHIPPED }, user: { path: 'user.yaml', text: yaml } });
  const heat = catalog.resolve('heat', { units: ['heat-api'] });
  const unit = catalog.unit(heat, 'heat-api');
  const argv = expandArgv(unit?.command ?? ['true'], { venv: devVenvPath(heat.name), config: heat.config[0] ?? '/etc/heat/heat.conf', src: '/opt/osa-dev/src/heat', host: '172.29.236.102', port: '8004' });
  const user = unit?.user ?? heat.user;
  await host.exec(shellJoin(runtime.execArgv(CONTAINER, argv, { ...(user ? { user } : {}), env: unit?.debug.env ?? {} })));
  if (unit?.debug.options) renderDebugConfig(unit.debug.options);
  await findVenv(stepContext(host), 'heat-api', heat.venv);
}

const yamlString = (value: string): string => JSON.stringify(value);

export const ENTRY_POINTS: readonly EntryPoint[] = [
  { name: 'host alias / user@host:port', base: 'root@aio1:2222', strict: true, feed: async (v) => parseHostSpec(v) },
  { name: 'host resolved through ~/.ssh/config', base: 'aio1', strict: true, feed: async (v) => resolveHost(v, SSH_CONFIG, ENV) },
  { name: 'ssh config HostName', base: '127.0.0.1', strict: false, feed: async (v) => safeTarget(resolveHost('aio1', `Host aio1\n  HostName ${v}\n`, ENV)) },
  { name: 'ssh config ProxyJump', base: 'jump@10.0.0.1:22', strict: false, feed: async (v) => safeTarget(resolveHost('aio1', `Host aio1\n  ProxyJump ${v}\n`, ENV)) },
  { name: 'port', base: '2222', strict: true, feed: async (v) => parsePort(v) },
  { name: 'container name (journal read)', base: CONTAINER, strict: true, feed: (v, host) => new JournalStore(host).read(v) },
  { name: 'container name (lxc-attach)', base: CONTAINER, strict: true, feed: (v, host) => statContainerPath(host, runtime, v, '/etc/heat') },
  { name: 'unit name (stop)', base: 'heat-api', strict: true, feed: (v, host) => stopUnit(v).capture(stepContext(host)) },
  { name: 'unit name (find venv)', base: 'heat-api', strict: true, feed: (v, host) => findVenv(stepContext(host), v, '/openstack/venvs/heat-*') },
  { name: 'unit name (debug config)', base: 'heat-engine', strict: true, feed: async (v) => debugConfigPath(v) },
  { name: 'service name (dev venv)', base: 'heat', strict: true, feed: async (v) => devVenvPath(v) },
  { name: 'project name (dev checkout)', base: 'heat', strict: true, feed: async (v, host) => codeStep(v, { kind: 'git', url: 'https://opendev.org/openstack/heat', ref: 'master' }).capture(stepContext(host)) },
  { name: 'git URL', base: 'https://opendev.org/openstack/heat', strict: true, feed: (v, host) => fetchInContainer(host, v, 'master') },
  { name: 'branch / ref', base: 'stable/2025.1', strict: true, feed: (v, host) => fetchInContainer(host, 'https://opendev.org/openstack/heat', v) },
  { name: 'code path in the container', base: '/opt/stack/heat', strict: false, feed: (v, host) => codeStep('heat', { kind: 'container-path', path: v }).capture(stepContext(host)) },
  { name: 'Gerrit change / URL / patchset', base: 'https://review.opendev.org/c/openstack/heat/+/12345/3', strict: false, feed: async (v) => numbersOnly(parseChangeRef(v)) },
  { name: 'Gerrit URL setting', base: 'https://review.opendev.org', strict: false, feed: async (v) => new GerritClient({ baseUrl: v }) },
  { name: 'Gerrit owner and topic → review branch', base: 'bug/12345', strict: false, feed: async (v) => assertGitRef(reviewBranchName({ number: 12345, owner: { id: 1, name: v }, topic: v })) },
  { name: '.gitreview host', base: 'review.opendev.org', strict: true, feed: async (v) => parseGitReview(`[gerrit]\nhost=${v}\nproject=openstack/heat.git\n`) },
  { name: '.gitreview project', base: 'openstack/heat.git', strict: true, feed: async (v) => parseGitReview(`[gerrit]\nhost=review.opendev.org\nproject=${v}\n`) },
  { name: 'config file path (Open Config File)', base: '/etc/heat/heat.conf', strict: false, feed: (v, host) => readContainerFile(host, runtime, CONTAINER, v) },
  { name: 'folder path (config browser)', base: '/etc/heat', strict: false, feed: (v, host) => listContainerDir(host, runtime, CONTAINER, v) },
  { name: 'synced file path (tar)', base: 'heat/engine/service.py', strict: false, feed: async (v) => (assertTarPath(v), isSafeRelativePath(v)) },
  { name: 'package index URL setting', base: 'https://pypi.org/simple', strict: true, feed: (v, host) => pipConf({ prodVenv: '/openstack/venvs/heat-31.0.0', indexUrl: v }).capture(stepContext(host)) },
  { name: 'logs.lines setting', base: '200', strict: false, converted: true, feed: (v, host) => host.exec(shellJoin(runtime.execArgv(CONTAINER, followJournalArgv(['heat-api.service'], Number(v))))) },
  { name: 'debug port', base: '5678', strict: false, feed: async (v) => validateDebugPort(Number(v)) },
  { name: 'debug listen address', base: '172.29.236.102', strict: true, feed: async (v) => validateListenHost(v) },
  { name: 'HAProxy backend/server', base: 'heat_api-back', strict: true, feed: (v, host) => host.exec(shellJoin(haproxyCli('/var/run/haproxy.stat', [disableServerCommand(v, v)]).argv)) },
  { name: 'catalog: service user', base: 'heat', strict: true, feed: (v, host) => catalogWith(host, `services:\n  heat:\n    user: ${yamlString(v)}\n`) },
  { name: 'catalog: venv glob', base: '/openstack/venvs/heat-*', strict: false, feed: (v, host) => catalogWith(host, `services:\n  heat:\n    venv: ${yamlString(v)}\n`) },
  { name: 'catalog: unit command', base: '{venv}/bin/heat-api', strict: false, feed: (v, host) => catalogWith(host, `services:\n  heat:\n    units:\n      heat-api:\n        command: [${yamlString(v)}, "--config-file", "{config}"]\n`) },
  { name: 'catalog: debug env name', base: 'OS_HEAT_THREADS', strict: true, feed: (v, host) => catalogWith(host, `services:\n  heat:\n    units:\n      heat-api:\n        debug:\n          env: { ${yamlString(v)}: "1" }\n`) },
  { name: 'catalog: debug option', base: 'num_engine_workers', strict: true, feed: (v, host) => catalogWith(host, `services:\n  heat:\n    units:\n      heat-api:\n        debug:\n          options: { DEFAULT: { ${yamlString(v)}: ${yamlString(v)} } }\n`) },
  { name: 'catalog YAML text', base: 'services: {}', strict: false, feed: (v, host) => catalogWith(host, v) },
  { name: 'CLI arguments', base: 'develop', strict: false, feed: async (v) => parseCliArgs([v, 'aio1', CONTAINER, '--git', v, '--ref', v, '--unit', v]) },
  { name: 'journal container field', base: CONTAINER, strict: false, feed: async (v) => parseJournal('x.json', JSON.stringify({ format: 'osa-dev-journal/1', container: v, request: {}, createdAt: '', updatedAt: '', steps: [] })) },
  { name: 'AIO deploy: repository', base: 'https://opendev.org/openstack/openstack-ansible', strict: true, feed: (v, host) => aioClone(host, { repository: v, branch: 'master' }) },
  { name: 'AIO deploy: branch', base: 'stable/2025.1', strict: true, feed: (v, host) => aioClone(host, { repository: 'https://opendev.org/openstack/openstack-ansible', branch: v }) },
  { name: 'AIO deploy: checkout folder', base: '/opt/openstack-ansible', strict: true, feed: (v, host) => aioClone(host, { repository: 'https://opendev.org/openstack/openstack-ansible', branch: 'master', checkoutDir: v }) },
  { name: 'rebuild: container', base: 'aio1_heat_api_container-36e270c9', strict: true, feed: (v, host) => rebuildLines(host, v) },
  { name: 'rebuild: service playbook', base: 'openstack.osa.heat', strict: true, feed: (v, host) => rebuildLines(host, 'aio1_heat_api_container-36e270c9', v) },
  { name: 'known_hosts line', base: '[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD', strict: false, feed: async (v) => parseKnownHosts(v) },
];

/** What resolveHost returns reaches ssh2 and messages, never a shell; still, it must be clean. */
function safeTarget(target: ResolvedHost): ResolvedHost {
  for (const hop of [target, ...target.proxyJump]) {
    if (/[\s;&|`$(){}<>'"\\]/.test(hop.hostName + hop.user) || hop.hostName.startsWith('-')) throw new Error(`unsafe target ${JSON.stringify(hop)}`.slice(0, 300));
  }
  return target;
}

/** A parsed change is numbers only (and an origin/project used for REST URLs, never a shell). */
function numbersOnly(ref: ChangeRef): ChangeRef {
  if (!Number.isInteger(ref.number) || (ref.patchset !== undefined && !Number.isInteger(ref.patchset))) throw new TypeError('not numbers');
  return ref;
}

/** The AIO deployment's clone phase, as it would be sent. */
async function aioClone(host: ShellRunner, options: AioDeployOptions): Promise<void> {
  await host.exec(shellJoin(phaseArgv('clone', validateDeployOptions(options))));
}

/** A container rebuild planned from the real AIO inventory fixture; each step's command line. */
async function rebuildLines(host: ShellRunner, container: string, playbook?: string): Promise<void> {
  const plan = planRebuild(INVENTORY, container, playbook);
  for (const step of plan.steps) await host.exec(shellJoin(step.argv));
}

/** The whole Code step against a recording host: the fetch line is built and "run". */
async function fetchInContainer(host: ShellRunner, url: string, ref: string): Promise<void> {
  const step = codeStep('heat', { kind: 'git', url, ref });
  const ctx = stepContext(host);
  await step.apply(ctx, await step.capture(ctx));
}
