#!/bin/bash
# Runs INSIDE the lab host view (in_lab): define, start and provision the LXC containers.
# containers.sh [--no-provision] [NAME...]: only the named containers (default: all); --no-provision
# stops after systemd is up (osa-ansible's containers_lxc_create; its service playbook provisions).
source "$(dirname "$0")/common.sh"
# lib/node-host.sh runs this on the second physical host, and so do the lab's playbooks (over SSH,
# where the hostname says it): its containers instead of aio1's
[ -z "${LAB_NODE:-}" ] && [ "$(uname -n)" != "$NODE_NAME" ] || CONTAINERS=("${NODE_CONTAINERS[@]}")
PROVISION=1; [ "${1:-}" = --no-provision ] && { PROVISION=0; shift; }
ONLY=" $* "
BASE=$CACHE/images/base/rootfs
HOOK=$STATE/bin/lxc-veth-up
ATTACH=(--clear-env --set-var PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        --set-var HOME=/root --set-var LANG=C.UTF-8)

define() {  # name ip
  local n=$1 ip=$2 d=/var/lib/lxc/$1
  [ -f "$d/config" ] && return 0
  log "defining container $n ($ip)"
  mkdir -p "$d/delta0/etc" "$d/delta0/root"
  local last=${ip##*.}
  cat > "$d/config" <<CFG
# OSA lab container (overlay rootfs on the cached Debian bookworm base, like lxc-copy -s -B overlay)
lxc.include = /usr/share/lxc/config/debian.common.conf
lxc.arch = linux64
lxc.rootfs.path = overlay:$BASE:$d/delta0
lxc.uts.name = $n
lxc.net.0.type = veth
lxc.net.0.name = eth1
lxc.net.0.flags = up
lxc.net.0.hwaddr = 00:16:3e:1d:ec:$(printf %02x "$last")
lxc.net.0.ipv4.address = $ip/$MGMT_CIDR
lxc.net.0.script.up = $HOOK
lxc.signal.halt = SIGRTMIN+3
lxc.group = openstack
lxc.start.auto = 1
lxc.start.order = $last
CFG
  {
    printf '127.0.0.1 localhost\n%s aio1\n' "$MGMT_IP"
    for c in "${CONTAINERS[@]}"; do IFS='|' read -r cn s comp cip units <<<"$c"; printf '%s %s\n' "$cip" "$cn"; done
  } > "$d/delta0/etc/hosts"
  mkdir -p "$d/delta0/etc/network"
  printf 'auto lo\niface lo inet loopback\n\nauto eth1\niface eth1 inet manual\n' > "$d/delta0/etc/network/interfaces"
}

start_and_provision() {  # name service ip units
  local n=$1 svc=$2 ip=$3 units=${4//,/ }
  if [ "$(lxc-info -n "$n" -sH)" != RUNNING ]; then
    lxc-start -n "$n" || { lxc-start -n "$n" -l DEBUG -o "$LOGDIR/lxc-$n.log"; return 1; }
  fi
  # systemd needs a moment before systemctl can talk to it: poll
  local end=$((SECONDS + 60)) st=
  while :; do
    st=$(lxc-attach -n "$n" "${ATTACH[@]}" -- systemctl is-system-running 2>/dev/null || true)
    case $st in running|degraded) break;; esac
    [ $SECONDS -ge $end ] && { log "$n: systemd not ready ($st)"; return 1; }
    sleep 0.3
  done
  [ "$PROVISION" = 1 ] || return 0
  # Sample services record what they were provisioned from (script, spec, wheels): a change, such
  # as a unit renamed to OSA's name, re-provisions them in place. Others: provisioned once.
  local script=$LAB_DIR/lib/provision-$svc.sh spec="" key=""
  if spec=$(sample_spec "$svc"); then
    script=$LAB_DIR/lib/provision-service.sh
    key=$({ cat "$script"; echo "$spec"; cat "$STATE/repo/os-releases/lab/x86_64/wheels/.key"; } | sha256sum | cut -c1-16)
  fi
  if [ "$(lxc-attach -n "$n" "${ATTACH[@]}" -- cat /etc/osa-lab-provisioned 2>/dev/null || echo none)" = "$key" ]; then
    # already provisioned: just make sure its units run (idempotent)
    [ -z "$units" ] || lxc-attach -n "$n" "${ATTACH[@]}" -- systemctl start $units
    return 0
  fi
  log "provisioning $n ($svc)"
  lxc-attach -n "$n" "${ATTACH[@]}" -- bash -s -- "$n" "$ip" "$MGMT_IP" "$WHEEL_URL" "$VENV_TAG" "$spec" \
    < "$script" > "$LOGDIR/provision-$n.log" 2>&1 \
    || { tail -20 "$LOGDIR/provision-$n.log" >&2; log "provisioning $n failed"; return 1; }
  printf '%s' "$key" | lxc-attach -n "$n" "${ATTACH[@]}" -- sh -c 'cat > /etc/osa-lab-provisioned'
}

mkdir -p "$STATE/bin" "$LOGDIR"
cp "$LAB_DIR/lib/lxc-veth-up" "$HOOK"
pids=()
for c in "${CONTAINERS[@]}"; do
  IFS='|' read -r n svc comp ip units <<<"$c"
  [ "$ONLY" = "  " ] || [[ "$ONLY" == *" $n "* ]] || continue
  define "$n" "$ip"
  start_and_provision "$n" "$svc" "$ip" "$units" & pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit $rc
