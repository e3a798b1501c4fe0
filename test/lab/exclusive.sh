#!/usr/bin/env bash
# Runs a command while holding the lab's test lock. Suites that touch the lab (integration, faults,
# extension host, UI, benchmarks) share one HAProxy and one set of containers, so two of them at
# once corrupt each other's snapshots. Usage: bash test/lab/exclusive.sh npm run test:lab
set -euo pipefail
lock="${OSA_LAB_LOCK:-/run/lock/osa-lab-tests.lock}"
# -o: the command runs without the lock's file descriptor, so daemons it starts (up.sh) do not
# keep holding the lock after it ends; flock itself holds it until the command exits.
exec flock --verbose -o "$lock" "$@"
