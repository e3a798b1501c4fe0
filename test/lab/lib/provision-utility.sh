#!/bin/bash
# Runs INSIDE the utility container: just an openrc.
set -euxo pipefail
NAME=$1 IP=$2 MGMT=$3
cat > /root/openrc <<R
# Ansible managed (OSA lab)
export LC_ALL=C.UTF-8
export OS_ENDPOINT_TYPE=internalURL
export OS_INTERFACE=internalURL
export OS_USERNAME=admin
export OS_PASSWORD=lab-admin-secret
export OS_PROJECT_NAME=admin
export OS_TENANT_NAME=admin
export OS_AUTH_TYPE=password
export OS_AUTH_URL=http://$MGMT:5000/v3
export OS_NO_CACHE=1
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=RegionOne
export OS_IDENTITY_API_VERSION=3
R
chmod 600 /root/openrc
