#!/bin/bash
# A second, FRESH lab host ("deploy1") to deploy an all-in-one on: its own mount + uts namespaces
# (/etc an overlay, its own /root, /run, /opt, /usr/local, /openstack, /var/lib/osa-dev) in the lab's
# netns at $DEPLOY_IP, with its own sshd and host key, reached from the machine at 127.0.0.1:2223.
#   deploy-host.sh up      create it (idempotent) and start its sshd + forward
#   deploy-host.sh reset   make it fresh again: remove what a deployment wrote
#   deploy-host.sh down    stop it and remove it (down.sh calls this)
source "$(dirname "$0")/common.sh"
D=$STATE/deploy-host
MNT=$NSDIR/deploy-mnt UTS=$NSDIR/deploy-uts
IN_DEPLOY=(nsenter --mount="$MNT" --uts="$UTS" --net="$NETNS_FILE" --)
DEPLOY_DIRS=(root run opt usr-local openstack osa-dev)

case "${1:-up}" in
up)
  ns_up || die "the lab is not up"
  ip -n "$NETNS" -4 addr show dev br-mgmt | grep -q "inet $DEPLOY_IP/" || ip -n "$NETNS" addr add "$DEPLOY_IP/$MGMT_CIDR" dev br-mgmt
  if ! mountpoint -q "$MNT" 2>/dev/null; then
    log "creating the fresh deploy host (deploy1, $DEPLOY_IP)"
    mkdir -p "$D/etc.upper" "$D/etc.work"; for d in "${DEPLOY_DIRS[@]}"; do mkdir -p "$D/$d"; done
    chmod 700 "$D/root" "$D/osa-dev"
    touch "$MNT" "$UTS"
    unshare --mount="$MNT" --uts="$UTS" --propagation private true
    nsenter --mount="$MNT" --uts="$UTS" -- /bin/sh -euc "
      hostname deploy1
      mount -t overlay osa-lab-deploy-etc -o lowerdir=/etc,upperdir=$D/etc.upper,workdir=$D/etc.work /etc
      for pair in root:/root run:/run opt:/opt usr-local:/usr/local openstack:/openstack osa-dev:/var/lib/osa-dev; do
        mkdir -p \${pair#*:}; mount --bind $D/\${pair%%:*} \${pair#*:}
      done
      mkdir -p /run/sshd /usr/local/bin
      rm -rf /etc/openstack_deploy /etc/openstack-release
    "
  fi
  mkdir -p "$D/root/.ssh"; chmod 700 "$D/root/.ssh"
  cp "$STATE/client/id_ed25519.pub" "$D/root/.ssh/authorized_keys"
  [ -s "$STATE/ssh/deploy1_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C root@deploy1 -f "$STATE/ssh/deploy1_host_ed25519_key"
  { echo "# The lab's fresh deploy host (its own namespaces; reached via 127.0.0.1:2223)"
    sshd_config "$STATE/ssh/deploy1_host_ed25519_key" "$DEPLOY_IP"
  } | "${IN_DEPLOY[@]}" /bin/sh -c "cat > /etc/ssh/sshd_config"
  start_daemon deploy1-sshd "${IN_DEPLOY[@]}" /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
  start_daemon fwd-deploy1-ssh socat "TCP-LISTEN:2223,bind=127.0.0.1,reuseaddr,fork,nodelay" "EXEC:$STATE/bin/lab-connect $DEPLOY_IP 22"
  wait_for 10 "${IN_DEPLOY[@]}" bash -c "exec 3<>/dev/tcp/$DEPLOY_IP/22" || die "deploy1 sshd did not start (see $LOGDIR/deploy1-sshd.log)"
  ;;
reset)
  mountpoint -q "$MNT" 2>/dev/null || die "deploy1 is not up"
  "${IN_DEPLOY[@]}" /bin/sh -c 'rm -rf /opt/openstack-ansible /etc/openstack_deploy /etc/openstack-release /usr/local/bin/openstack-ansible /openstack/* /var/lib/osa-dev/*'
  ;;
down)
  stop_daemon fwd-deploy1-ssh; stop_daemon deploy1-sshd
  for f in "$MNT" "$UTS"; do mountpoint -q "$f" 2>/dev/null && umount "$f"; rm -f "$f"; done
  rm -rf "$D"
  ;;
*) die "usage: deploy-host.sh up|reset|down" ;;
esac
