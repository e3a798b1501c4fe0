#!/bin/bash
# Print the lab's state; exit 0 only when the lab is fully up.
source "$(dirname "$0")/lib/common.sh"
set +e
bad=0
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then printf '  ok    %s\n' "$what"; else printf '  FAIL  %s\n' "$what"; bad=1; fi; }
echo "OSA lab (state $STATE, cache $CACHE)"
check "netns $NETNS + lab host mount namespace" ns_up
if ! ns_up; then echo "lab is DOWN"; exit 1; fi
for d in sshd git-daemon wheel-server index-server fwd-ssh fwd-git $(for f in "${FRONTEND_FORWARDS[@]}"; do echo "fwd-${f%%|*}"; done); do check "daemon $d (pid $(cat "$PIDDIR/$d.pid" 2>/dev/null))" pid_alive "$d"; done
check "haproxy (pid $(head -1 "$RUNDIR/haproxy.pid" 2>/dev/null))" sh -c "kill -0 \$(head -1 '$RUNDIR/haproxy.pid')"
echo "containers:"
in_lab lxc-ls -f -F NAME,STATE,IPV4,GROUPS,AUTOSTART | sed 's/^/  /'
for c in "${CONTAINERS[@]}"; do
  IFS='|' read -r n s comp ip units <<<"$c"
  check "container $n running" sh -c "[ \"\$(nsenter --mount=$NSDIR/mnt --uts=$NSDIR/uts --net=$NETNS_FILE lxc-info -n $n -sH)\" = RUNNING ]"
  [ -n "$units" ] && check "  units ${units//,/ } active" in_lab lxc-attach -n "$n" -- systemctl is-active ${units//,/ }
done
echo "$NODE_NAME (second physical host, $NODE_IP):"
check "daemon $NODE_NAME-sshd (pid $(cat "$PIDDIR/$NODE_NAME-sshd.pid" 2>/dev/null))" pid_alive "$NODE_NAME-sshd"
for c in "${NODE_CONTAINERS[@]}"; do
  IFS='|' read -r n s comp ip units <<<"$c"
  check "container $n running on $NODE_NAME" sh -c "[ \"\$(bash $LAB_DIR/lib/node-host.sh exec lxc-info -n $n -sH)\" = RUNNING ]"
done
check "$NODE_NAME's haproxy: every backend UP (checked)" bash "$LAB_DIR/lib/node-haproxy.sh" check
echo "haproxy servers:"
expected=$(haproxy_server_count)
in_lab sh -c 'echo "show stat" | socat stdio /var/run/haproxy.stat' 2>/dev/null | $PY "$LAB_DIR/lib/haproxy-health.py" "$expected" | sed 's/^/  /'
check "haproxy backends UP (checked)" sh -c "nsenter --mount=$NSDIR/mnt --uts=$NSDIR/uts --net=$NETNS_FILE sh -c 'echo show stat | socat stdio /var/run/haproxy.stat' | $PY $LAB_DIR/lib/haproxy-health.py $expected"
check "ssh root@127.0.0.1:2222" ssh -i "$STATE/client/id_ed25519" -o UserKnownHostsFile="$STATE/client/known_hosts" \
  -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 -p 2222 root@127.0.0.1 true
for f in "${FRONTEND_FORWARDS[@]}"; do
  IFS='|' read -r d name lport <<<"$f"
  check "$name via haproxy (127.0.0.1:$lport)" curl -fsS -m 5 "http://127.0.0.1:$lport/"
done
check "package index ($INDEX_URL)" in_lab curl -fsS -m 5 "${INDEX_URL}osalab-metrics/"
check "git daemon (127.0.0.1:19418)" git ls-remote git://127.0.0.1:19418/openstack/heat
check "kolla1: podman heat_api + heat_engine, ssh 127.0.0.1:2224" bash "$LAB_DIR/lib/kolla-host.sh" check
check "lab.json" test -s "$STATE/lab.json"
[ $bad = 0 ] && echo "lab is UP" || echo "lab is NOT fully up"
exit $bad
