#!/bin/bash
# Lab edition of OSA's bootstrap-ansible.sh: OSA builds /opt/ansible-runtime from PyPI; the lab
# uses Debian's ansible-core and installs the same `openstack-ansible` wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ansible-playbook >/dev/null || { echo "ansible-playbook is not installed (apt-get install ansible-core)" >&2; exit 1; }
install -m 0755 scripts/openstack-ansible /usr/local/bin/openstack-ansible
echo "openstack-ansible wrapper installed: $(ansible-playbook --version | head -1)"
