#!/bin/bash
# Write $STATE/lab.json, the machine-readable description other code reads.
source "$(dirname "$0")/common.sh"
fp=$(ssh-keygen -lf "$STATE/ssh/ssh_host_ed25519_key.pub" -E sha256 | awk '{print $2}')
read -r dt dk _ < "$STATE/ssh/deploy1_host_ed25519_key.pub"
export LAB_DEPLOY_KNOWN_HOSTS="[127.0.0.1]:2223 $dt $dk" LAB_DEPLOY_IP=$DEPLOY_IP
# the Kolla host (lib/kolla-host.sh), when it was brought up
LAB_KOLLA_KNOWN_HOSTS=""
if [ -s "$STATE/ssh/kolla1_host_ed25519_key.pub" ]; then
  read -r kt kk _ < "$STATE/ssh/kolla1_host_ed25519_key.pub"; LAB_KOLLA_KNOWN_HOSTS="[127.0.0.1]:2224 $kt $kk"
fi
export LAB_KOLLA_KNOWN_HOSTS
read -r nt nk _ < "$STATE/ssh/${NODE_NAME}_host_ed25519_key.pub"
export LAB_NODE="$NODE_NAME|$NODE_IP|$NODE_NETNS|$NODE_IP $nt $nk|$(ssh-keygen -lf "$STATE/ssh/${NODE_NAME}_host_ed25519_key.pub" -E sha256 | awk '{print $2}')"
export LAB_NODE_CONTAINERS=$(printf '%s\n' "${NODE_CONTAINERS[@]}")
# name|port|loopback port of each HAProxy frontend
frontends=()
for h in "${HAPROXY_SERVICES[@]}"; do
  IFS='|' read -r name port _ <<<"$h"
  for f in "${FRONTEND_FORWARDS[@]}"; do IFS='|' read -r _ fname lport <<<"$f"; [ "$fname" = "$name" ] && frontends+=("$name|$port|$lport"); done
done
LAB_FRONTENDS=$(printf '%s\n' "${frontends[@]}") LAB_SAMPLES=$(printf '%s\n' "${SAMPLE_SERVICES[@]}") \
$PY - "$STATE" "$fp" "$(cat "$STATE/client/known_hosts")" "$VENV_TAG" "$WHEEL_URL" "$INDEX_URL" "$MGMT_IP" "${CONTAINERS[@]}" <<'PY'
import json, os, sys
state, fp, khl, tag, wheels, index, mgmt = sys.argv[1:8]
containers = []
for spec in sys.argv[8:]:
    name, service, component, ip, units = spec.split("|")
    containers.append({"name": name, "service": service, "component": component, "ip": ip,
                       "units": [u for u in units.split(",") if u]})
frontends = [line.split("|") for line in os.environ["LAB_FRONTENDS"].splitlines() if line]
samples = [line.split("|") for line in os.environ["LAB_SAMPLES"].splitlines() if line]
lab = {
    "ssh": {"host": "127.0.0.1", "port": 2222, "user": "root",
            "identityFile": f"{state}/client/id_ed25519", "knownHostsLine": khl,
            "knownHostsFile": f"{state}/client/known_hosts", "hostKeyFingerprint": fp},
    "containers": containers,
    "haproxy": {"socket": "/var/run/haproxy.stat", "cfg": "/etc/haproxy/haproxy.cfg",
                "confd": "/etc/haproxy/conf.d", "stateFile": "/var/lib/haproxy/haproxy.state",
                "pidFile": "/run/haproxy.pid", "assemble": f"{state}/bin/haproxy-assemble",
                "frontends": {n: f"http://127.0.0.1:{lport}" for n, _, lport in frontends},
                "frontendsInNamespace": {n: f"http://{mgmt}:{port}" for n, port, _ in frontends},
                "backends": {n: f"{n}-back" for n, _, _ in frontends}},
    "git": {"heatRepoUrl": "git://127.0.0.1:19418/openstack/heat",
            "heatRepoUrlInNamespace": f"git://{mgmt}/openstack/heat", "reposDir": f"{state}/git",
            "repos": {s[0]: {"url": f"git://127.0.0.1:19418/openstack/{s[0]}",
                             "urlInNamespace": f"git://{mgmt}/openstack/{s[0]}"} for s in [["heat"]] + samples}},
    "wheels": {"url": wheels},
    # the "public" package index (PEP 503) and what only it has (the wheel repo lacks it)
    "packageIndex": {"url": index, "onlyThere": ["osalab-metrics"], "heatBranchNeedingIt": "feature/metrics"},
    "venv": f"/openstack/venvs/heat-{tag}",
    "venvs": {s: f"/openstack/venvs/{s}-{tag}" for s in ["heat"] + [x[0] for x in samples]},
    "samples": {s[0]: {"package": s[1], "version": s[2], "unit": s[3], "port": int(s[4]), "config": s[5]} for s in samples},
    "hostName": "aio1", "mgmtIp": mgmt, "netns": "osa-lab",
    # a FRESH host (no OpenStack) for "Create OSA All-In-One": lib/deploy-host.sh, reset before use
    "deployHost": {"ssh": {"host": "127.0.0.1", "port": 2223, "user": "root",
                           "identityFile": f"{state}/client/id_ed25519",
                           "knownHostsLine": os.environ["LAB_DEPLOY_KNOWN_HOSTS"]},
                   "hostName": "deploy1", "ip": os.environ["LAB_DEPLOY_IP"],
                   "osaRepoUrlInNamespace": f"git://{mgmt}/openstack/openstack-ansible"},
}
if os.environ["LAB_KOLLA_KNOWN_HOSTS"]:
    # a Kolla-Ansible-shaped host (lib/kolla-host.sh): rootful podman, host networking
    lab["kollaHost"] = {"ssh": {"host": "127.0.0.1", "port": 2224, "user": "root",
                                "identityFile": f"{state}/client/id_ed25519",
                                "knownHostsLine": os.environ["LAB_KOLLA_KNOWN_HOSTS"]},
                        "hostName": "kolla1", "ip": "172.29.236.120", "runtime": "podman",
                        "containers": [{"name": "heat_api", "service": "heat", "configDir": "/etc/kolla/heat-api",
                                        "command": "heat-api --config-file /etc/heat/heat.conf"},
                                       {"name": "heat_engine", "service": "heat", "configDir": "/etc/kolla/heat-engine",
                                        "command": "heat-engine --config-file /etc/heat/heat.conf"}],
                        "heatApiUrlInNamespace": "http://172.29.236.120:8004/"}
# the second physical host (lib/node-host.sh): sshd on its management address only, reached through aio1
node_name, node_ip, node_netns, node_khl, node_fp = os.environ["LAB_NODE"].split("|")
lab["nodes"] = [{"name": node_name, "ip": node_ip, "netns": node_netns, "knownHostsLine": node_khl, "hostKeyFingerprint": node_fp,
                 "containers": [dict(zip(["name", "service", "component", "ip", "units"], c.split("|")[:4] + [[u for u in c.split("|")[4].split(",") if u]]))
                                for c in os.environ["LAB_NODE_CONTAINERS"].splitlines() if c]}]
tmp = f"{state}/lab.json.tmp"
with open(tmp, "w") as f:
    json.dump(lab, f, indent=2)
    f.write("\n")
os.replace(tmp, f"{state}/lab.json")
PY
