#!/usr/bin/env bash
# bench/heal.sh: end-to-end heal of a holder replacement, with BIRD's default BGP timers and
# with the ones the README recommends (Route control: BGP timers for holder replacement).
#
# One group (holder with a fixed IP on an --internal network, an app, a BIRD router labelled
# holdfast.role=router) and a BIRD peer outside the group; holdfast (target/holdfast.jar, the
# current build) manages the group. Per round the holder is replaced (`docker rm -f` +
# `docker run`, same name, labels, network and IP), holdfast heals the group, and the bench
# prints, in ms from the new holder's `start` event (docker events):
#   run queued / run started      the heal run's createdAt / startedAt (GET /api/v1/runs/{id})
#   stopping <member>             how long the run spent stopping each stale member (its stop
#                                 steps; for the router also the withdraw step, which stops it)
#   apps gated                    end of the last `gate` step
#   router started                end of the router's `start` step
#   peer lost / prefix back       the peer's `birdc show route` (polled every 100 ms) without
#                                 the prefix / with it again over a new BGP session (the
#                                 session's "since" changed and it is Established)
# and a table with min / median / max per profile. BIRD_TIMERS (bird-start in
# src/test/docker/build-images.sh) sets the profile on the router and the peer: `default`
# renders no timer lines (BIRD's defaults), `recommended` renders the README's lines.
#
# Usage: bench/heal.sh [--rounds N] [--default-rounds N] [--app noinit|v1] [--images PREFIX]
#                      [--jar PATH] [--keep DIR]
#   --rounds N          rounds with the recommended timers (default 3, at most 20)
#   --default-rounds N  rounds with BIRD's default timers (default 1, at most 5; 0 skips them).
#                       Each costs up to ~5 minutes: the peer keeps the dead session until its
#                       next keepalive (80 s) reaches the new holder, or until its hold time
#                       (240 s) and error wait (60-300 s) when nothing answers; bounded at 600 s.
#   --app noinit|v1     the app image: noinit (default: busybox httpd as PID 1 without an init,
#                       ignores SIGTERM like many real images, so stopping it takes its full
#                       stop timeout) or v1 (the same behind tini: stops at once)
#   --images PREFIX     image repository prefix (default holdfast-test, as
#                       src/test/docker/build-images.sh builds; --prefix there builds others)
#   --jar PATH          holdfast jar to run (default target/holdfast.jar, built with
#                       `mvn -o -q -DskipTests package` when missing)
#   --keep DIR          copy logs, run records and raw figures to DIR on exit
#
# Needs what scripts/test.sh prepares: the engine on /var/run/docker.sock, the test images,
# java 17, maven (only to build a missing jar), curl, jq. Everything it creates is named
# benchheal-<run>-* and labelled benchheal=<run> (network 192.0.2.128/28, holder .130, peer
# .131, anycast prefix 198.51.100.200/32, outside the subnet), plus one holdfast process on a
# free 127.0.0.1 port and a temp dir; all removed on exit, also on failure or Ctrl-C (trap),
# and a watchdog ends the run if it takes far too long. Traffic: loopback and that network.
# Heavy: run it as `flock /tmp/holdfast-heavy.lock bench/heal.sh` on a shared machine.
#
# Every holdfast sees every group on its engine: another one (a `serve`, a test JVM) may heal
# the bench's group too. The bench names such runs (replacements whose run id its holdfast
# does not know) and marks the round RACED; raced rounds stay out of the table.
set -euo pipefail
ME=heal-bench LABEL_KEY=benchheal
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS=3
DEFAULT_ROUNDS=1
APP_TAG=noinit
IMAGES=holdfast-test
JAR_ARG=""
KEEP_DIR=""
usage() {
  echo "usage: $0 [--rounds N] [--default-rounds N] [--app noinit|v1] [--images PREFIX] [--jar PATH] [--keep DIR]" >&2
  exit 2
}
parse_args "--rounds=ROUNDS --default-rounds=DEFAULT_ROUNDS --app=APP_TAG --images=IMAGES --jar=JAR_ARG
  --keep=KEEP_DIR" "" "$@"
[[ "$ROUNDS" =~ ^[0-9]+$ ]] && [ "$ROUNDS" -le 20 ] || { echo "heal-bench: --rounds must be 0..20" >&2; exit 2; }
[[ "$DEFAULT_ROUNDS" =~ ^[0-9]+$ ]] && [ "$DEFAULT_ROUNDS" -le 5 ] ||
  { echo "heal-bench: --default-rounds must be 0..5" >&2; exit 2; }
[ $((ROUNDS + DEFAULT_ROUNDS)) -gt 0 ] || { echo "heal-bench: nothing to do (no rounds)" >&2; exit 2; }
case "$APP_TAG" in noinit|v1) ;; *) echo "heal-bench: --app must be noinit or v1" >&2; exit 2 ;; esac

# --- constants ---------------------------------------------------------------------
SUBNET=192.0.2.128/28
HOLDER_IP=192.0.2.130
PEER_IP=192.0.2.131
PREFIX=198.51.100.200/32
P="benchheal-$RUNID"
NET="$P-net"
G="$P"
HOLDER="$P-holder"
APP="$P-app"
ROUTER="$P-router"
PEER="$P-peer"
LABELS=(--label "$LABEL" --label "benchheal.pid=$$")
REC_MAX_S=120     # a recommended round: prefix back within this (measured: a few seconds)
DEF_MAX_S=600     # a default round: hold time 240 s + error wait up to 300 s + connect delay
SETTLE_MAX_S=120  # group settled (holdfast sees it ok, peer has the route) before a round
MAX_SECS=$((300 + ROUNDS * (REC_MAX_S + SETTLE_MAX_S) + DEFAULT_ROUNDS * (DEF_MAX_S + SETTLE_MAX_S)))

HF_PID=""

# --- cleanup -------------------------------------------------------------------------
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  stop_pid "$HF_PID" 10
  keep_results "$KEEP_DIR" hf-data-main
  remove_bench_objects "$LABEL"
  stop_pid "$EVENTS_PID" 3
  end_run "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers -------------------------------------------------------------------------
# new_session SINCE_BEFORE STATE: the session's "since" (HH:MM:SS.mmm) moved by over a second.
# (BIRD prints it from the monotonic clock, so the same session shows .339 and .340.)
new_session() {
  awk -v a="$1" -v b="$2" 'function ms(t, x) { split(t, x, ":"); return (x[1] * 3600 + x[2] * 60 + x[3]) * 1000 }
    BEGIN { split(b, f, " "); d = ms(f[2]) - ms(a); if (d < 0) d = -d; exit !(d > 1000) }'
}
settled() { seed_settled && peer_has_route; }

start_group() { # start_group PROFILE: holder, app and router in its namespace, and the peer
  BIRD_TIMERS="$1"
  run_holder
  run_app "$IMAGES/app:$APP_TAG" --restart unless-stopped
  run_router "$IMAGES/bird:1" enabled --restart unless-stopped
  run_peer
}
stop_group() { remove_containers "$LABEL"; }

# --- preconditions -------------------------------------------------------------------
require_tools docker java curl jq ss od awk timeout
require_engine
require_images "$IMAGES" holder:1 "app:$APP_TAG" bird:1
docker run --rm --network none --entrypoint grep "$IMAGES/bird:1" -q BIRD_TIMERS /usr/local/bin/bird-start ||
  die "$IMAGES/bird:1 predates BIRD_TIMERS (rebuild: src/test/docker/build-images.sh)"
[ -z "$JAR_ARG" ] || [ -s "$JAR_ARG" ] || die "--jar $JAR_ARG: no such file"
refuse_used_subnet "$SUBNET"
TMP="$(mktemp -d /tmp/benchheal.XXXXXX)"
mkdir -p "$TMP/runs"
prepare_jar 0 "$JAR_ARG"

# Leftovers of an earlier bench run that died without its trap (SIGKILL).
remove_dead_runs 'heal\.sh'
start_watchdog "$MAX_SECS"

FOREIGN="$(other_holdfasts)"
[ -z "$FOREIGN" ] ||
  log "WARNING: other holdfast service(s) on this engine (pid $FOREIGN) see the bench's group too and may race its heals"
log "run $RUNID: recommended rounds=$ROUNDS, default rounds=$DEFAULT_ROUNDS, app $IMAGES/app:$APP_TAG, jar $JAR_INFO"

# --- events and holdfast ----------------------------------------------------------------
start_events
seed_network "$SUBNET"
new_token
HF_PORT="$(free_port)"
start_holdfast main "$HF_PORT"
HF_PID="$LAST_PID"
await_holdfast "$HF_PID" "$HF_PORT" main
log "holdfast on 127.0.0.1:$HF_PORT (pid $HF_PID)"

# --- one round -------------------------------------------------------------------------
# Per round one line in $TMP/rounds:
# profile round raced queued started apps_gated router_started peer_lost prefix_back run_ended stops
# (ms from the holder's start event; "-" when not seen; stops = member:ms,... of the run's stop
# steps, plus for the router its withdraw step: with holdfast.route=stop that is what stops it)
round() { # round PROFILE N MAX_S
  local profile="$1" n="$2" max="$3" before since_before rm_ns hstart_ns hs_ms deadline st
  local lost="-" back="-" runs run_json raced="" tag="$profile-$n"
  before="$(peer_state)"
  since_before="$(awk '{print $2}' <<<"$before")"
  [ "$(awk '{print $1, $3, $4}' <<<"$before")" = "up Established 1" ] || die "peer not established before round $tag: $before"
  rm_ns=$(date +%s%N)
  docker rm -f "$HOLDER" >/dev/null
  run_holder
  # The peer, every 100 ms (each poll is one docker exec, so ~150-250 ms apart in practice).
  deadline=$(($(date +%s) + max))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    st="$(peer_state)"
    t=$(now_ms)
    echo "$t $st" >>"$TMP/runs/$tag.peer"
    if [ "$(awk '{print $4}' <<<"$st")" = 0 ] && [ "$lost" = - ]; then lost=$t; fi
    if [ "$(awk '{print $1, $3, $4}' <<<"$st")" = "up Established 1" ] && new_session "$since_before" "$st"; then
      back=$t
      break
    fi
    sleep 0.1
  done
  sleep 0.5 # let the event stream catch up
  hstart_ns="$(awk -v t="$rm_ns" -v h="$HOLDER" '$1 >= t && $2 == "start" && $3 == h {print $1; exit}' "$TMP/events.log")"
  [ -n "$hstart_ns" ] || die "no start event of $HOLDER in round $tag"
  hs_ms=$((hstart_ns / 1000000))
  [ "$back" != - ] || log "round $tag: the prefix did not come back within ${max}s"
  # The heal: holdfast's runs for the group created since the holder was removed; wait
  # (bounded) until they ended and the group is settled again.
  soft_wait 120 seed_settled || log "round $tag: group not settled 120 s after the holder start"
  api "/api/v1/runs?group=$G" >"$TMP/runs/$tag.list" || die "GET /api/v1/runs?group=$G failed"
  runs="$(jq -r --argjson t "$((rm_ns / 1000000))" "$JQ_MS"'
    [.[] | select((.createdAt | ms) >= $t)] | sort_by(.createdAt) | .[].id' "$TMP/runs/$tag.list")" ||
    die "unreadable run list: $(head -c 300 "$TMP/runs/$tag.list")"
  : >"$TMP/runs/$tag.steps"
  for r in $runs; do api "/api/v1/runs/$r" >"$TMP/runs/$tag-$r.json" || die "GET /api/v1/runs/$r failed"; done
  # Replacements made by a run our holdfast does not know: another holdfast raced this heal.
  for r in $(awk -v t="$rm_ns" '$1 >= t && $2 == "create" && $3 ~ /\.holdfast-new-/ {print $4}' "$TMP/events.log" | sort -u); do
    case " $runs " in *" $r "*) ;; *) raced="${raced:+$raced,}$r" ;; esac
  done
  # Figures from the runs' records (several runs: a follow-up merged into one, all counted).
  run_json="$(cat "$TMP/runs/$tag"-*.json 2>/dev/null | jq -s -c . 2>/dev/null || echo '[]')"
  jq -r --argjson h "$hs_ms" --arg router "$ROUTER" "$JQ_MS"'
    def rel: if . == null then "-" else ((. | ms) - $h | tostring) end;
    def last(f): [.[] | .steps[] | select(f) | .endedAt | select(. != null) | ms] | max;
    ([.[] | .createdAt | ms] | min) as $q |
    ([.[] | .startedAt | select(. != null) | ms] | min) as $s |
    ([.[] | .endedAt | select(. != null) | ms] | max) as $e |
    (last(.action == "gate")) as $g |
    (last(.action == "start" and .target == $router)) as $rs |
    ([.[] | .steps[] | select((.action == "stop" or .action == "withdraw") and .startedAt != null and .endedAt != null)
      | {m: (.target | sub("^.*-"; "")), d: ((.endedAt | ms) - (.startedAt | ms))}]
      | group_by(.m) | map("\(.[0].m):\(map(.d) | add)") | join(",")) as $stops |
    [ (if $q then ($q - $h | tostring) else "-" end), (if $s then ($s - $h | tostring) else "-" end),
      (if $g then ($g - $h | tostring) else "-" end), (if $rs then ($rs - $h | tostring) else "-" end),
      (if $e then ($e - $h | tostring) else "-" end), (if $stops == "" then "-" else $stops end) ] | join(" ")' \
    <<<"$run_json" >"$TMP/runs/$tag.fig"
  read -r q s g rs e stops <"$TMP/runs/$tag.fig"
  local lost_rel="-" back_rel="-"
  [ "$lost" = - ] || lost_rel=$((lost - hs_ms))
  [ "$back" = - ] || back_rel=$((back - hs_ms))
  echo "$profile $n ${raced:--} $q $s $g $rs $lost_rel $back_rel $e $stops" >>"$TMP/rounds"
  # Every step of the runs, for the per-round detail.
  jq -r --argjson h "$hs_ms" "$JQ_MS"'.[] | .id as $id | .steps[] | select(.startedAt != null) |
    "      \($id) \(.action) \(.target) +\((.startedAt | ms) - $h)..+\(if .endedAt then ((.endedAt | ms) - $h | tostring) else "?" end) ms \(.state)"' \
    <<<"$run_json" >"$TMP/runs/$tag.steps" 2>/dev/null || true
  log "round $tag: holder removed $(((hstart_ns - rm_ns) / 1000000)) ms before its start; runs ${runs:-none}${raced:+, RACED by $raced}"
  log "round $tag: queued +$q, started +$s, apps gated +$g, router started +$rs, peer lost +$lost_rel, prefix back +$back_rel, run ended +$e ms; stops $stops"
}

# --- the profiles -----------------------------------------------------------------------
: >"$TMP/rounds"
for spec in "recommended:$ROUNDS:$REC_MAX_S" "default:$DEFAULT_ROUNDS:$DEF_MAX_S"; do
  IFS=: read -r profile count max <<<"$spec"
  [ "$count" -gt 0 ] || continue
  log "profile $profile: starting the group and the peer (BIRD_TIMERS=$profile)"
  start_group "$profile"
  wait_until 60 "app healthy" app_healthy
  # A fresh session comes up within the connect delay (5 s with BIRD's defaults).
  wait_until 60 "peer learns $PREFIX ($profile)" peer_has_route
  wait_until "$SETTLE_MAX_S" "holdfast sees $G settled" seed_settled
  docker exec "$ROUTER" birdc -s "$BIRD_SOCK" show protocols all upstream >"$TMP/router-$profile.txt" 2>&1 || true
  log "profile $profile: session: $(grep -E 'Hold timer|Keepalive timer' "$TMP/router-$profile.txt" | tr -s ' ' | tr '\n' ';')"
  for ((k = 1; k <= count; k++)); do
    wait_until "$SETTLE_MAX_S" "group settled before round $profile-$k" settled
    sleep 2
    round "$profile" "$k" "$max"
  done
  stop_group
done
TOTAL_S=$((($(date +%s%N) - START_NS) / 1000000000))

# --- summary ---------------------------------------------------------------------------
col() { # col PROFILE FIELD: the field of the profile's unraced rounds, numbers only
  awk -v p="$1" -v f="$2" '$1 == p && $3 == "-" && $f ~ /^-?[0-9]+$/ {print $f}' "$TMP/rounds"
}
stop_col() { # stop_col PROFILE MEMBER_SUFFIX: stop step ms of that member
  awk -v p="$1" -v m="$2" '$1 == p && $3 == "-" {n = split($11, a, ","); for (i = 1; i <= n; i++) {
    split(a[i], kv, ":"); if (kv[1] == m) print kv[2] } }' "$TMP/rounds"
}
{
  echo
  echo "=== holdfast heal bench: run $RUNID, $(date -u +%Y-%m-%dT%H:%M:%SZ) ==="
  echo "host: $(nproc) CPUs; docker engine $(docker version -f '{{.Server.Version}}'); $(java -version 2>&1 | head -n 1)"
  echo "jar: $JAR_INFO"
  echo "group: holder + app $IMAGES/app:$APP_TAG + BIRD router (holdfast.route=stop); BIRD peer outside the group"
  [ -z "$FOREIGN" ] || echo "WARNING: other holdfast service(s) ran on this engine (pid $FOREIGN)"
  echo
  echo "per round, ms from the new holder's start event (docker events):"
  printf '  %-12s %5s %7s %8s %8s %8s %8s %9s %8s  %s\n' profile round queued started gated router "peer-lost" "back" ended "stopping (member:ms)"
  while read -r pr n raced q s g rs l b e stops; do
    printf '  %-12s %5s %7s %8s %8s %8s %8s %9s %8s  %s%s\n' "$pr" "$n" "$q" "$s" "$g" "$rs" "$l" "$b" "$e" "$stops" \
      "$([ "$raced" = - ] || echo "  RACED by run(s) $raced")"
  done <"$TMP/rounds"
  echo
  echo "end to end (holder start -> prefix back at the peer), and its parts, min / median / max ms:"
  printf '  %-12s %6s %20s %20s %20s %22s %20s %20s\n' profile rounds "run started" "apps gated" "router started" "PREFIX BACK" "stop app" "stop router"
  for pr in recommended default; do
    [ -n "$(awk -v p="$pr" '$1 == p' "$TMP/rounds")" ] || continue
    mapfile -t B < <(col "$pr" 9)
    printf '  %-12s %6s %20s %20s %20s %22s %20s %20s\n' "$pr" "${#B[@]}" \
      "$(stats $(col "$pr" 5) | tr ' ' /)" "$(stats $(col "$pr" 6) | tr ' ' /)" "$(stats $(col "$pr" 7) | tr ' ' /)" \
      "$(stats "${B[@]}" | tr ' ' /)" "$(stats $(stop_col "$pr" app) | tr ' ' /)" "$(stats $(stop_col "$pr" router) | tr ' ' /)"
  done
  echo
  echo "  recommended = BIRD_TIMERS=recommended (router: hold time 9; connect delay time 2; peer: error wait time 5, 300)"
  echo "  default     = BIRD_TIMERS=default (no timer lines: hold 240 s, keepalive 80 s, connect delay 5 s, error wait 60-300 s)"
  echo "  stop app / stop router = time the heal spent stopping the stale members (run record: stop steps, and the"
  echo "  router's withdraw step, which stops it with holdfast.route=stop); peer-lost / back: the"
  echo "  peer's birdc show route polled every 100 ms (back = over a new session); raced rounds are left out"
  echo
  echo "steps of each round's run(s), ms from the holder start:"
  for f in "$TMP"/runs/*.steps; do
    [ -s "$f" ] || continue
    echo "  $(basename "$f" .steps):"
    cat "$f"
  done
  echo
  echo "total bench time: ${TOTAL_S} s"
} | tee "$TMP/summary.txt"
