#!/bin/bash
# Poll HAProxy until every server of every backend is UP with a passed L7 check.
source "$(dirname "$0")/common.sh"
end=$((SECONDS + ${1:-60})) expected=$(haproxy_server_count)
until in_lab sh -c 'echo "show stat" | socat stdio /var/run/haproxy.stat' 2>/dev/null \
      | $PY "$LAB_DIR/lib/haproxy-health.py" "$expected" > "$STATE/haproxy-health.txt"; do
  [ $SECONDS -ge $end ] && { cat "$STATE/haproxy-health.txt" >&2; exit 1; }
  sleep 0.3
done
