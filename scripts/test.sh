#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine, as root: installs and starts what the tests need
# (JDK, Maven, Docker engine, BIRD, busybox, docker-registry), builds the test images, then runs
# unit tests (surefire) and real-engine integration tests (failsafe). Integration tests fail, not
# skip, when no engine answers.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

bash .ci/setup-env.sh

exec mvn -B -ntp verify "$@"
