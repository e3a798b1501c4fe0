#!/bin/bash
# Build (once) the Debian bookworm rootfs every lab container uses, cached under $CACHE:
#   $CACHE/debian-bookworm-base.tar.zst  (the tarball cache; survives down.sh and CI runs)
#   $CACHE/images/base/rootfs            (extracted; the read-only overlay lower dir of all containers)
source "$(dirname "$0")/common.sh"
KEY=$(echo "bookworm $BASE_PKGS v3" | sha256sum | cut -c1-12)
TARBALL=$CACHE/debian-bookworm-base-$KEY.tar.zst
IMG=$CACHE/images/base
mkdir -p "$CACHE"
if [ "$(cat "$IMG/.key" 2>/dev/null)" = "$KEY" ]; then exit 0; fi

if [ ! -s "$TARBALL" ]; then
  log "building Debian bookworm base rootfs with lxc-create -t debian (cold, ~3 min)"
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  secmirror=${mirror%/debian}/debian-security
  build=$CACHE/build
  rm -rf "$build"; mkdir -p "$build"
  printf 'lxc.net.0.type = empty\n' > "$build/cfg"
  LXC_CACHE_PATH=$CACHE/lxc-template \
    lxc-create -P "$build" -n base -t debian -f "$build/cfg" -- -r bookworm \
      --mirror="$mirror" --security-mirror="$secmirror" --packages="$BASE_PKGS" \
      > "$CACHE/build.log" 2>&1 || { tail -30 "$CACHE/build.log"; die "lxc-create failed"; }
  r=$build/base/rootfs
  # the template ignores package failures: check (it needs debian-distro-info for the security suite)
  for b in python3 git sqlite3 ip; do [ -x "$r/usr/bin/$b" ] || [ -x "$r/bin/$b" ] || { tail -20 "$CACHE/build.log"; die "base rootfs lacks $b"; }; done
  # lab adjustments: static IP comes from LXC, so eth0 is 'manual' (else networking.service fails)
  printf 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet manual\n' > "$r/etc/network/interfaces"
  rm -f "$r/etc/hostname"
  chroot "$r" apt-get clean
  tar -C "$r" --numeric-owner -cf - . | zstd -q -T0 -3 -o "$TARBALL.tmp"
  mv "$TARBALL.tmp" "$TARBALL"
  for old in "$CACHE"/debian-bookworm-base-*.tar.zst; do [ "$old" = "$TARBALL" ] || rm -f "$old"; done
  rm -rf "$build"
fi
log "extracting base rootfs from $TARBALL"
rm -rf "$IMG"; mkdir -p "$IMG/rootfs"
zstd -q -dc "$TARBALL" | tar -C "$IMG/rootfs" --numeric-owner -xf -
echo "$KEY" > "$IMG/.key"
