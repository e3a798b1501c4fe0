#!/bin/bash
# infra2's own HAProxy: OSA runs HAProxy on metal on every host of haproxy_hosts, each with the FULL
# configuration (every backend and server; keepalived holds the VIP on one of them). So infra2 gets
# aio1's conf.d fragments as they are, assembled and run in infra2's namespaces by the same
# haproxy-assemble.sh: its own admin socket at OSA's /var/run/haproxy.stat (infra2's /run), its own
# server-state-file (/var/lib/haproxy bound to node-infra2/haproxy), its own health checks. Its
# frontends bind aio1's address like a VIP held by another host: ip_nonlocal_bind=1 in infra2's
# netns, as OSA sets it on HAProxy hosts. No traffic reaches them; tests read its admin socket.
#   node-haproxy.sh up      start it, or reload it when aio1's fragments changed (idempotent, ~0.5 s when up); wait for its checks
#   node-haproxy.sh down    stop it (node-host.sh down would kill it with infra2's namespaces anyway)
source "$(dirname "$0")/common.sh"
N=$STATE/node-$NODE_NAME
on_node() { bash "$LAB_DIR/lib/node-host.sh" exec "$@"; }
health() { on_node sh -c 'echo "show stat" | socat stdio /var/run/haproxy.stat' 2>/dev/null | $PY "$LAB_DIR/lib/haproxy-health.py" "$(haproxy_server_count)"; }

case "${1:-up}" in
up)
  mkdir -p "$N/haproxy"
  on_node sh -euc "
    echo 1 > /proc/sys/net/ipv4/ip_nonlocal_bind
    mkdir -p /var/lib/haproxy /etc/haproxy/conf.d
    mountpoint -q /var/lib/haproxy || mount --bind $N/haproxy /var/lib/haproxy"
  # aio1's fragments, exactly (stale ones removed first); assemble reloads only when they changed
  in_lab tar -C /etc/haproxy/conf.d -cf - . | on_node sh -euc 'find /etc/haproxy/conf.d -mindepth 1 -delete; tar -C /etc/haproxy/conf.d -xf -'
  on_node bash "$LAB_DIR/haproxy-assemble.sh" >>"$LOGDIR/$NODE_NAME-haproxy.log" 2>&1 || die "$NODE_NAME haproxy config (see $LOGDIR/$NODE_NAME-haproxy.log)"
  end=$((SECONDS + 90))
  until health > "$STATE/$NODE_NAME-haproxy-health.txt"; do
    [ $SECONDS -ge $end ] && { cat "$STATE/$NODE_NAME-haproxy-health.txt" >&2; die "$NODE_NAME's HAProxy backends not UP"; }
    sleep 0.3
  done
  ;;
check) health >/dev/null ;;
down)
  [ -s "$N/run/haproxy.pid" ] || exit 0
  for p in $(cat "$N/run/haproxy.pid"); do kill -TERM "$p" 2>/dev/null || true; done
  for p in $(cat "$N/run/haproxy.pid"); do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  rm -f "$N/run/haproxy.pid" "$STATE/$NODE_NAME-haproxy-health.txt"
  ;;
*) die "usage: node-haproxy.sh up|check|down" ;;
esac
