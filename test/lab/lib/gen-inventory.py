"""Print an openstack_inventory.json shaped like osa_toolkit/generate.py output.
Args: 'name|service|component|ip|units' per container (on aio1); after '--node NAME IP', the
containers of that other physical host (each physical host is also its own hostvars entry, with
its address as ansible_host, as generate.py writes it)."""
import json
import sys

HOST, HOST_IP = "aio1", "172.29.236.100"
# openstack_user_config.yml host group of each service (env.d physical_skel)
PHYSICAL_GROUP = {"heat": "orchestration_hosts", "keystone": "identity_hosts", "utility": "shared-infra_hosts",
                  "glance": "image_hosts", "placement": "placement-infra_hosts", "cinder": "storage-infra_hosts"}
groups = {}


def add(group, hosts=(), children=()):
    g = groups.setdefault(group, {"hosts": [], "children": []})
    for h in hosts:
        if h not in g["hosts"]:
            g["hosts"].append(h)
    for c in children:
        if c not in g["children"]:
            g["children"].append(c)


def physical_host(host, host_ip):
    hostvars[host] = {"ansible_host": host_ip, "container_address": host_ip, "container_name": host,
                      "physical_host": host, "physical_host_addr": host_ip, "is_metal": True,
                      "component": None, "properties": {}}
    add("lxc_hosts", [host])
    add("hosts", [host], ["lxc_hosts"])


hostvars = {}
physical_host(HOST, HOST_IP)
specs, args = [], list(sys.argv[1:])
while args:
    arg = args.pop(0)
    if arg == "--node":
        HOST, HOST_IP = args.pop(0), args.pop(0)
        physical_host(HOST, HOST_IP)
    else:
        specs.append((HOST, HOST_IP, arg))
for HOST, HOST_IP, spec in specs:
    name, service, component, ip, units = spec.split("|")
    hostvars[name] = {
        "ansible_host": ip, "container_address": ip, "container_name": name,
        "container_networks": {"container_address": {"address": ip, "bridge": "br-mgmt",
                                                      "interface": "eth1", "netmask": "255.255.252.0",
                                                      "type": "veth"}},
        "physical_host": HOST, "physical_host_addr": HOST_IP, "physical_host_group": PHYSICAL_GROUP.get(service, "shared-infra_hosts"),
        "component": component, "properties": {"service_name": service, "is_metal": False},
        "is_metal": False, "container_types": f"{component}_container",
    }
    add("all_containers", [name])
    add(f"{component}_container", [name])
    add(HOST + "-host_containers", [name])
    add(component, [name])
    add(f"{service}_all", [], [component])
    if service == "heat":
        add("heat_engine", [name])
        add("heat_api_cfn", [name])
        add("heat_all", [], ["heat_engine", "heat_api_cfn"])
        add("orchestration_all", [], ["heat_all"])
    if service == "keystone":
        add("identity_all", [], ["keystone_all"])
    if service == "utility":
        add("utility_all", [], ["utility"])
# Every physical host of the lab runs HAProxy (lib/node-haproxy.sh on infra2), on metal: as
# generate.py writes openstack_user_config's haproxy_hosts with env.d/haproxy.yml, the physical
# hosts are in haproxy_hosts (physical_skel) and in the component group haproxy (haproxy_all's child).
physical = sorted(h for h, v in hostvars.items() if v.get("physical_host") == h)
add("haproxy_hosts", physical)
add("hosts", [], ["haproxy_hosts"])
add("haproxy", physical)
add("haproxy_all", [], ["haproxy"])
add("all", [], sorted(groups))
inv = dict(sorted(groups.items()))
inv["_meta"] = {"hostvars": hostvars}
print(json.dumps(inv, indent=4, sort_keys=True))
