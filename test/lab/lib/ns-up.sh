#!/bin/bash
# Create the lab's network namespace (br-mgmt) and the lab HOST view: a persistent mount + uts
# namespace (files under $NSDIR) where /etc is an overlay, /root, /run, /var/lib/lxc,
# /var/lib/haproxy and /var/cache/lxc are lab folders, and the hostname is aio1.
source "$(dirname "$0")/common.sh"

if [ ! -e "$NETNS_FILE" ]; then
  log "creating netns $NETNS with br-mgmt $MGMT_IP/$MGMT_CIDR"
  ip netns add "$NETNS"
fi
ipn() { ip -n "$NETNS" "$@"; }
ipn link set lo up
ipn link show br-mgmt >/dev/null 2>&1 || ipn link add br-mgmt type bridge
[[ "$(ipn -4 addr show dev br-mgmt)" == *"inet $MGMT_IP/"* ]] || ipn addr add "$MGMT_IP/$MGMT_CIDR" dev br-mgmt
ipn link set br-mgmt up

if ! mountpoint -q "$NSDIR/mnt" 2>/dev/null; then
  log "creating lab host mount/uts namespace"
  mkdir -p "$NSDIR"
  mountpoint -q "$NSDIR" || mount --bind "$NSDIR" "$NSDIR"
  mount --make-private "$NSDIR"
  touch "$NSDIR/mnt" "$NSDIR/uts"
  unshare --mount="$NSDIR/mnt" --uts="$NSDIR/uts" --propagation private true
  for d in etc.upper etc.work root run lxc haproxy lxc-cache; do mkdir -p "$HOSTDIR/$d"; done
  chmod 700 "$HOSTDIR/root"; chmod 755 "$HOSTDIR/run"
  nsenter --mount="$NSDIR/mnt" --uts="$NSDIR/uts" -- /bin/sh -euc "
    hostname aio1
    mount -t overlay osa-lab-etc -o lowerdir=/etc,upperdir=$HOSTDIR/etc.upper,workdir=$HOSTDIR/etc.work /etc
    mount --bind $HOSTDIR/root /root
    mount --bind $HOSTDIR/run /run
    mkdir -p /var/lib/lxc /var/lib/haproxy /var/cache/lxc
    mount --bind $HOSTDIR/lxc /var/lib/lxc
    mount --bind $HOSTDIR/haproxy /var/lib/haproxy
    mount --bind $HOSTDIR/lxc-cache /var/cache/lxc
    mkdir -p /run/sshd /run/lock /run/lxc
  "
fi
