#!/bin/bash
# Runs INSIDE the lab host view (in_lab): writes the OSA host files (/etc/hosts, /root, inventory).
source "$(dirname "$0")/common.sh"
echo aio1 > /etc/hostname
{
  printf '127.0.0.1 localhost\n%s aio1\n' "$MGMT_IP"
  for c in "${CONTAINERS[@]}"; do IFS='|' read -r n s comp ip units <<<"$c"; printf '%s %s\n' "$ip" "$n"; done
} > /etc/hosts
# root's home in the lab view: no pyenv .bashrc (each SSH exec would cost ~1 s more)
cat > /root/.bashrc <<'RC'
# OSA lab host: deliberately minimal (no pyenv init)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
[ -z "$PS1" ] && return
PS1='root@aio1:\w# '
RC
cp /root/.bashrc /root/.profile
mkdir -p /root/.ssh && chmod 700 /root/.ssh
cp "$STATE/client/id_ed25519.pub" /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys
# LXC defaults of the lab host (lxc-net is never started)
mkdir -p /etc/lxc
printf 'lxc.lxcpath = /var/lib/lxc\n' > /etc/lxc/lxc.conf
printf 'lxc.net.0.type = empty\n' > /etc/lxc/default.conf
mkdir -p /etc/openstack_deploy
$PY "$LAB_DIR/lib/gen-inventory.py" "${CONTAINERS[@]}" --node "$NODE_NAME" "$NODE_IP" "${NODE_CONTAINERS[@]}" > /etc/openstack_deploy/openstack_inventory.json.tmp
mv /etc/openstack_deploy/openstack_inventory.json.tmp /etc/openstack_deploy/openstack_inventory.json
cat > /etc/openstack_deploy/openstack_user_config.yml <<YML
---
cidr_networks:
  container: 172.29.236.0/22
used_ips:
  - "172.29.236.1,172.29.236.110"
global_overrides:
  internal_lb_vip_address: $MGMT_IP
  external_lb_vip_address: $MGMT_IP
  management_bridge: br-mgmt
shared-infra_hosts:
  aio1:
    ip: $MGMT_IP
orchestration_hosts:
  aio1:
    ip: $MGMT_IP
identity_hosts:
  aio1:
    ip: $MGMT_IP
image_hosts:
  aio1:
    ip: $MGMT_IP
placement-infra_hosts:
  aio1:
    ip: $MGMT_IP
storage-infra_hosts:
  aio1:
    ip: $MGMT_IP
YML
printf -- '---\nopenstack_release: %s\n' "$VENV_TAG" > /etc/openstack_deploy/user_variables.yml
