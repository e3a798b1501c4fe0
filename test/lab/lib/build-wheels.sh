#!/bin/bash
# Build the local wheel repository (OSA repo server stand-in) from test/lab/wheels-src + sample-heat.
source "$(dirname "$0")/common.sh"
OUT=$STATE/repo/os-releases/lab/x86_64/wheels
KEY=$(cd "$LAB_DIR" && find wheels-src sample-heat -type f ! -name '*.pyc' ! -path '*egg-info*' ! -path '*/build/*' | sort | xargs sha256sum | sha256sum | cut -c1-16)
[ "$(cat "$OUT/.key" 2>/dev/null)" = "$KEY" ] && exit 0
log "building wheels into $OUT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rm -rf "$OUT"; mkdir -p "$OUT"
for src in "$LAB_DIR"/wheels-src/* "$LAB_DIR/sample-heat"; do
  cp -r "$src" "$tmp/"
  $PY -m pip wheel -q --disable-pip-version-check --no-build-isolation --no-deps --no-index \
      -w "$OUT" "$tmp/$(basename "$src")" >/dev/null
done
ls "$OUT" > "$OUT/../wheels.list"
echo "$KEY" > "$OUT/.key"
