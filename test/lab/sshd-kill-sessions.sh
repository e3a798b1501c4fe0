#!/bin/bash
# Cut every SSH connection to the lab host from the lab side (kills the per-connection sshd
# processes; the listening sshd stays up, so clients can reconnect).
source "$(dirname "$0")/lib/common.sh"
pid=$(cat "$PIDDIR/sshd.pid" 2>/dev/null || true)
[ -n "$pid" ] || die "lab sshd is not running"
kids=$(pgrep -P "$pid" || true)
# sessions left over from an earlier sshd instance (after sshd-restart.sh): sshd processes in the lab
# mount namespace whose parent is not the current listener
mnt=$(stat -Lc %i "$NSDIR/mnt")
for p in $(pgrep -x sshd || true); do
  [ "$p" = "$pid" ] && continue
  [ "$(stat -Lc %i /proc/$p/ns/mnt 2>/dev/null)" = "$mnt" ] && kids="$kids $p"
done
n=0; for k in $(echo $kids | tr ' ' '\n' | sort -u); do kill -KILL "$k" 2>/dev/null && n=$((n+1)); done
echo "killed $n ssh connection process(es)"
