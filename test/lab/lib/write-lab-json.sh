#!/bin/bash
# Write $STATE/lab.json, the machine-readable description other code reads.
source "$(dirname "$0")/common.sh"
fp=$(ssh-keygen -lf "$STATE/ssh/ssh_host_ed25519_key.pub" -E sha256 | awk '{print $2}')
$PY - "$STATE" "$fp" "$(cat "$STATE/client/known_hosts")" "$VENV_TAG" "$WHEEL_URL" "$MGMT_IP" "${CONTAINERS[@]}" <<'PY'
import json, os, sys
state, fp, khl, tag, wheels, mgmt = sys.argv[1:7]
containers = []
for spec in sys.argv[7:]:
    name, service, component, ip, units = spec.split("|")
    containers.append({"name": name, "service": service, "component": component, "ip": ip,
                       "units": [u for u in units.split(",") if u]})
lab = {
    "ssh": {"host": "127.0.0.1", "port": 2222, "user": "root",
            "identityFile": f"{state}/client/id_ed25519", "knownHostsLine": khl,
            "knownHostsFile": f"{state}/client/known_hosts", "hostKeyFingerprint": fp},
    "containers": containers,
    "haproxy": {"socket": "/var/run/haproxy.stat", "cfg": "/etc/haproxy/haproxy.cfg",
                "confd": "/etc/haproxy/conf.d", "stateFile": "/var/lib/haproxy/haproxy.state",
                "pidFile": "/run/haproxy.pid", "assemble": f"{state}/bin/haproxy-assemble",
                "frontends": {"heat_api": "http://127.0.0.1:18004",
                              "keystone_service": "http://127.0.0.1:15000"},
                "frontendsInNamespace": {"heat_api": f"http://{mgmt}:8004",
                                         "keystone_service": f"http://{mgmt}:5000"},
                "backends": {"heat_api": "heat_api-back", "keystone_service": "keystone_service-back"}},
    "git": {"heatRepoUrl": "git://127.0.0.1:19418/openstack/heat",
            "heatRepoUrlInNamespace": f"git://{mgmt}/openstack/heat", "reposDir": f"{state}/git"},
    "wheels": {"url": wheels},
    "venv": f"/openstack/venvs/heat-{tag}",
    "hostName": "aio1", "mgmtIp": mgmt, "netns": "osa-lab",
}
tmp = f"{state}/lab.json.tmp"
with open(tmp, "w") as f:
    json.dump(lab, f, indent=2)
    f.write("\n")
os.replace(tmp, f"{state}/lab.json")
PY
