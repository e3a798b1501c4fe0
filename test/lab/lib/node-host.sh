#!/bin/bash
# The lab's second PHYSICAL host, infra2 (like OSA's os-infra_hosts: infra1, infra2…): its own
# network namespace with its own br-mgmt, linked to the lab's br-mgmt by a veth pair (two hosts on
# one switch), its own mount + uts namespaces (hostname infra2; /etc an overlay; its own /root,
# /run, /var/lib/lxc, /var/lib/osa-dev), its own sshd listening ONLY on $NODE_IP:22 (no loopback
# forward: reached through aio1, the deployment host — the ProxyJump) and its own LXC containers
# ($NODE_CONTAINERS; infra2's placement API container is a server of aio1's placement-back).
#   node-host.sh up          create it (idempotent), start its sshd and containers
#   node-host.sh sshd-stop   stop its sshd and cut its sessions (unreachable; containers keep running)
#   node-host.sh sshd-start  start its sshd again
#   node-host.sh exec CMD…   run CMD as infra2 sees it
#   node-host.sh down        stop everything on it and remove it (down.sh calls this)
source "$(dirname "$0")/common.sh"
N=$STATE/node-$NODE_NAME
NODE_NETNS_FILE=/run/netns/$NODE_NETNS
MNT=$NSDIR/$NODE_NAME-mnt UTS=$NSDIR/$NODE_NAME-uts
IN_NODE=(nsenter --mount="$MNT" --uts="$UTS" --net="$NODE_NETNS_FILE" --)
KEY=$STATE/ssh/${NODE_NAME}_host_ed25519_key
DEPLOY_KEY=$STATE/ssh/aio1_root_id_ed25519   # root@aio1's key (Ansible from the deployment host)

node_up() { [ -e "$NODE_NETNS_FILE" ] && mountpoint -q "$MNT" 2>/dev/null; }
start_sshd() {
  start_daemon "$NODE_NAME-sshd" "${IN_NODE[@]}" /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
  wait_for 10 in_lab bash -c "exec 3<>/dev/tcp/$NODE_IP/22" || die "$NODE_NAME sshd did not start (see $LOGDIR/$NODE_NAME-sshd.log)"
}

case "${1:-up}" in
up)
  ns_up || die "the lab is not up"
  # network: infra2's own netns and bridge; the veth pair is the cable to the lab's switch
  [ -e "$NODE_NETNS_FILE" ] || { log "creating $NODE_NAME ($NODE_IP): netns $NODE_NETNS"; ip netns add "$NODE_NETNS"; }
  ip -n "$NODE_NETNS" link set lo up
  ip -n "$NODE_NETNS" link show br-mgmt >/dev/null 2>&1 || ip -n "$NODE_NETNS" link add br-mgmt type bridge
  if ! ip -n "$NETNS" link show "$NODE_NAME-mgmt" >/dev/null 2>&1; then
    ip link del "$NODE_NAME-mgmt" 2>/dev/null || true
    ip link add "$NODE_NAME-mgmt" type veth peer name "$NODE_NAME-up"
    ip link set "$NODE_NAME-mgmt" netns "$NETNS"
    ip link set "$NODE_NAME-up" netns "$NODE_NETNS"
  fi
  ip -n "$NETNS" link set "$NODE_NAME-mgmt" master br-mgmt up
  ip -n "$NODE_NETNS" link set "$NODE_NAME-up" master br-mgmt up
  [[ "$(ip -n "$NODE_NETNS" -4 addr show dev br-mgmt)" == *"inet $NODE_IP/"* ]] || ip -n "$NODE_NETNS" addr add "$NODE_IP/$MGMT_CIDR" dev br-mgmt
  ip -n "$NODE_NETNS" link set br-mgmt up
  # the host view
  if ! mountpoint -q "$MNT" 2>/dev/null; then
    mkdir -p "$N/etc.upper" "$N/etc.work" "$N/root" "$N/run" "$N/lxc" "$N/osa-dev"
    chmod 700 "$N/root" "$N/osa-dev"; chmod 755 "$N/run"
    touch "$MNT" "$UTS"
    unshare --mount="$MNT" --uts="$UTS" --propagation private true
    nsenter --mount="$MNT" --uts="$UTS" -- /bin/sh -euc "
      hostname $NODE_NAME
      mount -t overlay osa-lab-$NODE_NAME-etc -o lowerdir=/etc,upperdir=$N/etc.upper,workdir=$N/etc.work /etc
      for pair in root:/root run:/run lxc:/var/lib/lxc osa-dev:/var/lib/osa-dev; do
        mkdir -p \${pair#*:}; mount --bind $N/\${pair%%:*} \${pair#*:}
      done
      mkdir -p /run/sshd /run/lock /run/lxc
      rm -rf /etc/openstack_deploy /etc/openstack-release
      echo $NODE_NAME > /etc/hostname
      printf '127.0.0.1 localhost\n%s %s\n%s aio1\n' $NODE_IP $NODE_NAME $MGMT_IP > /etc/hosts
      mkdir -p /etc/lxc; printf 'lxc.lxcpath = /var/lib/lxc\n' > /etc/lxc/lxc.conf; printf 'lxc.net.0.type = empty\n' > /etc/lxc/default.conf
    "
  fi
  mkdir -p "$N/root/.ssh"; chmod 700 "$N/root/.ssh"
  # aio1, the deployment host, runs Ansible on infra2 over SSH as OSA's does (the lab's
  # openstack-ansible delegates the lxc commands of infra2's containers to it): root's key on
  # aio1, authorized here next to the client's; infra2's host key in aio1's known_hosts (below)
  [ -s "$DEPLOY_KEY" ] || ssh-keygen -q -t ed25519 -N '' -C "root@aio1" -f "$DEPLOY_KEY"
  cat "$STATE/client/id_ed25519.pub" "$DEPLOY_KEY.pub" > "$N/root/.ssh/authorized_keys"
  printf '# OSA lab node: minimal (no pyenv init)\nexport PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n' > "$N/root/.bashrc"
  cp "$N/root/.bashrc" "$N/root/.profile"
  [ -s "$KEY" ] || ssh-keygen -q -t ed25519 -N '' -C "root@$NODE_NAME" -f "$KEY"
  { echo "# $NODE_NAME's sshd: on its management address only (reached through aio1)"
    sshd_config "$KEY" "$NODE_IP"
  } | "${IN_NODE[@]}" /bin/sh -c "cat > /etc/ssh/sshd_config"
  start_sshd
  install -d -m 700 "$HOSTDIR/root/.ssh"   # aio1's /root (lib/ns-up.sh)
  install -m 600 "$DEPLOY_KEY" "$HOSTDIR/root/.ssh/id_ed25519"
  install -m 644 "$DEPLOY_KEY.pub" "$HOSTDIR/root/.ssh/id_ed25519.pub"
  { grep -v "^$NODE_IP " "$HOSTDIR/root/.ssh/known_hosts" 2>/dev/null || true
    echo "$NODE_IP $(cut -d' ' -f1,2 "$KEY.pub")"; } > "$HOSTDIR/root/.ssh/known_hosts.new"
  mv "$HOSTDIR/root/.ssh/known_hosts.new" "$HOSTDIR/root/.ssh/known_hosts"
  # its containers: the lab's own container script, run on this host
  LAB_NODE=$NODE_NAME "${IN_NODE[@]}" bash "$LAB_DIR/lib/containers.sh" || die "$NODE_NAME containers failed (logs in $LOGDIR)"
  ;;
sshd-stop)
  stop_daemon "$NODE_NAME-sshd"
  # and the sessions it had (sshd's per-connection processes in infra2's netns): like the host going away
  ino=$(stat -Lc %i "$NODE_NETNS_FILE")
  for p in $(pgrep -x sshd || true); do [ "$(stat -Lc %i /proc/$p/ns/net 2>/dev/null)" = "$ino" ] && kill "$p" 2>/dev/null || true; done
  ;;
sshd-start) node_up || die "$NODE_NAME is not up"; start_sshd ;;
exec) shift; node_up || die "$NODE_NAME is not up"; "${IN_NODE[@]}" "$@" ;;
down)
  stop_daemon "$NODE_NAME-sshd"
  if node_up; then
    for n in $("${IN_NODE[@]}" lxc-ls -1 2>/dev/null || true); do
      [ "$("${IN_NODE[@]}" lxc-info -n "$n" -sH 2>/dev/null)" = RUNNING ] && { "${IN_NODE[@]}" lxc-stop -n "$n" -t 20 || "${IN_NODE[@]}" lxc-stop -n "$n" -k; }
    done
  fi
  # anything still living in infra2's namespaces
  for sig in TERM KILL; do
    pids=""
    for f in "$MNT" "$NODE_NETNS_FILE"; do
      [ -e "$f" ] || continue
      ino=$(stat -Lc %i "$f" 2>/dev/null) || continue
      for p in /proc/[0-9]*; do
        p=${p#/proc/}; [ "$p" = $$ ] && continue
        for ns in mnt net; do [ "$(stat -Lc %i /proc/$p/ns/$ns 2>/dev/null)" = "$ino" ] && pids="$pids $p"; done
      done
    done
    [ -n "$pids" ] || break
    kill -$sig $pids 2>/dev/null || true; sleep 0.5
  done
  for f in "$MNT" "$UTS"; do mountpoint -q "$f" 2>/dev/null && umount "$f"; rm -f "$f"; done
  [ -e "$NODE_NETNS_FILE" ] && ip netns del "$NODE_NETNS"
  [ -e "$NETNS_FILE" ] && ip -n "$NETNS" link del "$NODE_NAME-mgmt" 2>/dev/null || true
  rm -rf "$N"
  [ -f "$HOSTDIR/root/.ssh/known_hosts" ] && sed -i "/^$NODE_IP /d" "$HOSTDIR/root/.ssh/known_hosts"
  rm -f "$HOSTDIR/root/.ssh/id_ed25519" "$HOSTDIR/root/.ssh/id_ed25519.pub"
  ;;
*) die "usage: node-host.sh up|sshd-stop|sshd-start|exec CMD…|down" ;;
esac
