#!/bin/bash
# The lab's openstack-ansible repository (test/lab/osa-repo, see its README.rst), published as
# $STATE/git/openstack/openstack-ansible.git with branches master and stable/2025.1 and tag 31.0.0,
# for "Create OSA All-In-One on Host" runs against the fresh deploy host.
source "$(dirname "$0")/common.sh"
BARE=$STATE/git/openstack/openstack-ansible.git
KEY=$( (cd "$LAB_DIR" && find osa-repo lib/build-osa-repo.sh -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16)
[ "$(cat "$BARE/lab-key" 2>/dev/null)" = "$KEY" ] && exit 0
log "building git repo $BARE"
export GIT_AUTHOR_NAME="OSA Lab" GIT_AUTHOR_EMAIL=lab@example.org GIT_COMMITTER_NAME="OSA Lab" GIT_COMMITTER_EMAIL=lab@example.org
export GIT_AUTHOR_DATE="2026-03-01 10:00:00 +0000" GIT_COMMITTER_DATE="2026-03-01 10:00:00 +0000"
tmp=$(mktemp -d); export HOME=$tmp
cp -a "$LAB_DIR/osa-repo" "$tmp/osa"
git -C "$tmp/osa" init -q -b master
printf '[gerrit]\nhost=review.opendev.org\nport=29418\nproject=openstack/openstack-ansible.git\ndefaultbranch=master\n' > "$tmp/osa/.gitreview"
git -C "$tmp/osa" add -A
git -C "$tmp/osa" commit -qm "Lab edition of openstack-ansible"
git -C "$tmp/osa" branch stable/2025.1
git -C "$tmp/osa" tag -a 31.0.0 -m "31.0.0"
rm -rf "$BARE"; mkdir -p "$(dirname "$BARE")"
git clone -q --bare "$tmp/osa" "$BARE"
echo "$KEY" > "$BARE/lab-key"
rm -rf "$tmp"
