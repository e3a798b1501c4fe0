#!/usr/bin/env bash
# The seed's manual dev loop, as a person runs it: one `ssh HOST …` per step (a new SSH
# connection each time, like typing the commands). Prints one line per step: "<step> <ms>", and for
# the steps that run git, pip or db_sync also "<step>.tool <ms>": how long that command ran, timed
# on the host around its lxc-attach — measured exactly as bench/devloop times OSA Dev's own.
# Usage: manual-devloop.sh SSH_CONFIG KNOWN_HOSTS HOST CONTAINER OTHER_SERVER GIT_URL PROD_VENV
set -euo pipefail
cfg=$1 known=$2 host=$3 c=$4 other=$5 url=$6 venv=$7
ssh_() { ssh -F "$cfg" -o UserKnownHostsFile="$known" -o BatchMode=yes "$host" "$@"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
step() {
  local name=$1 t0 out; shift
  t0=$(now_ms); out=$("$@"); echo "$name $(( $(now_ms) - t0 ))"
  # in_c_tool's last line; the timing is not part of the workflow's own output.
  if [[ $out =~ @tool-ms\ ([0-9]+) ]]; then echo "$name.tool ${BASH_REMATCH[1]}"; fi
}
in_c() { ssh_ "lxc-attach -n $c -- sh -c '$1'" >/dev/null; }
in_c_tool() { ssh_ "t0=\$(date +%s%N); lxc-attach -n $c -- sh -c '$1' >/dev/null; rc=\$?; echo @tool-ms \$(( (\$(date +%s%N) - t0) / 1000000 )); exit \$rc"; }
restore_by_hand() {
  ssh_ "lxc-attach -n $c -- sh -c 'kill \$(cat /tmp/manual-heat-api.pid 2>/dev/null) 2>/dev/null; rm -rf /tmp/manual-heat /tmp/manual-venv /tmp/manual-heat-api.*; systemctl start heat-api' && echo 'enable server heat_api-back/$other' | socat stdio /var/run/haproxy.stat" >/dev/null
}
# A failed step must not leave the lab isolated with the unit stopped.
trap 'status=$?; [ $status -eq 0 ] || restore_by_hand >/dev/null 2>&1; exit $status' EXIT

step isolate ssh_ "echo 'disable server heat_api-back/$other' | socat stdio /var/run/haproxy.stat >/dev/null"
step stop in_c "systemctl stop heat-api"
step code in_c_tool "rm -rf /tmp/manual-heat && git clone -q -b master $url /tmp/manual-heat"
step deps in_c_tool "rm -rf /tmp/manual-venv && /usr/bin/python3 -m venv /tmp/manual-venv && /tmp/manual-venv/bin/pip install -q -r /tmp/manual-heat/requirements.txt -c $venv/constraints.txt && cd /tmp/manual-heat && (/tmp/manual-venv/bin/pip install -q --no-deps --no-build-isolation -e . 2>/dev/null || /tmp/manual-venv/bin/python -c \"import setuptools; setuptools.setup()\" -q develop --no-deps)"
step db_sync in_c_tool "runuser -u heat -- /tmp/manual-venv/bin/heat-manage --config-file /etc/heat/heat.conf db_sync"
step config in_c "grep -c . /etc/heat/heat.conf"
step run in_c "runuser -u heat -- sh -c \"nohup /tmp/manual-venv/bin/heat-api --config-file /etc/heat/heat.conf >/tmp/manual-heat-api.log 2>&1 & echo \\\$! > /tmp/manual-heat-api.pid\""
# Step 8, the debugger: a person opens a tunnel (ssh -L) to the debug port; the connection is the cost.
step debug ssh_ true
# Restore by hand: kill, restart, re-enable, clean up.
step restore restore_by_hand
