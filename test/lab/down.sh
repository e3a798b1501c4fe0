#!/bin/bash
# Stop and remove everything the lab started (containers, daemons, forwards, namespaces, mounts).
# Keeps caches ($CACHE), the SSH keys, the wheel repo and git repos under $STATE. Idempotent.
source "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" = 0 ] || die "run as root"
rm -f "$STATE/lab.json"
bash "$LAB_DIR/lib/deploy-host.sh" down || true
bash "$LAB_DIR/lib/kolla-host.sh" down || true
bash "$LAB_DIR/lib/node-haproxy.sh" down || true
bash "$LAB_DIR/lib/node-host.sh" down || true
if ns_up; then
  names=$(in_lab lxc-ls -1 2>/dev/null || true)
  for n in $names; do
    [ "$(in_lab lxc-info -n "$n" -sH 2>/dev/null)" = RUNNING ] && { in_lab lxc-stop -n "$n" -t 20 || in_lab lxc-stop -n "$n" -k; } &
  done
  wait
  for n in $names; do in_lab lxc-destroy -n "$n" >/dev/null 2>&1 || true; done
fi
# host-side daemons: by pid file (each runs in its own session/process group)
if [ -s "$RUNDIR/haproxy.pid" ]; then
  for p in $(cat "$RUNDIR/haproxy.pid"); do kill -TERM "$p" 2>/dev/null || true; done
fi
for f in "$PIDDIR"/*.pid; do [ -e "$f" ] && stop_daemon "$(basename "$f" .pid)"; done
# anything still living in the lab namespaces (ssh sessions, old haproxy, stray lxc monitors)
lab_pids() {
  local mnt="" net="" p
  [ -e "$NSDIR/mnt" ] && mnt=$(stat -Lc %i "$NSDIR/mnt" 2>/dev/null || true)
  [ -e "$NETNS_FILE" ] && net=$(stat -Lc %i "$NETNS_FILE" 2>/dev/null || true)
  for p in /proc/[0-9]*; do
    p=${p#/proc/}; [ "$p" = $$ ] && continue
    if { [ -n "$mnt" ] && [ "$(stat -Lc %i /proc/$p/ns/mnt 2>/dev/null)" = "$mnt" ]; } ||
       { [ -n "$net" ] && [ "$(stat -Lc %i /proc/$p/ns/net 2>/dev/null)" = "$net" ]; }; then echo "$p"; fi
  done
}
for sig in TERM KILL; do
  pids=$(lab_pids); [ -n "$pids" ] || break
  kill -$sig $pids 2>/dev/null || true; sleep 0.5
done
# namespaces and mounts
for f in "$NSDIR/mnt" "$NSDIR/uts"; do mountpoint -q "$f" 2>/dev/null && umount "$f"; done
mountpoint -q "$NSDIR" 2>/dev/null && umount "$NSDIR"
[ -e "$NETNS_FILE" ] && ip netns del "$NETNS"
rm -rf "$HOSTDIR" "$PIDDIR" "$NSDIR" "$STATE/haproxy-health.txt"
log "lab down"
