#!/usr/bin/env bash
# `npm test`: every suite, in order of cost. Starts the lab when it is not up, and stops it again at
# the end when it started it (always in CI), so no server outlives the run.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run typecheck
npm run lint
npm run build
npm run test:unit
npm run test:bad-input

bash scripts/install-test-tools.sh

started_lab=false
bash test/lab/status.sh >/dev/null 2>&1 || started_lab=true
# Always (it is idempotent, ~2 s warm): a lab already up may have been set up from another checkout,
# and up.sh installs this checkout's pieces (the openstack-ansible playbooks point at it).
bash test/lab/up.sh
stop_lab() {
  if [ "$started_lab" = true ] || [ "${CI:-}" = true ]; then bash test/lab/down.sh || true; fi
}
trap stop_lab EXIT

npm run test:lab
npm run test:bad-input:lab
npm run test:security
npm run test:faults
npm run test:load
npm run test:soak
npm run test:vscode
npm run test:ui
