#!/bin/bash
# Keys (generated once, kept by down.sh) + the lab host's sshd config + start sshd in the lab view.
source "$(dirname "$0")/common.sh"
mkdir -p "$STATE/ssh" "$STATE/client"; chmod 700 "$STATE/ssh" "$STATE/client"
[ -s "$STATE/ssh/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C root@aio1 -f "$STATE/ssh/ssh_host_ed25519_key"
[ -s "$STATE/client/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C osa-lab-client -f "$STATE/client/id_ed25519"
read -r t k _ < "$STATE/ssh/ssh_host_ed25519_key.pub"
echo "[127.0.0.1]:2222 $t $k" > "$STATE/client/known_hosts"
[ "${1:-}" = keys-only ] && exit 0
if [ "${1:-}" = config ]; then
  { echo "# OSA lab host sshd (runs inside the lab namespaces; reached via 127.0.0.1:2222)"
    sshd_config "$STATE/ssh/ssh_host_ed25519_key" "$MGMT_IP" 127.0.0.1
  } | in_lab /bin/sh -c "cat > /etc/ssh/sshd_config"
fi
start_daemon sshd "${IN_LAB[@]}" /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
