#!/usr/bin/python3
"""Ansible dynamic inventory of the lab host: OSA's openstack_inventory.json is already in the
dynamic-inventory shape (groups {hosts, children} plus _meta.hostvars), so it is served as is,
read-only, like osa_toolkit's dynamic_inventory.py does once the file exists. Only how Ansible
reaches the physical hosts (lxc_hosts) is added: the one it runs on (aio1, by hostname) locally,
the others (infra2) over SSH as root at their ansible_host and ansible_port, as from OSA's
deployment host (root's key and known_hosts on aio1: lib/node-host.sh)."""
import json
import socket
import sys

PATH = "/etc/openstack_deploy/openstack_inventory.json"


def physical_hosts(inventory):
    return inventory.get("lxc_hosts", {}).get("hosts", [])


if len(sys.argv) > 1 and sys.argv[1] == "--host":
    print("{}")  # everything is in _meta.hostvars
else:
    with open(PATH, encoding="utf-8") as f:
        inventory = json.load(f)
    hostvars = inventory.setdefault("_meta", {}).setdefault("hostvars", {})
    here = socket.gethostname()
    for host in physical_hosts(inventory):
        reach = {"ansible_connection": "local"} if host == here else {"ansible_connection": "ssh", "ansible_user": "root"}
        hostvars[host] = {**hostvars.get(host, {}), **reach}
    json.dump(inventory, sys.stdout)
