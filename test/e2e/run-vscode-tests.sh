#!/usr/bin/env bash
# Extension-host tests in a real VS Code (code-server 4.100.3) driven by headless Chromium.
#   npm run test:vscode          (= bash test/e2e/run-vscode-tests.sh)
# Env: CI=true makes the lab tests fail when the lab is down (locally they skip);
#      OSA_E2E_GREP=pattern runs matching tests only; OSA_E2E_SUITES=gerrit,lab loads only those
#      files of test/vscode/ (keeps a lab-locked run short); OSA_E2E_KEEP=1 keeps the scratch folder.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
start=$(date +%s)

bash "$HERE/install.sh"
(cd "$ROOT" && npm run --silent build)
node "$HERE/build-vscode-tests.mjs"

SCRATCH="$(mktemp -d /tmp/osa-e2e-vscode.XXXXXX)"
cleanup() {
  local rc=$?
  # Always end code-server's whole process group (extension hosts outlive it otherwise).
  if [[ -s "$SCRATCH/code-server.pid" ]]; then
    kill -TERM -- "-$(cat "$SCRATCH/code-server.pid")" 2>/dev/null || true
    sleep 0.5
    kill -KILL -- "-$(cat "$SCRATCH/code-server.pid")" 2>/dev/null || true
  fi
  if [[ "${OSA_E2E_KEEP:-}" == 1 || $rc -ne 0 ]]; then
    echo "[vscode-tests] scratch kept: $SCRATCH (code-server.log, browser-console.log)" >&2
  else
    rm -rf "$SCRATCH"
  fi
  echo "[vscode-tests] total $(($(date +%s) - start)) s" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

node "$HERE/run-vscode-tests.mjs" "$SCRATCH"
