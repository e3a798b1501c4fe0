#!/usr/bin/python3
"""Ansible dynamic inventory of the lab host: OSA's openstack_inventory.json is already in the
dynamic-inventory shape (groups {hosts, children} plus _meta.hostvars), so it is served as is,
read-only, like osa_toolkit's dynamic_inventory.py does once the file exists."""
import json
import sys

PATH = "/etc/openstack_deploy/openstack_inventory.json"

if len(sys.argv) > 1 and sys.argv[1] == "--host":
    print("{}")  # everything is in _meta.hostvars
else:
    with open(PATH, encoding="utf-8") as f:
        json.dump(json.load(f), sys.stdout)
