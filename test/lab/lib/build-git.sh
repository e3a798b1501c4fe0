#!/bin/bash
# Create the bare repos under $STATE/git/openstack/ (served by git daemon):
# - heat.git from sample-heat: a few commits, branches master, stable/2025.1 and feature/metrics
#   (requires osalab-metrics, which only the package index has), tag 24.0.0 and a Gerrit-style
#   change ref refs/changes/45/12345/3;
# - keystone.git, glance.git, placement.git from the generated sample services: master + a tag.
source "$(dirname "$0")/common.sh"
export GIT_AUTHOR_NAME="OSA Lab" GIT_AUTHOR_EMAIL=lab@example.org GIT_COMMITTER_NAME="OSA Lab" \
       GIT_COMMITTER_EMAIL=lab@example.org
at() { export GIT_AUTHOR_DATE="$1 +0000" GIT_COMMITTER_DATE="$1 +0000"; }
# new_repo DIR PROJECT: git init with the .gitreview/.gitignore every lab repo has, first commit
new_repo() {
  git -C "$1" init -q -b master
  printf '[gerrit]\nhost=review.opendev.org\nport=29418\nproject=openstack/%s.git\ndefaultbranch=master\n' "$2" > "$1/.gitreview"
  printf '*.pyc\n__pycache__/\n*.egg-info/\nbuild/\n' > "$1/.gitignore"
  at "2026-03-01 10:00:00"; git -C "$1" add -A; git -C "$1" commit -qm "Initial import of the lab $2 service"
}
# publish DIR BARE KEY: replace the bare repo (push enabled) by a clone of DIR
publish() {
  rm -rf "$2"; mkdir -p "$(dirname "$2")"
  git clone -q --bare "$1" "$2"
  git -C "$2" config daemon.receivepack true
  echo "$3" > "$2/lab-key"
}

for spec in "${SAMPLE_SERVICES[@]}"; do
  IFS='|' read -r svc pkg version _ <<<"$spec"
  BARE=$STATE/git/openstack/$svc.git
  KEY=$({ cat "$LAB_DIR/lib/gen-sample-project.py" "$LAB_DIR/lib/build-git.sh"; echo "$spec"; } | sha256sum | cut -c1-16)
  [ "$(cat "$BARE/lab-key" 2>/dev/null)" = "$KEY" ] && continue
  log "building git repo $BARE"
  tmp=$(mktemp -d); export HOME=$tmp
  $PY "$LAB_DIR/lib/gen-sample-project.py" "$spec" "$tmp/$svc"
  new_repo "$tmp/$svc" "$svc"
  git -C "$tmp/$svc" tag -a "$version" -m "$svc $version"
  publish "$tmp/$svc" "$BARE" "$KEY"
  rm -rf "$tmp"
done

BARE=$STATE/git/openstack/heat.git
KEY=$(cd "$LAB_DIR" && { find sample-heat -type f ! -name '*.pyc' | sort | xargs sha256sum; cat lib/build-git.sh; } | sha256sum | cut -c1-16)
[ "$(cat "$BARE/lab-key" 2>/dev/null)" = "$KEY" ] && exit 0
log "building git repo $BARE"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
w=$tmp/heat
cp -r "$LAB_DIR/sample-heat" "$w"; find "$w" -name __pycache__ -prune -exec rm -rf {} +
export HOME=$tmp
g() { git -C "$w" "$@"; }
new_repo "$w" heat
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
g checkout -q -b feature/metrics
printf 'osalab-metrics>=1.0.0\n' >> "$w/requirements.txt"
at "2026-04-03 10:00:00"; g add -A; g commit -qm "Count API requests with osalab-metrics" -m "osalab-metrics is on the package index, not in the OSA wheel repo."
g checkout -q master
g checkout -q -b review
printf -- '---\nother:\n  - WIP change under review.\n' > "$w/releasenotes/notes/wip-review-0c0d0e.yaml"
at "2026-04-05 10:00:00"; g add -A; g commit -qm "WIP: lab change under review" -m "Change-Id: I0123456789abcdef0123456789abcdef01234567"
g checkout -q master
publish "$w" "$BARE" "$KEY"
git -C "$BARE" update-ref refs/changes/45/12345/3 "$(g rev-parse review)"
git -C "$BARE" branch -D review -q
