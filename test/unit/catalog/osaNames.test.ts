/**
 * The shipped catalog against OpenStack-Ansible's own names (checked in the os_<service> roles'
 * <svc>_services, inventory/env.d and inventory/group_vars/<svc>_all/haproxy_service.yml): what a
 * container's inventory component resolves to, its units, venv glob, db_sync, HAProxy backend,
 * repository and foreground command.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { expandArgv, loadCatalog, type CatalogService } from '../../../src/core/catalog';

const catalog = loadCatalog({ shipped: { path: join(__dirname, '..', '..', '..', 'catalog', 'services.yaml') } });

function resolved(component: string, service: string): CatalogService {
  const entry = catalog.resolve(component, { units: [] });
  assert.equal(entry.name, service, `${component} resolves to ${service}`);
  assert.equal(entry.inferred, false);
  assert.equal(entry.venv, `/openstack/venvs/${service}-*`);
  assert.equal(entry.git, `https://opendev.org/openstack/${service}`);
  return entry;
}

function foreground(entry: CatalogService, unit: string): string[] {
  const u = entry.units[unit]!;
  return expandArgv(u.command!, { venv: '/V', config: u.config[0] ?? entry.config[0], host: '10.0.0.5', port: u.port === undefined ? undefined : String(u.port), src: '/S' });
}

test('keystone: keystone container → keystone-wsgi-public (uwsgi) on keystone_service-back:5000, keystone-manage db_sync', () => {
  const ks = resolved('keystone', 'keystone');
  assert.deepEqual(Object.keys(ks.units), ['keystone-wsgi-public']);
  const unit = ks.units['keystone-wsgi-public']!;
  assert.equal(unit.production, 'uwsgi');
  assert.equal(unit.haproxy, 'keystone_service-back');
  assert.equal(unit.port, 5000);
  assert.deepEqual(ks.dbSync?.commands, [['{venv}/bin/keystone-manage', '--config-file', '{config}', 'db_sync']]);
  assert.equal(ks.dbSync?.user, 'keystone');
  assert.deepEqual(foreground(ks, 'keystone-wsgi-public'), ['/V/bin/keystone-wsgi-public', '--port', '5000', '--host', '10.0.0.5']);
});

test('neutron: neutron_server runs neutron-server under systemd (not uwsgi) with the ML2 ini; OVS/OVN agents', () => {
  const n = resolved('neutron_server', 'neutron');
  for (const component of ['neutron_dhcp_agent', 'neutron_l3_agent', 'neutron_metadata_agent', 'neutron_metering_agent', 'neutron_openvswitch_agent', 'neutron_ovn_controller']) {
    assert.equal(catalog.forContainer(component)?.name, 'neutron', component);
  }
  assert.deepEqual(Object.keys(n.units).sort(), [
    'neutron-dhcp-agent', 'neutron-l3-agent', 'neutron-metadata-agent', 'neutron-metering-agent', 'neutron-openvswitch-agent', 'neutron-ovn-metadata-agent', 'neutron-server',
  ]);
  const server = n.units['neutron-server']!;
  assert.equal(server.production, 'systemd');
  assert.equal(server.haproxy, 'neutron_server-back');
  assert.equal(server.port, 9696);
  assert.deepEqual(foreground(n, 'neutron-server'), ['/V/bin/neutron-server', '--config-file', '/etc/neutron/neutron.conf', '--config-file', '/etc/neutron/plugins/ml2/ml2_conf.ini']);
  assert.deepEqual(foreground(n, 'neutron-openvswitch-agent').slice(-2), ['--config-file', '/etc/neutron/plugins/ml2/openvswitch_agent.ini']);
  assert.ok(foreground(n, 'neutron-openvswitch-agent').includes('/etc/neutron/plugins/ml2/ml2_conf.ini'));
  assert.equal(n.units['neutron-ovn-metadata-agent']!.user, 'root');
  assert.deepEqual(n.dbSync?.commands[0]?.slice(-2), ['upgrade', 'heads']);
  assert.equal(n.dbSync?.commands[0]?.[0], '{venv}/bin/neutron-db-manage');
  assert.equal(n.dbSync?.user, 'neutron');
});

test('glance: glance_api → glance-api (uwsgi) on glance_api-back:9292, glance-manage db_sync', () => {
  const g = resolved('glance_api', 'glance');
  assert.deepEqual(Object.keys(g.units), ['glance-api']);
  const api = g.units['glance-api']!;
  assert.equal(api.production, 'uwsgi');
  assert.equal(api.haproxy, 'glance_api-back');
  assert.equal(api.port, 9292);
  assert.equal(api.user, 'glance');
  assert.deepEqual(foreground(g, 'glance-api'), ['/V/bin/glance-api', '--config-file', '/etc/glance/glance-api.conf']);
  assert.deepEqual(g.dbSync?.commands, [['{venv}/bin/glance-manage', '--config-file', '{config}', 'db_sync']]);
  assert.deepEqual(g.dbSync?.migrations, ['glance/db/sqlalchemy/alembic_migrations/versions']);
});

test('cinder: cinder_api → cinder-api (uwsgi cinder-wsgi) on cinder_api-back:8776; scheduler, volume, backup; cinder-manage db sync', () => {
  const c = resolved('cinder_api', 'cinder');
  for (const component of ['cinder_scheduler', 'cinder_volume', 'cinder_backup']) assert.equal(catalog.forContainer(component)?.name, 'cinder', component);
  assert.deepEqual(Object.keys(c.units).sort(), ['cinder-api', 'cinder-backup', 'cinder-scheduler', 'cinder-volume']);
  const api = c.units['cinder-api']!;
  assert.equal(api.production, 'uwsgi');
  assert.equal(api.haproxy, 'cinder_api-back');
  assert.equal(api.port, 8776);
  assert.equal(foreground(c, 'cinder-api')[0], '/V/bin/cinder-wsgi');
  assert.deepEqual(c.dbSync?.commands, [['{venv}/bin/cinder-manage', '--config-file', '{config}', 'db', 'sync']]);
});

test('placement: placement_api → placement-api (uwsgi) on placement-back:8780, placement-manage db sync', () => {
  const p = resolved('placement_api', 'placement');
  assert.equal(p.package, 'openstack-placement');
  assert.deepEqual(p.components, ['placement_api']);
  const api = p.units['placement-api']!;
  assert.equal(api.production, 'uwsgi');
  assert.equal(api.haproxy, 'placement-back');
  assert.equal(api.port, 8780, 'OSA serves placement on 8780 (os_placement placement_service_port), not devstack’s 8778');
  assert.deepEqual(foreground(p, 'placement-api'), ['/V/bin/placement-api', '--port', '8780', '--host', '10.0.0.5']);
  assert.deepEqual(p.dbSync?.commands, [['{venv}/bin/placement-manage', '--config-file', '{config}', 'db', 'sync']]);
  assert.equal(p.dbSync?.user, 'placement');
});

test('horizon: horizon → apache2 (mod_wsgi as the horizon user) on horizon-back:80, horizon-manage.py migrate', () => {
  const h = resolved('horizon', 'horizon');
  const apache = h.units['apache2']!;
  assert.equal(apache.production, 'apache');
  assert.equal(apache.user, 'horizon');
  assert.equal(apache.haproxy, 'horizon-back');
  assert.equal(apache.port, 80);
  assert.deepEqual(h.dbSync?.commands, [['{venv}/bin/horizon-manage.py', 'migrate', '--noinput']]);
  assert.equal(h.dbSync?.user, 'horizon');
});

test('swift: swift_proxy/acc/cont/obj → swift-*-server with /etc/swift/<kind>-server/<kind>-server.conf; swift_proxy-back:8080; no db_sync', () => {
  const s = resolved('swift_proxy', 'swift');
  for (const component of ['swift_acc', 'swift_cont', 'swift_obj']) assert.equal(catalog.forContainer(component)?.name, 'swift', component);
  for (const kind of ['proxy', 'account', 'container', 'object']) {
    assert.deepEqual(foreground(s, `swift-${kind}-server`), [`/V/bin/swift-${kind}-server`, `/etc/swift/${kind}-server/${kind}-server.conf`]);
  }
  assert.equal(s.units['swift-proxy-server']!.haproxy, 'swift_proxy-back');
  assert.equal(s.units['swift-proxy-server']!.port, 8080);
  assert.equal(s.dbSync, undefined);
});
