#!/usr/bin/env bash
# bench/bench.sh: holdfast's benchmark, run against the local Docker engine.
#
# Measures, in one run, and prints a summary table at the end (stdout; progress
# goes to stderr):
#   1. Update wall time of one seed group (holder + app + BIRD router, with a
#      BIRD peer), `holdfast update` (the CLI, waiting for the run) versus a
#      BASELINE shell function doing the same engine steps with the docker CLI
#      in holdfast's order (pull, create .new, withdraw = stop router, stop app,
#      rename aside, rename into place, start, poll health every 100 ms,
#      announce = start router, remove old). Rounds alternate ABBA so drift hits
#      both; per-round times, medians, ratio (target <= 1.10), a per-step
#      breakdown (holdfast's from GET /api/v1/runs/<id>) and the window in
#      which the peer had no route.
#   2. Heal latency: holder removed and run again (same name, labels, network,
#      IP); latency = first `create` of a replacement member (named
#      <member>.holdfast-new-<run>) minus the holder's `start` event, both from
#      `docker events` (target <= 2 s). 3 repetitions, each and the max.
#   3. Idle RSS of the holdfast JVM with N extra groups (holder + app each),
#      after two reconcile intervals (default 30 s each) of idling with the
#      image's HEALTHCHECK probing: the process that ran phases 1-2 and then a
#      webhook load (the JVM settings the image and scripts/serve.sh ship,
#      src/main/jvm/jvm.options; target <= 96 MiB), a fresh plain `java -jar`
#      (the JVM's defaults, the baseline) and a fresh shipped one without load.
#
# Usage: bench/bench.sh [--rounds N] [--groups N] [--keep DIR] [--build]
#   --rounds N   update rounds, each one holdfast + one baseline (default 5)
#   --groups N   extra groups for the RSS phase (default 50)
#   --keep DIR   copy logs, run JSON and raw figures to DIR on exit
#   --build      run `mvn -q -B package -DskipTests` first (otherwise only when
#                target/holdfast.jar is missing)
#
# Needs: a running Docker engine, the test images (src/test/docker/build-images.sh),
# docker-registry, java 17, curl, jq, ss. Started here and removed on exit
# (trap, also on failure or Ctrl-C): a docker-registry on a free 127.0.0.1 port
# with storage in a temp dir, holdfast processes on free 127.0.0.1 ports, one
# --internal network 203.0.113.128/25, and containers, all labelled
# holdfast.test=true and holdfast.bench=<runid>. Traffic goes only to loopback
# and that internal network; the anycast prefix is 192.0.2.53/32. Every wait is
# bounded, and a watchdog ends the whole run if it takes far too long.
#
# Run it on an engine that no other holdfast manages: every holdfast sees every
# group on its engine, so another one (a `serve`, or one inside a test JVM)
# races the bench's heals, and the bench's holdfasts would heal its groups too.
# The bench reports such interference (runs it did not make on its containers)
# but cannot prevent it.
set -euo pipefail
ME=bench LABEL_KEY=holdfast.bench
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# --- arguments -------------------------------------------------------------------
ROUNDS=5
NGROUPS=50
KEEP_DIR=""
BUILD=0
usage() { echo "usage: $0 [--rounds N] [--groups N] [--keep DIR] [--build]" >&2; exit 2; }
parse_args "--rounds=ROUNDS --groups=NGROUPS --keep=KEEP_DIR" "--build=BUILD" "$@"
if ! [[ "$ROUNDS" =~ ^[0-9]+$ ]] || [ "$ROUNDS" -lt 1 ] || [ "$ROUNDS" -gt 100 ]; then
  echo "bench: --rounds must be 1..100" >&2; exit 2
fi
if ! [[ "$NGROUPS" =~ ^[0-9]+$ ]] || [ "$NGROUPS" -gt 250 ]; then
  echo "bench: --groups must be 0..250" >&2; exit 2
fi

# --- constants -------------------------------------------------------------------
# the upper half of 203.0.113.0/24: a network over the whole range would take the host's traffic to
# addresses it reaches there (on these machines an egress proxy sits at 203.0.113.80)
SUBNET=203.0.113.128/25
IP_RANGE=203.0.113.192/26 # auto-assigned addresses (extra holders) stay out of the fixed ones
HOLDER_IP=203.0.113.138
PEER_IP=203.0.113.130
PREFIX=192.0.2.53/32
NET="hfb-$RUNID-net"
G="bench-$RUNID-seed"
HOLDER="hfb-$RUNID-holder"
APP="hfb-$RUNID-app"
ROUTER="hfb-$RUNID-router"
PEER="hfb-$RUNID-peer"
LABELS=(--label holdfast.test=true --label "$LABEL" --label "holdfast.bench.pid=$$")
# The options the app is started with; the baseline creates its replacement with the same.
APP_OPTS=(--restart unless-stopped)
ROUTER_OPTS=(--label holdfast.route=stop --restart unless-stopped)
GATE_TIMEOUT_S=60
HEAL_REPS=3
MAX_SECS=$(( 900 + ROUNDS * 120 + NGROUPS * 8 ))

APP_REF=""
BIRD_REF=""
FOREIGN=""

# --- cleanup ---------------------------------------------------------------------
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  set +e
  for pid in "${HF_PIDS[@]+"${HF_PIDS[@]}"}"; do stop_pid "$pid" 10; done
  keep_results "$KEEP_DIR" registry-data hf-data-main hf-data-fresh hf-data-small
  remove_bench_objects "$LABEL"
  stop_pid "$EVENTS_PID" 3
  # Tags and the digest references pulls left: the images themselves stay (holdfast-test/*).
  stop_registry "$APP_REF" "$BIRD_REF"
  end_run "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers ---------------------------------------------------------------------
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

# --- preconditions ---------------------------------------------------------------
require_tools docker java curl jq ss od awk docker-registry timeout
require_engine
require_images holdfast-test holder:1 app:v1 app:v2 app:noprobe bird:1
TMP="$(mktemp -d /tmp/holdfast-bench.XXXXXX)"
mkdir -p "$TMP/runs" "$TMP/steps"
prepare_jar "$BUILD"
start_watchdog "$MAX_SECS"

# Leftovers of an earlier bench run that died without its trap (SIGKILL).
remove_dead_runs 'bench\.sh|hooks\.sh'
refuse_used_subnet "$SUBNET"

# Other holdfast services on this engine also see (and may heal) the bench's groups.
FOREIGN="$(other_holdfasts)"
if [ -n "$FOREIGN" ]; then
  log "WARNING: other holdfast service(s) on this engine (pid $FOREIGN): they see the bench's groups too and may race ours on heals"
fi

log "run $RUNID: rounds=$ROUNDS groups=$NGROUPS, jar $JAR_INFO, tmp $TMP"

# --- registry ----------------------------------------------------------------------
start_registry
APP_REF="$REG/bench/app:live"
BIRD_REF="$REG/bench/bird:1"
log "registry on $REG (pid $REG_PID)"

# publish VERSION: push holdfast-test/app:VERSION as $APP_REF, then point the
# local tag back at what the app runs, so the next pull really goes to the
# registry (as on a host where the new image was pushed from elsewhere).
publish() {
  local v="$1" running
  running="$(docker inspect -f '{{.Image}}' "$APP" 2>/dev/null || true)"
  push "holdfast-test/app:$v" "$APP_REF"
  [ -z "$running" ] || docker tag "$running" "$APP_REF"
}
push holdfast-test/bird:1 "$BIRD_REF"
publish v1

start_events

# --- seed group --------------------------------------------------------------------
log "seed group $G on internal network $NET ($SUBNET)"
seed_network "$SUBNET" "$IP_RANGE"
run_members() { # app and router in the holder's namespace
  run_app "$APP_REF" "${APP_OPTS[@]}"
  run_router "$BIRD_REF" enabled "${ROUTER_OPTS[@]}"
}
run_holder
run_members
run_peer
wait_until 30 "app healthy" app_healthy
wait_until 30 "peer learns $PREFIX" peer_has_route
# Route changes in the peer's log, for the withdrawn window.
docker exec "$PEER" birdc -s "$BIRD_SOCK" debug downstream "{ states, routes }" >/dev/null 2>&1 ||
  log "note: could not enable route debugging on the peer; no withdrawn windows"
[ "$(served_version)" = v1 ] || die "seed app does not serve v1"

# --- holdfast ----------------------------------------------------------------------
new_token
HOOK_SECRET="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf 'Authorization: Bearer %s\n' "$HOOK_SECRET" >"$TMP/hook.hdr"
chmod 600 "$TMP/hook.hdr"
HF_PORT="$(free_port)"
# the JVM settings the image and scripts/serve.sh ship: every figure below is measured under them
HOLDFAST_HOOK_SECRET="$HOOK_SECRET" start_shipped main "$HF_PORT"
HF_PID="$LAST_PID"
await_holdfast "$HF_PID" "$HF_PORT" main
HF_URL="http://127.0.0.1:$HF_PORT"
log "holdfast serving on $HF_URL (pid $HF_PID)"
wait_until 60 "holdfast sees $G settled" seed_settled

# --- phase 1: update rounds -----------------------------------------------------------
CURRENT=v1
other() { [ "$1" = v1 ] && echo v2 || echo v1; }

# Peer's view of one measurement: ms from the route's removal to its return,
# from BIRD's own log (docker timestamps). Empty when not seen.
withdrawn_ms() { # withdrawn_ms SINCE_UNIX_SECONDS
  docker logs -t --since "$1" "$PEER" 2>&1 | grep -F "$PREFIX" | awk '
    function ns(ts,   cmd, out) { cmd = "date -d " ts " +%s%N"; cmd | getline out; close(cmd); return out }
    /removed/ && gone == "" { gone = ns($1); next }
    /added/ && gone != "" && back == "" { back = ns($1) }
    END { if (gone != "" && back != "") printf "%d\n", (back - gone) / 1000000 }'
}

# Per-step record of one measurement: "<kind> <step> <ms>" lines in $TMP/steps/all.
record_hf_steps() { # record_hf_steps RUN_JSON WALL_MS ROUND
  local f="$1" wall="$2" round="$3"
  jq -r --arg w "$wall" --arg r "$round" "$JQ_MS"'
    (.createdAt | ms) as $c | (.startedAt | ms) as $s | (.endedAt | ms) as $e |
    ([.steps[] | select(.startedAt != null) | (.startedAt | ms)] | min) as $first |
    "holdfast \($r) server-run \($e - $c)",
    "holdfast \($r) http+handler \(($w | tonumber) - ($e - $c))",
    "holdfast \($r) queue \($s - $c)",
    "holdfast \($r) plan(inventory+pulls) \($first - $s)",
    (.steps | map(select(.startedAt != null and .endedAt != null)) | group_by(.step | split(" ")[0])[] |
      "holdfast \($r) \(.[0].step | split(" ")[0]) \(map((.endedAt | ms) - (.startedAt | ms)) | add)")
  ' "$f" >>"$TMP/steps/all"
}

holdfast_update() { # holdfast_update ROUND: one measured `holdfast update`
  local round="$1" next t0 t1 rc=0 out run wall since
  next="$(other "$CURRENT")"
  publish "$next"
  since="$(date +%s.%N)"
  t0=$(date +%s%N)
  # The trigger is the API call an operator's tooling makes (curl, like the baseline's docker
  # CLI); the JVM start of `holdfast update` is measured apart, in the CLI fixed costs below.
  out="$(curl -fsS -m 300 -X POST -H @"$TMP/auth.hdr" "$HF_URL/api/v1/groups/$G/update?wait=true" 2>&1)" || rc=$?
  t1=$(date +%s%N)
  wall=$(( (t1 - t0) / 1000000 ))
  printf '%s\n' "$out" >"$TMP/runs/update-$round-holdfast.txt"
  [ "$rc" -eq 0 ] || die "holdfast update (POST .../update?wait=true) failed $rc:"$'\n'"$out"
  [ "$(jq -r .state <<<"$out")" = succeeded ] || die "holdfast update did not succeed:"$'\n'"$out"
  [ "$(served_version)" = "$next" ] || die "after holdfast update the app serves '$(served_version)', expected $next"
  run="$(jq -r .id <<<"$out")"
  api "/api/v1/runs/$run" >"$TMP/runs/update-$round-holdfast.json" || die "GET /api/v1/runs/$run failed"
  record_hf_steps "$TMP/runs/update-$round-holdfast.json" "$wall" "$round"
  CURRENT="$next"
  settle_after_update
  H_MS+=("$wall")
  H_WD+=("$(withdrawn_ms "$since")")
  log "round $round holdfast: ${wall} ms (run $run), peer withdrawn ${H_WD[-1]:-?} ms"
}

# The baseline: holdfast's engine steps, by hand with the docker CLI, same order.
# Each step's duration goes to $TMP/steps/cur (EPOCHREALTIME: no fork to read the clock).
mark() { local n=${EPOCHREALTIME/./}; echo "$1 $(( (n - _mark) / 1000 ))" >>"$TMP/steps/cur"; _mark=$n; }
baseline_update_steps() {
  local hid status deadline
  _mark=${EPOCHREALTIME/./}
  hid="$(docker inspect -f '{{.Id}}' "$HOLDER")"
  mark 'prep(holder-id)'
  docker pull -q "$APP_REF" >/dev/null
  mark pull
  # shellcheck disable=SC2046
  docker create --name "$APP.new" "${LABELS[@]}" $(role_labels app) "${APP_OPTS[@]}" --network "container:$hid" "$APP_REF" >/dev/null
  mark create
  docker stop "$ROUTER" >/dev/null # withdraw: route strategy `stop`
  mark withdraw
  docker stop "$APP" >/dev/null
  mark stop
  docker rename "$APP" "$APP.old"
  mark set-aside
  docker rename "$APP.new" "$APP"
  mark place
  docker start "$APP" >/dev/null
  mark start
  deadline=$(( ${EPOCHREALTIME%.*} + GATE_TIMEOUT_S ))
  while :; do
    status="$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$APP")"
    [ "$status" = healthy ] && break
    [ "$status" != unhealthy ] || die "baseline: $APP unhealthy"
    [ "${EPOCHREALTIME%.*}" -lt "$deadline" ] || die "baseline: $APP not healthy within ${GATE_TIMEOUT_S}s"
    sleep 0.1
  done
  mark gate
  docker start "$ROUTER" >/dev/null # announce
  mark announce
  docker rm -f "$APP.old" >/dev/null
  mark remove
}

baseline_update() { # baseline_update ROUND
  local round="$1" next t0 t1 wall since
  next="$(other "$CURRENT")"
  publish "$next"
  : >"$TMP/steps/cur"
  since="$(date +%s.%N)"
  t0=$(date +%s%N)
  baseline_update_steps
  t1=$(date +%s%N)
  wall=$(( (t1 - t0) / 1000000 ))
  [ "$(served_version)" = "$next" ] || die "after the baseline the app serves '$(served_version)', expected $next"
  awk -v r="$round" '{print "baseline", r, $1, $2}' "$TMP/steps/cur" >>"$TMP/steps/all"
  CURRENT="$next"
  settle_after_update
  B_MS+=("$wall")
  B_WD+=("$(withdrawn_ms "$since")")
  log "round $round baseline: ${wall} ms, peer withdrawn ${B_WD[-1]:-?} ms"
}

# Between measurements: route back at the peer, holdfast sees the group settled, a breath.
settle_after_update() {
  wait_until 30 "peer learns $PREFIX again" peer_has_route
  wait_until 30 "holdfast sees $G settled" seed_settled
  sleep 1
}

# Fixed costs of the CLI path, measured outside the rounds: a bare JVM start of
# the jar, a whole `holdfast status` (JVM + HTTP + the server's inventory), and
# the inventory alone (what the update handler does before it queues the run).
JVM_MS=() STATUS_MS=() GET_MS=()
for i in 1 2 3; do
  t0=$(date +%s%N); java -jar "$JAR" --version >/dev/null; t1=$(date +%s%N)
  JVM_MS+=("$(( (t1 - t0) / 1000000 ))")
  t0=$(date +%s%N); HOLDFAST_URL="$HF_URL" HOLDFAST_API_TOKEN="$TOKEN" java -jar "$JAR" status "$G" >/dev/null; t1=$(date +%s%N)
  STATUS_MS+=("$(( (t1 - t0) / 1000000 ))")
  t0=$(date +%s%N); api "/api/v1/groups/$G" >/dev/null; t1=$(date +%s%N)
  GET_MS+=("$(( (t1 - t0) / 1000000 ))")
done
log "CLI fixed costs (median of 3): java -jar --version $(median "${JVM_MS[@]}") ms, holdfast status $(median "${STATUS_MS[@]}") ms, GET group $(median "${GET_MS[@]}") ms"

H_MS=() B_MS=() H_WD=() B_WD=()
log "phase 1: $ROUNDS update rounds (holdfast vs baseline, ABBA order)"
for ((r = 1; r <= ROUNDS; r++)); do
  if (( r % 2 == 1 )); then
    holdfast_update "$r"; baseline_update "$r"
  else
    baseline_update "$r"; holdfast_update "$r"
  fi
done

docker logs -t "$PEER" >"$TMP/peer-phase1.log" 2>&1 || true

# --- phase 1b: withdrawn window per route strategy -------------------------------------
# The peer-observed withdrawn window divided by the app's own outage (run step "stop" started
# -> step "gate" ended), for the `stop` strategy (phase 1's holdfast rounds) and for `bird`
# (the router recreated with BIRD-native labels and the recommended `disabled` config).
app_down_ms() { # app_down_ms RUN_JSON
  jq -r "$JQ_MS"'
    ([.steps[] | select(.step | startswith("stop ")) | .startedAt | ms] | min) as $s |
    ([.steps[] | select(.step | startswith("gate ")) | .endedAt | ms] | max) as $g |
    ($g - $s)' "$1"
}
ratios_for() { # ratios_for STRATEGY FIRST_ROUND LAST_ROUND: "strategy round withdrawn appdown ratio" lines
  local r w d
  for ((r = $2; r <= $3; r++)); do
    w="${WD_BY_ROUND[$r]:-}"
    d="$(app_down_ms "$TMP/runs/update-$r-holdfast.json")"
    [ -n "$w" ] || continue
    awk -v s="$1" -v r="$r" -v w="$w" -v d="$d" 'BEGIN {printf "%s %d %d %d %.2f\n", s, r, w, d, w / d}'
  done >>"$TMP/ratios"
}
cp "$TMP/steps/all" "$TMP/steps/phase1" # the tables of section 1 are about phase 1 only
declare -A WD_BY_ROUND=()
for ((r = 1; r <= ROUNDS; r++)); do WD_BY_ROUND[$r]="${H_WD[r-1]:-}"; done
: >"$TMP/ratios"
ratios_for stop 1 "$ROUNDS"
BIRD_DRAIN_MS=1000
log "phase 1b: the router recreated with holdfast.route=bird (drain ${BIRD_DRAIN_MS} ms); $ROUNDS rounds"
docker rm -f "$ROUTER" >/dev/null
ROUTER_OPTS=(--label holdfast.route=bird --label holdfast.bird.protocols=anycast4
  --label holdfast.bird.peers=upstream --label "holdfast.drain=${BIRD_DRAIN_MS}ms" --restart unless-stopped)
run_router "$BIRD_REF" disabled "${ROUTER_OPTS[@]}"
settle_after_update
SAVED_H_MS=("${H_MS[@]}") SAVED_H_WD=("${H_WD[@]}")
H_MS=() H_WD=()
for ((r = ROUNDS + 1; r <= 2 * ROUNDS; r++)); do
  holdfast_update "$r"
  WD_BY_ROUND[$r]="${H_WD[-1]:-}"
done
ratios_for bird $((ROUNDS + 1)) $((2 * ROUNDS))
H_MS=("${SAVED_H_MS[@]}") H_WD=("${SAVED_H_WD[@]}")
strategy_median() { awk -v s="$1" -v c="$2" '$1 == s {print $c}' "$TMP/ratios" | sort -n | awk '{a[NR] = $1} END {if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

# --- phase 2: heal latency ----------------------------------------------------------
# Runs (by id) that replaced seed members since SINCE_NS and that no bench holdfast knows.
foreign_runs_since() { # foreign_runs_since SINCE_NS
  local run
  awk -v t="$1" '$1 >= t && $2 == "create" && $3 ~ /\.holdfast-new-/ {sub(/.*\.holdfast-new-/, "", $3); print $3}' \
    "$TMP/events.log" | sort -u | while read -r run; do
    api "/api/v1/runs/$run" >/dev/null 2>&1 || echo "$run"
  done | tr '\n' ' ' | sed 's/ $//'
}

# After another holdfast raced ours the group can be left without its app (the
# serving container kept under a set-aside name, which discovery skips): start
# the members afresh in the current holder so the next repetition has a group.
reset_seed() {
  local i ids
  for ((i = 0; i < 3; i++)); do
    ids="$(docker ps -a -q --filter "label=$LABEL" --filter "label=holdfast.group=$G" \
      --filter label=holdfast.role=app 2>/dev/null; docker ps -a -q --filter "label=$LABEL" \
      --filter "label=holdfast.group=$G" --filter label=holdfast.role=router 2>/dev/null)"
    [ -n "$ids" ] || break
    # shellcheck disable=SC2086
    docker rm -f $ids >/dev/null 2>&1 || true
    sleep 1
  done
  run_members
  wait_until 30 "app healthy after reset" app_healthy
  wait_until 60 "holdfast sees $G settled after reset" seed_settled
}

log "phase 2: heal latency ($HEAL_REPS repetitions)"
HEAL_MS=() HEAL_OURS=() HEAL_INFO=() HEAL_RACED=0
for ((k = 1; k <= HEAL_REPS; k++)); do
  if ! soft_wait 60 seed_settled; then
    [ -n "$(foreign_runs_since "$START_NS")" ] || die "holdfast does not show $G settled within 60 s"
    log "group not settled after another holdfast's runs; resetting its members"
    reset_seed
  fi
  since_ns=$(date +%s%N)
  docker rm -f "$HOLDER" >/dev/null
  run_holder
  healed=1
  soft_wait 60 seed_settled || healed=0
  sleep 0.5 # let the event stream catch up
  raced="$(foreign_runs_since "$since_ns")"
  if [ "$healed" -eq 0 ]; then
    [ -n "$raced" ] || die "holdfast did not heal $G within 60 s (no other holdfast involved)"
    log "heal $k: raced by another holdfast (runs $raced); $G not healed, resetting it"
    reset_seed
  fi
  awk -v t="$since_ns" '$1 >= t' "$TMP/events.log" >"$TMP/runs/heal-$k.events"
  start_ns="$(awk -v h="$HOLDER" '$2 == "start" && $3 == h {print $1; exit}' "$TMP/runs/heal-$k.events")"
  [ -n "$start_ns" ] || die "no start event of $HOLDER (events: $TMP/runs/heal-$k.events)"
  # Replacement creates after the holder started: "<ns> <name> <run>", in order.
  awk -v s="$start_ns" '$1 >= s && $2 == "create" && $3 ~ /\.holdfast-new-/ {print $1, $3, $4}' \
    "$TMP/runs/heal-$k.events" >"$TMP/runs/heal-$k.creates"
  [ -s "$TMP/runs/heal-$k.creates" ] ||
    die "no replacement create after the holder started (events: $(tr '\n' ';' <"$TMP/runs/heal-$k.events"))"
  read -r create_ns _ create_run <"$TMP/runs/heal-$k.creates"
  lat=$(( (create_ns - start_ns) / 1000000 ))
  # Which holdfast created it: ours knows its runs; another one on this engine does not.
  ours_ns="" ours_run="" detail="" by="ANOTHER holdfast"
  while read -r ns _ run; do
    if api "/api/v1/runs/$run" >"$TMP/runs/heal-$k.json" 2>/dev/null; then
      ours_ns="$ns" ours_run="$run"
      break
    fi
  done <"$TMP/runs/heal-$k.creates"
  [ "$ours_run" != "$create_run" ] || by="bench holdfast"
  if [ -n "$ours_run" ]; then
    detail="$(jq -r --arg s "$start_ns" "$JQ_MS"'
      (($s | tonumber) / 1000000 | floor) as $h |
      "run \(.id) (\(.trigger)): queued +\((.createdAt | ms) - $h) ms, planned \(([.steps[] | select(.startedAt != null) | (.startedAt | ms)] | min) - (.startedAt | ms)) ms, ended +\((.endedAt | ms) - $h) ms, \(.state)"' \
      "$TMP/runs/heal-$k.json")"
  fi
  HEAL_MS+=("$lat")
  HEAL_OURS+=("$( [ -n "$ours_ns" ] && echo $(( (ours_ns - start_ns) / 1000000 )) || echo -)")
  HEAL_INFO+=("first by $by${detail:+; bench $detail}${raced:+; RACED by other holdfast run(s) $raced}$( [ "$healed" -eq 1 ] || echo ', group NOT healed, reset')")
  [ -z "$raced" ] || HEAL_RACED=$((HEAL_RACED + 1))
  log "heal $k: ${lat} ms, bench holdfast ${HEAL_OURS[-1]} ms (${HEAL_INFO[-1]})"
  soft_wait 30 peer_has_route || log "note: the peer has no route 30 s after heal $k"
done

# --- phase 3: idle RSS ----------------------------------------------------------------
log "phase 3: $NGROUPS extra groups, idle RSS"
if [ "$NGROUPS" -le 56 ]; then XNET=(--network "$NET"); XNET_DESC="$NET (auto IPs)"; else XNET=(--network none); XNET_DESC="none"; fi
t0=$(date +%s%N)
for ((i = 1; i <= NGROUPS; i++)); do
  (G="bench-$RUNID-$i" HOLDER="hfb-$RUNID-g$i-holder" APP="hfb-$RUNID-g$i-app" HOLDER_IP=""
    if [ "${XNET[1]}" = none ]; then NET=none; fi
    run_holder && run_app holdfast-test/app:noprobe)
  (( $(date +%s%N) - t0 < 600000000000 )) || die "creating $NGROUPS groups took over 600 s"
done
log "created $NGROUPS groups in $(( ($(date +%s%N) - t0) / 1000000 )) ms (holder network: $XNET_DESC)"

# Fresh processes beside the one that ran phases 1-2: plain `java -jar` (the JVM's defaults: the
# baseline) and one with the shipped settings that gets no load.
FRESH_PORT="$(free_port)"
start_holdfast fresh "$FRESH_PORT"
FRESH_PID="$LAST_PID"
SMALL_PORT="$(free_port)"
start_shipped small "$SMALL_PORT"
SMALL_PID="$LAST_PID"
await_holdfast "$FRESH_PID" "$FRESH_PORT" fresh
await_holdfast "$SMALL_PID" "$SMALL_PORT" small

want=$(( NGROUPS + 1 ))
bench_groups() { # bench_groups PORT: how many of this run's groups holdfast lists
  local n
  n="$(api_on "$1" /api/v1/groups 2>/dev/null | jq --arg p "bench-$RUNID-" '[.[] | select(.name | startswith($p))] | length' 2>/dev/null || true)"
  [[ "$n" =~ ^[0-9]+$ ]] && echo "$n" || echo 0
}
lists_all() { [ "$(bench_groups "$1")" -eq "$want" ]; }
for p in "$HF_PORT" "$FRESH_PORT" "$SMALL_PORT"; do
  wait_until 120 "holdfast on :$p lists $want bench groups" lists_all "$p"
done
# The inventory behind every API read, update request and reconcile, now over
# all the engine's containers (compare with the GET in phase 1).
GETN_MS=()
for i in 1 2 3; do
  t0=$(date +%s%N); api "/api/v1/groups/$G" >/dev/null; t1=$(date +%s%N)
  GETN_MS+=("$(( (t1 - t0) / 1000000 ))")
done
ENGINE_CONTAINERS="$(docker ps -aq | wc -l)"

# Webhook load on main, after phases 1-2: HOOK_N registry deliveries (a CNCF Distribution push
# each, with its own digest and event id, of a repository no container runs), then 200 API reads.
HOOK_N=3000
FIXTURE="$REPO_ROOT/src/test/resources/fixtures/registry/captured-distribution-2.8.2-05-push-manifest.json"
HOOK_OK=0
t0=$(date +%s%N)
for ((i = 0; i < HOOK_N; i++)); do
  digest="sha256:$(printf '%064x' "$i")"
  code="$(jq -c --arg reg "$REG" --arg d "$digest" --arg id "bench-$RUNID-$i" \
    '.events[0] |= (.id = $id | .target.digest = $d | .target.repository = "hf/other"
      | .target.url = "http://\($reg)/v2/hf/other/manifests/\($d)" | .request.host = $reg)' "$FIXTURE" |
    curl -sS -m 10 -o /dev/null -w '%{http_code}' -X POST -H @"$TMP/hook.hdr" \
      -H 'Content-Type: application/vnd.docker.distribution.events.v1+json' --data-binary @- \
      "$HF_URL/hooks/registry" 2>/dev/null || true)"
  [ "$code" != 200 ] || HOOK_OK=$((HOOK_OK + 1))
  (( $(date +%s%N) - t0 < 300000000000 )) || die "$HOOK_N hook deliveries took over 300 s"
done
for ((i = 0; i < 200; i++)); do api "/api/v1/groups" >/dev/null; done
log "webhook load on main: $HOOK_OK of $HOOK_N deliveries answered 200 in $(( ($(date +%s%N) - t0) / 1000000 )) ms, then 200 API reads"
[ "$HOOK_OK" -eq "$HOOK_N" ] || die "only $HOOK_OK of $HOOK_N hook deliveries were answered 200 (log: holdfast-main.log)"

# The image's HEALTHCHECK (holdfast's own probe, a JVM of its own) against the shipped
# processes while they idle, as Docker runs it: HOLDFAST_HEALTHCHECK_EVERY seconds apart.
probe_loop() {
  local port="$1" end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    HOLDFAST_LISTEN="127.0.0.1:$port" timeout 20 java -Xmx8m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -cp "$JAR" dev.holdfast.app.HealthProbe >/dev/null 2>&1 || log "HEALTHCHECK on :$port failed"
    sleep "${HOLDFAST_HEALTHCHECK_EVERY:-15}"
  done
}
interval_s=30 # HOLDFAST_RECONCILE_INTERVAL default (Settings.RECONCILE_INTERVAL); unset here
cpu_ms() { awk '{printf "%d\n", ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"'}' "/proc/$1/stat"; }
declare -A CPU0
for pid in "$HF_PID" "$FRESH_PID" "$SMALL_PID"; do CPU0[$pid]="$(cpu_ms "$pid")"; done
log "all three list $want groups; idling 2 reconcile intervals ($(( 2 * interval_s )) s), HEALTHCHECK running"
probe_loop "$HF_PORT" $(( 2 * interval_s - 5 )) &
PROBE1=$!
probe_loop "$SMALL_PORT" $(( 2 * interval_s - 5 )) &
PROBE2=$!
sleep $(( 2 * interval_s ))
wait "$PROBE1" "$PROBE2" 2>/dev/null || true

RSS_ROWS=()
for entry in "main:$HF_PID:$HF_PORT" "fresh:$FRESH_PID:$FRESH_PORT" "small:$SMALL_PID:$SMALL_PORT"; do
  IFS=: read -r name pid port <<<"$entry"
  kill -0 "$pid" 2>/dev/null || die "holdfast ($name) died while idling (log: holdfast-$name.log)"
  rss="$(rss_kib "$pid")" hwm="$(hwm_kib "$pid")"
  case "$name" in main) MAIN_RSS_MIB="$(mib "$rss")" ;; fresh) FRESH_RSS_MIB="$(mib "$rss")" ;; esac
  threads="$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")"
  cpu=$(( $(cpu_ms "$pid") - ${CPU0[$pid]} ))
  n="$(bench_groups "$port")"
  oom="$(grep -c 'OutOfMemoryError' "$TMP/holdfast-$name.log" || true)"
  args="$(tr '\0' ' ' <"/proc/$pid/cmdline" | sed -E 's/ -jar .*//; s/^[^ ]*java ?//')"
  flags="$(jcmd "$pid" VM.flags 2>/dev/null | tr ' ' '\n' | grep -E '^-XX:(\+Use[A-Za-z0-9]*GC|MaxHeapSize)' | tr '\n' ' ' || true)"
  RSS_ROWS+=("$(printf '%-6s %-28s %7s %9s %7s %11s %6s %4s  %s' "$name" "${args:-(none)}" "$(mib "$rss")" "$(mib "$hwm")" \
    "$threads" "$cpu" "$n" "$oom" "${flags:-?}")")
done

# --- foreign holdfasts ----------------------------------------------------------------
# Every holdfast manages every group on its engine. Replacements on this run's
# containers whose run id none of the bench's holdfasts knows were made by
# another holdfast (a service, or one inside a test JVM) that raced ours.
sleep 0.5
sed -n 's/^[0-9]* create .*\.holdfast-new-\([a-z0-9]*\) .*$/\1/p' "$TMP/events.log" | sort -u >"$TMP/created-runs"
for p in "$HF_PORT" "$FRESH_PORT" "$SMALL_PORT"; do
  api_on "$p" /api/v1/runs 2>/dev/null | jq -r '.[].id' 2>/dev/null || true
done | sort -u >"$TMP/our-runs"
FOREIGN_RUNS="$(comm -23 "$TMP/created-runs" "$TMP/our-runs" | tr '\n' ' ' | sed 's/ $//')"
for pid in $(other_holdfasts); do
  case " $FOREIGN " in *" $pid "*) ;; *) FOREIGN="${FOREIGN:+$FOREIGN }$pid" ;; esac
done

# --- summary ---------------------------------------------------------------------------
steps_median() { # steps_median KIND STEP
  local v
  mapfile -t v < <(awk -v k="$1" -v s="$2" '$1 == k && $3 == s {print $4}' "$TMP/steps/phase1")
  [ "${#v[@]}" -gt 0 ] && median "${v[@]}" || echo -
}
H_MED="$(median "${H_MS[@]}")"
B_MED="$(median "${B_MS[@]}")"
mapfile -t SRV < <(awk '$1 == "holdfast" && $3 == "server-run" {print $4}' "$TMP/steps/phase1")
S_MED="$(median "${SRV[@]}")"
RATIO="$(awk -v h="$H_MED" -v b="$B_MED" 'BEGIN {printf "%.2f", h / b}')"
S_RATIO="$(awk -v h="$S_MED" -v b="$B_MED" 'BEGIN {printf "%.2f", h / b}')"
verdict() { awk -v x="$1" -v t="$2" 'BEGIN {print (x <= t) ? "PASS" : "FAIL"}'; }
HEAL_MAX="$(max_of "${HEAL_MS[@]}")"
TOTAL_S=$(( ($(date +%s%N) - START_NS) / 1000000000 ))

{
  echo
  echo "=== holdfast bench summary: run $RUNID, $(date -u +%Y-%m-%dT%H:%M:%SZ) ==="
  echo "host: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); docker engine $(docker version -f '{{.Server.Version}}'); $(java -version 2>&1 | head -n 1)"
  echo "jar: $JAR_INFO; rounds=$ROUNDS groups=$NGROUPS"
  if [ -n "$FOREIGN" ]; then echo "WARNING: other holdfast service(s) ran on this engine during the bench (pid $FOREIGN)"; fi
  if [ -n "$FOREIGN_RUNS" ]; then
    echo "WARNING: $(wc -w <<<"$FOREIGN_RUNS") run(s) of ANOTHER holdfast created replacements of bench containers ($FOREIGN_RUNS):"
    echo "         they raced the bench's holdfast (see phase 2); run the bench on an engine no other holdfast manages"
  fi
  echo
  echo "1. Update wall time (ms), seed group app+router, ABBA order"
  printf '   %-6s %9s %9s %12s %14s %14s\n' round holdfast baseline hf-server-run hf-withdrawn base-withdrawn
  for ((r = 1; r <= ROUNDS; r++)); do
    printf '   %-6s %9s %9s %12s %14s %14s\n' "$r" "${H_MS[r-1]}" "${B_MS[r-1]}" "${SRV[r-1]}" "${H_WD[r-1]:--}" "${B_WD[r-1]:--}"
  done
  hw=() bw=()
  for x in "${H_WD[@]}"; do [ -z "$x" ] || hw+=("$x"); done
  for x in "${B_WD[@]}"; do [ -z "$x" ] || bw+=("$x"); done
  printf '   %-6s %9s %9s %12s %14s %14s\n' median "$H_MED" "$B_MED" "$S_MED" \
    "$( [ ${#hw[@]} -gt 0 ] && median "${hw[@]}" || echo -)" "$( [ ${#bw[@]} -gt 0 ] && median "${bw[@]}" || echo -)"
  echo "   ratio holdfast/baseline (medians):            $RATIO   target <= 1.10  $(verdict "$RATIO" 1.10)"
  echo "   ratio holdfast server-side run/baseline:      $S_RATIO   (the run alone, without HTTP)"
  echo "   (withdrawn = ms the peer had no route for $PREFIX, from the peer BIRD's route log)"
  echo
  echo "   where the time goes, median ms per step (holdfast: GET /api/v1/runs/<id>; baseline: per docker command)"
  printf '   %-24s %9s   %-20s %9s\n' holdfast ms baseline ms
  hrows=(http+handler queue "plan(inventory+pulls)" pull create withdraw stop set-aside place start gate announce remove)
  brows=(- - "prep(holder-id)" pull create withdraw stop set-aside place start gate announce remove)
  for ((j = 0; j < ${#hrows[@]}; j++)); do
    b="${brows[j]}" bv=""
    if [ "$b" = - ]; then b=""; else bv="$(steps_median baseline "$b")"; fi
    printf '   %-24s %9s   %-20s %9s\n' "${hrows[j]}" "$(steps_median holdfast "${hrows[j]}")" "$b" "$bv"
  done
  echo "   CLI fixed costs (median of 3, outside the rounds): java -jar holdfast.jar --version $(median "${JVM_MS[@]}") ms;"
  echo "     holdfast status <group> $(median "${STATUS_MS[@]}") ms; curl GET /api/v1/groups/<group> $(median "${GET_MS[@]}") ms"
  echo
  echo "1b. Withdrawn window at the peer / app outage (step stop started -> gate passed), per strategy"
  printf '   %-9s %6s %12s %12s %7s\n' strategy round withdrawn_ms app_down_ms ratio
  while read -r st rd w d ra; do printf '   %-9s %6s %12s %12s %7s\n' "$st" "$rd" "$w" "$d" "$ra"; done <"$TMP/ratios"
  for st in stop bird; do
    printf '   %-9s median ratio %s (withdrawn %s ms, app down %s ms)\n' "$st" \
      "$(strategy_median "$st" 5)" "$(strategy_median "$st" 3)" "$(strategy_median "$st" 4)"
  done
  BW="$(strategy_median bird 3)" BD="$(strategy_median bird 4)"
  echo "   bird target: withdrawn <= 1.2 x app down + drain ${BIRD_DRAIN_MS} ms: $BW <= $(awk -v d="$BD" -v k="$BIRD_DRAIN_MS" 'BEGIN {printf "%d", 1.2 * d + k}') $(verdict "$(awk -v w="$BW" -v d="$BD" -v k="$BIRD_DRAIN_MS" 'BEGIN {printf "%.3f", w / (1.2 * d + k)}')" 1)"
  echo
  echo "2. Heal latency: holder 'start' event -> first replacement 'create' event (docker events)"
  printf '   %-4s %9s %12s  %s\n' rep "first_ms" "bench_hf_ms" "detail"
  for ((k = 1; k <= HEAL_REPS; k++)); do
    printf '   %-4s %9s %12s  %s\n' "$k" "${HEAL_MS[k-1]}" "${HEAL_OURS[k-1]}" "${HEAL_INFO[k-1]}"
  done
  printf '   %-4s %9s %12s\n' max "$HEAL_MAX" "$(max_of "${HEAL_OURS[@]}")"
  echo "   heal latency max ${HEAL_MAX} ms   target <= 2000  $(verdict "$HEAL_MAX" 2000)"
  echo "   (first_ms: first replacement create by any holdfast; bench_hf_ms: first one by the bench's holdfast)"
  [ "$HEAL_RACED" -eq 0 ] || echo "   WARNING: $HEAL_RACED of $HEAL_REPS repetitions were raced by another holdfast on this engine"
  echo
  echo "3. Idle RSS, $want bench groups ($NGROUPS x holder+app on $XNET_DESC, + seed), after 2 x ${interval_s}s reconcile intervals"
  printf '   %-6s %-28s %7s %9s %7s %11s %6s %4s  %s\n' proc "jvm flags" RSS_MiB peak_MiB threads idle_cpu_ms groups OOMs \
    "effective GC / heap (jcmd VM.flags)"
  for row in "${RSS_ROWS[@]}"; do echo "   $row"; done
  echo "   main = the process that ran phases 1-2 and then $HOOK_N webhook deliveries + 200 API reads; fresh = new plain"
  echo "   'java -jar' (the JVM's defaults); small = new, no load; main and small: ${SHIPPED_FLAGS[*]#@$REPO_ROOT/}, MALLOC_ARENA_MAX=2"
  echo "   idle RSS of main ${MAIN_RSS_MIB} MiB   target <= 96  $(verdict "$MAIN_RSS_MIB" 96)   (fresh / main $(awk -v f="$FRESH_RSS_MIB" -v m="$MAIN_RSS_MIB" 'BEGIN {printf "%.2f", f / m}'))"
  echo "   (groups = bench groups it lists after idling; idle_cpu_ms = CPU time used while idling;"
  echo "    all three idled together on one engine)"
  echo "   inventory with $ENGINE_CONTAINERS containers on the engine: curl GET /api/v1/groups/<group> $(median "${GETN_MS[@]}") ms"
  echo "     (phase 1, before the extra groups: $(median "${GET_MS[@]}") ms); every update request and reconcile pays it"
  echo
  echo "total bench time: ${TOTAL_S} s"
} | tee "$TMP/summary.txt"
