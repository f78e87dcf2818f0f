#!/usr/bin/env bash
# Runs holdfast on this machine's Docker engine, as root on a fresh Debian machine: installs the JDK,
# Maven and the Docker engine if missing, starts dockerd if it is not running, builds the jar once,
# then serves with its store under $HOLDFAST_DATA_DIR (default /var/lib/holdfast).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven openjdk-17-jdk-headless)
[ -x /usr/sbin/dockerd ] || command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi
if ! docker info >/dev/null 2>&1; then
  # no init system on minimal machines: start the engine ourselves, logging beside the store
  setsid nohup dockerd --host unix:///var/run/docker.sock >/var/log/holdfast-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "serve: dockerd did not start; see /var/log/holdfast-dockerd.log" >&2; exit 1; }
fi
[ -f target/holdfast.jar ] || mvn -B -q -ntp package -DskipTests

export HOLDFAST_DATA_DIR="${HOLDFAST_DATA_DIR:-/var/lib/holdfast}"
# the image's JVM settings (src/main/jvm/jvm.options explains each); JDK_JAVA_OPTIONS may add flags
# the file does not set (for those it sets, the file wins)
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec java @src/main/jvm/jvm.options -jar target/holdfast.jar serve "$@"
