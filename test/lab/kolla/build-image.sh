#!/bin/bash
# Runs INSIDE a container of the lab's base image (podman run … bash /lab-kolla/build-image.sh):
# what a Kolla heat image holds — the service user, the service in a venv at /var/lib/kolla/venv
# (on PATH), kolla_start + kolla_set_configs. Installed from the lab's wheel repo, bind-mounted at
# /wheels (no network while building); pip.conf then names the repo as the containers reach it.
set -euxo pipefail
WHEELS=$1 MGMT=$2
id heat >/dev/null 2>&1 || useradd --system --home-dir /var/lib/heat --shell /usr/sbin/nologin --user-group heat
install -d -o heat -g heat -m 0750 /var/lib/heat /var/log/kolla/heat
install -d -m 0755 /etc/heat
/usr/bin/python3 -m venv /var/lib/kolla/venv
printf 'openstack-heat===24.0.0\nosalab-log===1.0.0\nosalab-config===1.0.0\nosalab-db===1.0.0\n' > /tmp/upper-constraints.txt
/var/lib/kolla/venv/bin/pip install --disable-pip-version-check --no-index --find-links /wheels \
  -c /tmp/upper-constraints.txt openstack-heat
rm /tmp/upper-constraints.txt
# the deployment's package mirror (here the lab's wheel repo: there is no internet)
printf '[global]\nno-index = true\nfind-links = %s\ntrusted-host = %s\n' "$WHEELS" "$MGMT" > /etc/pip.conf
install -m 0755 /lab-kolla/kolla_start /lab-kolla/kolla_set_configs /usr/local/bin/
