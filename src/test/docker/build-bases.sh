#!/usr/bin/env bash
# Builds the two bases of the top-level Dockerfile from Debian bookworm's packages with
# mmdebstrap and imports them into the engine at DOCKER_HOST (default: the local socket), for
# machines that cannot pull the Dockerfile's default bases from a public registry:
#   holdfast-test/build-base:bookworm    openjdk-17-jdk-headless, maven  (BUILD_IMAGE)
#   holdfast-test/runtime-base:bookworm  openjdk-17-jre-headless          (RUNTIME_IMAGE)
# ImageIT builds the Dockerfile, unmodified, with --build-arg BUILD_IMAGE=... RUNTIME_IMAGE=....
#
# The machine's own CA certificates (/usr/local/share/ca-certificates/*.crt) go into both bases:
# where the machine reaches Maven Central through a TLS-inspecting egress proxy, the build inside
# the image must trust that proxy as the machine's Maven does. A user's own bases need the same
# when their network has such a proxy.
#
# Cached: an image whose holdfast.base.key label matches the inputs (packages, suite, mirror,
# certificates) is kept; the rootfs tarballs stay in /var/cache/holdfast/bases.
set -euo pipefail

log() { echo "build-bases: $*"; }
die() { echo "build-bases: ERROR: $*" >&2; exit 1; }

SUITE=bookworm
MIRROR=${HOLDFAST_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CACHE=/var/cache/holdfast/bases
mkdir -p "$CACHE"
command -v mmdebstrap >/dev/null || die "mmdebstrap missing (apt-get install mmdebstrap)"

certs=()
for c in /usr/local/share/ca-certificates/*.crt; do
  [ -f "$c" ] && certs+=("$c")
done
certs_sum=$(cat /dev/null "${certs[@]}" | sha256sum | cut -c1-16)

# Documentation and translations are not needed to run or build Java (manual pages stay: the JDK's
# update-alternatives links into /usr/share/man/man1 and fails without it)
DPKG_OPTS=(
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
)

build() {
  local name=$1 packages=$2
  local image=holdfast-test/$name:$SUITE
  local key
  key=$(printf '%s\n' "$SUITE" "$MIRROR" "$packages" "$certs_sum" "${DPKG_OPTS[*]}" v1 | sha256sum | cut -c1-16)
  local have
  have=$(docker image inspect -f '{{index .Config.Labels "holdfast.base.key"}}' "$image" 2>/dev/null || true)
  if [ "$have" = "$key" ]; then
    log "$image is current ($key)"
    return
  fi
  local tar=$CACHE/$name-$key.tar
  if [ ! -s "$tar" ]; then
    log "mmdebstrap $SUITE $name: $packages"
    # mmdebstrap takes the output format from the name: it must end in .tar
    local partial=$CACHE/$name-$key.partial.tar
    local hooks=()
    for c in "${certs[@]}"; do
      hooks+=(--customize-hook="copy-in $c /usr/local/share/ca-certificates/")
    done
    if [ "${#certs[@]}" -gt 0 ]; then
      hooks+=(--customize-hook='chroot "$1" update-ca-certificates --fresh >/dev/null')
    fi
    # apt's lists and caches are not kept: the image never runs apt
    hooks+=(--customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*')
    mmdebstrap --variant=apt --include="$packages" "${DPKG_OPTS[@]}" "${hooks[@]}" \
      --aptopt='Acquire::Retries "3"' "$SUITE" "$partial" "$MIRROR" >"$tar.log" 2>&1 \
      || { tail -20 "$tar.log" >&2; die "mmdebstrap for $name failed (log $tar.log)"; }
    mv "$partial" "$tar"
  fi
  docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c "LABEL holdfast.base.key=$key" \
    "$tar" "$image" >/dev/null
  log "$image imported ($key, $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
}

build build-base "openjdk-17-jdk-headless,maven,ca-certificates"
build runtime-base "openjdk-17-jre-headless,ca-certificates"
