/**
 * What "production is back exactly" means, as shell scripts run on the lab host — shared by the
 * integration tests (test/support/productionSnapshot.ts, through host-exec) and the extension-host
 * tests (test/vscode/support.ts, over ssh), so both compare the same things. No imports: the
 * VS Code test bundle includes this file as is.
 */

/** HAProxy config bytes and server admin states: of the lab host, and of every other HAProxy host (infra2). */
export const HAPROXY_SNAPSHOT_SCRIPT = `
set -u
echo "## haproxy config"; sha256sum /etc/haproxy/haproxy.cfg /etc/haproxy/conf.d/* 2>&1
echo "## haproxy admin states"
echo "show servers state" | socat stdio /var/run/haproxy.stat | awk 'NR > 2 && NF > 6 { print $2, $4, "admin=" $7 }' | sort
`;

/** HAProxy as above, and the dev-mode journal directory. */
export const HOST_SNAPSHOT_SCRIPT = `${HAPROXY_SNAPSHOT_SCRIPT}
echo "## journals"; ls -la /var/lib/osa-dev 2>&1 | awk '{ print $1, $NF }' | grep -v '^total' || true
`;

/** Inside one container, its units as "$@": unit states, pip configuration, /etc files, holds, dev processes. */
export const CONTAINER_SNAPSHOT_SCRIPT = `
for u in "$@"; do printf '%s %s %s\\n' "$u" "$(systemctl is-active "$u")" "$(systemctl is-enabled "$u" 2>&1)"; done
for f in /root/.pip/pip.conf /root/.config/pip/pip.conf /etc/pip.conf; do
  if [ -e "$f" ]; then stat -c '%n %a %u:%g' "$f"; sha256sum < "$f"; else echo "absent $f"; fi
done
find /etc -xdev -type f \\( -path '/etc/heat/*' -o -path '/etc/keystone/*' -o -path '/etc/glance/*' -o -path '/etc/placement/*' -o -path '/etc/cinder/*' -o -path '/etc/uwsgi/*' \\) -exec sha256sum {} + 2>/dev/null | sort
echo "holds: $(ls /run/systemd/system/*.d/zz-osa-dev-hold.conf 2>/dev/null | wc -l)"
echo "dev processes: $(ls /run/osa-dev/*.pid 2>/dev/null | wc -l)"
`;

/** Every HAProxy server's "srv_op_state srv_admin_state". */
export const HAPROXY_STATES_SCRIPT = `echo "show servers state" | socat stdio /var/run/haproxy.stat | awk 'NR > 2 && NF > 6 { print $6, $7 }'`;

/**
 * Servers enabled by admin (0) but not running (op state 2) yet: HAProxy reports them before their
 * first health check passes. Empty means the states can be compared.
 */
export function unsettledServers(states: string): string[] {
  return states.split('\n').filter((line) => line.trim() !== '' && line.split(' ')[1] === '0' && line.split(' ')[0] !== '2');
}
