#!/bin/bash
# Create the bare repo $STATE/git/openstack/heat.git from sample-heat: a few commits, branches
# master and stable/2025.1, tag 24.0.0 and a Gerrit-style change ref refs/changes/45/12345/3.
source "$(dirname "$0")/common.sh"
BARE=$STATE/git/openstack/heat.git
KEY=$(cd "$LAB_DIR" && find sample-heat -type f ! -name '*.pyc' | sort | xargs sha256sum | sha256sum | cut -c1-16)
[ "$(cat "$BARE/lab-key" 2>/dev/null)" = "$KEY" ] && exit 0
log "building git repo $BARE"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
w=$tmp/heat
cp -r "$LAB_DIR/sample-heat" "$w"; find "$w" -name __pycache__ -prune -exec rm -rf {} +
export GIT_AUTHOR_NAME="OSA Lab" GIT_AUTHOR_EMAIL=lab@example.org GIT_COMMITTER_NAME="OSA Lab" \
       GIT_COMMITTER_EMAIL=lab@example.org HOME=$tmp
g() { git -C "$w" "$@"; }
at() { export GIT_AUTHOR_DATE="$1 +0000" GIT_COMMITTER_DATE="$1 +0000"; }
g init -q -b master
printf '[gerrit]\nhost=review.opendev.org\nport=29418\nproject=openstack/heat.git\ndefaultbranch=master\n' > "$w/.gitreview"
printf '*.pyc\n__pycache__/\n*.egg-info/\nbuild/\n' > "$w/.gitignore"
at "2026-03-01 10:00:00"; g add -A; g commit -qm "Initial import of the lab heat service"
mkdir -p "$w/releasenotes/notes"
printf -- '---\nfeatures:\n  - Stack listing API.\n' > "$w/releasenotes/notes/stack-list-1a2b3c.yaml"
at "2026-03-10 10:00:00"; g add -A; g commit -qm "Add release note for stack listing"
g tag -a 24.0.0 -m "heat 24.0.0"
g branch stable/2025.1
printf -- '---\nfixes:\n  - Engine heartbeat interval is configurable.\n' > "$w/releasenotes/notes/heartbeat-4d5e6f.yaml"
at "2026-04-01 10:00:00"; g add -A; g commit -qm "Make engine periodic interval configurable"
g checkout -q stable/2025.1
printf -- '---\nfixes:\n  - Backport: stack ordering.\n' > "$w/releasenotes/notes/stack-order-7a8b9c.yaml"
at "2026-04-02 10:00:00"; g add -A; g commit -qm "Order stacks by creation time" -m "(cherry picked from commit 0000000)"
g checkout -q master
g checkout -q -b review
printf -- '---\nother:\n  - WIP change under review.\n' > "$w/releasenotes/notes/wip-review-0c0d0e.yaml"
at "2026-04-05 10:00:00"; g add -A; g commit -qm "WIP: lab change under review" -m "Change-Id: I0123456789abcdef0123456789abcdef01234567"
g checkout -q master
rm -rf "$BARE"; mkdir -p "$(dirname "$BARE")"
git clone -q --bare "$w" "$BARE"
git -C "$BARE" update-ref refs/changes/45/12345/3 "$(g rev-parse review)"
git -C "$BARE" branch -D review -q
git -C "$BARE" config daemon.receivepack true
echo "$KEY" > "$BARE/lab-key"
