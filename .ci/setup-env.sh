#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (run as root, non-interactive, CI=true)
# for holdfast's real-Docker tests:
#   1. installs docker.io, runc, docker-compose (Compose v1 1.29),
#      busybox-static, bird2, docker-registry, etcd-server (etcd 3.4), mmdebstrap,
#      iproute2, ca-certificates (skipped when all are already installed);
#      no service the packages bring is left running (etcd's postinst would
#      start one on 2379; a policy-rc.d blocks it during the install);
#   2. starts dockerd when `docker info` fails (CI machines have no systemd,
#      and the package's postinst is blocked by policy-rc.d, so nothing starts
#      it for us);
#   3. builds the test images (src/test/docker/build-images.sh) and the
#      Dockerfile's bases from Debian packages with mmdebstrap
#      (src/test/docker/build-bases.sh);
#   4. fetches Debian sid's docker.io, containerd, docker-cli, docker-compose
#      (Compose v2), etcd-server and etcd-client with a private apt sources
#      list (the machine's apt lists, cache and preferences stay untouched),
#      extracts them under a fixed prefix and checks their versions;
#   5. starts sid's dockerd beside the bookworm one and loads the test images
#      into it (only those missing there or outdated).
# It deliberately does NOT start a registry or etcd: tests start their own.
# Safe to run repeatedly; every step checks before acting.
#
# Fixed names the tests rely on (nothing is exported; tests use these paths):
#   bookworm engine  unix:///var/run/docker.sock   (Docker 20.10, log
#                    /var/log/holdfast-dockerd.log)
#   sid engine       unix:///run/docker-sid.sock   (Docker 28.x)
#                    data root /var/lib/docker-sid, exec root /run/docker-sid,
#                    pidfile /run/docker-sid.pid, config
#                    /opt/holdfast-sid/daemon.json, log
#                    /var/log/holdfast-dockerd-sid.log; no iptables rules, no
#                    default bridge (user networks work, but bookworm's FORWARD
#                    DROP policy applies to their bridged traffic: containers on
#                    one sid network reach each other only with a DOCKER-USER
#                    ACCEPT rule for that bridge, which the test adds and removes);
#                    containerd image store
#   Compose v1       /usr/bin/docker-compose (bookworm, 1.29)
#   bookworm etcd    /usr/bin/etcd (3.4; the tests start their own clusters
#                    on free loopback ports, never the package's service)
#   Compose v2       /opt/holdfast-sid/root/usr/libexec/docker/cli-plugins/docker-compose
#                    (sid, 2.x; run it directly with DOCKER_HOST set)
#   sid binaries     /opt/holdfast-sid/root/usr/{bin,sbin}: dockerd, docker,
#                    containerd, containerd-shim-runc-v2, etcd, etcdctl
#   sid .debs        /var/cache/holdfast/sid (kept: a re-run downloads nothing;
#                    HOLDFAST_SID_REFRESH=1 fetches the current sid packages)
set -euo pipefail

START_TS=$(date +%s)
log() { echo "setup-env: $*"; }
die() { echo "setup-env: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"

# kill -0 alone is not enough: a dockerd that died is our zombie child
# until the script exits, so also look at its /proc state.
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_IMAGES="$REPO_ROOT/src/test/docker/build-images.sh"
DOCKERD_LOG=/var/log/holdfast-dockerd.log
DOCKER_SOCK=/var/run/docker.sock
DOCKERD_WAIT_SECS=60

SID_DIR=/opt/holdfast-sid
SID_PREFIX=$SID_DIR/root
SID_CACHE=/var/cache/holdfast/sid
SID_PACKAGES=(docker.io containerd docker-cli docker-compose etcd-server etcd-client)
SID_SOCK=/run/docker-sid.sock
SID_DATA_ROOT=/var/lib/docker-sid
SID_EXEC_ROOT=/run/docker-sid
SID_PIDFILE=/run/docker-sid.pid
SID_CONFIG=$SID_DIR/daemon.json
SID_LOG=/var/log/holdfast-dockerd-sid.log
SID_DOCKERD=$SID_PREFIX/usr/sbin/dockerd
COMPOSE_V1=/usr/bin/docker-compose
COMPOSE_V2=$SID_PREFIX/usr/libexec/docker/cli-plugins/docker-compose
# The sid engine uses the containerd image store (Docker 29's default on fresh
# installs); the bookworm engine keeps the classic overlay2 store, so the two
# engines cover both stores. Image ids there are manifest digests and every
# image has RepoDigests, even one that was only imported.
SID_DAEMON_JSON='{"features":{"containerd-snapshotter":true}}'
SID_STORE=io.containerd.snapshotter.v1
APT_WAIT_SECS=600
SID_LOAD_SECS=600
PACKAGES=(docker.io runc docker-compose busybox-static bird2 docker-registry etcd-server iproute2 ca-certificates mmdebstrap)
BOOKWORM_ETCD=/usr/bin/etcd
SID_ETCD=$SID_PREFIX/usr/bin/etcd

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
  # Services the packages would start (etcd on 2379, dockerd, a registry)
  # are the machine's, not the tests': invoke-rc.d asks policy-rc.d, and 101
  # means "do not start". A machine that has its own policy keeps it.
  POLICY_RC=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$POLICY_RC" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC"
    chmod 755 "$POLICY_RC"
    own_policy=1
    trap 'rm -f "$POLICY_RC"' EXIT
  fi
  # Lock::Timeout makes us wait (bounded) for another apt/dpkg run instead of
  # failing straight away; stdin from /dev/null because CI has none.
  apt-get -o DPkg::Lock::Timeout=600 update </dev/null ||
    die "apt-get update failed"
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
    "${PACKAGES[@]}" </dev/null || die "apt-get install failed"
  if [ "$own_policy" -eq 1 ]; then
    rm -f "$POLICY_RC"
    trap - EXIT
  fi
  log "packages installed"
fi

# An etcd of the package's own (started by a postinst on a machine whose
# policy let it, or by hand) holds 2379/2380 with data in /var/lib/etcd;
# the tests never use it, and a stray member must not answer them.
etcd_pids="$(pgrep -x etcd -u etcd 2>/dev/null || true)"
if [ -n "$etcd_pids" ]; then
  log "stopping the etcd-server package's etcd (pid $etcd_pids)"
  if [ -x /etc/init.d/etcd ]; then /etc/init.d/etcd stop </dev/null >/dev/null 2>&1 || true; fi
  for pid in $etcd_pids; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do pgrep -x etcd -u etcd >/dev/null 2>&1 || break; sleep 0.2; done
  pgrep -x etcd -u etcd >/dev/null 2>&1 && die "the package's etcd (user etcd) did not stop"
fi
[ -x "$BOOKWORM_ETCD" ] || die "$BOOKWORM_ETCD missing (etcd-server not installed?)"
bookworm_etcd_version="$("$BOOKWORM_ETCD" --version 2>&1 | awk '/etcd Version/ {print $3}')"
case "$bookworm_etcd_version" in
  3.4.*) ;;
  *) die "bookworm etcd is '$bookworm_etcd_version' at $BOOKWORM_ETCD, the tests expect 3.4.x" ;;
esac
log "bookworm etcd $bookworm_etcd_version at $BOOKWORM_ETCD"

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
# the Dockerfile's bases, from Debian packages (ImageIT builds the Dockerfile on them)
BUILD_BASES="$REPO_ROOT/src/test/docker/build-bases.sh"
[ -x "$BUILD_BASES" ] || die "$BUILD_BASES missing or not executable"
"$BUILD_BASES" || die "building the Dockerfile's bases failed"


[ -x "$COMPOSE_V1" ] || die "$COMPOSE_V1 missing (docker-compose not installed?)"
log "compose v1: $("$COMPOSE_V1" version --short 2>/dev/null || echo '?') at $COMPOSE_V1"

# --- 4. sid packages ---------------------------------------------------------
# Debian sid's packages of Go programs run on bookworm when extracted, so the
# newer engine and Compose v2 are tested without replacing bookworm's. apt
# gets a private sources list, lists, cache and preferences under $SID_CACHE;
# only dpkg's status is read (never written), so the machine's apt state is
# untouched. The .debs are kept: a re-run neither downloads nor extracts.
ARCH="$(dpkg --print-architecture)"

# sid_deb PACKAGE -> the one cached .deb of PACKAGE, or nothing.
sid_deb() {
  local f=("$SID_CACHE"/debs/"$1"_*_{"$ARCH",all}.deb) g found=""
  for g in "${f[@]}"; do [ -f "$g" ] && found="$g"; done
  printf '%s' "$found"
}

sid_cached=1
for p in "${SID_PACKAGES[@]}"; do [ -n "$(sid_deb "$p")" ] || sid_cached=0; done
if [ "$sid_cached" -eq 1 ] && [ "${HOLDFAST_SID_REFRESH:-0}" != 1 ]; then
  log "sid packages cached in $SID_CACHE/debs"
else
  for tool in apt-get dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required to fetch sid packages"
  done
  KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -r "$KEYRING" ] || die "$KEYRING missing (package debian-archive-keyring)"
  # The machine's own Debian mirror (deb822 or one-line format), else the default.
  MIRROR="$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  [ -n "$MIRROR" ] || MIRROR="$(awk '$1 == "deb" && $0 ~ /\/debian\/? / {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)"
  [ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian
  Q="$SID_CACHE/apt"
  mkdir -p "$Q/lists/partial" "$Q/cache/archives/partial" "$Q/etc/parts" "$SID_CACHE/debs"
  echo "deb [signed-by=$KEYRING] $MIRROR sid main" >"$Q/etc/sources.list"
  APT_PRIVATE=(
    -o "Dir::Etc::SourceList=$Q/etc/sources.list" -o "Dir::Etc::SourceParts=$Q/etc/parts"
    -o "Dir::Etc::Preferences=$Q/etc/preferences" -o "Dir::Etc::PreferencesParts=$Q/etc/parts"
    -o "Dir::State::Lists=$Q/lists" -o "Dir::Cache=$Q/cache"
    -o Dir::State::status=/var/lib/dpkg/status -o Acquire::Languages=none
    -o "APT::Architectures::=$ARCH" -o APT::Sandbox::User=root
  )
  log "fetching sid packages from $MIRROR: ${SID_PACKAGES[*]}"
  timeout "$APT_WAIT_SECS" apt-get "${APT_PRIVATE[@]}" -q update </dev/null ||
    die "apt-get update of the private sid list failed (mirror $MIRROR)"
  DL="$SID_CACHE/download.tmp"
  rm -rf "$DL" && mkdir -p "$DL"
  (cd "$DL" && timeout "$APT_WAIT_SECS" apt-get "${APT_PRIVATE[@]}" -q download "${SID_PACKAGES[@]}" </dev/null) ||
    die "apt-get download of sid packages failed: ${SID_PACKAGES[*]}"
  for p in "${SID_PACKAGES[@]}"; do
    ls "$DL/${p}"_*.deb >/dev/null 2>&1 || die "sid package $p was not downloaded"
  done
  rm -f "$SID_CACHE"/debs/*.deb
  mv "$DL"/*.deb "$SID_CACHE/debs/"
  rm -rf "$DL"
  log "sid packages cached: $(cd "$SID_CACHE/debs" && echo *.deb)"
fi

# Extract when the cached .debs differ from what was last extracted; into a
# new tree first, so an interrupted run never leaves half a tree behind.
DEBS_SUM="$(cd "$SID_CACHE/debs" && sha256sum -- *.deb)"
if [ -x "$SID_DOCKERD" ] && [ "$(cat "$SID_DIR/extracted.sha256" 2>/dev/null || true)" = "$DEBS_SUM" ]; then
  log "sid packages already extracted under $SID_PREFIX"
else
  log "extracting sid packages under $SID_PREFIX"
  rm -rf "$SID_PREFIX.new" "$SID_PREFIX.old"
  mkdir -p "$SID_PREFIX.new"
  for p in "${SID_PACKAGES[@]}"; do
    dpkg-deb -x "$(sid_deb "$p")" "$SID_PREFIX.new" || die "cannot extract sid package $p"
  done
  [ ! -e "$SID_PREFIX" ] || mv "$SID_PREFIX" "$SID_PREFIX.old"
  mv "$SID_PREFIX.new" "$SID_PREFIX"
  rm -rf "$SID_PREFIX.old"
  printf '%s\n' "$DEBS_SUM" >"$SID_DIR/extracted.sha256"
fi

# The tests expect Docker 28 and Compose 2; a sid that moved on fails here
# with a reason rather than somewhere in the suite.
for b in "$SID_DOCKERD" "$SID_PREFIX/usr/bin/docker" "$SID_PREFIX/usr/bin/containerd" \
  "$SID_PREFIX/usr/bin/containerd-shim-runc-v2" "$COMPOSE_V2" "$SID_ETCD" \
  "$SID_PREFIX/usr/bin/etcdctl"; do
  [ -x "$b" ] || die "$b missing after extracting the sid packages"
done
command -v runc >/dev/null 2>&1 || die "runc missing (bookworm package runc)"
sid_dockerd_version="$("$SID_DOCKERD" --version 2>&1 || true)"
case "$sid_dockerd_version" in
  "Docker version 28."*) ;;
  *) die "sid dockerd is '$sid_dockerd_version', the tests expect Docker 28.x (HOLDFAST_SID_REFRESH=1 re-fetches; sid may have moved on)" ;;
esac
sid_compose_version="$("$COMPOSE_V2" version --short 2>&1 || true)"
case "$sid_compose_version" in
  2.*) ;;
  *) die "sid Compose is '$sid_compose_version' at $COMPOSE_V2, the tests expect 2.x" ;;
esac
sid_etcd_version="$("$SID_ETCD" --version 2>&1 | awk '/etcd Version/ {print $3}')"
case "$sid_etcd_version" in
  3.5.*) ;;
  *) die "sid etcd is '$sid_etcd_version' at $SID_ETCD, the tests expect 3.5.x (HOLDFAST_SID_REFRESH=1 re-fetches; sid may have moved on)" ;;
esac
log "sid: ${sid_dockerd_version%%,*}, compose $sid_compose_version, $("$SID_PREFIX/usr/bin/containerd" --version 2>&1 | awk '{print $1, $3}'), etcd $sid_etcd_version at $SID_ETCD"

# --- 5. sid dockerd ------------------------------------------------------------
# Beside the bookworm engine: own socket, data root, exec root (so its own
# containerd), pidfile and config file (never /etc/docker/daemon.json); no
# iptables and no default bridge, so it cannot touch the bookworm engine's
# rules. Its PATH puts sid's containerd and shim first; runc is bookworm's.
sid_docker() { docker -H "unix://$SID_SOCK" "$@"; }
mkdir -p "$SID_DIR"
if [ "$(cat "$SID_CONFIG" 2>/dev/null || true)" != "$SID_DAEMON_JSON" ]; then
  printf '%s\n' "$SID_DAEMON_JSON" >"$SID_CONFIG"
fi

if sid_docker info >/dev/null 2>&1; then
  log "sid dockerd already running ($(sid_docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
else
  sid_pid=""
  if [ -s "$SID_PIDFILE" ] && alive "$(cat "$SID_PIDFILE")"; then
    sid_pid="$(cat "$SID_PIDFILE")"
    log "sid dockerd (pid $sid_pid) exists but is not answering yet; waiting"
  else
    log "starting sid dockerd on unix://$SID_SOCK, log: $SID_LOG"
    PATH="$SID_PREFIX/usr/bin:$SID_PREFIX/usr/sbin:$PATH" setsid nohup "$SID_DOCKERD" \
      --host "unix://$SID_SOCK" --data-root "$SID_DATA_ROOT" --exec-root "$SID_EXEC_ROOT" \
      --pidfile "$SID_PIDFILE" --config-file "$SID_CONFIG" \
      --bridge none --iptables=false --ip6tables=false \
      >>"$SID_LOG" 2>&1 </dev/null &
    sid_pid=$!
  fi
  deadline=$(( $(date +%s) + DOCKERD_WAIT_SECS ))
  until sid_docker info >/dev/null 2>&1; do
    if ! alive "$sid_pid"; then
      tail -n 40 "$SID_LOG" >&2 || true
      die "sid dockerd exited during startup (log above, full log $SID_LOG)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 40 "$SID_LOG" >&2 || true
      die "sid dockerd did not answer within ${DOCKERD_WAIT_SECS}s (log above, full log $SID_LOG)"
    fi
    sleep 1
  done
  log "sid dockerd up (pid $sid_pid, server $(sid_docker version -f '{{.Server.Version}}'))"
fi
sid_server="$(sid_docker version -f '{{.Server.Version}}' 2>/dev/null || true)"
case "$sid_server" in
  28.*) ;;
  *) die "the engine on unix://$SID_SOCK is '$sid_server', expected sid's Docker 28.x" ;;
esac
# A sid dockerd started with another config (e.g. by an older version of this
# script) keeps its image store until restarted; say so instead of testing
# the wrong store.
sid_driver="$(sid_docker info -f '{{.Driver}} {{range .DriverStatus}}{{index . 1}} {{end}}' 2>/dev/null || true)"
case "$sid_driver" in
  *"$SID_STORE"*) ;;
  *) die "the sid dockerd (pidfile $SID_PIDFILE) runs storage '$sid_driver', not the containerd store ($SID_STORE) that $SID_CONFIG asks for; stop it (kill \$(cat $SID_PIDFILE)) and re-run" ;;
esac

# Images do not cross engines: copy the test images over with save | load,
# only those missing on the sid engine or carrying another content hash.
stale=()
old_ids=()
while IFS= read -r ref; do
  want="$(docker image inspect -f '{{ index .Config.Labels "holdfast.test.hash" }}' "$ref")"
  have="$(sid_docker image inspect -f '{{ index .Config.Labels "holdfast.test.hash" }}' "$ref" 2>/dev/null || true)"
  if [ "$want" != "$have" ]; then
    stale+=("$ref")
    old_ids+=("$(sid_docker image inspect -f '{{.Id}}' "$ref" 2>/dev/null || true)")
  fi
done < <(docker image ls --filter label=holdfast.test=true --format '{{.Repository}}:{{.Tag}}' |
  grep '^holdfast-test/' | sort -u)
if [ "${#stale[@]}" -eq 0 ]; then
  log "sid engine has the current test images"
else
  log "loading into the sid engine: ${stale[*]}"
  timeout "$SID_LOAD_SECS" bash -o pipefail -c \
    'docker save "$@" | docker -H "unix://'"$SID_SOCK"'" load -q' _ "${stale[@]}" ||
    die "docker save | docker -H unix://$SID_SOCK load failed for ${stale[*]}"
  for id in "${old_ids[@]}"; do
    # a replaced image left dangling goes; one still in use stays
    [ -z "$id" ] || sid_docker image rm "$id" >/dev/null 2>&1 || true
  done
fi

log "done in $(( $(date +%s) - START_TS ))s"
