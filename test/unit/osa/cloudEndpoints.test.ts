import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseHaproxyConfig } from '../../../src/core/haproxy/config';
import { cloudView, vipsFromUserConfig } from '../../../src/core/osa/cloudEndpoints';

const fixture = (name: string): { path: string; text: string } => ({
  path: `/etc/haproxy/conf.d/${name}`,
  text: readFileSync(join(__dirname, '../../fixtures/haproxy', name), 'utf8'),
});

test("OSA's fragments: every service frontend with its scheme; Horizon's URL; galera is an endpoint too", () => {
  const config = parseHaproxyConfig(['osa-haproxy.cfg', 'osa-horizon', 'osa-keystone_service', 'osa-heat_api', 'osa-galera'].map(fixture));
  const view = cloudView(config);
  assert.deepEqual(
    view.endpoints.map((e) => `${e.name} ${e.url}`),
    [
      'galera tcp://172.29.236.100:3306',
      'heat_api http://172.29.236.100:8004/',
      'heat_api https://172.29.236.101:8004/',
      'horizon https://203.0.113.10/',
      'keystone_service http://172.29.236.100:5000/',
    ],
  );
  assert.equal(view.horizonUrl, 'https://203.0.113.10/', 'the redirect-only frontend has no backend: not an endpoint');
});

test('wildcard binds are shown at the external VIP (else the internal one); IPv6 in brackets', () => {
  const config = parseHaproxyConfig(
    'frontend a-front\n bind *:5000\n default_backend keystone_service-back\nfrontend b\n bind :::9292 ssl crt x.pem\n use_backend glance_api-back if x\n',
  );
  assert.deepEqual(cloudView(config, { external: '203.0.113.10', internal: '172.29.236.100' }).endpoints.map((e) => e.url), [
    'https://203.0.113.10:9292/',
    'http://203.0.113.10:5000/',
  ]);
  assert.deepEqual(cloudView(config, { internal: 'fd00::1' }).endpoints.map((e) => e.url), ['https://[fd00::1]:9292/', 'http://[fd00::1]:5000/']);
});

test('frontends without a -back backend (stats, letsencrypt) and unix binds are not endpoints', () => {
  const config = parseHaproxyConfig('listen stats\n bind 172.29.236.100:1936\n stats enable\nfrontend s\n bind /run/x.sock\n default_backend k-back\n');
  assert.deepEqual(cloudView(config).endpoints, []);
});

test("VIPs from openstack_user_config.yml's global_overrides; junk gives none", () => {
  const yaml = 'cidr_networks:\n  container: 172.29.236.0/22\nglobal_overrides:\n  internal_lb_vip_address: 172.29.236.100\n  external_lb_vip_address: 203.0.113.10\n';
  assert.deepEqual(vipsFromUserConfig(yaml), { external: '203.0.113.10', internal: '172.29.236.100' });
  assert.deepEqual(vipsFromUserConfig('global_overrides: [1'), {});
  assert.deepEqual(vipsFromUserConfig(undefined), {});
  assert.deepEqual(vipsFromUserConfig('- a\n'), {});
});
