#!/usr/bin/env bash
# End-to-end smoke test of the holdfast test environment (the "seed
# scenario"), runnable by hand or in CI after .ci/setup-env.sh:
#
#   holder (busybox, owns the netns, 198.51.100.10 on an --internal network)
#     +- app v1      --network container:holder, Docker HEALTHCHECK on :8080
#     +- router      BIRD, --network container:holder, announces 192.0.2.53/32
#   peer   (BIRD, 198.51.100.2, same network) learns the route over eBGP
#
# It proves: app health, shared namespace (holder can reach the app on
# 127.0.0.1), the nc/wget probe behaviour, BGP establishment, that
# `birdc disable/enable anycast4` withdraws/re-announces the route while the
# session stays Established, ANNOUNCE=disabled start-up, the other app
# images (v2, noprobe, broken) and fast `docker stop` (tini).
#
# Usage: smoke.sh [--record-fixtures[=DIR]]
#   --record-fixtures  also save the exact birdc outputs used by the parser
#                      tests (default DIR: src/test/resources/fixtures/bird),
#                      with INDEX.tsv listing command, node and exit code.
#
# Network rule: only loopback and the internal network created here, and
# only documentation addresses (198.51.100.0/24, 192.0.2.0/24). Every
# container/network carries label holdfast.test=true plus a per-run label
# and is removed on exit (trap), also on failure. All waits are bounded.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
RECORD_DIR=""
case "${1:-}" in
  "") ;;
  --record-fixtures) RECORD_DIR="$REPO_ROOT/src/test/resources/fixtures/bird" ;;
  --record-fixtures=*) RECORD_DIR="${1#--record-fixtures=}" ;;
  *) echo "usage: $0 [--record-fixtures[=DIR]]" >&2; exit 2 ;;
esac

NET=hf-smoke-net
SUBNET=198.51.100.0/24
HOLDER_IP=198.51.100.10
PEER_IP=198.51.100.2
PREFIX=192.0.2.53/32
RUN_ID="$$-$(date +%s)"
ME=smoke
LABEL="holdfast.test.smoke=$RUN_ID"
# shellcheck source=bench/lib.sh
. "$REPO_ROOT/bench/lib.sh"
LABELS=(--label holdfast.test=true --label "$LABEL")
HOLDER=hf-smoke-holder
APP=hf-smoke-app
ROUTER=hf-smoke-router
PEER=hf-smoke-peer

info() { echo "smoke: INFO: $*"; }

# On failure show enough state to debug without re-running: also the containers' logs.
fail() {
  local c
  for c in $(docker ps -a -q --filter "label=$LABEL" 2>/dev/null); do
    echo "--- logs $(docker inspect -f '{{.Name}}' "$c") (tail) ---" >&2
    docker logs --tail 30 "$c" >&2 2>&1 || true
  done
  die "$@"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  remove_bench_objects "$LABEL"
  report_left "$rc"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- birdc helpers -----------------------------------------------------------
OUT=""
RC=0
# bird NAME CONTAINER ARGS...: run birdc in CONTAINER, leave stdout in OUT and
# the exit code in RC; with --record-fixtures save stdout as NAME.txt and
# index it. NAME may be "-" for unrecorded checks.
bird() {
  local name="$1" c="$2" err raw
  shift 2
  RC=0
  err="$(mktemp)"
  raw="$(mktemp)"
  # Via a file, not $(...), so trailing blank lines survive byte-exact.
  docker exec "$c" birdc -s "$BIRD_SOCK" "$@" >"$raw" 2>"$err" || RC=$?
  OUT="$(cat "$raw")"
  if [ -n "$RECORD_DIR" ] && [ "$name" != "-" ]; then
    cp "$raw" "$RECORD_DIR/$name.txt"
    printf '%s.txt\t%s\tbirdc %s\t%s\t%s\n' "$name" "${c#hf-smoke-}" "$*" "$RC" "$STATE" >>"$RECORD_DIR/INDEX.tsv"
    [ ! -s "$err" ] || printf '# %s.txt stderr: %s\n' "$name" "$(tr '\n' ' ' <"$err")" >>"$RECORD_DIR/INDEX.tsv"
  fi
  rm -f "$err" "$raw"
}
# Unrecorded, plain-output predicates for polling.
peer_lacks_route() { ! peer_has_route; }
established() { docker exec "$1" birdc -s "$BIRD_SOCK" show protocols "$2" 2>/dev/null | grep -q 'Established'; }
not_established() { ! established "$1" "$2"; }
# toggle NAME ACTION EXPECTED PEER_CHECK WHAT: `birdc ACTION anycast4` on the router (recorded as
# NAME) exits 0 and answers EXPECTED; then the peer's route follows (PEER_CHECK) within 10 s.
toggle() {
  local t0
  bird "$1" "$ROUTER" -v "$2" anycast4
  [ "$RC" -eq 0 ] || fail "birdc $2 anycast4 exited $RC"
  expect_out "$3" "$2"
  t0=$(now_ms)
  wait_until 10 "route $5 at peer" "$4"
  log "route $5 at peer $(($(now_ms) - t0)) ms after $2"
}
expect_out() { printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "$2: expected '$1' in output:"$'\n'"$OUT"; }


# --- preconditions -------------------------------------------------------------
require_engine
require_images holdfast-test holder:1 app:v1 app:v2 app:noprobe app:broken bird:1
# Leftovers of an earlier run that was SIGKILLed (trap could not run).
stale="$(docker ps -a -q --filter label=holdfast.test.smoke)"
# shellcheck disable=SC2086
[ -z "$stale" ] || { log "removing stale smoke containers"; docker rm -f $stale >/dev/null; }
if docker network inspect "$NET" >/dev/null 2>&1; then
  [ "$(docker network inspect -f '{{index .Labels "holdfast.test"}}' "$NET")" = true ] ||
    fail "network $NET exists and is not a holdfast test network; refusing to touch it"
  docker network rm "$NET" >/dev/null
fi
if [ -n "$RECORD_DIR" ]; then
  mkdir -p "$RECORD_DIR"
  rm -f "$RECORD_DIR"/*.txt "$RECORD_DIR/INDEX.tsv"
  {
    echo "# Exact birdc output recorded by src/test/docker/smoke.sh --record-fixtures"
    echo "# $(docker run --rm --network none --entrypoint /usr/sbin/bird holdfast-test/bird:1 --version 2>&1), recorded $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# router: AS65001 198.51.100.10 (protocols device1, anycast4 static $PREFIX, upstream bgp)"
    echo "# peer:   AS65000 198.51.100.2  (protocols device1, downstream bgp)"
    echo "# '-v' outputs keep BIRD reply codes (0001 ready, 1002/2002 protocols, 1007 routes, 0011 ok, 9001 syntax error...)."
    printf '# file\tnode\tcommand\texit_code\tstate\n'
  } >"$RECORD_DIR/INDEX.tsv"
fi
STATE=""

# --- 1. holder + app -------------------------------------------------------------
log "creating internal network $NET ($SUBNET)"
seed_network "$SUBNET"
run_holder
run_app holdfast-test/app:v1
t0=$(now_ms)
wait_until 20 "app v1 healthy" health_is "$APP" healthy
log "app v1 healthy after $(( $(now_ms) - t0 )) ms"

v="$(docker exec "$HOLDER" wget -q -O - "http://127.0.0.1:8080/version")" ||
  fail "wget from holder to app failed"
[ "$v" = v1 ] || fail "holder sees version '$v', expected v1"
log "holder reaches app over shared loopback: version=$v"

# busybox-static's nc is the small variant: no -z, so callers must not rely
# on it. `nc -w N host port` with stdin closed (docker exec without -i)
# connects and exits at once: 0 = open, 1 = refused. Report, don't assert -z.
if docker exec "$HOLDER" nc -z -w 2 127.0.0.1 8080 >/dev/null 2>&1; then
  info "busybox nc -z is supported"
else
  info "busybox nc -z is NOT supported (invalid option, exit non-zero even for an open port)"
fi
docker exec "$HOLDER" nc -w 2 127.0.0.1 8080 >/dev/null 2>&1 ||
  fail "nc -w 2 127.0.0.1 8080 should succeed on the open app port"
if docker exec "$HOLDER" nc -w 2 127.0.0.1 8089 >/dev/null 2>&1; then
  fail "nc -w 2 on a closed port should fail"
fi
if docker exec "$HOLDER" wget -q -O /dev/null http://127.0.0.1:8089/ >/dev/null 2>&1; then
  fail "wget on a closed port should fail"
fi
log "nc -w/wget probes: open port -> 0, closed port -> non-zero"

# --- 2. BGP ------------------------------------------------------------------------
log "starting router (in holder netns) and peer"
run_router holdfast-test/bird:1 enabled
run_peer
t0=$(now_ms)
wait_until 30 "peer learns $PREFIX" peer_has_route
wait_until 30 "peer session Established" established "$PEER" downstream
wait_until 30 "router session Established" established "$ROUTER" upstream
log "session Established and $PREFIX at peer after $(( $(now_ms) - t0 )) ms"

STATE="steady: session Established, $PREFIX announced"
for n in router peer; do
  c=hf-smoke-$n
  bird "$n-show-protocols" "$c" -v show protocols
  bird "$n-show-protocols.plain" "$c" show protocols
  bird "$n-show-protocols-all" "$c" -v show protocols all
  bird "$n-show-route" "$c" -v show route
  bird "$n-show-route.plain" "$c" show route
  bird "$n-show-route-export-upstream" "$c" -v show route export upstream
  bird "$n-show-status" "$c" -v show status
done
bird - "$PEER" -v show route
expect_out "$PREFIX" "peer route table"

# --- 3. withdraw / re-announce ------------------------------------------------------
STATE="router: first disable of anycast4"
toggle router-disable-anycast4-1 disable "anycast4: disabled" peer_lacks_route withdrawn
established "$PEER" downstream || fail "peer session dropped after disable"
established "$ROUTER" upstream || fail "router session dropped after disable"
STATE="router: second disable of anycast4 (already disabled)"
bird router-disable-anycast4-2 "$ROUTER" -v disable anycast4
expect_out "anycast4: already disabled" "second disable"
STATE="peer: anycast4 does not exist there"
bird peer-disable-anycast4-1 "$PEER" -v disable anycast4
bird peer-disable-anycast4-2 "$PEER" -v disable anycast4
STATE="anycast4 disabled, session Established"
for n in router peer; do
  bird "$n-show-protocols-after-disable" "hf-smoke-$n" -v show protocols
  bird "$n-show-route-after-disable" "hf-smoke-$n" -v show route
done
bird router-show-route-export-upstream-after-disable "$ROUTER" -v show route export upstream
bird - "$PEER" show route
printf '%s\n' "$OUT" | grep -qF "$PREFIX" && fail "peer still lists $PREFIX after disable"

STATE="router: enable of disabled anycast4"
toggle router-enable-anycast4 enable "anycast4: enabled" peer_has_route re-announced
established "$PEER" downstream || fail "peer session dropped after enable"
STATE="router: enable of already enabled anycast4"
bird router-enable-anycast4-2 "$ROUTER" -v enable anycast4
STATE="peer: anycast4 does not exist there"
bird peer-enable-anycast4 "$PEER" -v enable anycast4
STATE="anycast4 re-enabled"
bird peer-show-route-after-enable "$PEER" -v show route
expect_out "$PREFIX" "peer route after enable"

STATE="unknown protocol name"
for n in router peer; do
  bird "$n-disable-nosuch" "hf-smoke-$n" -v disable nosuch
  [ "$RC" -ne 0 ] || fail "birdc disable nosuch on $n should exit non-zero"
done
log "disable/enable verified; birdc exits $RC on an unknown protocol"

# --- 4. other app images (isolated: --network none = loopback only) ---------------
docker run -d --name hf-smoke-v2 "${LABELS[@]}" --network none holdfast-test/app:v2 >/dev/null
docker run -d --name hf-smoke-noprobe "${LABELS[@]}" --network none holdfast-test/app:noprobe >/dev/null
docker run -d --name hf-smoke-broken "${LABELS[@]}" --network none holdfast-test/app:broken >/dev/null
wait_until 20 "app v2 healthy" health_is hf-smoke-v2 healthy
[ "$(docker exec hf-smoke-v2 wget -q -O - http://127.0.0.1:8080/version)" = v2 ] || fail "app:v2 does not serve v2"
wait_until 20 "app broken unhealthy" health_is hf-smoke-broken unhealthy
[ "$(docker exec hf-smoke-broken wget -q -O - http://127.0.0.1:8081/version)" = broken ] ||
  fail "app:broken does not serve 'broken' on 8081"
[ -z "$(docker inspect -f '{{if .State.Health}}x{{end}}' hf-smoke-noprobe)" ] || fail "app:noprobe has a health state"
wait_until 10 "app noprobe serving" docker exec hf-smoke-noprobe wget -q -O /dev/null http://127.0.0.1:8080/version
log "app:v2 healthy, app:broken unhealthy, app:noprobe without healthcheck"

t0=$(now_ms)
docker stop hf-smoke-v2 >/dev/null
stop_ms=$(( $(now_ms) - t0 ))
[ "$stop_ms" -lt 5000 ] || fail "docker stop of an app took ${stop_ms} ms (tini entrypoint not working?)"
log "docker stop of an app container took $stop_ms ms"

# --- 5. session loss and ANNOUNCE=disabled start-up ---------------------------------
t0=$(now_ms)
docker stop "$ROUTER" >/dev/null
wait_until 15 "peer notices router gone" not_established "$PEER" downstream
wait_until 15 "peer drops $PREFIX" peer_lacks_route
log "router stopped: peer left Established after $(( $(now_ms) - t0 )) ms"
STATE="router container stopped, peer session down"
bird peer-show-protocols-session-down "$PEER" -v show protocols
bird peer-show-protocols-session-down.plain "$PEER" show protocols
docker rm "$ROUTER" >/dev/null

run_router holdfast-test/bird:1 disabled
wait_until 30 "session Established with ANNOUNCE=disabled router" established "$PEER" downstream
sleep 1  # give a (wrongly) announced route time to arrive before checking
peer_lacks_route || fail "router with ANNOUNCE=disabled still announced $PREFIX"
STATE="router started with ANNOUNCE=disabled"
bird router-announce-disabled-show-protocols "$ROUTER" -v show protocols
expect_out "anycast4" "announce-disabled protocols"
bird - "$ROUTER" enable anycast4
wait_until 10 "route announced after enable" peer_has_route
log "ANNOUNCE=disabled router: no route until 'enable anycast4', then announced"

[ -z "$RECORD_DIR" ] || log "fixtures written to $RECORD_DIR ($(find "$RECORD_DIR" -name '*.txt' | wc -l) files)"
log "SMOKE OK"
