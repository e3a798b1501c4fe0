#!/bin/bash
# Restart the lab host's sshd like 'systemctl restart ssh': the listener restarts, open sessions survive.
source "$(dirname "$0")/lib/common.sh"
ns_up || die "lab is not up"
pid=$(cat "$PIDDIR/sshd.pid" 2>/dev/null || true)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"; for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
rm -f "$PIDDIR/sshd.pid"
bash "$(dirname "$0")/lib/sshd.sh"
wait_for 10 in_lab bash -c "exec 3<>/dev/tcp/$MGMT_IP/22" || die "sshd did not come back"
echo "sshd restarted (pid $(cat "$PIDDIR/sshd.pid"))"
