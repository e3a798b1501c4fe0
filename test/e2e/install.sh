#!/usr/bin/env bash
# Installs what the VS Code tests need: Debian's Chromium and ripgrep, and test/e2e/node_modules
# (code-server 4.100.3 = VS Code 1.100.3, playwright-core, mocha). Idempotent; passes from nothing.
#
#   bash test/e2e/install.sh          # as root, on Debian 12 with Node 20
#   OSA_E2E_NO_BROWSER=1 bash test/e2e/install.sh   # code-server only (scripts/demo.sh)
#
# Downloads and builds are kept outside the checkout, so a fresh clone in another folder (CI) on
# the same machine is fast: OSA_E2E_CACHE (default /var/cache/osa-dev-e2e) holds the seeded
# ripgrep download and a snapshot of node_modules keyed by package-lock.json + Node version;
# npm's own cache (~/.npm) holds the tarballs.
#
# Traps handled (see shared VSCODE-E2E.md):
#  - code-server's postinstall refuses to run as root unless npm_config_unsafe_perm=true (npm 11
#    prints "Unknown env config unsafe-perm": harmless, the script reads the variable itself).
#  - kerberos (inside VS Code) compiles against libkrb5-dev.
#  - @vscode/ripgrep's postinstall downloads rg from GitHub: we pre-seed its download cache
#    ($TMPDIR/vscode-ripgrep-cache-VERSION/) with a tar.gz of Debian's /usr/bin/rg.
#  - node-pty's postinstall runs `npx node-gyp`: npm_config_yes=true; npm_config_nodedir=/usr so
#    node-gyp uses the headers of Debian's Node instead of downloading them.
#  - npm 11 install-script policy: package.json's "allowScripts" approves code-server and argon2
#    (written by `npm approve-scripts`). In npm 11.19 the policy is advisory (scripts run, npm warns
#    about the packages VS Code's nested install builds); if a later npm enforces it, approve the
#    listed packages the same way or set npm_config_dangerously_allow_all_scripts=true here.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${OSA_E2E_CACHE:-/var/cache/osa-dev-e2e}"
# @vscode/ripgrep as pinned by code-server 4.100.3's VS Code: cache folder and asset it looks for.
RG_PKG_VERSION=1.15.11
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

log() { printf '[e2e-install] %s\n' "$*"; }
start=$(date +%s)

# --- Debian packages ---------------------------------------------------------------------------
apt_packages=(ripgrep libkrb5-dev build-essential pkg-config python3 ca-certificates)
# The demo serves code-server to the user's own browser: OSA_E2E_NO_BROWSER=1 skips Chromium.
[[ "${OSA_E2E_NO_BROWSER:-}" == 1 ]] || apt_packages+=(chromium)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt: all present"
fi

# --- node_modules ------------------------------------------------------------------------------
key="$(cat "$HERE/package-lock.json" "$HERE/package.json" | sha256sum | cut -c1-16)-node$(node -p 'process.versions.modules')"
stamp="$HERE/node_modules/.osa-e2e-stamp"
snapshot="$CACHE/node_modules-$key.tar"
mkdir -p "$CACHE"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$key" && -x "$HERE/node_modules/.bin/code-server" ]]; then
  log "node_modules: up to date ($key)"
elif [[ -f "$snapshot" ]]; then
  log "node_modules: restoring snapshot $snapshot"
  rm -rf "$HERE/node_modules"
  tar -C "$HERE" -xf "$snapshot"
  echo "$key" >"$stamp"
else
  log "node_modules: npm ci (builds VS Code's native modules; ~1-2 min)"
  tmp="$CACHE/tmp"
  mkdir -p "$tmp/vscode-ripgrep-cache-$RG_PKG_VERSION"
  if [[ ! -s "$tmp/vscode-ripgrep-cache-$RG_PKG_VERSION/$RG_ASSET" ]]; then
    d="$(mktemp -d)"
    cp /usr/bin/rg "$d/rg"
    tar -C "$d" -czf "$tmp/vscode-ripgrep-cache-$RG_PKG_VERSION/$RG_ASSET" rg
    rm -rf "$d"
  fi
  (
    cd "$HERE"
    export TMPDIR="$tmp" npm_config_nodedir=/usr npm_config_unsafe_perm=true npm_config_yes=true
    export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
    npm ci --no-progress --loglevel=error >"$CACHE/npm-ci.log" 2>&1 || {
      tail -60 "$CACHE/npm-ci.log" >&2
      log "npm ci failed; full log: $CACHE/npm-ci.log" >&2
      exit 1
    }
  )
  [[ -x "$HERE/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]] || {
    log "ripgrep was not unpacked into VS Code; see $CACHE/npm-ci.log" >&2
    exit 1
  }
  echo "$key" >"$stamp"
  # Keep one snapshot only: the old ones are for lockfiles we no longer have.
  rm -f "$CACHE"/node_modules-*.tar
  tar -C "$HERE" -cf "$snapshot.part" node_modules && mv "$snapshot.part" "$snapshot"
  log "node_modules: snapshot saved to $snapshot"
fi

log "done in $(($(date +%s) - start)) s"
