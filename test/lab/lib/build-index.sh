#!/bin/bash
# Build the lab's "public" package index ($STATE/index, served on $INDEX_URL): a PEP 503 simple
# index, like pypi.org/simple, holding wheels built from test/lab/index-src that the OSA wheel
# repo ($WHEEL_URL) lacks. Rebuilt when the sources change.
source "$(dirname "$0")/common.sh"
OUT=$STATE/index
KEY=$(cd "$LAB_DIR" && { find index-src -type f ! -name '*.pyc' ! -path '*egg-info*' ! -path '*/build/*' | sort | xargs sha256sum; cat lib/build-index.sh; } | sha256sum | cut -c1-16)
[ "$(cat "$OUT/.key" 2>/dev/null)" = "$KEY" ] && exit 0
log "building the package index in $OUT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rm -rf "$OUT"; mkdir -p "$OUT/packages" "$OUT/simple"
for src in "$LAB_DIR"/index-src/*; do
  cp -r "$src" "$tmp/"
  $PY -m pip wheel -q --disable-pip-version-check --no-build-isolation --no-deps --no-index \
      -w "$OUT/packages" "$tmp/$(basename "$src")" >/dev/null
done
# PEP 503: /simple/ lists projects (normalized names), /simple/<project>/ links its files with #sha256=
$PY - "$OUT" <<'PY'
import hashlib, html, os, re, sys
out = sys.argv[1]
projects = {}
for whl in sorted(os.listdir(f"{out}/packages")):
    name = re.sub(r"[-_.]+", "-", whl.split("-")[0]).lower()
    projects.setdefault(name, []).append(whl)
page = lambda title, links: ("<!DOCTYPE html>\n<html><head><title>%s</title></head><body>\n%s</body></html>\n"
                             % (title, "".join(f'<a href="{h}">{html.escape(t)}</a><br/>\n' for h, t in links)))
with open(f"{out}/simple/index.html", "w") as f:
    f.write(page("Simple index", [(f"{p}/", p) for p in projects]))
for project, files in projects.items():
    os.makedirs(f"{out}/simple/{project}", exist_ok=True)
    links = []
    for whl in files:
        with open(f"{out}/packages/{whl}", "rb") as w:
            links.append((f"../../packages/{whl}#sha256={hashlib.sha256(w.read()).hexdigest()}", whl))
    with open(f"{out}/simple/{project}/index.html", "w") as f:
        f.write(page(f"Links for {project}", links))
PY
echo "$KEY" > "$OUT/.key"
