#!/bin/bash
# A Kolla-Ansible-shaped lab host ("kolla1"): its own network namespace on the lab's br-mgmt (a
# veth) at $KOLLA_IP, its own mount + uts namespaces (/etc an overlay; /root, /run,
# /var/lib/containers, /var/lib/osa-dev lab folders), rootful podman (runc, cgroupfs, file events,
# overlay storage), its own sshd reached from the machine at 127.0.0.1:$KOLLA_SSH_PORT, and Kolla's
# heat containers: heat_api and heat_engine with host networking, /etc/kolla/<service>/config.json
# bind-mounted at /var/lib/kolla/config_files, run by a kolla_start-shaped entrypoint. Images are
# `podman import`ed from the lab's cached rootfs and built from the lab's wheel repo: no registry.
#   kolla-host.sh up      create it (idempotent, quick when up)
#   kolla-host.sh check   exit 0 when it is fully up (status.sh)
#   kolla-host.sh down    stop it and remove it (down.sh calls this)
source "$(dirname "$0")/common.sh"
K=$STATE/kolla-host
KNETNS=osa-kolla KNETNS_FILE=/run/netns/osa-kolla
KMNT=$NSDIR/kolla-mnt KUTS=$NSDIR/kolla-uts
KOLLA_IP=172.29.236.120 KOLLA_SSH_PORT=2224
IN_KOLLA=(nsenter --mount="$KMNT" --uts="$KUTS" --net="$KNETNS_FILE" --)
in_kolla() { "${IN_KOLLA[@]}" "$@"; }
KOLLA_DIRS=(root run containers osa-dev)
BASE_IMAGE=localhost/osa-lab/debian-base
# Kolla's image names, built locally: one image for both (real Kolla: heat-base + two leaves)
API_IMAGE=localhost/kolla/heat-api:lab ENGINE_IMAGE=localhost/kolla/heat-engine:lab
# container|config dir|command|kolla_dev_mode project (Kolla names: container heat_api, config dir
# /etc/kolla/heat-api). heat_engine is deployed as with heat_dev_mode: the host's checkout
# /opt/stack/heat (kolla_dev_repos_directory) bind-mounted at /dev-mode/heat, installed on each start.
KOLLA_CONTAINERS=("heat_api|heat-api|heat-api --config-file /etc/heat/heat.conf|" "heat_engine|heat-engine|heat-engine --config-file /etc/heat/heat.conf|heat")

containers_conf() {
  cat <<'CONF'
# The lab machine: cgroup v1 hybrid (crun refuses it: runc), no systemd (cgroupfs, file events),
# no CAP_SYS_RESOURCE (limits at or below the machine's hard limits, else setrlimit fails).
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
}

config_json() {  # command
  $PY - "$1" <<'PY'
import json, sys
print(json.dumps({
    "command": sys.argv[1],
    "config_files": [{"source": "/var/lib/kolla/config_files/heat.conf", "dest": "/etc/heat/heat.conf",
                      "owner": "heat", "perm": "0600"}],
    "permissions": [{"path": "/var/lib/heat", "owner": "heat:heat", "recurse": True},
                    {"path": "/var/log/kolla/heat", "owner": "heat:heat", "recurse": True}],
}, indent=4))
PY
}

heat_conf() {
  printf '[DEFAULT]\ndebug = False\nhost = kolla1\nnum_engine_workers = 1\nperiodic_interval = 10\n\n'
  printf '[database]\nconnection = sqlite:////var/lib/heat/heat.sqlite\n\n'
  printf '[heat_api]\nbind_host = %s\nbind_port = 8004\nworkers = 1\n' "$KOLLA_IP"
}

net_up() {
  [ -e "$KNETNS_FILE" ] || ip netns add "$KNETNS"
  if ! ip -n "$KNETNS" link show eth0 >/dev/null 2>&1; then
    ip link add vkolla1 netns "$NETNS" type veth peer name eth0 netns "$KNETNS"
  fi
  ip -n "$NETNS" link set vkolla1 master br-mgmt up
  ip -n "$KNETNS" link set lo up
  ip -n "$KNETNS" -4 addr show dev eth0 | grep -q "inet $KOLLA_IP/" || ip -n "$KNETNS" addr add "$KOLLA_IP/$MGMT_CIDR" dev eth0
  ip -n "$KNETNS" link set eth0 up
}

mounts_up() {
  mountpoint -q "$KMNT" 2>/dev/null && return 0
  log "creating the Kolla host (kolla1, $KOLLA_IP)"
  mkdir -p "$K/etc.upper" "$K/etc.work"; for d in "${KOLLA_DIRS[@]}"; do mkdir -p "$K/$d"; done
  chmod 700 "$K/root" "$K/osa-dev"
  touch "$KMNT" "$KUTS"
  unshare --mount="$KMNT" --uts="$KUTS" --propagation private true
  nsenter --mount="$KMNT" --uts="$KUTS" -- /bin/sh -euc "
    hostname kolla1
    mount -t overlay osa-lab-kolla-etc -o lowerdir=/etc,upperdir=$K/etc.upper,workdir=$K/etc.work /etc
    for pair in root:/root run:/run containers:/var/lib/containers osa-dev:/var/lib/osa-dev; do
      mkdir -p \${pair#*:}; mount --bind $K/\${pair%%:*} \${pair#*:}
    done
    mkdir -p /run/sshd /etc/containers /etc/kolla
    rm -rf /etc/openstack_deploy /etc/openstack-release
  "
}

images_up() {
  local key bkey
  bkey=$(cat "$CACHE/images/base/.key")
  if ! in_kolla podman image exists "$BASE_IMAGE:$bkey"; then
    log "kolla1: podman import of the lab's base rootfs"
    tar -C "$CACHE/images/base/rootfs" --numeric-owner -cf - . | in_kolla podman import -q - "$BASE_IMAGE:$bkey" >/dev/null
  fi
  key=$({ cat "$LAB_DIR/kolla/"*; echo "$bkey"; ls "$STATE/repo/os-releases/lab/x86_64/wheels"; } | sha256sum | cut -c1-12)
  [ "$(in_kolla podman image inspect --format '{{index .Labels "osa-lab.key"}}' "$API_IMAGE" 2>/dev/null)" = "$key" ] && return 0
  log "kolla1: building the heat images (venv /var/lib/kolla/venv from the wheel repo)"
  in_kolla podman rm -f kolla-build >/dev/null 2>&1 || true
  in_kolla podman run --name kolla-build --network none -v "$LAB_DIR/kolla:/lab-kolla:ro" \
    -v "$STATE/repo/os-releases/lab/x86_64/wheels:/wheels:ro" "$BASE_IMAGE:$bkey" \
    bash /lab-kolla/build-image.sh "$WHEEL_URL" "$MGMT_IP" >"$LOGDIR/kolla-build.log" 2>&1 || { tail -20 "$LOGDIR/kolla-build.log"; die "kolla image build failed"; }
  in_kolla podman commit -q --change 'CMD ["kolla_start"]' --change "LABEL osa-lab.key=$key" --change 'LABEL kolla_version=lab' \
    --change 'ENV PATH=/var/lib/kolla/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV KOLLA_SERVICE_USER=heat' kolla-build "$API_IMAGE" >/dev/null
  in_kolla podman tag "$API_IMAGE" "$ENGINE_IMAGE"
  in_kolla podman rm kolla-build >/dev/null
  # new images: containers of the old ones go (recreated below)
  for c in "${KOLLA_CONTAINERS[@]}"; do in_kolla podman rm -f "${c%%|*}" >/dev/null 2>&1 || true; done
}

configs_up() {  # written once (a dev session's journaled edit of config.json is never overwritten)
  local c name dir cmd
  for c in "${KOLLA_CONTAINERS[@]}"; do
    IFS='|' read -r name dir cmd _ <<<"$c"
    [ -s "$K/etc.upper/kolla/$dir/config.json" ] && continue
    in_kolla mkdir -p "/etc/kolla/$dir"
    config_json "$cmd" | in_kolla sh -c "cat > /etc/kolla/$dir/config.json"
    heat_conf | in_kolla sh -c "cat > /etc/kolla/$dir/heat.conf"
    in_kolla chmod 0600 "/etc/kolla/$dir/config.json" "/etc/kolla/$dir/heat.conf"
  done
}

devmode_up() {  # the kolla_dev_repos_directory checkout: the lab's heat at its release tag
  mkdir -p "$K/stack"
  in_kolla sh -c "mkdir -p /opt/stack && { mountpoint -q /opt/stack || mount --bind $K/stack /opt/stack; }"
  [ -d "$K/stack/heat/.git" ] && return 0
  log "kolla1: /opt/stack/heat (kolla_dev_mode checkout) from the lab's git"
  git clone -q --branch "$HEAT_VERSION" "$STATE/git/openstack/heat.git" "$K/stack/heat" 2>/dev/null
}

containers_up() {
  local c name dir cmd dev image mounts
  in_kolla podman volume exists heat || in_kolla podman volume create heat >/dev/null
  in_kolla podman volume exists kolla_logs || in_kolla podman volume create kolla_logs >/dev/null
  if [ ! -e "$K/heat-bootstrapped" ]; then
    log "kolla1: bootstrap_heat (db sync)"
    in_kolla podman run --rm --name bootstrap_heat --network host -e KOLLA_BOOTSTRAP= -e KOLLA_CONFIG_STRATEGY=COPY_ALWAYS \
      -v /etc/kolla/heat-api/:/var/lib/kolla/config_files/:ro -v heat:/var/lib/heat -v kolla_logs:/var/log/kolla \
      "$API_IMAGE" >>"$LOGDIR/kolla-build.log" 2>&1 || die "bootstrap_heat failed (see $LOGDIR/kolla-build.log)"
    touch "$K/heat-bootstrapped"
  fi
  for c in "${KOLLA_CONTAINERS[@]}"; do
    IFS='|' read -r name dir cmd dev <<<"$c"
    image=$API_IMAGE; [ "$name" = heat_engine ] && image=$ENGINE_IMAGE
    mounts=(); [ -n "$dev" ] && mounts=(-v "/opt/stack/$dev:/dev-mode/$dev")
    # a container from before its dev-mode mount is created again (its configs are on the host)
    if [ -n "$dev" ] && in_kolla podman container exists "$name" &&
       ! in_kolla podman container inspect --format '{{range .Mounts}}{{.Destination}} {{end}}' "$name" | grep -q "/dev-mode/$dev"; then
      in_kolla podman rm -f -t 2 "$name" >/dev/null
    fi
    if ! in_kolla podman container exists "$name"; then
      in_kolla podman create --name "$name" --network host -e KOLLA_CONFIG_STRATEGY=COPY_ALWAYS -e "KOLLA_SERVICE_NAME=$dir" \
        -v "/etc/kolla/$dir/:/var/lib/kolla/config_files/:ro" -v /etc/localtime:/etc/localtime:ro \
        -v heat:/var/lib/heat -v kolla_logs:/var/log/kolla "${mounts[@]}" "$image" >/dev/null
    fi
    [ "$(in_kolla podman container inspect --format '{{.State.Status}}' "$name")" = running ] || in_kolla podman start "$name" >/dev/null
  done
}

case "${1:-up}" in
up)
  ns_up || die "the lab is not up"
  for p in podman runc; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || need_apt=1
  done
  if [ -n "${need_apt:-}" ]; then
    log "installing podman runc"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends podman runc >/dev/null
  fi
  net_up
  mounts_up
  containers_conf | in_kolla sh -c 'cat > /etc/containers/containers.conf'
  mkdir -p "$K/root/.ssh"; chmod 700 "$K/root/.ssh"
  cp "$STATE/client/id_ed25519.pub" "$K/root/.ssh/authorized_keys"
  [ -s "$STATE/ssh/kolla1_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C root@kolla1 -f "$STATE/ssh/kolla1_host_ed25519_key"
  { echo "# The lab's Kolla host (its own namespaces; reached via 127.0.0.1:$KOLLA_SSH_PORT)"
    sshd_config "$STATE/ssh/kolla1_host_ed25519_key" "$KOLLA_IP"
  } | in_kolla /bin/sh -c "cat > /etc/ssh/sshd_config"
  images_up
  configs_up
  devmode_up
  containers_up
  start_daemon kolla1-sshd "${IN_KOLLA[@]}" /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
  # No Docker engine can run here: podman's Docker-compatible API at docker's default socket lets
  # the docker CLI run for real against the same containers (the docker runtime's tests use it).
  start_daemon kolla1-docker-api "${IN_KOLLA[@]}" podman system service --time=0 unix:///run/docker.sock
  printf '#!/bin/sh\n# connect stdio to HOST PORT inside the Kolla host netns\nexec nsenter --net=%s socat STDIO "TCP:$1:$2,nodelay"\n' \
    "$KNETNS_FILE" > "$STATE/bin/kolla-connect"; chmod +x "$STATE/bin/kolla-connect"
  start_daemon fwd-kolla1-ssh socat "TCP-LISTEN:$KOLLA_SSH_PORT,bind=127.0.0.1,reuseaddr,fork,nodelay" "EXEC:$STATE/bin/kolla-connect $KOLLA_IP 22"
  wait_for 10 in_kolla bash -c "exec 3<>/dev/tcp/$KOLLA_IP/22" || die "kolla1 sshd did not start (see $LOGDIR/kolla1-sshd.log)"
  wait_for 60 in_kolla curl -fsS -m 2 "http://$KOLLA_IP:8004/" || die "kolla1 heat_api does not answer (podman logs heat_api)"
  ;;
check)
  mountpoint -q "$KMNT" 2>/dev/null && pid_alive kolla1-sshd && pid_alive fwd-kolla1-ssh && pid_alive kolla1-docker-api &&
    [ "$(in_kolla podman container inspect --format '{{.State.Status}}' heat_api heat_engine | sort -u)" = running ] &&
    in_kolla curl -fsS -m 5 "http://$KOLLA_IP:8004/" >/dev/null
  ;;
down)
  stop_daemon fwd-kolla1-ssh; stop_daemon kolla1-sshd; stop_daemon kolla1-docker-api
  if mountpoint -q "$KMNT" 2>/dev/null; then
    in_kolla podman rm -af -t 2 >/dev/null 2>&1 || true
    in_kolla podman system reset -f >/dev/null 2>&1 || true
  fi
  for f in "$KMNT" "$KUTS"; do mountpoint -q "$f" 2>/dev/null && umount "$f"; rm -f "$f"; done
  [ -e "$KNETNS_FILE" ] && ip netns del "$KNETNS"
  ip -n "$NETNS" link del vkolla1 2>/dev/null || true
  rm -rf "$K" "$STATE/bin/kolla-connect"
  rmdir /opt/stack 2>/dev/null || true  # the mount point kolla1's /opt/stack was bound on
  ;;
*) die "usage: kolla-host.sh up|check|down" ;;
esac
