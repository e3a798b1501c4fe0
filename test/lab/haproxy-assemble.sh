#!/bin/bash
# Assemble /etc/haproxy/conf.d/* (sorted) into /etc/haproxy/haproxy.cfg, validate with haproxy -c,
# then start or gracefully reload HAProxy (server state saved to the server-state-file first),
# like openstack-ansible-haproxy_server. Run on the lab host (over SSH or via host-exec.sh).
set -euo pipefail
CFG=/etc/haproxy/haproxy.cfg PID=/run/haproxy.pid SOCK=/var/run/haproxy.stat
STATEF=/var/lib/haproxy/haproxy.state
[ -e "$STATEF" ] || : > "$STATEF"
tmp=$(mktemp /etc/haproxy/.haproxy.cfg.XXXXXX)
for f in $(ls /etc/haproxy/conf.d/ | sort); do
  case $f in *.tmp|.*) continue;; esac
  cat "/etc/haproxy/conf.d/$f"; echo
done > "$tmp"
haproxy -c -q -f "$tmp" || { rm -f "$tmp"; echo "haproxy config invalid" >&2; exit 1; }
if ! cmp -s "$tmp" "$CFG"; then mv "$tmp" "$CFG"; changed=1; else rm -f "$tmp"; changed=0; fi
chmod 644 "$CFG"
if [ -s "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null; then
  if [ "$changed" = 1 ] || [ "${1:-}" = --reload ]; then
    echo "show servers state" | socat stdio "$SOCK" > "$STATEF" || true
    haproxy -f "$CFG" -p "$PID" -D -sf $(cat "$PID")
    echo "haproxy reloaded"
  fi
else
  haproxy -f "$CFG" -p "$PID" -D
  echo "haproxy started"
fi
