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
VENV_TAG=31.0.0
HEAT_VERSION=24.0.0
PY=/usr/bin/python3               # Debian's python, never pyenv's
WHEEL_URL=http://$MGMT_IP:8181/os-releases/lab/x86_64/wheels/
BASE_PKGS=python3,python3-venv,python3-pip,python3-debugpy,python3-pydevd,procps,git,iproute2,ca-certificates,sqlite3
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8
unset PYENV_VERSION PYTHONPATH

# name|service|component|ip|units
CONTAINERS=(
  "aio1_heat_api_container-36e270c9|heat|heat_api|172.29.236.101|heat-api,heat-engine"
  "aio1-heat-api-container-5d2a9f10|heat|heat_api|172.29.236.102|heat-api,heat-engine"
  "aio1-keystone-container-821e7cf8|keystone|keystone|172.29.236.103|keystone"
  "aio1-utility-container-d83fab91|utility|utility|172.29.236.104|"
)

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
