import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { adminSocketOf, parseHaproxyConfig, reloadKeepsStates, resolveServerStateFile, splitAddress, splitWords } from '../../../src/core/haproxy/config';
import { planIsolation } from '../../../src/core/haproxy/isolation';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures/haproxy', name), 'utf8');

test('the lab haproxy.cfg (assembled from conf.d): sections, backends, socket, state file', () => {
  const cfg = parseHaproxyConfig(fixture('lab-haproxy.cfg'));
  assert.deepEqual(
    cfg.sections.map((s) => `${s.kind} ${s.name}`.trim()),
    ['global', 'defaults', 'frontend heat_api-front-1', 'backend heat_api-back', 'frontend keystone_service-front-1', 'backend keystone_service-back'],
  );
  const heat = cfg.backends.find((b) => b.name === 'heat_api-back')!;
  assert.deepEqual(
    heat.servers.map((s) => [s.name, s.address, s.port, s.disabled, s.backup, s.check]),
    [
      ['aio1_heat_api_container-36e270c9', '172.29.236.101', 8004, false, false, true],
      ['aio1-heat-api-container-5d2a9f10', '172.29.236.102', 8004, false, false, true],
    ],
  );
  assert.deepEqual(heat.servers[0]!.options, ['check', 'port', '8004', 'inter', '2000', 'rise', '2', 'fall', '2']);
  assert.equal(heat.loadServerStateFromFile, 'global');
  assert.deepEqual(cfg.statsSockets.map((s) => [s.path, s.level, s.mode]), [['/var/run/haproxy.stat', 'admin', '600']]);
  assert.equal(resolveServerStateFile(cfg), '/var/lib/haproxy/haproxy.state');
  assert.equal(reloadKeepsStates(cfg, 'heat_api-back'), true);
});

test('OSA fragments parsed one by one: heat (two frontends, ssl bind), keystone, galera backups, horizon CRLF', () => {
  const cfg = parseHaproxyConfig(
    ['osa-heat_api', 'osa-keystone_service', 'osa-galera', 'osa-horizon'].map((f) => ({ path: `/etc/haproxy/conf.d/${f.slice(4)}`, text: fixture(f) })),
  );
  assert.deepEqual(cfg.backends.map((b) => [b.name, b.servers.length, b.file]), [
    ['heat_api-back', 2, '/etc/haproxy/conf.d/heat_api'],
    ['keystone_service-back', 1, '/etc/haproxy/conf.d/keystone_service'],
    ['galera-back', 3, '/etc/haproxy/conf.d/galera'],
    ['horizon-back', 2, '/etc/haproxy/conf.d/horizon'],
  ]);
  assert.equal(cfg.sections.filter((s) => s.kind === 'frontend').length, 6);
  const galera = cfg.backends.find((b) => b.name === 'galera-back')!;
  assert.deepEqual(galera.servers.map((s) => [s.backup, s.disabled]), [[false, false], [true, false], [true, true]]);
  // A comment after the option: not a word.
  const chk = cfg.sections.find((s) => s.name === 'galera-back')!.lines.find((l) => l.words[1] === 'httpchk')!;
  assert.equal(chk.words.at(-1), 'HTTP/1.0\r\nUser-agent: osa-haproxy-healthcheck');
  const horizon = cfg.backends.find((b) => b.name === 'horizon-back')!;
  assert.deepEqual(horizon.servers[0]!.options.slice(-4), ['ssl', 'check-ssl', 'verify', 'none']);
  assert.equal(horizon.servers[0]!.port, 443);
  // No defaults in these files: nothing says states are loaded.
  assert.equal(horizon.loadServerStateFromFile, undefined);
});

test('main cfg with listen sections (act as backends), two sockets, relative state file under server-state-base', () => {
  const cfg = parseHaproxyConfig(fixture('osa-haproxy.cfg'));
  assert.deepEqual(cfg.backends.map((b) => [b.name, b.kind, b.servers.length, b.loadServerStateFromFile]), [
    ['stats', 'listen', 0, 'global'],
    ['repo_all', 'listen', 2, 'global'],
  ]);
  assert.equal(cfg.statsSockets.length, 2);
  assert.equal(adminSocketOf(cfg)?.path, '/var/run/haproxy.stat');
  assert.equal(resolveServerStateFile(cfg), '/var/lib/haproxy/haproxy.state');
  const plan = planIsolation(cfg.backends, { name: 'aio1_repo_container-9d0e3c77' });
  assert.deepEqual(plan.isolate, [{ backend: 'repo_all', server: 'aio1_repo_container-9d0e3c77', others: ['aio1_repo_container-4f2a1b9c'], matchedBy: 'name' }]);
});

test('tolerates unknown directives, odd indentation, comments and quotes', () => {
  const cfg = parseHaproxyConfig(
    [
      '# banner before any section',
      'global',
      '\tstats socket "/run/my haproxy.sock" level admin # quoted path',
      'frobnicate yes',
      '  backend   b1   # trailing',
      'server s1 10.0.0.1:80 weight 10 some-future-keyword',
      '    server s2 [fd00::2]:8080 check',
      '    server s3 ipv4@10.0.0.3',
      '    default-server inter 2s',
      '',
    ].join('\n'),
  );
  assert.equal(cfg.statsSockets[0]?.path, '/run/my haproxy.sock');
  assert.equal(adminSocketOf(cfg)?.path, '/run/my haproxy.sock');
  assert.deepEqual(cfg.backends[0]!.servers.map((s) => [s.name, s.address, s.port]), [
    ['s1', '10.0.0.1', 80],
    ['s2', 'fd00::2', 8080],
    ['s3', '10.0.0.3', undefined],
  ]);
  assert.equal(resolveServerStateFile(cfg), undefined);
  assert.equal(reloadKeepsStates(cfg, 'b1'), false);
});

test('splitWords and splitAddress', () => {
  assert.deepEqual(splitWords('  http-check send hdr User-Agent "a b" # c'), ['http-check', 'send', 'hdr', 'User-Agent', 'a b']);
  assert.deepEqual(splitAddress('172.29.236.101:8004'), { address: '172.29.236.101', port: 8004 });
  assert.deepEqual(splitAddress('galera1'), { address: 'galera1' });
});

test('planIsolation: by name, by address, single server, no backend', () => {
  const cfg = parseHaproxyConfig(fixture('lab-haproxy.cfg'));
  const byName = planIsolation(cfg.backends, { name: 'aio1-heat-api-container-5d2a9f10', ip: '172.29.236.102' });
  assert.deepEqual(byName, {
    isolate: [{ backend: 'heat_api-back', server: 'aio1-heat-api-container-5d2a9f10', others: ['aio1_heat_api_container-36e270c9'], matchedBy: 'name' }],
    singleServer: [],
  });
  // Renamed container (inventory name differs from the server name): the address still matches.
  const byIp = planIsolation(cfg.backends, { name: 'aio1-heat-api-container-36e270c9', ip: '172.29.236.101' });
  assert.equal(byIp.isolate[0]?.server, 'aio1_heat_api_container-36e270c9');
  assert.equal(byIp.isolate[0]?.matchedBy, 'address');
  assert.deepEqual(planIsolation(cfg.backends, { name: 'aio1-keystone-container-821e7cf8', ip: '172.29.236.103' }), {
    isolate: [],
    singleServer: [{ backend: 'keystone_service-back', server: 'aio1-keystone-container-821e7cf8' }],
  });
  assert.deepEqual(planIsolation(cfg.backends, { name: 'aio1-utility-container-d83fab91', ip: '172.29.236.104' }), { isolate: [], singleServer: [] });
  // Galera: the others include backup and config-disabled servers (all go to maint; restore puts them back).
  const galera = parseHaproxyConfig(fixture('osa-galera'));
  assert.deepEqual(planIsolation(galera.backends, { name: 'aio1_galera_container-9e1f7d02' }).isolate[0]?.others, [
    'aio1_galera_container-5a7b3c21',
    'aio1_galera_container-c4d2e810',
  ]);
});
