import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ExecResult } from '../../../src/core/process/types';
import { CommandFailedError } from '../../../src/core/process/types';
import { InvalidNameError } from '../../../src/core/runtime/lxc/errors';
import { OciCliNotFoundError, OciOutputError } from '../../../src/core/runtime/oci/errors';
import { OciRuntime } from '../../../src/core/runtime/oci/ociRuntime';
import { parseDockerPs } from '../../../src/core/runtime/oci/parseDockerPs';
import { parsePodmanPs } from '../../../src/core/runtime/oci/parsePodmanPs';

const fixture = (path: string): string => readFileSync(join(__dirname, '../../fixtures', path), 'utf8');
const ok = (stdout: string, stderr = ''): ExecResult => ({ code: 0, stdout, stderr });
const podman = new OciRuntime('podman', { host: 'kolla1' });
const docker = new OciRuntime('docker', { host: 'kolla1' });

test('podman ps -a --format json (4.3.1): names, states, pid only while running, image', () => {
  const containers = parsePodmanPs(fixture('podman/ps-a-4.3.1.json'));
  assert.deepEqual(containers, [
    { name: 'probe', state: 'running', pid: 32037, ipv4: [], groups: [], image: 'localhost/kolla-probe:base' },
    { name: 'probe2', state: 'stopped', ipv4: [], groups: [], image: 'localhost/kolla-probe:base' },
  ]);
});

test("podman ps -a on the lab's Kolla host: heat_api and heat_engine, running kolla_start", () => {
  const containers = parsePodmanPs(fixture('podman/ps-kolla-lab-4.3.1.json'));
  assert.deepEqual(
    containers.map((c) => [c.name, c.state, c.image, typeof c.pid]),
    [
      ['heat_api', 'running', 'localhost/kolla/heat-api:lab', 'number'],
      ['heat_engine', 'running', 'localhost/kolla/heat-engine:lab', 'number'],
    ],
  );
});

test('podman ps: no containers is [] (podman 2+) or nothing (podman 1.x)', () => {
  assert.deepEqual(parsePodmanPs('[]\n'), []);
  assert.deepEqual(parsePodmanPs(''), []);
});

test('podman ps: a table, an object or an entry without Names is an OciOutputError naming what came', () => {
  assert.throws(() => parsePodmanPs('CONTAINER ID  IMAGE  COMMAND\n'), (e: unknown) => e instanceof OciOutputError && /CONTAINER ID/.test(e.message));
  assert.throws(() => parsePodmanPs('{"Names":["a"]}'), OciOutputError);
  assert.throws(() => parsePodmanPs('[{"State":"running"}]'), /entry 1 has no Names/);
});

test('docker ps --format {{json .}} (CLI 28.2.2): one object per line, Names a string', () => {
  const containers = parseDockerPs(fixture('docker/ps-a-cli-28.2.2.jsonl'));
  assert.deepEqual(
    containers.map((c) => [c.name, c.state, c.image]),
    [
      ['probe2', 'stopped', 'localhost/kolla-probe:base'],
      ['probe', 'stopped', 'localhost/kolla-probe:base'],
    ],
  );
  assert.equal(containers[0]?.pid, undefined);
});

test('docker ps: the first of several names; a non-JSON line is refused with its number', () => {
  const line = '{"Names":"heat_api,heat_api_alias","State":"running","Image":"quay.io/openstack.kolla/heat-api:2024.1-debian-bookworm"}';
  assert.deepEqual(parseDockerPs(`${line}\n\n`).map((c) => [c.name, c.state]), [['heat_api', 'running']]);
  assert.deepEqual(parseDockerPs(''), []);
  assert.throws(() => parseDockerPs(`${line}\nCannot connect to the Docker daemon`), /line 2/);
});

test('every podman/docker state maps to ours', () => {
  const states = ['created', 'configured', 'running', 'paused', 'stopping', 'stopped', 'exited', 'removing', 'restarting', 'dead', 'odd'];
  const mapped = states.map((State) => parsePodmanPs(JSON.stringify([{ Names: ['c'], State }]))[0]?.state);
  assert.deepEqual(mapped, ['stopped', 'stopped', 'running', 'frozen', 'stopping', 'stopped', 'stopped', 'stopping', 'starting', 'stopped', 'unknown']);
});

test('listContainers: podman asks for JSON, docker for a JSON object per line; a missing CLI says so', () => {
  assert.deepEqual(podman.listContainers().argv.slice(0, 2), ['sh', '-c']);
  assert.match(podman.listContainers().argv[2]!, /^podman ps -a --format json; rc=\$\?; /);
  assert.match(docker.listContainers().argv[2]!, /^docker ps -a --no-trunc --format '\{\{json \.\}\}'; rc=\$\?; /);
  assert.throws(() => podman.listContainers().parse({ code: 127, stdout: '', stderr: 'sh: 1: podman: not found' }), (e: unknown) => e instanceof OciCliNotFoundError && /podman not found on kolla1/.test(e.message));
  const daemonDown = { code: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' };
  assert.throws(() => docker.listContainers().parse(daemonDown), (e: unknown) => e instanceof CommandFailedError && /Is the docker daemon running/.test(e.message));
});

test('stateOf: container inspect; a container that does not exist is undefined (podman and docker wording)', () => {
  const spec = podman.stateOf('heat_api');
  assert.deepEqual(spec.argv, ['podman', 'container', 'inspect', '--format', '{{.State.Status}}', 'heat_api']);
  assert.equal(spec.parse(ok('running\n')), 'running');
  assert.equal(spec.parse(ok('exited\n')), 'stopped');
  assert.equal(spec.parse({ code: 125, stdout: '', stderr: 'Error: inspecting object: no such container heat_api\n' }), undefined);
  assert.equal(docker.stateOf('heat_api').parse({ code: 1, stdout: '', stderr: 'Error: No such container: heat_api\n' }), undefined);
  assert.throws(() => spec.parse({ code: 125, stdout: '', stderr: 'Error: database is locked' }), CommandFailedError);
});

test('execArgv: root unless told, stdin attached, workdir and env as options, then the name and argv', () => {
  assert.deepEqual(podman.execArgv('heat_api', ['cat', '/etc/heat/heat.conf']), ['podman', 'exec', '-i', '--user', 'root', 'heat_api', 'cat', '/etc/heat/heat.conf']);
  assert.deepEqual(docker.execArgv('heat_api', ['heat-api'], { user: 'heat', cwd: '/var/lib/heat', env: { PYTHONUNBUFFERED: '1', A: 'x y' } }), [
    'docker', 'exec', '-i', '--user', 'heat', '--workdir', '/var/lib/heat', '--env', 'PYTHONUNBUFFERED=1', '--env', 'A=x y', 'heat_api', 'heat-api',
  ]);
});

test('shellArgv: a TTY, root with HOME=/root, bash when there is one', () => {
  const argv = podman.shellArgv('heat_api');
  assert.deepEqual(argv.slice(0, 10), ['podman', 'exec', '-it', '--user', 'root', '--env', 'TERM=xterm-256color', '--env', 'HOME=/root', 'heat_api']);
  assert.equal(argv[10], 'sh');
  assert.deepEqual(podman.shellArgv('heat_api', { user: 'heat' }).slice(3, 5), ['--user', 'heat']);
});

test('names are validated: an option-looking container, user, env key or relative workdir is refused', () => {
  assert.throws(() => podman.execArgv('--privileged', ['id']), InvalidNameError);
  assert.throws(() => podman.execArgv('heat_api', ['id'], { user: '-u0' }), InvalidNameError);
  assert.throws(() => podman.execArgv('heat_api', ['id'], { env: { 'A=B': 'c' } }), InvalidNameError);
  assert.throws(() => podman.execArgv('heat_api', ['id'], { cwd: 'tmp' }), InvalidNameError);
  assert.throws(() => podman.stateOf('a b'), InvalidNameError);
  assert.throws(() => podman.execArgv('heat_api', []), /empty command/);
});

test('host networking (Kolla): a container with no network of its own is reached at the host\'s global IPv4 addresses, listed in the same round trip', () => {
  const hostAddresses = "@@osa-dev host-ipv4\n2: eth0    inet 172.29.236.120/22 scope global eth0\\       valid_lft forever preferred_lft forever\n";
  const listed = podman.listContainers().parse({ code: 0, stdout: `${fixture('podman/ps-kolla-lab-4.3.1.json')}\n${hostAddresses}`, stderr: '' });
  assert.deepEqual(listed.map((c) => [c.name, c.ipv4]), [['heat_api', ['172.29.236.120']], ['heat_engine', ['172.29.236.120']]]);
  const bridged = JSON.stringify([{ Names: ['web'], State: 'running', Networks: ['podman'] }]);
  assert.deepEqual(podman.listContainers().parse({ code: 0, stdout: `${bridged}\n${hostAddresses}`, stderr: '' })[0]?.ipv4, [], 'a container on its own network is not given the host\'s address');
  const viaDocker = docker.listContainers().parse({ code: 0, stdout: `${fixture('docker/ps-kolla-cli-28.2.2.jsonl')}\n${hostAddresses}`, stderr: '' });
  assert.deepEqual(viaDocker.map((c) => c.ipv4), [['172.29.236.120']]);
  // A failing listing still fails (its exit code is kept past the addresses).
  assert.throws(() => podman.listContainers().parse({ code: 125, stdout: hostAddresses, stderr: 'Error: bad' }), /podman ps failed/);
});
