/**
 * Every parser of text that comes from outside (the host, Gerrit, the user's files), with the real
 * inputs it is fuzzed from. Each `parse` also runs what the product does next with the result, so
 * a parser that returns nonsense without complaining is caught where the nonsense would bite.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalogYaml } from '../../../src/core/catalog';
import { loadCatalog } from '../../../src/core/catalog';
import { parseJournal, stepsToUndo, summarizeJournal } from '../../../src/core/devloop/journal';
import { stepsForRestore } from '../../../src/core/devloop/plan';
import { parseExecStart, parseSystemctlShow, parseUnitFiles } from '../../../src/core/devloop/steps/systemdShow';
import { enablePipIndex, parsePipConfigDebug } from '../../../src/core/devloop/steps/pipIni';
import { venvFromUwsgiIni } from '../../../src/core/devloop/steps/uwsgiIni';
import { currentPatchset, parseChangeList, parseChangeRef, parseGerritJson, parseGitReview, reviewBranchName, summarize } from '../../../src/core/gerrit';
import { assertGitRef } from '../../../src/core/git/validate';
import { adminSocketOf, checkParamsOf, parseHaproxyConfig, reloadKeepsStates, resolveServerStateFile } from '../../../src/core/haproxy/config';
import { parseServersState } from '../../../src/core/haproxy/serversState';
import { buildHostView } from '../../../src/core/model/loadHostView';
import { splitHostSnapshot } from '../../../src/core/model/hostSnapshot';
import { colorizeOsloLog } from '../../../src/core/model/osloLog';
import { silentLogger } from '../../../src/core/log';
import { parseInventory } from '../../../src/core/osa/inventory';
import { parseOsaContainerName } from '../../../src/core/osa/containerName';
import { joinContainers } from '../../../src/core/osa/serviceOf';
import { parseLxcLsFancy } from '../../../src/core/runtime/lxc/parseLxcLs';
import { checkKnownHost, parseKnownHosts, resolveHost } from '../../../src/core/ssh';
import { parseManifest } from '../../../src/core/sync/manifest';
import { runtime } from './recordingRunner';
import { parseAioState, nextPhase, withCompleted, rewoundTo } from '../../../src/core/aio/deployState';
import { assertAioSupported, parseOsRelease } from '../../../src/core/aio/osRelease';
import { summarizePlaybookRun } from '../../../src/core/ansible/recap';
import { parseChangePage } from '../../../src/core/gerrit/parse';
import { parseRemoteUrl, projectFromGitReview } from '../../../src/core/gerrit/project';
import { cloudView, vipsFromUserConfig } from '../../../src/core/osa/cloudEndpoints';
import { planRebuild } from '../../../src/core/osa/rebuild';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const REPO = join(__dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(path, 'utf8');
const dir = (sub: string, filter: (name: string) => boolean = () => true): string[] =>
  readdirSync(join(FIXTURES, sub))
    .filter(filter)
    .sort()
    .map((name) => read(join(FIXTURES, sub, name)));

export interface FuzzedParser {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly json?: boolean;
  parse(text: string): unknown;
}

const LXC = [...dir('lxc'), read('/work/shared/fixtures/lxc-ls-f-osa-aio-lxc1.txt')];
const INVENTORY = read(join(FIXTURES, 'osa', 'openstack_inventory.aio.json'));
const SNAPSHOT_MARK = '@@osa-dev:';

export const FUZZED_PARSERS: readonly FuzzedParser[] = [
  { name: 'lxc-ls -f table', inputs: LXC, parse: (t) => parseLxcLsFancy(t).map((c) => parseOsaContainerName(c.name)) },
  { name: 'lxc-ls through the runtime', inputs: LXC, parse: (t) => runtime.listContainers().parse({ code: 0, stdout: t, stderr: '' }) },
  {
    name: 'host snapshot (lxc-ls + inventory + units) → tree',
    inputs: [`${LXC[4]}\n${SNAPSHOT_MARK}rc=0\n${SNAPSHOT_MARK}inventory\n${INVENTORY}\n${SNAPSHOT_MARK}units\naio1_heat_api_container-36e270c9 heat-api.service\n${SNAPSHOT_MARK}journal\n${read(join(FIXTURES, 'devloop', 'journal-heat-api.json'))}`],
    parse: (t) => buildHostView(splitHostSnapshot({ code: 0, stdout: t, stderr: '' }), (l) => parseLxcLsFancy(l.stdout), silentLogger),
  },
  {
    name: 'HAProxy configuration',
    inputs: [...dir('haproxy', (n) => !n.includes('states')), read(join(REPO, 'test/lab/haproxy/00-haproxy'))],
    parse: (t) => {
      const config = parseHaproxyConfig([{ path: '/etc/haproxy/haproxy.cfg', text: t }]);
      for (const backend of config.backends) {
        reloadKeepsStates(config, backend.name);
        backend.servers.forEach(checkParamsOf);
      }
      return [adminSocketOf(config), resolveServerStateFile(config)];
    },
  },
  { name: 'HAProxy show servers state', inputs: dir('haproxy', (n) => n.includes('states')), parse: (t) => parseServersState(t) },
  { name: 'OSA inventory JSON', inputs: [INVENTORY], json: true, parse: (t) => joinContainers(parseLxcLsFancy(LXC[5]!), parseInventory(t)) },
  {
    name: 'Gerrit JSON (change query)',
    inputs: [read(join(FIXTURES, 'gerrit', 'changes-query-all-revisions.json'))],
    json: true,
    parse: (t) =>
      parseChangeList(parseGerritJson(t)).map((change) => {
        summarize(change);
        currentPatchset(change);
        return assertGitRef(reviewBranchName(change, { patchset: 1 }));
      }),
  },
  { name: 'Gerrit change / review URL', inputs: ['12345', '12345,3', 'https://review.opendev.org/c/openstack/heat/+/934512/2', 'https://review.opendev.org/#/c/934512/1/', 'https://review.example.org/r/c/openstack/heat/+/934512/1..2/heat/engine/service.py'], parse: (t) => parseChangeRef(t) },
  { name: '.gitreview', inputs: [read(join(FIXTURES, 'gerrit', 'gitreview-heat'))], parse: (t) => parseGitReview(t) },
  {
    name: 'service catalog YAML',
    inputs: [read(join(REPO, 'catalog', 'services.yaml')), ...dir('catalog')],
    parse: (t) => {
      parseCatalogYaml(t, 'user.yaml');
      const catalog = loadCatalog({ shipped: { path: join(REPO, 'catalog', 'services.yaml') }, user: { path: 'user.yaml', text: t } });
      return catalog.services.map((s) => catalog.resolve(s.name, { units: [] }));
    },
  },
  {
    name: 'dev-mode journal',
    inputs: [read(join(FIXTURES, 'devloop', 'journal-heat-api.json'))],
    json: true,
    parse: (t) => {
      const doc = parseJournal('/var/lib/osa-dev/x.json', t);
      summarizeJournal(doc);
      stepsToUndo(doc);
      return stepsForRestore(doc);
    },
  },
  {
    name: 'known_hosts',
    inputs: ['# lab\n[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG0KqK2fO0tF6c2v1m3YtW8Zr0Ff3b2wq8cJ7zJtq9Xx\n@revoked * ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7\n|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG0KqK2fO0tF6c2v1m3YtW8Zr0Ff3b2wq8cJ7zJtq9Xx\n'],
    parse: (t) => checkKnownHost(parseKnownHosts(t), '127.0.0.1', 2222, 'ssh-ed25519', Buffer.from('x')),
  },
  {
    name: 'ssh client config',
    inputs: ['Host aio1 aio1-*\n  HostName 127.0.0.1\n  Port 2222\n  User root\n  IdentityFile ~/.ssh/id_%r_%h\n  ProxyJump jump\nHost jump\n  HostName 10.0.0.1\n  User %u\nMatch host 10.*\n  Port 22\n'],
    parse: (t) => resolveHost('aio1', t, { home: '/root', localUser: 'root' }),
  },
  { name: 'systemctl show', inputs: dir('systemd', (n) => n.startsWith('show-')), parse: (t) => parseSystemctlShow(t) },
  { name: 'systemd ExecStart', inputs: dir('systemd', (n) => n.startsWith('exec')), parse: (t) => parseExecStart(t) },
  { name: 'systemctl list-unit-files', inputs: dir('systemd', (n) => n.startsWith('list-')), parse: (t) => parseUnitFiles(t) },
  { name: 'uwsgi ini', inputs: dir('systemd', (n) => n.endsWith('.ini')), parse: (t) => venvFromUwsgiIni(t) },
  { name: 'pip config debug / pip.conf', inputs: dir('systemd', (n) => n.startsWith('pip')), parse: (t) => [parsePipConfigDebug(t), enablePipIndex(t, 'https://pypi.org/simple')] },
  { name: 'sync manifest', inputs: ['osa-dev-manifest 1\nheat/__init__.py\0heat/engine/service.py\0setup.cfg\0'], parse: (t) => parseManifest(t) },
  { name: 'ansible-playbook output (PLAY RECAP)', inputs: dir('ansible'), parse: (t) => summarizePlaybookRun(t, 2) },
  { name: '/etc/os-release', inputs: [read(join(FIXTURES, 'osa', 'os-release-debian12'))], parse: (t) => assertAioSupported(parseOsRelease(t), 'aio1') },
  {
    name: 'AIO deployment state',
    inputs: [JSON.stringify({ version: 1, repository: 'https://opendev.org/openstack/openstack-ansible', branch: 'stable/2025.1', completed: ['clone', 'bootstrap-ansible'], failed: { phase: 'bootstrap-aio', message: 'PLAY RECAP failed', at: '2026-11-25T12:00:00Z' }, updated: '2026-11-25T12:00:00Z' }, null, 1)],
    json: true,
    parse: (t) => {
      const state = parseAioState(t);
      const next = nextPhase(state);
      return next === undefined ? state : [withCompleted(state, next, new Date(0)), rewoundTo(state, next)];
    },
  },
  {
    name: 'openstack_user_config.yml + haproxy.cfg → cloud endpoints',
    inputs: [read(join(FIXTURES, 'osa', 'lab-openstack_user_config.yml'))],
    parse: (t) => cloudView(parseHaproxyConfig(read(join(FIXTURES, 'haproxy', 'lab-haproxy.cfg'))), vipsFromUserConfig(t)),
  },
  {
    name: 'inventory → container rebuild plan',
    inputs: [INVENTORY],
    json: true,
    parse: (t) => {
      const inventory = parseInventory(t);
      return [...inventory.containers.keys()].slice(0, 3).map((c) => planRebuild(inventory, c));
    },
  },
  { name: 'Gerrit JSON (a page of a query)', inputs: [read(join(FIXTURES, 'gerrit', 'changes-query-all-revisions.json'))], json: true, parse: (t) => parseChangePage(parseGerritJson(t)) },
  { name: 'git remote URL → Gerrit project', inputs: ['https://review.opendev.org/openstack/heat', 'ssh://alice@review.opendev.org:29418/openstack/heat.git', 'alice@review.example.org:openstack/heat'], parse: (t) => parseRemoteUrl(t) },
  { name: '.gitreview → Gerrit project', inputs: [read(join(FIXTURES, 'gerrit', 'gitreview-heat'))], parse: (t) => projectFromGitReview(t) },
  { name: 'oslo.log text', inputs: ['2026-11-25 12:00:00.123 1234 INFO heat.engine.service [req-1 - - - -] Starting\n2026-11-25 12:00:01.001 1234 ERROR heat.api [-] boom\nTraceback (most recent call last):\n'], parse: (t) => colorizeOsloLog(t) },
];
