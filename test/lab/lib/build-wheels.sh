#!/bin/bash
# Build the local wheel repository (OSA repo server stand-in) from test/lab/wheels-src, sample-heat
# and the generated sample services (keystone, glance, placement: lib/gen-sample-project.py).
source "$(dirname "$0")/common.sh"
OUT=$STATE/repo/os-releases/lab/x86_64/wheels
KEY=$(cd "$LAB_DIR" && { find wheels-src sample-heat -type f ! -name '*.pyc' ! -path '*egg-info*' ! -path '*/build/*' | sort | xargs sha256sum
      cat lib/gen-sample-project.py; printf '%s\n' "${SAMPLE_SERVICES[@]}"; } | sha256sum | cut -c1-16)
[ "$(cat "$OUT/.key" 2>/dev/null)" = "$KEY" ] && exit 0
log "building wheels into $OUT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rm -rf "$OUT"; mkdir -p "$OUT"
for src in "$LAB_DIR"/wheels-src/* "$LAB_DIR/sample-heat"; do cp -r "$src" "$tmp/"; done
for spec in "${SAMPLE_SERVICES[@]}"; do $PY "$LAB_DIR/lib/gen-sample-project.py" "$spec" "$tmp/sample-${spec%%|*}"; done
for d in "$tmp"/*; do
  $PY -m pip wheel -q --disable-pip-version-check --no-build-isolation --no-deps --no-index -w "$OUT" "$d" >/dev/null
done
ls "$OUT" > "$OUT/../wheels.list"
echo "$KEY" > "$OUT/.key"
