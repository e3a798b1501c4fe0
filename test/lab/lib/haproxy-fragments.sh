#!/bin/bash
# Runs INSIDE the lab host view: writes /etc/haproxy/conf.d/<svc> fragments like OSA does.
source "$(dirname "$0")/common.sh"
mkdir -p /etc/haproxy/conf.d
cp "$LAB_DIR/haproxy/00-haproxy" /etc/haproxy/conf.d/00-haproxy
frag() {  # svc port servers...
  local svc=$1 port=$2; shift 2
  {
    printf '# Ansible managed\n\nfrontend %s-front-1\n    bind %s:%s\n    option httplog\n' "$svc" "$MGMT_IP" "$port"
    printf '    option forwardfor except 127.0.0.0/8\n    mode http\n    default_backend %s-back\n\n' "$svc"
    printf 'backend %s-back\n    mode http\n    balance roundrobin\n    option forwardfor\n' "$svc"
    printf '    option httpchk GET /\n    http-check expect status 200\n'
    local s; for s in "$@"; do
      printf '    server %s %s:%s check port %s inter 2000 rise 2 fall 2\n' "${s%%|*}" "${s#*|}" "$port" "$port"
    done
  } > "/etc/haproxy/conf.d/$svc.tmp"
  mv "/etc/haproxy/conf.d/$svc.tmp" "/etc/haproxy/conf.d/$svc"
}
for h in "${HAPROXY_SERVICES[@]}"; do
  IFS='|' read -r name port service <<<"$h"
  servers=()
  for c in "${CONTAINERS[@]}" "${NODE_CONTAINERS[@]}"; do
    IFS='|' read -r n s comp ip units <<<"$c"
    [ "$s" = "$service" ] && servers+=("$n|$ip")
  done
  frag "$name" "$port" "${servers[@]}"
done
