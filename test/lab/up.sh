#!/bin/bash
# Bring the OSA all-in-one lab up (idempotent). See test/lab/README.md.
source "$(dirname "$0")/lib/common.sh"
t0=$SECONDS
[ "$(id -u)" = 0 ] || die "run as root"

# 1. packages (once)
need=()
for p in lxc lxc-templates debootstrap distro-info haproxy socat openssh-server openssh-client git curl zstd \
         iproute2 python3-venv python3-pip python3-setuptools python3-wheel ansible-core; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
mkdir -p "$STATE" "$CACHE" "$PIDDIR" "$LOGDIR"

# 2. cached artefacts: base rootfs, wheels, git repo
bash "$LAB_DIR/lib/build-base.sh"
bash "$LAB_DIR/lib/build-wheels.sh"
bash "$LAB_DIR/lib/build-index.sh"
bash "$LAB_DIR/lib/build-git.sh"
bash "$LAB_DIR/lib/build-osa-repo.sh"

# 3. namespaces + lab host files
bash "$LAB_DIR/lib/ns-up.sh"
bash "$LAB_DIR/lib/sshd.sh" keys-only   # keys first (authorized_keys below)
in_lab bash "$LAB_DIR/lib/host-files.sh"
mkdir -p "$STATE/bin"; cp "$LAB_DIR/haproxy-assemble.sh" "$STATE/bin/haproxy-assemble"
in_lab bash "$LAB_DIR/osa-ansible/install.sh"   # openstack-ansible + the openstack.osa playbooks

# 4. host-side daemons inside the lab namespaces, plus loopback forwards from the machine
bash "$LAB_DIR/lib/sshd.sh" config
start_daemon git-daemon "${IN_LAB[@]}" git daemon --export-all --reuseaddr --informative-errors \
  --base-path="$STATE/git" --listen="$MGMT_IP" --listen=127.0.0.1 --port=9418
start_daemon wheel-server "${IN_LAB[@]}" $PY -m http.server 8181 --bind "$MGMT_IP" --directory "$STATE/repo"
start_daemon index-server "${IN_LAB[@]}" $PY -m http.server 8282 --bind "$MGMT_IP" --directory "$STATE/index"
printf '#!/bin/sh\n# connect stdio to HOST PORT inside the lab netns (used by the loopback forwards)\nexec nsenter --net=%s socat STDIO "TCP:$1:$2,nodelay"\n' \
  "$NETNS_FILE" > "$STATE/bin/lab-connect"; chmod +x "$STATE/bin/lab-connect"
fwd() {  # name loopback-port target-port (on $MGMT_IP inside the netns)
  start_daemon "fwd-$1" socat "TCP-LISTEN:$2,bind=127.0.0.1,reuseaddr,fork,nodelay" "EXEC:$STATE/bin/lab-connect $MGMT_IP $3"
}
fwd ssh 2222 22
for f in "${FRONTEND_FORWARDS[@]}"; do IFS='|' read -r d name lport <<<"$f"; fwd "$d" "$lport" "$(haproxy_port "$name")"; done
fwd git 19418 9418
wait_for 10 in_lab bash -c "exec 3<>/dev/tcp/$MGMT_IP/8181" || die "wheel server did not start"
wait_for 10 in_lab bash -c "exec 3<>/dev/tcp/$MGMT_IP/8282" || die "package index did not start"

# 5. containers (define, start, provision in parallel)
in_lab bash "$LAB_DIR/lib/containers.sh" || die "containers failed (logs in $LOGDIR)"

# 5b. the second physical host, infra2 (its placement container is in placement-back below)
bash "$LAB_DIR/lib/node-host.sh" up

# 6. HAProxy: OSA fragments -> haproxy.cfg (validated) -> daemon; wait for real health checks
in_lab bash "$LAB_DIR/lib/haproxy-fragments.sh"
in_lab bash "$LAB_DIR/haproxy-assemble.sh" >>"$LOGDIR/haproxy.log" 2>&1 || die "haproxy config (see $LOGDIR/haproxy.log)"
bash "$LAB_DIR/lib/wait-healthy.sh" 90 || die "HAProxy backends not UP"
# 6b. infra2's own HAProxy with the same configuration (OSA's haproxy_hosts: aio1 and infra2)
bash "$LAB_DIR/lib/node-haproxy.sh" up

# 7. the fresh host that "Create OSA All-In-One" deploys on (its own namespaces and sshd)
bash "$LAB_DIR/lib/deploy-host.sh" up

# 7b. a Kolla-Ansible-shaped host with podman containers (its own namespaces and sshd)
bash "$LAB_DIR/lib/kolla-host.sh" up

# 8. the contract: lab.json
bash "$LAB_DIR/lib/write-lab-json.sh"
log "lab up in $((SECONDS - t0)) s; description: $STATE/lab.json"
