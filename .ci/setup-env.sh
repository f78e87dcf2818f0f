#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (run as root, non-interactive, CI=true)
# for holdfast's real-Docker tests:
#   1. installs docker.io, busybox-static, bird2, docker-registry, iproute2,
#      ca-certificates (skipped when all are already installed);
#   2. starts dockerd when `docker info` fails (CI machines have no systemd,
#      and the package's postinst is blocked by policy-rc.d, so nothing starts
#      it for us);
#   3. builds the test images (src/test/docker/build-images.sh).
# It deliberately does NOT start a registry: tests start their own.
# Safe to run repeatedly; every step checks before acting.
set -euo pipefail

START_TS=$(date +%s)
log() { echo "setup-env: $*"; }
die() { echo "setup-env: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_IMAGES="$REPO_ROOT/src/test/docker/build-images.sh"
DOCKERD_LOG=/var/log/holdfast-dockerd.log
DOCKER_SOCK=/var/run/docker.sock
DOCKERD_WAIT_SECS=60
PACKAGES=(docker.io busybox-static bird2 docker-registry iproute2 ca-certificates)

# --- 1. packages -----------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  log "packages already installed: ${PACKAGES[*]}"
else
  log "installing (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  # Lock::Timeout makes us wait (bounded) for another apt/dpkg run instead of
  # failing straight away; stdin from /dev/null because CI has none.
  apt-get -o DPkg::Lock::Timeout=600 update </dev/null ||
    die "apt-get update failed"
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
    "${PACKAGES[@]}" </dev/null || die "apt-get install failed"
  log "packages installed"
fi

# --- 2. dockerd --------------------------------------------------------------
# A newer docker client may sit in /usr/local/bin ahead of docker.io's; it
# negotiates the API version down, so either client works. Only the engine
# has to come from docker.io.
command -v docker >/dev/null 2>&1 || die "no docker client on PATH"
DOCKERD=/usr/sbin/dockerd
[ -x "$DOCKERD" ] || die "$DOCKERD missing (docker.io not installed?)"

if docker info >/dev/null 2>&1; then
  log "dockerd already running ($(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
else
  dockerd_pid=""
  # If a dockerd is already starting (pidfile with live process), just wait
  # for it; starting a second one would fail on the pidfile lock anyway.
  if [ -s /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    dockerd_pid="$(cat /var/run/docker.pid)"
    log "dockerd (pid $dockerd_pid) exists but is not answering yet; waiting"
  else
    log "starting dockerd, log: $DOCKERD_LOG"
    # setsid+nohup so dockerd outlives this script and its session/CI step;
    # dockerd launches its own containerd (no systemd here).
    setsid nohup "$DOCKERD" --host "unix://$DOCKER_SOCK" \
      >>"$DOCKERD_LOG" 2>&1 </dev/null &
    dockerd_pid=$!
  fi
  # kill -0 alone is not enough: a dockerd that died is our zombie child
  # until the script exits, so also look at its /proc state.
  alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
  deadline=$(( $(date +%s) + DOCKERD_WAIT_SECS ))
  until docker info >/dev/null 2>&1; do
    if ! alive "$dockerd_pid"; then
      tail -n 40 "$DOCKERD_LOG" >&2 || true
      die "dockerd exited during startup (log above, full log $DOCKERD_LOG)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 40 "$DOCKERD_LOG" >&2 || true
      die "dockerd did not answer within ${DOCKERD_WAIT_SECS}s (log above, full log $DOCKERD_LOG)"
    fi
    sleep 1
  done
  log "dockerd up (pid $dockerd_pid, server $(docker version -f '{{.Server.Version}}'))"
fi

# --- 3. images ---------------------------------------------------------------
[ -x "$BUILD_IMAGES" ] || die "$BUILD_IMAGES missing or not executable"
"$BUILD_IMAGES" || die "building test images failed"

log "done in $(( $(date +%s) - START_TS ))s"
