/**
 * What "production is back exactly" means, read from the lab host directly (not through the code
 * under test): HAProxy config bytes and server admin states, each container's unit states, pip
 * configuration and /etc files, hold drop-ins, dev processes, and the journal directory.
 */
import { labHostExec, type LabDescription } from './lab';

const HOST_SCRIPT = `
set -u
echo "## haproxy config"; sha256sum /etc/haproxy/haproxy.cfg /etc/haproxy/conf.d/* 2>&1
echo "## haproxy admin states"
echo "show servers state" | socat stdio /var/run/haproxy.stat | awk 'NR > 2 && NF > 6 { print $2, $4, "admin=" $7 }' | sort
echo "## journals"; ls -la /var/lib/osa-dev 2>&1 | awk '{ print $1, $NF }' | grep -v '^total' || true
`;

const CONTAINER_SCRIPT = `
for u in "$@"; do printf '%s %s %s\\n' "$u" "$(systemctl is-active "$u")" "$(systemctl is-enabled "$u" 2>&1)"; done
for f in /root/.pip/pip.conf /root/.config/pip/pip.conf /etc/pip.conf; do
  if [ -e "$f" ]; then stat -c '%n %a %u:%g' "$f"; sha256sum < "$f"; else echo "absent $f"; fi
done
find /etc -xdev -type f \\( -path '/etc/heat/*' -o -path '/etc/keystone/*' -o -path '/etc/uwsgi/*' \\) -exec sha256sum {} + 2>/dev/null | sort
echo "holds: $(ls /run/systemd/system/*.d/zz-osa-dev-hold.conf 2>/dev/null | wc -l)"
echo "dev processes: $(ls /run/osa-dev/*.pid 2>/dev/null | wc -l)"
`;

/** A text snapshot; two equal snapshots mean nothing production-relevant differs. */
export function productionSnapshot(lab: LabDescription): string {
  const parts = [labHostExec(['bash', '-c', HOST_SCRIPT])];
  for (const container of lab.containers) {
    parts.push(`## ${container.name}`);
    parts.push(labHostExec(['lxc-attach', '-n', container.name, '--', 'sh', '-c', CONTAINER_SCRIPT, 'sh', ...container.units]));
  }
  return parts.join('\n');
}

/** Waits until HAProxy's health checks agree with the admin states (UP servers really are UP). */
export async function waitForHaproxySettled(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // srv_op_state 2 = running; an enabled server (admin 0) whose check has not passed yet is 0/1.
    const states = labHostExec(['bash', '-c', `echo "show servers state" | socat stdio /var/run/haproxy.stat | awk 'NR > 2 && NF > 6 { print $6, $7 }'`]);
    const unsettled = states.split('\n').filter((line) => line.trim() !== '' && line.split(' ')[1] === '0' && line.split(' ')[0] !== '2');
    if (unsettled.length === 0) return;
    if (Date.now() > deadline) throw new Error(`HAProxy servers still not UP after ${timeoutMs} ms:\n${states}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
