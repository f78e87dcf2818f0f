#!/usr/bin/env bash
# bench/inventory.sh: holdfast's footprint and inventory at scale, on the local Docker engine.
#
# With the JVM settings the image and scripts/serve.sh ship (src/main/jvm/jvm.options), one holdfast
# process:
#   1. start-up to ready (/readyz) with one group on the engine;
#   2. GET /api/v1/groups/<g> median and p90 over 200 reads with that one group (2 containers:
#      the baseline), then again with N more groups (holder + app each, default 500 groups, so
#      2N+2 containers) on the engine (target: the same, <= 10 ms);
#   3. a full reconcile pass of every group (the healer's own log line at DEBUG; target <= 2 s);
#   4. with the inventory's resync off: a `docker kill` of an app until the API shows it exited
#      (target <= 1 s);
#   5. idle RSS after 200 API reads and 200 hook deliveries (target <= 96 MiB at 50 groups; this
#      prints it at N);
#   6. crash recovery: SIGKILL, start again, time to ready.
# Usage: bench/inventory.sh [--groups N] [--keep DIR] [--build]
# Needs: a running Docker engine, the test images, java 17, curl, jq, ss. Containers carry
# holdfast.test=true and holdfast.bench.inventory=<run> and are removed on exit; they have no
# network (--network none): traffic goes only to holdfast on loopback.
set -euo pipefail
ME=inventory
LABEL_KEY=holdfast.bench.inventory
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$REPO_ROOT/bench/lib.sh"

NGROUPS=500
KEEP_DIR=""
BUILD=0
usage() { echo "usage: $0 [--groups N] [--keep DIR] [--build]" >&2; exit 2; }
parse_args "--groups=NGROUPS --keep=KEEP_DIR" "--build=BUILD" "$@"
[[ "$NGROUPS" =~ ^[0-9]+$ ]] && [ "$NGROUPS" -ge 1 ] && [ "$NGROUPS" -le 1000 ] \
  || { echo "inventory: --groups must be 1..1000" >&2; exit 2; }

require_tools java curl jq ss docker
require_engine
TMP="$(mktemp -d /tmp/hf-inventory-XXXXXX)"
PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  [ -z "$PID" ] || stop_pid "$PID" 10
  keep_results "$KEEP_DIR" hf-data-main
  remove_bench_objects "$LABEL"
  end_run "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_watchdog $(( 900 + NGROUPS * 2 ))
prepare_jar "$BUILD"
new_token

LABELS=(--label holdfast.test=true --label "$LABEL")

group() { # group NAME: a holder and an app without a HEALTHCHECK (no probe load on the engine)
  docker run -d "${LABELS[@]}" --name "$1-holder" --network none \
    --label "holdfast.group=$1" --label holdfast.role=holder holdfast-test/holder:1 >/dev/null
  docker run -d "${LABELS[@]}" --name "$1-app" --network "container:$1-holder" \
    --label holdfast.role=app holdfast-test/app:noprobe >/dev/null
}

reads() { # reads GROUP N: "median p90" of N GETs, in microseconds
  local i t out=()
  for ((i = 0; i < $2; i++)); do
    t=$(curl -fsS -m 10 -o /dev/null -w '%{time_total}' -H @"$TMP/auth.hdr" \
      "http://127.0.0.1:$HF_PORT/api/v1/groups/$1")
    out+=("$(awk -v t="$t" 'BEGIN { printf "%d", t * 1000000 }')")
  done
  printf '%s\n' "${out[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int(NR / 2) + 1], a[int(NR * 0.9)] }'
}

rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

first="inv-$RUNID-0"
group "$first"
HF_PORT="$(free_port)"
t0=$(now_ms)
HOLDFAST_INVENTORY_RESYNC=0 HOLDFAST_RECONCILE_INTERVAL=5s HOLDFAST_LOG_LEVEL=DEBUG \
  start_shipped main "$HF_PORT"
PID="$LAST_PID"
await_holdfast "$PID" "$HF_PORT" main
STARTUP=$(( $(now_ms) - t0 ))
lists() { api "/api/v1/groups/$1" >/dev/null 2>&1; }
wait_until 30 "holdfast lists $first" lists "$first"
log "ready after $STARTUP ms"
read -r BASE_MED BASE_P90 < <(reads "$first" 200)
log "reads with 1 group: median $BASE_MED us, p90 $BASE_P90 us"

t0=$(now_ms)
for ((i = 1; i <= NGROUPS; i++)); do
  group "inv-$RUNID-$i"
  (( $(now_ms) - t0 < 900000 )) || die "creating $NGROUPS groups took over 900 s"
done
log "created $NGROUPS groups in $(( $(now_ms) - t0 )) ms"
listed() { [ "$(api /api/v1/groups | jq 'length')" -ge "$1" ]; }
wait_until 60 "holdfast lists every group" listed $((NGROUPS + 1))
CONTAINERS=$(docker ps -q | wc -l)
read -r BIG_MED BIG_P90 < <(reads "$first" 200)
log "reads with $((NGROUPS + 1)) groups ($CONTAINERS running containers): median $BIG_MED us, p90 $BIG_P90 us"

sleep 12 # two reconcile passes over every group
PASS=$(grep -o "reconcile pass ([^)]*): $((NGROUPS + 1)) groups in [0-9]* ms" "$TMP/holdfast-main.log" \
  | tail -n 3 | grep -o '[0-9]* ms' | tr -d ' ms' | sort -n | tail -n 1)
log "full reconcile pass of $((NGROUPS + 1)) groups: ${PASS:-?} ms (slowest of the last 3)"

app="inv-$RUNID-$((NGROUPS / 2))-app"
t0=$(now_ms)
docker kill "$app" >/dev/null
exited() { api "/api/v1/groups/$1" | jq -e --arg a "$2" '.members[] | select(.name == $a and .state == "exited")' >/dev/null; }
wait_until 5 "$app exited in the API" exited "inv-$RUNID-$((NGROUPS / 2))" "$app"
CHANGE=$(( $(now_ms) - t0 ))
log "a kill shown in the API after $CHANGE ms (resync off)"

for ((i = 0; i < 200; i++)); do
  curl -fsS -m 10 -o /dev/null -X POST -H 'Content-Type: application/json' \
    "http://127.0.0.1:$HF_PORT/hooks/registry" -d '{"events":[]}' || true
done
sleep 10
RSS=$(rss_mib "$PID")
log "idle RSS $RSS MiB"

kill -9 "$PID"
t0=$(now_ms)
HOLDFAST_INVENTORY_RESYNC=0 start_shipped main "$HF_PORT"
PID="$LAST_PID"
await_holdfast "$PID" "$HF_PORT" main
RECOVERY=$(( $(now_ms) - t0 ))
log "ready again $RECOVERY ms after SIGKILL"

cat <<EOF
== holdfast inventory and footprint (run $RUNID; JVM @src/main/jvm/jvm.options, MALLOC_ARENA_MAX=2) ==
start-up to ready                      $STARTUP ms
GET group, 1 group (baseline)           median ${BASE_MED} us, p90 ${BASE_P90} us
GET group, $((NGROUPS + 1)) groups, $CONTAINERS containers  median ${BIG_MED} us, p90 ${BIG_P90} us (ratio $(awk -v a="$BIG_MED" -v b="$BASE_MED" 'BEGIN { printf "%.2f", a / b }'))
full reconcile pass                     ${PASS:-?} ms
engine change to API, resync off        $CHANGE ms
idle RSS after load ($((NGROUPS + 1)) groups)    $RSS MiB
ready after SIGKILL                     $RECOVERY ms
EOF
