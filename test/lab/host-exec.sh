#!/bin/bash
# Run a command as the lab HOST sees it (lab mount + uts + network namespaces), e.g.
#   test/lab/host-exec.sh lxc-ls -f      |  test/lab/host-exec.sh   (interactive shell)
source "$(dirname "$0")/lib/common.sh"
ns_up || die "lab is not up (run test/lab/up.sh)"
cd /
[ $# -gt 0 ] || set -- bash
exec nsenter --mount="$NSDIR/mnt" --uts="$NSDIR/uts" --net="$NETNS_FILE" -- env HOME=/root "$@"
