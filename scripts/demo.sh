#!/usr/bin/env bash
# A running demo of OSA Dev on a fresh Debian 12 machine, as root:
#   bash scripts/demo.sh          apt + npm ci + lab up + build + package (dist/osa-dev.vsix) +
#                                 install it into code-server 4.100.3 + serve it on 127.0.0.1
#   bash scripts/demo.sh --down   stop what the demo started (code-server; the lab if it started it)
# Env: OSA_DEMO_PORT (default 8080, else a free port), OSA_DEMO_DIR (default /var/lib/osa-dev-demo).
# The host aio1-lab is preconfigured (SSH config and known_hosts generated from the lab's lab.json),
# so opening the OSA Dev view lists its containers. Open the URL in a browser on this machine, or
# forward it: ssh -L 8080:127.0.0.1:8080 THIS-MACHINE.
# Timings (2 cores): everything installed and the lab up: 5 s (package 3 s, .vsix install 1 s,
# start 1 s). From nothing add: test/e2e/install.sh ~40 s (npm ci with native builds, empty npm
# cache), root npm ci ~14 s, and `npm run lab:up` from nothing (see test/lab/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${OSA_DEMO_DIR:-/var/lib/osa-dev-demo}"
PIDFILE="$STATE/code-server.pid"
log() { printf '[demo] %s\n' "$*"; }
t0=$(date +%s)
lap() { log "$1 ($(($(date +%s) - t0)) s)"; }

stop_code_server() {
  if [[ -s "$PIDFILE" ]]; then
    local pid
    pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
      kill -KILL -- "-$pid" 2>/dev/null || true
      log "stopped code-server (process group $pid)"
    fi
    rm -f "$PIDFILE"
  fi
}

if [[ "${1:-}" == "--down" ]]; then
  stop_code_server
  if [[ -f "$STATE/started-lab" ]]; then
    (cd "$ROOT" && npm run --silent lab:down) && rm -f "$STATE/started-lab"
    log "lab stopped (the demo had started it)"
  else
    log "lab left as it was (the demo did not start it)"
  fi
  exit 0
fi
[[ "$(id -u)" == 0 ]] || { echo "run as root (apt, the lab's network namespaces and LXC)" >&2; exit 1; }

# 1. code-server and the tools to build it (no browser: the user brings one)
OSA_E2E_NO_BROWSER=1 bash "$ROOT/test/e2e/install.sh"
lap "code-server installed"

# 2. the extension's dependencies (skipped when package-lock.json has not changed)
stamp="$ROOT/node_modules/.osa-demo-stamp"
lock="$(sha256sum "$ROOT/package-lock.json" | cut -c1-16)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock" ]]; then
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock" >"$stamp"
fi
lap "npm ci"

# 3. the OSA-like lab host
mkdir -p "$STATE"
if ! (cd "$ROOT" && npm run --silent lab:status >/dev/null 2>&1); then
  (cd "$ROOT" && npm run --silent lab:up)
  touch "$STATE/started-lab"
fi
lap "lab up"

# 4. build + package (vsce asks about the missing LICENSE on a terminal: answer from /dev/null)
(cd "$ROOT" && npm run --silent package </dev/null)
lap "packaged dist/osa-dev.vsix"

# 5. a profile with the lab host, the .vsix installed, code-server started in its own group
stop_code_server
ROOT_DIR="$ROOT" node --input-type=module - "$STATE" <<'JS'
import * as path from 'node:path';
const [state] = process.argv.slice(2);
const wb = await import(path.resolve(process.env.ROOT_DIR, 'test/e2e/lib/workbench.mjs'));
const ssh = wb.writeLabSshFiles(state, { trustHostKey: true });
wb.prepareProfile(state, {
  'osaDev.hosts': [{ host: wb.LAB_ALIAS }],
  'osaDev.sshConfigFile': ssh.config,
  'osaDev.knownHostsFile': ssh.knownHosts,
});
JS
CODE_SERVER=(node "$ROOT/test/e2e/node_modules/code-server/out/node/entry.js"
  --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions")
export XDG_CONFIG_HOME="$STATE/xdg/config" XDG_DATA_HOME="$STATE/xdg/data" XDG_CACHE_HOME="$STATE/xdg/cache" TMPDIR="$STATE/tmp"
"${CODE_SERVER[@]}" --force --install-extension "$ROOT/dist/osa-dev.vsix" >"$STATE/install-extension.log" 2>&1 \
  || { cat "$STATE/install-extension.log" >&2; exit 1; }
lap "extension installed into code-server"

port="${OSA_DEMO_PORT:-8080}"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
fi
# setsid: code-server leads its own process group, so --down ends it and its extension hosts.
setsid "${CODE_SERVER[@]}" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust "$STATE/workspace" \
  >"$STATE/code-server.log" 2>&1 </dev/null &
echo $! >"$PIDFILE"
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -20 "$STATE/code-server.log" >&2; exit 1; }
  sleep 0.2
done
lap "code-server started"
echo
echo "  OSA Dev demo: http://127.0.0.1:$port/?folder=$STATE/workspace"
echo "  (open the OSA Dev icon in the activity bar; host aio1-lab is configured)"
echo "  stop with: bash scripts/demo.sh --down     logs: $STATE/code-server.log"
