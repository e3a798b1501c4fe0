/**
 * OpenStack and infrastructure services OSA deploys in containers, as the tree shows them.
 * A container component (`heat_api`, `nova_api_os_compute`, `rabbit_mq`) belongs to the first
 * entry that equals it or is followed by `_`. Renames keep names equal to the inventory's
 * `properties.service_name` (OSA calls the rabbit_mq container's service "rabbitmq").
 */
const KNOWN_SERVICES: readonly string[] = [
  'adjutant', 'aodh', 'barbican', 'blazar', 'ceilometer', 'cinder', 'cloudkitty', 'designate',
  'glance', 'gnocchi', 'heat', 'horizon', 'ironic', 'keystone', 'magnum', 'manila', 'masakari',
  'mistral', 'neutron', 'nova', 'octavia', 'placement', 'sahara', 'senlin', 'skyline', 'swift',
  'tacker', 'trove', 'watcher', 'zaqar', 'zun',
  'galera', 'rabbit_mq', 'memcached', 'repo', 'rsyslog', 'utility', 'haproxy', 'etcd', 'zookeeper',
  'unbound', 'ceph', 'opensearch', 'grafana',
];

const RENAMED: Readonly<Record<string, string>> = { rabbit_mq: 'rabbitmq' };

/** The service a component belongs to, or undefined when the component is not a known one. */
export function knownServiceOf(component: string): string | undefined {
  const match = KNOWN_SERVICES.find((svc) => component === svc || component.startsWith(`${svc}_`));
  return match === undefined ? undefined : (RENAMED[match] ?? match);
}

/** Known service names in a container name's dashed spelling (`rabbit-mq`), longest first. */
export const KNOWN_SERVICE_PREFIXES_DASHED: readonly string[] = KNOWN_SERVICES.map((svc) => svc.replace(/_/g, '-')).sort(
  (a, b) => b.length - a.length,
);
