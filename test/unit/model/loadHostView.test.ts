import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { silentLogger } from '../../../src/core/log';
import { buildHostView, loadHostView } from '../../../src/core/model/loadHostView';
import type { ExecResult, ShellRunner } from '../../../src/core/process/types';
import { parseLxcLsFancy } from '../../../src/core/runtime/lxc/parseLxcLs';
import { LxcRuntime } from '../../../src/core/runtime/lxc/lxcRuntime';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const parse = (r: ExecResult) => parseLxcLsFancy(r.stdout);

test('the 31 containers of a real OSA AIO (LXC 1.x) group by service without an inventory', () => {
  const view = buildHostView(
    { listing: { code: 0, stdout: fixture('lxc/lxc1-default-osa-aio.txt'), stderr: '' }, units: new Map(), journals: [] },
    parse,
    silentLogger,
  );
  const byService = new Map(view.services.map((g) => [g.service, g.containers.map((c) => c.name)]));
  assert.equal([...byService.values()].flat().length, 31);
  assert.deepEqual(byService.get('galera')?.length, 3);
  assert.deepEqual(byService.get('heat'), ['aio1_heat_apis_container-40ec9f3e', 'aio1_heat_engine_container-36e270c9']);
  assert.equal(byService.get('nova')?.length, 6);
  assert.ok(byService.has('utility'));
  const heat = view.services.find((g) => g.service === 'heat')!.containers[0]!;
  assert.equal(heat.managementIp, '172.29.239.6', 'the br-mgmt address, not lxcbr0');
  assert.deepEqual(heat.ipv4, ['10.0.3.193', '172.29.239.6']);
  assert.equal(view.inventoryFound, false);
});

test('the inventory names services and management addresses; units attach to their container', () => {
  const view = buildHostView(
    {
      listing: { code: 0, stdout: fixture('lxc/lxc4-custom-columns.txt'), stderr: '' },
      inventoryText: fixture('osa/openstack_inventory.aio.json'),
      units: new Map([['aio1-heat-api-container-36e270c9', ['heat-engine.service', 'heat-api.service']]]),
      journals: [],
    },
    parse,
    silentLogger,
  );
  assert.equal(view.inventoryFound, true);
  const heat = view.services.find((g) => g.service === 'heat')?.containers[0];
  assert.equal(heat?.name, 'aio1-heat-api-container-36e270c9');
  assert.deepEqual(heat?.units, ['heat-api.service', 'heat-engine.service']);
  assert.ok(heat?.groups.includes('heat_all'), `groups: ${heat?.groups.join(',')}`);
  const keystone = view.services.find((g) => g.service === 'keystone')?.containers[0];
  assert.equal(keystone?.state, 'stopped');
});

test('a malformed inventory becomes a warning, and names still give the services', () => {
  const warnings: string[] = [];
  const view = buildHostView(
    { listing: { code: 0, stdout: fixture('lxc/lxc4-custom-columns.txt'), stderr: '' }, inventoryText: '{"_meta": ', units: new Map(), journals: [] },
    parse,
    { ...silentLogger, warn: (m) => warnings.push(m) },
  );
  assert.equal(view.inventoryFound, false);
  assert.equal(view.warnings.length, 1);
  assert.match(view.warnings[0]!, /openstack_inventory\.json/);
  assert.deepEqual(warnings, view.warnings);
  assert.ok(view.services.some((g) => g.service === 'heat'));
});

test('loadHostView makes exactly one exec and surfaces a missing lxc-ls clearly', async () => {
  const calls: string[] = [];
  const runner: ShellRunner = {
    exec: async (line) => {
      calls.push(line);
      return { code: 0, stdout: '@@osa-dev:rc=127\n@@osa-dev:units\n', stderr: 'sh: 1: lxc-ls: not found' };
    },
  };
  await assert.rejects(loadHostView(runner, new LxcRuntime({ host: 'aio1' }), silentLogger), /lxc-ls not found on aio1/);
  assert.equal(calls.length, 1);
});

test('units every container has (getty, systemd-*) are not listed as its services', () => {
  const view = buildHostView(
    {
      listing: { code: 0, stdout: fixture('lxc/lxc4-custom-columns.txt'), stderr: '' },
      units: new Map([['aio1-heat-api-container-36e270c9', ['getty-static.service', 'heat-api.service', 'systemd-networkd.service']]]),
      journals: [],
    },
    parse,
    silentLogger,
  );
  const heat = view.services.find((g) => g.service === 'heat')?.containers[0];
  assert.deepEqual(heat?.units, ['heat-api.service']);
});

test('a journal on the host marks its container as in dev mode, with the failed step', () => {
  const journal = {
    format: 'osa-dev-journal/1',
    container: 'aio1-heat-api-container-36e270c9',
    request: { service: 'heat' },
    createdAt: '2026-11-25T12:00:00.000Z',
    updatedAt: '2026-11-25T12:01:00.000Z',
    steps: [
      { id: 'isolate', title: 'Isolate in HAProxy', status: 'applied', original: {}, updatedAt: '2026-11-25T12:00:10.000Z' },
      { id: 'stop', title: 'Stop heat-api', status: 'applied', original: {}, updatedAt: '2026-11-25T12:00:20.000Z' },
      { id: 'deps', title: 'Install dependencies', status: 'failed', original: {}, error: 'No matching distribution found for oslo.foo', updatedAt: '2026-11-25T12:01:00.000Z' },
    ],
  };
  const view = buildHostView(
    {
      listing: { code: 0, stdout: fixture('lxc/lxc4-custom-columns.txt'), stderr: '' },
      units: new Map(),
      journals: [JSON.stringify(journal, null, 1), '{"format": "bogus"}'],
    },
    parse,
    silentLogger,
  );
  const heat = view.services.find((g) => g.service === 'heat')?.containers[0];
  assert.deepEqual(heat?.devMode, {
    state: 'failed',
    stepNumber: 3,
    stepTitle: 'Install dependencies',
    error: 'No matching distribution found for oslo.foo',
    service: 'heat',
    updatedAt: '2026-11-25T12:01:00.000Z',
  });
  assert.equal(view.warnings.length, 1, 'the unreadable journal is reported, not hidden');
  assert.equal(view.services.find((g) => g.service === 'keystone')?.containers[0]?.devMode, undefined);
});
