#!/bin/bash
# Lab edition of OSA's bootstrap-aio.sh: runs tests/bootstrap-aio.yml through the wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v openstack-ansible >/dev/null || { echo "Run scripts/bootstrap-ansible.sh first." >&2; exit 1; }
exec openstack-ansible tests/bootstrap-aio.yml -e "bootstrap_host_scenario=${SCENARIO:-aio_lxc}"
