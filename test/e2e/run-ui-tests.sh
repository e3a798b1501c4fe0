#!/usr/bin/env bash
# UI tests (Playwright on Debian's Chromium) against code-server 4.100.3 with the extension loaded
# from this checkout. Screenshots land in .artifacts/screenshots/.
#   npm run test:ui          (= bash test/e2e/run-ui-tests.sh)
#   bash test/e2e/run-ui-tests.sh test/e2e/ui/debug.test.mjs    (one file, same set-up)
# Env: CI=true makes the lab steps fail when the lab is down (locally they skip); OSA_E2E_KEEP=1.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
start=$(date +%s)

bash "$HERE/install.sh"
(cd "$ROOT" && npm run --silent build)

export OSA_E2E_SCRATCH="$(mktemp -d /tmp/osa-e2e-ui.XXXXXX)"
cleanup() {
  local rc=$?
  # Every UI test file starts its own code-server (pid files in the scratch folder or a subfolder).
  local pidfile
  while IFS= read -r pidfile; do
    kill -TERM -- "-$(cat "$pidfile")" 2>/dev/null || true
    sleep 0.5
    kill -KILL -- "-$(cat "$pidfile")" 2>/dev/null || true
  done < <(find "$OSA_E2E_SCRATCH" -maxdepth 2 -name code-server.pid -size +0 2>/dev/null)
  if [[ "${OSA_E2E_KEEP:-}" == 1 || $rc -ne 0 ]]; then
    echo "[ui-tests] scratch kept: $OSA_E2E_SCRATCH" >&2
  else
    rm -rf "$OSA_E2E_SCRATCH"
  fi
  echo "[ui-tests] total $(($(date +%s) - start)) s; screenshots in $ROOT/.artifacts/screenshots" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$ROOT"
if [[ $# -gt 0 ]]; then files=("$@"); else files=(test/e2e/ui/*.test.mjs); fi
node --test --test-concurrency=1 --test-reporter=spec --test-timeout=480000 "${files[@]}"
