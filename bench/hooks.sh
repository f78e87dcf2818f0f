#!/usr/bin/env bash
# bench/hooks.sh: webhook acknowledgement throughput and latency, on loopback.
#
# Measures, in one run, with one load generator (HookLoad, src/test/java/dev/holdfast/bench, a
# separate JVM: C keep-alive connections in a closed loop, the same program and settings
# for every target), and prints a summary table at the end (stdout; progress
# goes to stderr):
#   match    holdfast's POST /hooks/registry with a CNCF Distribution v1 envelope
#            holding one tagged manifest push of 127.0.0.1:<reg>/hf/app:live
#            (the digest of the image the group's app runs). The first delivery
#            (sent by curl before the load) starts one real update run, which
#            pulls and finds the same image; every measured one is a duplicate
#            (answer "duplicate"; dedupe before any matching).
#   nomatch  the same event for hf/other, which no container runs (answer
#            "no match"). Each request carries a new digest and event id (a
#            fixed-width number in place of a token: same size every time), as
#            a registry serving many CI builds sends them; holdfast looks each up
#            in its dedupe table, matches it and remembers nothing of it.
#   bare     BareEndpoint (src/test/java/dev/holdfast/bench): a Javalin app from holdfast's own jar (same
#            Javalin, Jetty, logging) whose POST /hooks/registry reads the body
#            and answers 200, nothing else. It gets the match body.
# holdfast and the bare endpoint both run with the JVM settings the image ships
# (src/main/jvm/jvm.options, MALLOC_ARENA_MAX=2).
# Order bare, match, nomatch, nomatch, match, bare (drift hits every target),
# W warm-up requests before each measurement, and before all of them K unmeasured
# rounds of max(N, 20000) requests each to bare, match and the no-match delivery
# as a dry-run (which records no dedupe keys; holdfast's JVM needs ~150k requests
# before its per-request CPU stops falling), so the JIT does not favour whichever
# target comes last. Per target the median of its 2R measurements (R rounds of
# that order; with R = 1 the mean of two): throughput, p50, p99, max;
# holdfast/bare throughput ratios for match and nomatch against the targets
# (ratio >= 0.50, p99 <= 10 ms).
# Also per measurement: the server's CPU time per request and the CPU that
# other processes used meanwhile (from /proc), so a disturbed run shows.
#
# Checks (the bench FAILS when one does not hold): every measured request got a
# 2xx answer with the expected outcome ("duplicate" / "no match"); all N were
# sent within the time cap; exactly one run was started by the hook (trigger
# "hook distribution push 127.0.0.1:<reg>/hf/app:live") and none for hf/other;
# holdfast's holdfast_hooks counters agree with the requests sent.
#
# Usage: bench/hooks.sh [--requests N] [--concurrency C] [--warmup W]
#                       [--client socket|httpcore] [--rounds R] [--jit-rounds K]
#                       [--max-seconds S] [--keep DIR] [--build] [--profile]
#   --requests N     measured requests per measurement (default 20000)
#   --concurrency C  connections / requests in flight (default 8)
#   --warmup W       warm-up requests before each measurement (default 2000)
#   --client K       generator transport: socket (default; HookLoad's own HTTP/1.1 on raw
#                    keep-alive sockets) or httpcore (Apache HttpCore 5's client connection, a
#                    cross-check: ~2x the generator's CPU per request, bare held ~10-20% lower)
#   --rounds R       repeat the 6-measurement order R times (default 1)
#   --jit-rounds K   JIT warm-up rounds before the measurements (default 8)
#   --max-seconds S  time cap of one measurement (default 120)
#   --keep DIR       copy logs, bodies, sample answers and raw figures to DIR on exit
#   --build          run `mvn -q -B package -DskipTests` first (otherwise only when
#                    target/holdfast.jar or the bench's test classes are missing)
#   --profile        record both servers with Java Flight Recorder (profile settings;
#                    holdfast.jfr, bare.jfr: keep them with --keep); costs some throughput
# Exit status: 0 all targets met, 3 valid run but a target missed, 1 the bench
# failed or a measurement is invalid (errors, wrong answers, time cap hit).
#
# holdfast runs with HOLDFAST_HOOK_RATE=1000000: its per-client limit (default
# 200 requests/s) would otherwise answer most of the single-client load 429.
#
# Needs: a running Docker engine, the test images holdfast-test/holder:1 and
# holdfast-test/app:v1 (src/test/docker/build-images.sh), docker-registry,
# java 17+, curl, jq, ss. Started here and removed on exit (trap, also on
# failure or Ctrl-C): a docker-registry on a free 127.0.0.1 port with storage in
# a temp dir, holdfast and the bare endpoint on free 127.0.0.1 ports, one
# --internal network 203.0.113.128/25 and a group (holder + app) on it, all
# labelled holdfast.test=true and holdfast.bench=<runid>. Traffic goes only to
# loopback. Every wait is bounded; a watchdog ends the run if it takes far too
# long.
#
# No other holdfast may manage the engine meanwhile (it would see the bench's
# group; and tests running beside it distort the figures): before it creates
# anything, and again before each measurement, the bench waits until no
# process matching holdfast.jar, surefire, failsafe or Maven runs (at most
# 10 minutes in all, then it gives up), and reports how long it waited.
set -euo pipefail
ME=hooks LABEL_KEY=holdfast.bench
NEED_BENCH_CLASSES=1
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# --- arguments -------------------------------------------------------------------
REQUESTS=20000
CONCURRENCY=8
WARMUP=2000
CLIENT=socket
MAX_SECS_ONE=120
KEEP_DIR=""
BUILD=0
PROFILE=0
ROUNDS=1
JIT_ROUNDS=8
usage() {
  echo "usage: $0 [--requests N] [--concurrency C] [--warmup W] [--client socket|httpcore]" \
    "[--rounds R] [--jit-rounds K] [--max-seconds S] [--keep DIR] [--build] [--profile]" >&2
  exit 2
}
parse_args "--requests=REQUESTS --concurrency=CONCURRENCY --warmup=WARMUP --client=CLIENT --rounds=ROUNDS
  --jit-rounds=JIT_ROUNDS --max-seconds=MAX_SECS_ONE --keep=KEEP_DIR" "--build=BUILD --profile=PROFILE" "$@"
num_in() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
num_in "$REQUESTS" 100 1000000 || { echo "hooks: --requests must be 100..1000000" >&2; exit 2; }
num_in "$CONCURRENCY" 1 256 || { echo "hooks: --concurrency must be 1..256" >&2; exit 2; }
num_in "$WARMUP" 0 100000 || { echo "hooks: --warmup must be 0..100000" >&2; exit 2; }
num_in "$MAX_SECS_ONE" 5 3600 || { echo "hooks: --max-seconds must be 5..3600" >&2; exit 2; }
num_in "$ROUNDS" 1 10 || { echo "hooks: --rounds must be 1..10" >&2; exit 2; }
num_in "$JIT_ROUNDS" 0 50 || { echo "hooks: --jit-rounds must be 0..50" >&2; exit 2; }
case "$CLIENT" in socket|httpcore) ;; *) echo "hooks: --client socket|httpcore" >&2; exit 2 ;; esac

# No-match deliveries are not remembered (only pushes that start runs are), so any number of
# them leaves the match target's own push in the dedupe table.

# --- constants -------------------------------------------------------------------
SUBNET=203.0.113.128/25 # not the whole /24: the host reaches an egress proxy at 203.0.113.80
NET="hfh-$RUNID-net"
G="hooks-$RUNID"
HOLDER="hfh-$RUNID-holder"
APP="hfh-$RUNID-app"
LABELS=(--label holdfast.test=true --label "$LABEL" --label "holdfast.bench.pid=$$")
HOOK_RATE=1000000
TOKEN_HEX=ZZZZZZZZZZZZ # replaced per no-match request by a 12-digit hex number
QUIET_BUDGET_S=600     # waiting for other holdfasts/tests, in all
QUIET_CPU_PCT=10       # a measurement starts when other processes use less than this
DISTURBED_PCT=10       # ... and is flagged when they used this much while it ran
ORDER=()
for ((r = 0; r < ROUNDS; r++)); do ORDER+=(bare match nomatch nomatch match bare); done
MAX_SECS=$(( QUIET_BUDGET_S + 600 + (${#ORDER[@]} + 3 * JIT_ROUNDS) * (MAX_SECS_ONE / 2 + 30) ))
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"

HF_PID=""
BARE_PID=""
APP_REF=""
BARE_PORT=""
WAITED_S=0
WAITED_FOR=""
BUSY_WARN=0
NCPU="$(nproc)"

# --- cleanup ---------------------------------------------------------------------
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  stop_pid "$HF_PID" 10
  stop_pid "$BARE_PID" 5
  keep_results "$KEEP_DIR" registry-data hf-data-main
  remove_bench_objects "$LABEL"
  stop_registry "$APP_REF" # the tag and the digest references pulls left; app:v1 itself stays
  end_run "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers ---------------------------------------------------------------------
# Processes that must not run beside the bench: another holdfast (a service, or the
# one inside a test JVM), test JVMs, Maven (about to start them). Ours are excluded.
others() {
  pgrep -fa 'holdfast[^ ]*\.jar|surefire|failsafe|plexus-classworlds' 2>/dev/null |
    grep -vF "$TMP/" | grep -vE "^($$|${HF_PID:-x}|${BARE_PID:-x}) " |
    grep -vE '^[0-9]+ (timeout [0-9]+ )?flock ' || true # waiting for a lock is not running
}

# CPU the rest of the host uses: busy ticks of all CPUs (/proc/stat) minus our servers'.
host_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8; exit}' /proc/stat; }
pid_ticks() { # pid_ticks PID...: utime + stime
  local p s=0
  for p in "$@"; do
    [ -n "$p" ] && [ -r "/proc/$p/stat" ] || continue
    s=$(( s + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}') ))
  done
  echo "$s"
}
others_cpu_pct() { # % of all CPUs used by other processes over the next second
  local h0 p0 h1 p1
  h0="$(host_busy)" p0="$(pid_ticks "$HF_PID" "$BARE_PID")"
  sleep 1
  h1="$(host_busy)" p1="$(pid_ticks "$HF_PID" "$BARE_PID")"
  echo $(( ((h1 - h0) - (p1 - p0)) * 100 / (CLK_TCK * NCPU) ))
}

# wait_quiet WHAT: wait until others() is empty and the rest of the host uses under
# QUIET_CPU_PCT % of the CPUs, out of a budget of QUIET_BUDGET_S in all. Processes that
# outlast the budget end the bench; a host that stays busy only earns a warning.
wait_quiet() {
  local what="$1" t0 seen cpu
  seen="$(others)"
  cpu="$(others_cpu_pct)"
  [ -n "$seen" ] || [ "$cpu" -ge "$QUIET_CPU_PCT" ] || return 0
  t0=$(date +%s)
  if [ -n "$seen" ]; then
    log "waiting before $what: other holdfast/test/Maven processes run:"
    printf '%s\n' "$seen" | cut -c1-160 | sed 's/^/    /' >&2
    WAITED_FOR="$( (tr ' ' '\n' <<<"$WAITED_FOR"; grep -oE 'holdfast[^ ]*\.jar|surefire|failsafe|plexus-classworlds' <<<"$seen" |
      sed 's/plexus-classworlds/maven/; s/.*holdfast.*/holdfast.jar/') | grep -v '^$' | sort -u | tr '\n' ' ' | sed 's/ $//')"
  else
    log "waiting before $what: other processes use ${cpu}% of the CPUs"
  fi
  while :; do
    seen="$(others)"
    if [ -z "$seen" ]; then
      cpu="$(others_cpu_pct)"
      [ "$cpu" -ge "$QUIET_CPU_PCT" ] || break
    else
      sleep 2
    fi
    if [ $(( WAITED_S + $(date +%s) - t0 )) -ge "$QUIET_BUDGET_S" ]; then
      [ -z "$seen" ] ||
        die "other holdfast/test processes kept running for ${QUIET_BUDGET_S}s in all; run the bench when the engine is free: $(others | cut -c1-120 | tr '\n' ';')"
      log "WARNING: the host stays busy (${cpu}% of the CPUs used by others); measuring anyway"
      BUSY_WARN=1
      break
    fi
  done
  WAITED_S=$(( WAITED_S + $(date +%s) - t0 ))
  log "waited $(( $(date +%s) - t0 )) s before $what (in all ${WAITED_S} s)"
}

# field LINE KEY: the value of key=value in a HOOKLOAD line
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p" | head -n 1; }

# --- preconditions ---------------------------------------------------------------
require_tools docker java curl jq ss od awk sed pgrep docker-registry timeout getconf
JAVA_MAJOR="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
[[ "$JAVA_MAJOR" =~ ^[0-9]+$ ]] && [ "$JAVA_MAJOR" -ge 17 ] || die "java 17 or newer required (found: $(java -version 2>&1 | head -n 1))"
require_engine
require_images holdfast-test holder:1 app:v1
FIXTURE="$REPO_ROOT/src/test/resources/fixtures/registry/captured-distribution-2.8.2-05-push-manifest.json"
[ -s "$FIXTURE" ] || die "$FIXTURE missing"
TMP="$(mktemp -d /tmp/holdfast-hooks.XXXXXX)"
mkdir -p "$TMP/results"
prepare_jar "$BUILD"
[ -s "$TMP/classes/dev/holdfast/bench/HookLoad.class" ] || die "the bench classes are missing from target/test-classes"
start_watchdog "$MAX_SECS"

log "run $RUNID: requests=$REQUESTS concurrency=$CONCURRENCY warmup=$WARMUP client=$CLIENT, jar $JAR_INFO, tmp $TMP"
wait_quiet "creating anything on the engine"

# Leftovers of an earlier bench run that died without its trap (SIGKILL).
remove_dead_runs 'bench\.sh|hooks\.sh'
refuse_used_subnet '203\.0\.113\.'

# --- registry ----------------------------------------------------------------------
start_registry
APP_REF="$REG/hf/app:live"
push holdfast-test/app:v1 "$APP_REF"
DIGEST="$(sed -n 's/.*digest: \(sha256:[0-9a-f]\{64\}\).*/\1/p' "$TMP/push.log" | tail -n 1)"
[ -n "$DIGEST" ] || die "no digest in the push output: $(tail -n 3 "$TMP/push.log")"
log "registry on $REG (pid $REG_PID); pushed holdfast-test/app:v1 as $APP_REF ($DIGEST)"

# --- group ---------------------------------------------------------------------------
log "group $G on internal network $NET ($SUBNET)"
seed_network "$SUBNET"
run_holder --restart always
run_app "$APP_REF" --restart unless-stopped
wait_until 30 "app healthy" app_healthy

# --- holdfast and the bare endpoint ------------------------------------------------------
new_token
SECRET="$(random_hex 16)"
printf 'Authorization: Bearer %s\n' "$SECRET" >"$TMP/hook.hdr"
chmod 600 "$TMP/hook.hdr"
wait_quiet "starting holdfast"
HF_PORT="$(free_port)"
HF_JFR=() BARE_JFR=()
if [ "$PROFILE" -eq 1 ]; then
  HF_JFR=("-XX:StartFlightRecording=settings=profile,filename=$TMP/holdfast.jfr")
  BARE_JFR=("-XX:StartFlightRecording=settings=profile,filename=$TMP/bare.jfr")
fi
HOLDFAST_HOOK_SECRET="$SECRET" HOLDFAST_HOOK_RATE="$HOOK_RATE" start_shipped main "$HF_PORT" "${HF_JFR[@]+"${HF_JFR[@]}"}"
HF_PID="$LAST_PID"
BARE_PORT="$(free_port)"
[ "$BARE_PORT" != "$HF_PORT" ] || BARE_PORT="$(free_port)"
# The bare endpoint runs with holdfast's shipped JVM settings too: the ratio is holdfast's own cost.
BENCH_JVM_FLAGS=("${SHIPPED_FLAGS[@]}" "${BARE_JFR[@]+"${BARE_JFR[@]}"}")
MALLOC_ARENA_MAX=2 bench_java BareEndpoint "$BARE_PORT" >"$TMP/bare.log" 2>&1 </dev/null &
BARE_PID=$!
BENCH_JVM_FLAGS=()
HF_URL="http://127.0.0.1:$HF_PORT"
BARE_URL="http://127.0.0.1:$BARE_PORT"
await_holdfast "$HF_PID" "$HF_PORT" main
group_listed() {
  api /api/v1/groups 2>/dev/null | jq -e --arg g "$G" --arg a "$APP" '.[] | select(.name == $g)
    | .state == "ok" and ([.members[] | select(.name == $a and .attached and .state == "running")] | length) == 1' \
    >/dev/null 2>&1
}
wait_until 60 "holdfast lists group $G (app attached, running)" group_listed
bare_ready() {
  kill -0 "$BARE_PID" 2>/dev/null || die "the bare endpoint exited during start-up (log: bare.log)"
  [ "$(curl -sS -m 2 -o /dev/null -w '%{http_code}' -X POST --data-binary x "$BARE_URL/hooks/registry" 2>/dev/null)" = 200 ]
}
wait_until 60 "bare endpoint on $BARE_URL" bare_ready
JAVALIN_VERSION="$(sed -n 's/.*(Javalin \([^)]*\)).*/\1/p' "$TMP/bare.log" | head -n 1)"
log "holdfast on $HF_URL (pid $HF_PID, HOLDFAST_HOOK_RATE=$HOOK_RATE), bare endpoint on $BARE_URL (pid $BARE_PID, Javalin ${JAVALIN_VERSION:-?})"

# --- bodies ------------------------------------------------------------------------------
# The captured Distribution 2.8.2 delivery, re-addressed: registry host, repository, tag, digest.
uuid() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n' | sed -E 's/(.{8})(.{4})(.{4})(.{4})(.{12})/\1-\2-\3-\4-\5/'; }
make_body() { # make_body REPOSITORY DIGEST EVENT_ID
  jq --arg reg "$REG" --arg repo "$1" --arg digest "$2" --arg id "$3" --arg rid "$(uuid)" \
    --arg ts "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" '
    .events[0] |= (.id = $id | .timestamp = $ts
      | .target.digest = $digest | .target.repository = $repo | .target.tag = "live"
      | .target.url = "http://\($reg)/v2/\($repo)/manifests/\($digest)"
      | .request.id = $rid | .request.host = $reg | .request.addr = "127.0.0.1:40000"
      | .source.addr = "bench:\($reg | split(":")[1])")' "$FIXTURE"
}
make_body hf/app "$DIGEST" "$(uuid)" >"$TMP/match.json"
# No-match: a fixed digest and event id prefix, the last 12 hex digits replaced per request.
NM_DIGEST="sha256:$(od -An -N26 -tx1 /dev/urandom | tr -d ' \n')$TOKEN_HEX"
NM_ID="$(uuid | cut -c1-24)$TOKEN_HEX"
make_body hf/other "$NM_DIGEST" "$NM_ID" >"$TMP/nomatch.json"
[ "$(grep -o "$TOKEN_HEX" "$TMP/nomatch.json" | wc -l)" -eq 3 ] || die "no-match body: token not in id, digest and url"
sed "s/$TOKEN_HEX/000000000000/g" "$TMP/nomatch.json" >"$TMP/nomatch-prime.json"
CT='Content-Type: application/vnd.docker.distribution.events.v1+json'

hook_post() { # hook_post BODY_FILE OUT: POST as the registry would; prints the HTTP status
  curl -sS -m 15 -o "$2" -w '%{http_code}' -X POST -H "$CT" -H @"$TMP/hook.hdr" \
    --data-binary @"$1" "$HF_URL/hooks/registry"
}

# --- the first deliveries ------------------------------------------------------------------
# The match push starts one real update run (the same image: nothing new to roll out); every
# later delivery of it is a duplicate. Its run ends before anything is measured.
code="$(hook_post "$TMP/match.json" "$TMP/first-match.json")" || die "first match delivery failed"
[ "$code" = 200 ] || die "first match delivery answered $code: $(cat "$TMP/first-match.json")"
jq -e '.pushes[0].outcome == "updating" and (.pushes[0].groups | length) == 1' "$TMP/first-match.json" >/dev/null ||
  die "first match delivery did not start an update: $(cat "$TMP/first-match.json")"
HOOK_RUN="$(jq -r '.pushes[0].groups[0].run' "$TMP/first-match.json")"
run_ended() {
  api "/api/v1/runs/$HOOK_RUN" >"$TMP/hook-run.json" 2>/dev/null &&
    jq -e '.state != "queued" and .state != "running"' "$TMP/hook-run.json" >/dev/null
}
wait_until 180 "hook run $HOOK_RUN ends" run_ended
HOOK_RUN_STATE="$(jq -r .state "$TMP/hook-run.json")"
HOOK_RUN_TRIGGER="$(jq -r .trigger "$TMP/hook-run.json")"
HOOK_RUN_MS="$(jq -r "$JQ_MS"' (.endedAt | ms) - (.createdAt | ms)' "$TMP/hook-run.json" 2>/dev/null || echo '?')"
[ "$HOOK_RUN_STATE" = succeeded ] || die "hook run $HOOK_RUN ended $HOOK_RUN_STATE: $(jq -c '{error, plan}' "$TMP/hook-run.json")"
log "first match delivery: run $HOOK_RUN ($HOOK_RUN_TRIGGER) $HOOK_RUN_STATE"
code="$(hook_post "$TMP/match.json" "$TMP/second-match.json")" || die "second match delivery failed"
[ "$code" = 200 ] && jq -e '.pushes[0].outcome == "duplicate"' "$TMP/second-match.json" >/dev/null ||
  die "a repeated match delivery is not a duplicate ($code): $(cat "$TMP/second-match.json")"
code="$(hook_post "$TMP/nomatch-prime.json" "$TMP/first-nomatch.json")" || die "first no-match delivery failed"
[ "$code" = 200 ] && jq -e '.pushes[0].outcome == "no match"' "$TMP/first-nomatch.json" >/dev/null ||
  die "the no-match delivery is not answered 'no match' ($code): $(cat "$TMP/first-nomatch.json")"
jq -e '(.pushes[0].groups | length) == 0' "$TMP/first-nomatch.json" >/dev/null || die "the no-match delivery acted"
SENT_MATCH=2 SENT_NOMATCH=1 SENT_DRY=0

# --- load ------------------------------------------------------------------------------------
# load TARGET WARMUP REQUESTS LABEL: one HookLoad run; its HOOKLOAD line goes to $TMP/results/LABEL.
load() {
  local target="$1" warm="$2" n="$3" label="$4" url body pid args=() rc=0
  case "$target" in
    bare) url="$BARE_URL/hooks/registry" body="$TMP/match.json" pid="$BARE_PID" ;;
    match) url="$HF_URL/hooks/registry" body="$TMP/match.json" pid="$HF_PID"
      args=(--expect '"outcome":"duplicate"') ;;
    nomatch) url="$HF_URL/hooks/registry" body="$TMP/nomatch.json" pid="$HF_PID"
      args=(--expect '"outcome":"no match"' --unique "$TOKEN_HEX") ;;
    nomatch-dry) url="$HF_URL/hooks/registry?dryRun=true" body="$TMP/nomatch.json" pid="$HF_PID"
      args=(--expect '"outcome":"no match"' --unique "$TOKEN_HEX") ;;
  esac
  kill -0 "$pid" 2>/dev/null || die "the $target server (pid $pid) is gone"
  # Target A and B get the hook secret; the bare endpoint gets the same header (and ignores it).
  (exec timeout $(( MAX_SECS_ONE * 2 + 120 )) java -cp "$TMP/classes:$JAR" dev.holdfast.bench.HookLoad --url "$url" --body "$body" \
    --header "$CT" --header "Authorization: Bearer $SECRET" --concurrency "$CONCURRENCY" \
    --warmup "$warm" --requests "$n" --max-seconds "$MAX_SECS_ONE" --client "$CLIENT" \
    --label "$label" --sample "$TMP/results/$label.answer" --watch-pid "$pid" --clk-tck "$CLK_TCK" \
    "${args[@]+"${args[@]}"}") >"$TMP/results/$label.out" 2>"$TMP/results/$label.err" || rc=$?
  grep '^HOOKLOAD ' "$TMP/results/$label.out" | tail -n 1 >"$TMP/results/$label" || true
  [ -s "$TMP/results/$label" ] || die "HookLoad ($label) printed no result (rc $rc): $(tail -n 5 "$TMP/results/$label.err")"
  case "$target" in
    match) SENT_MATCH=$(( SENT_MATCH + warm + $(field "$(cat "$TMP/results/$label")" requests) )) ;;
    nomatch) SENT_NOMATCH=$(( SENT_NOMATCH + warm + $(field "$(cat "$TMP/results/$label")" requests) )) ;;
    nomatch-dry) SENT_DRY=$(( SENT_DRY + warm + $(field "$(cat "$TMP/results/$label")" requests) )) ;;
  esac
  [ "$rc" -eq 0 ] || log "HookLoad ($label): $(tail -n 1 "$TMP/results/$label.err")"
}

# others_pct LABEL: CPU other processes used during a measurement, % of all CPUs
others_pct() {
  local r
  r="$(cat "$TMP/results/$1")"
  awk -v h="$(field "$r" host_cpu_ms)" -v s="$(field "$r" server_cpu_ms)" -v c="$(field "$r" client_cpu_ms)" \
    -v t="$(field "$r" seconds)" -v p="$NCPU" 'BEGIN {o = h - s - c; if (o < 0) o = 0; printf "%.0f\n", 100 * o / (t * 1000 * p)}'
}

# JIT warm-up of both servers, not measured: K rounds of max(N, 20000) requests each to bare,
# match and nomatch-dry, so the first measurement does not pay for compiling what later ones
# get free (C2 keeps recompiling holdfast's path for ~150k requests: its CPU per request
# falls about 7x over the first 6-8 rounds, the bare endpoint's about 6x). nomatch-dry is
# the no-match delivery with ?dryRun=true: the same handler, parsing and matching, but the
# dedupe table is only read, so it costs none of its keys (and can start no run).
rps_of() { field "$(cat "$TMP/results/$1")" rps; }
us_per_req() {
  local r
  r="$(cat "$TMP/results/$1")"
  awk -v c="$(field "$r" server_cpu_ms)" -v n="$(field "$r" requests)" 'BEGIN {printf "%.0f", c * 1000 / n}'
}
JIT_LABELS=()
JIT_N=$(( REQUESTS > 20000 ? REQUESTS : 20000 ))
JIT_SERIES=(bare match nomatch-dry)
[ "$JIT_ROUNDS" -eq 0 ] || log "JIT warm-up: $JIT_ROUNDS rounds of $JIT_N requests each to ${JIT_SERIES[*]}"
for ((c = 1; c <= JIT_ROUNDS; c++)); do
  wait_quiet "JIT warm-up round $c"
  for t in "${JIT_SERIES[@]}"; do
    load "$t" "$( [ "$c" = 1 ] && echo "$WARMUP" || echo 0)" "$JIT_N" "jit$c-$t"
    JIT_LABELS+=("jit$c-$t")
  done
  log "  round $c: $(for t in "${JIT_SERIES[@]}"; do printf '%s %s req/s %s us/req   ' "$t" "$(rps_of "jit$c-$t")" "$(us_per_req "jit$c-$t")"; done)"
done

LABELS=()
for ((k = 0; k < ${#ORDER[@]}; k++)); do
  t="${ORDER[k]}"
  wait_quiet "measurement $((k + 1)) ($t)"
  label="$((k + 1))-$t"
  load "$t" "$WARMUP" "$REQUESTS" "$label"
  LABELS+=("$label")
  r="$(cat "$TMP/results/$label")"
  log "measurement $((k + 1)) $t: $(field "$r" rps) req/s, p50 $(field "$r" p50_ms) ms, p99 $(field "$r" p99_ms) ms, max $(field "$r" max_ms) ms, errors $(field "$r" errors), unexpected $(field "$r" unexpected), valid $(field "$r" valid)"
done

# --- checks --------------------------------------------------------------------------------------
CHECKS=() FAILED=0
check() { # check OK|FAIL TEXT
  CHECKS+=("$1  $2")
  [ "$1" = ok ] || FAILED=1
}
INVALID=0
DISTURBED=0
for label in "${JIT_LABELS[@]}" "${LABELS[@]}"; do
  r="$(cat "$TMP/results/$label")"
  [ "$(field "$r" valid)" = 1 ] || INVALID=1
done
for label in "${LABELS[@]}"; do
  [ "$(others_pct "$label")" -lt "$DISTURBED_PCT" ] || DISTURBED=$((DISTURBED + 1))
done
if [ "$INVALID" -eq 0 ]; then
  check ok "every measured request got a 2xx answer with the expected outcome, all within the time cap"
else
  check FAIL "INVALID: a measurement had errors, unexpected answers or hit the time cap (see the table)"
fi
api "/api/v1/runs?group=$G" >"$TMP/runs.json" || die "GET /api/v1/runs?group=$G failed"
hook_runs="$(jq '[.[] | select(.trigger | startswith("hook distribution"))] | length' "$TMP/runs.json")"
app_runs="$(jq --arg t "hook distribution push $APP_REF" '[.[] | select(.trigger == $t)] | length' "$TMP/runs.json")"
other_runs="$(api /api/v1/runs | jq '[.[] | select(.trigger | test("hf/other"))] | length')"
all_runs="$(jq 'length' "$TMP/runs.json")"
if [ "$hook_runs" = 1 ] && [ "$app_runs" = 1 ]; then
  check ok "exactly one run started by the hook: $HOOK_RUN ($HOOK_RUN_TRIGGER, $HOOK_RUN_STATE, ${HOOK_RUN_MS} ms) for $SENT_MATCH match deliveries"
else
  check FAIL "$hook_runs runs started by hooks on $G ($app_runs for $APP_REF), expected exactly 1: $(jq -c '[.[] | {id, trigger, state}]' "$TMP/runs.json")"
fi
[ "$all_runs" = "$hook_runs" ] || check FAIL "$all_runs runs on $G, $hook_runs of them by the hook: $(jq -c '[.[] | {id, trigger}]' "$TMP/runs.json")"
if [ "$other_runs" = 0 ]; then
  check ok "no run for hf/other after $SENT_NOMATCH no-match deliveries (and $SENT_DRY as dry-runs)"
else
  check FAIL "$other_runs run(s) for hf/other"
fi
for label in "${LABELS[@]}"; do
  case "$label" in
    *-match) grep -q '"outcome":"duplicate"' "$TMP/results/$label.answer" 2>/dev/null ||
      check FAIL "sample answer of $label does not say duplicate: $(head -c 300 "$TMP/results/$label.answer" 2>/dev/null)" ;;
    *-nomatch) grep -q '"outcome":"no match"' "$TMP/results/$label.answer" 2>/dev/null ||
      check FAIL "sample answer of $label does not say no match: $(head -c 300 "$TMP/results/$label.answer" 2>/dev/null)" ;;
  esac
done
SAMPLE_MATCH="$(tail -n +2 "$TMP/results/2-match.answer" 2>/dev/null | head -c 400)"
SAMPLE_NOMATCH="$(tail -n +2 "$TMP/results/3-nomatch.answer" 2>/dev/null | head -c 600)"
[ "$FAILED" -ne 0 ] || check ok "the last measured answer of each measurement says duplicate (match) / no match (nomatch)"
# holdfast's own count of what it answered.
curl -fsS -m 15 -H @"$TMP/auth.hdr" "$HF_URL/v1/metrics" >"$TMP/metrics.txt" 2>/dev/null || true
metric() { awk -v o="$1" '/^holdfast_hooks_total\{/ && $0 ~ "outcome=\"" o "\"" && /sender="distribution"/ {s += $NF} END {printf "%d\n", s}' "$TMP/metrics.txt"; }
m_dup="$(metric duplicate)" m_ign="$(metric ignored)" m_act="$(metric acted)"
if [ -s "$TMP/metrics.txt" ] && [ "$m_dup" = $(( SENT_MATCH - 1 )) ] && [ "$m_ign" = $(( SENT_NOMATCH + SENT_DRY )) ] && [ "$m_act" = 1 ]; then
  check ok "holdfast counted $m_act acted, $m_dup duplicate, $m_ign ignored (= what was sent)"
else
  check FAIL "holdfast's holdfast_hooks counters: acted $m_act, duplicate $m_dup, ignored $m_ign; sent: 1 acting, $(( SENT_MATCH - 1 )) duplicate, $(( SENT_NOMATCH + SENT_DRY )) no-match"
fi
kill -0 "$HF_PID" 2>/dev/null || check FAIL "holdfast died"
HF_WARN="$(grep -cE ' (WARN|ERROR) ' "$TMP/holdfast-main.log" || true)"
[ "$HF_WARN" = 0 ] || CHECKS+=("note  holdfast logged $HF_WARN WARN/ERROR line(s): $(grep -E ' (WARN|ERROR) ' "$TMP/holdfast-main.log" | head -n 3 | cut -c1-200 | tr '\n' ';')")
FOREIGN_NOW="$(others | cut -c1-100 | tr '\n' ';')"

# --- summary ---------------------------------------------------------------------------------------
row() { # row LABEL: one measurement line
  local r label="$1" n srv cli other flag=""
  r="$(cat "$TMP/results/$label")"
  n="$(field "$r" requests)"
  srv="$(field "$r" server_cpu_ms)" cli="$(field "$r" client_cpu_ms)"
  other="$(others_pct "$label")"
  [ "$(field "$r" valid)" = 1 ] || flag="INVALID"
  [ "$other" -lt "$DISTURBED_PCT" ] || [ "${label#jit}" != "$label" ] || flag="${flag:+$flag, }disturbed"
  printf '   %-17s %9s %8s %8s %8s %8s %6s %6s %8s %8s %6s%%  %s\n' "$label" "$(field "$r" rps)" \
    "$(field "$r" p50_ms)" "$(field "$r" p90_ms)" "$(field "$r" p99_ms)" "$(field "$r" max_ms)" \
    "$(field "$r" errors)" "$(field "$r" unexpected)" \
    "$(awk -v s="$srv" -v n="$n" 'BEGIN {printf "%.0f", s * 1000 / n}')" \
    "$(awk -v s="$cli" -v n="$n" 'BEGIN {printf "%.0f", s * 1000 / n}')" "$other" "$flag"
}
# med TARGET KEY: the median of a target's measurements
med() {
  local v=() label
  for label in "${LABELS[@]}"; do
    [ "${label#*-}" = "$1" ] && v+=("$(field "$(cat "$TMP/results/$label")" "$2")")
  done
  median_f "${v[@]}"
}
sumk() { # sumk TARGET KEY: the sum over a target's measurements
  local s=0 label
  for label in "${LABELS[@]}"; do
    [ "${label#*-}" = "$1" ] && s=$(( s + $(field "$(cat "$TMP/results/$label")" "$2") ))
  done
  echo "$s"
}
verdict_ge() { awk -v x="$1" -v t="$2" 'BEGIN {print (x >= t) ? "PASS" : "FAIL"}'; }
verdict_le() { awk -v x="$1" -v t="$2" 'BEGIN {print (x <= t) ? "PASS" : "FAIL"}'; }
B_RPS="$(med bare rps)"
MISSED=0
for t in match nomatch; do
  ratio="$(awk -v a="$(med "$t" rps)" -v b="$B_RPS" 'BEGIN {printf "%.2f", a / b}')"
  [ "$(verdict_ge "$ratio" 0.50)" = PASS ] && [ "$(verdict_le "$(med "$t" p99_ms)" 10)" = PASS ] || MISSED=1
done
TOTAL_S=$(( ($(date +%s%N) - START_NS) / 1000000000 ))
{
  echo
  echo "=== holdfast hook acknowledgement bench: run $RUNID, $(date -u +%Y-%m-%dT%H:%M:%SZ) ==="
  echo "host: $NCPU CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(java -version 2>&1 | head -n 1); Javalin ${JAVALIN_VERSION:-?} (holdfast and bare from one jar)"
  echo "jar: target/holdfast.jar ($JAR_INFO)"
  echo "load: HookLoad --client $CLIENT, $CONCURRENCY connections in a closed loop, $WARMUP warm-up + $REQUESTS measured"
  echo "      requests per measurement (cap ${MAX_SECS_ONE}s), order ${ORDER[*]}, after a JIT warm-up of both"
  echo "      servers ($JIT_ROUNDS rounds of $JIT_N requests each to ${JIT_SERIES[*]}); $ROUNDS round(s) of measurements"
  echo "      bodies: match $(wc -c <"$TMP/match.json") B, nomatch $(wc -c <"$TMP/nomatch.json") B (new digest + event id per request), bare gets the match body"
  [ "$PROFILE" -eq 0 ] || echo "PROFILING: both servers ran with Java Flight Recorder (--profile); figures are not comparable to plain runs"
  echo "holdfast: HOLDFAST_HOOK_RATE=$HOOK_RATE (the default 200/s per client would answer the single-client load 429)"
  if [ "$WAITED_S" -gt 0 ]; then
    echo "waited ${WAITED_S}s in all for other holdfast/test/Maven processes to end ($WAITED_FOR)"
  else
    echo "no other holdfast/test/Maven process ran when the bench started or before any measurement"
  fi
  [ -z "$FOREIGN_NOW" ] || echo "WARNING: other holdfast/test/Maven processes run now: $FOREIGN_NOW"
  [ "$BUSY_WARN" -eq 0 ] || echo "WARNING: the host stayed busy with other processes; some measurements started anyway"
  echo
  echo "per measurement (latency in ms; srv_cpu / gen_cpu = CPU time per request of the server / the"
  echo "generator, in us, JIT and GC threads included; others = CPU other processes used meanwhile,"
  echo "% of all $NCPU CPUs; 'disturbed' at >= ${DISTURBED_PCT}%)"
  printf '   %-17s %9s %8s %8s %8s %8s %6s %6s %8s %8s %7s\n' measurement req/s p50 p90 p99 max errors unexp srv_cpu gen_cpu others
  if [ "$JIT_ROUNDS" -gt 0 ]; then
    for t in "${JIT_SERIES[@]}"; do row "jit$JIT_ROUNDS-$t"; done
  fi
  for label in "${LABELS[@]}"; do row "$label"; done
  echo
  if [ "$JIT_ROUNDS" -gt 0 ]; then
    echo "   (jit$JIT_ROUNDS-*: the last JIT warm-up round; server us/request per round:"
    for t in "${JIT_SERIES[@]}"; do
      printf '    %-12s %s\n' "$t" "$(for ((c = 1; c <= JIT_ROUNDS; c++)); do printf '%s ' "$(us_per_req "jit$c-$t")"; done)"
    done
    echo "   )"
  fi
  echo
  echo "per target, median of its $(( 2 * ROUNDS )) measurements"
  printf '   %-8s %9s %8s %8s %8s %7s %8s  %-20s %s\n' target req/s p50 p99 max errors "/bare" "ratio >= 0.50" "p99 <= 10 ms"
  for t in bare match nomatch; do
    rps="$(med "$t" rps)" p99="$(med "$t" p99_ms)"
    errs=$(( $(sumk "$t" errors) + $(sumk "$t" unexpected) ))
    if [ "$t" = bare ]; then
      printf '   %-8s %9.1f %8s %8s %8s %7s %8s  %-20s %s\n' "$t" "$rps" "$(med "$t" p50_ms)" "$p99" "$(med "$t" max_ms)" "$errs" - - -
    else
      ratio="$(awk -v a="$rps" -v b="$B_RPS" 'BEGIN {printf "%.2f", a / b}')"
      v1="$(verdict_ge "$ratio" 0.50)" v2="$(verdict_le "$p99" 10)"
      printf '   %-8s %9.1f %8s %8s %8s %7s %8s  %-20s %s\n' "$t" "$rps" "$(med "$t" p50_ms)" "$p99" "$(med "$t" max_ms)" "$errs" "$ratio" "$v1" "$v2"
    fi
  done
  echo "   (match: every measured delivery a duplicate of the first; nomatch: a push no container runs)"
  medus() { # medus TARGET: median server CPU per request, us
    local v=() label
    for label in "${LABELS[@]}"; do [ "${label#*-}" = "$1" ] && v+=("$(us_per_req "$label")"); done
    awk -v m="$(median_f "${v[@]}")" 'BEGIN {printf "%.0f", m}'
  }
  echo "   server CPU per request: bare $(medus bare) us, match $(medus match) us ($(awk -v a="$(medus match)" -v b="$(medus bare)" 'BEGIN {printf "%.1f", a / b}')x)," \
    "nomatch $(medus nomatch) us ($(awk -v a="$(medus nomatch)" -v b="$(medus bare)" 'BEGIN {printf "%.1f", a / b}')x);"
  echo "   the generator shares the $NCPU CPUs (gen_cpu above), so throughput ratios sit above bare/holdfast CPU"
  echo
  echo "checks"
  for c in "${CHECKS[@]}"; do echo "   $c"; done
  echo "   sample match answer:   $SAMPLE_MATCH"
  echo "   sample nomatch answer: $SAMPLE_NOMATCH"
  echo
  if [ "$FAILED" -ne 0 ]; then
    echo "RESULT: INVALID (a check failed; the figures above do not count)"
  elif [ "$MISSED" -ne 0 ]; then
    echo "RESULT: valid; target MISSED"
  else
    echo "RESULT: valid; targets met"
  fi
  [ "$DISTURBED" -eq 0 ] ||
    echo "WARNING: $DISTURBED of ${#LABELS[@]} measurements were disturbed by other processes (others >= ${DISTURBED_PCT}%); run again on a quiet host"
  echo "total bench time: ${TOTAL_S} s"
} | tee "$TMP/summary.txt"
[ "$FAILED" -eq 0 ] || exit 1
[ "$MISSED" -eq 0 ] || exit 3
exit 0
