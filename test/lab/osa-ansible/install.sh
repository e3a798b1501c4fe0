#!/bin/bash
# Runs INSIDE the lab host view (in_lab), from up.sh: installs OSA's `openstack-ansible` wrapper
# (/usr/local/bin, an overlay in the lab's mount namespace: the machine's own stays untouched),
# the inventory script and the `openstack.osa` collection (/etc/ansible/ansible_collections),
# whose playbooks call this checkout's lab scripts (lib/containers.sh). Idempotent.
source "$(dirname "$0")/../lib/common.sh"
HERE=$LAB_DIR/osa-ansible
if ! mountpoint -q /usr/local/bin; then
  mkdir -p "$HOSTDIR/usr-local-bin.upper" "$HOSTDIR/usr-local-bin.work"
  mount -t overlay osa-lab-usr-local-bin \
    -o "lowerdir=/usr/local/bin,upperdir=$HOSTDIR/usr-local-bin.upper,workdir=$HOSTDIR/usr-local-bin.work" /usr/local/bin
fi
install -m 0755 "$HERE/openstack-ansible" /usr/local/bin/openstack-ansible
install -D -m 0755 "$HERE/inventory.py" /etc/ansible/osa-lab/inventory.py
dest=/etc/ansible/ansible_collections/openstack/osa
rm -rf "$dest.new"; mkdir -p "$(dirname "$dest")"
cp -r "$HERE/openstack/osa" "$dest.new"
mkdir -p "$dest.new/playbooks/vars"
printf -- '---\n# written by test/lab/osa-ansible/install.sh\nosa_lab_dir: %s\n' "$LAB_DIR" > "$dest.new/playbooks/vars/lab.yml"
rm -rf "$dest"; mv "$dest.new" "$dest"
