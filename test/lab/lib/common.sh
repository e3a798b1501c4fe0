# Shared settings and helpers for the OSA lab scripts (sourced, not run).
set -euo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${OSA_LAB_STATE:-/var/lib/osa-lab}
CACHE=${OSA_LAB_CACHE:-/var/cache/osa-lab}
NETNS=osa-lab
NETNS_FILE=/run/netns/$NETNS
NSDIR=$STATE/ns                   # persistent mount + uts namespace files
HOSTDIR=$STATE/host               # backing dirs of the lab host view
RUNDIR=$HOSTDIR/run               # lab host's /run (bind mounted there in the mount ns)
PIDDIR=$STATE/pids
LOGDIR=$STATE/log
MGMT_IP=172.29.236.100
MGMT_CIDR=22
DEPLOY_IP=172.29.236.99         # the fresh deploy host (lib/deploy-host.sh)
NODE_NAME=infra2                  # the second physical host (lib/node-host.sh), reached through aio1
NODE_IP=172.29.236.98
NODE_NETNS=osa-lab-$NODE_NAME
VENV_TAG=31.0.0
HEAT_VERSION=24.0.0
PY=/usr/bin/python3               # Debian's python, never pyenv's
WHEEL_URL=http://$MGMT_IP:8181/os-releases/lab/x86_64/wheels/
# A "public" package index (PEP 503) holding what the OSA wheel repo lacks, like pypi.org would
INDEX_URL=http://$MGMT_IP:8282/simple/
BASE_PKGS=python3,python3-venv,python3-pip,python3-debugpy,python3-pydevd,procps,git,iproute2,ca-certificates,sqlite3
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8
unset PYENV_VERSION PYTHONPATH

# name|service|component|ip|units
CONTAINERS=(
  "aio1_heat_api_container-36e270c9|heat|heat_api|172.29.236.101|heat-api,heat-engine"
  "aio1-heat-api-container-5d2a9f10|heat|heat_api|172.29.236.102|heat-api,heat-engine"
  "aio1-keystone-container-821e7cf8|keystone|keystone|172.29.236.103|keystone-wsgi-public"
  "aio1-utility-container-d83fab91|utility|utility|172.29.236.104|"
  "aio1_glance_container-4c8e2a17|glance|glance_api|172.29.236.105|glance-api"
  "aio1_placement_container-9b3f6d02|placement|placement_api|172.29.236.106|placement-api"
  "aio1_cinder_api_container-6a1d3e58|cinder|cinder_api|172.29.236.107|cinder-api"
)

# infra2's containers (lib/node-host.sh), same fields; its placement API is a second server of
# aio1's placement-back, so isolating one of them spans two physical hosts
NODE_CONTAINERS=(
  "infra2-placement-container-3f1c9a27|placement|placement_api|172.29.236.121|placement-api"
)

# Sample OpenStack services on osalab-wsgi (lib/gen-sample-project.py writes each project; one
# provisioning script, lib/provision-service.sh, installs any of them). Names as OSA has them:
# service|package|version|unit|port|config file|manage script|db sync args|migrations dir|unit args[|wsgi script]
# (wsgi script: pbr's WSGI entry point, `SCRIPT --port P --host H -- APP ARGS`, when OSA's uwsgi runs one)
SAMPLE_SERVICES=(
  "keystone|keystone|27.0.0|keystone-wsgi-public|5000|/etc/keystone/keystone.conf|keystone-manage|db_sync|keystone/common/sql/migrations/versions|--port @PORT@ --host @IP@"
  "glance|glance|30.0.0|glance-api|9292|/etc/glance/glance-api.conf|glance-manage|db_sync|glance/db/sqlalchemy/alembic_migrations/versions|--config-file @CONF@"
  "placement|openstack-placement|13.0.0|placement-api|8780|/etc/placement/placement.conf|placement-manage|db sync|placement/db/sqlalchemy/alembic/versions|--port @PORT@ --host @IP@"
  "cinder|cinder|26.0.0|cinder-api|8776|/etc/cinder/cinder.conf|cinder-manage|db sync|cinder/db/migrations/versions|--config-file @CONF@|cinder-wsgi"
)
sample_spec() { local s; for s in "${SAMPLE_SERVICES[@]}"; do [ "${s%%|*}" = "$1" ] && { echo "$s"; return 0; }; done; return 1; }

# HAProxy services as OSA names them (haproxy_service_name -> <name>-back): name|port|lab service
HAPROXY_SERVICES=(
  "heat_api|8004|heat"
  "keystone_service|5000|keystone"
  "glance_api|9292|glance"
  "placement|8780|placement"
  "cinder_api|8776|cinder"
)
# loopback forwards on the machine to the HAProxy frontends: forward daemon|haproxy name|loopback port
FRONTEND_FORWARDS=("heat-api|heat_api|18004" "keystone|keystone_service|15000" "glance|glance_api|19292" "placement|placement|18780"
  "cinder-api|cinder_api|18776")

# sshd_config of a lab host: sshd_config HOSTKEY LISTEN_ADDRESS... (root by key only, no PAM)
sshd_config() {
  local key=$1 a; shift
  echo "Port 22"
  for a in "$@"; do echo "ListenAddress $a"; done
  cat <<CFG
HostKey $key
PidFile /run/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxSessions 50
MaxStartups 100:30:200
UseDNS no
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
CFG
}

log() { printf '[lab %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ns_up() { [ -e "$NETNS_FILE" ] && [ -e "$NSDIR/mnt" ] && mountpoint -q "$NSDIR/mnt" 2>/dev/null; }
# Run a command as the lab host sees it (mount + uts + net namespaces).
IN_LAB=(nsenter --mount="$NSDIR/mnt" --uts="$NSDIR/uts" --net="$NETNS_FILE" --)
in_lab() { "${IN_LAB[@]}" "$@"; }

# start_daemon NAME CMD... : background process in its own session, pid file in $PIDDIR
start_daemon() {
  local name=$1; shift
  if pid_alive "$name"; then return 0; fi
  mkdir -p "$PIDDIR" "$LOGDIR"
  setsid "$@" >>"$LOGDIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDDIR/$name.pid"
}
pid_alive() { local f=$PIDDIR/$1.pid; [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }
stop_daemon() {
  local f=$PIDDIR/$1.pid pid
  [ -s "$f" ] || { rm -f "$f"; return 0; }
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}
# poll CMD until success or timeout (seconds)
wait_for() { local t=$1; shift; local end=$((SECONDS + t)); until "$@" >/dev/null 2>&1; do
  [ $SECONDS -ge $end ] && return 1; sleep 0.2; done; }
# How many HAProxy servers the lab has (containers of a service HAProxy fronts).
haproxy_server_count() {
  local c h n=0
  for c in "${CONTAINERS[@]}" "${NODE_CONTAINERS[@]}"; do
    for h in "${HAPROXY_SERVICES[@]}"; do
      [ "$(cut -d'|' -f2 <<<"$c")" = "$(cut -d'|' -f3 <<<"$h")" ] && n=$((n + 1))
    done
  done
  echo "$n"
}
# The frontend port of a HAProxy service (HAPROXY_SERVICES name).
haproxy_port() { local h; for h in "${HAPROXY_SERVICES[@]}"; do [ "${h%%|*}" = "$1" ] && { cut -d'|' -f2 <<<"$h"; return 0; }; done; return 1; }
