#!/usr/bin/env bash
# bench/anycast.sh: how many client requests to an anycast address fail while every site that
# announces it is updated from v1 to v2.
#
# One run, one table. N sites (default 2) announce the same /32 (198.51.100.80) to one upstream
# BIRD peer; a client in the peer's namespace asks http://198.51.100.80:8080/version about 15
# times a second (each request its own busybox wget, bounded by `timeout`, fired on a fixed
# schedule whether the previous one answered or not). Per scenario the sites are built fresh on
# v1 (holdfast-test/app:v1 pushed to a local docker-registry as <registry>/hf/app:live), the
# client runs a few seconds, v2 is pushed under the same tag, and the sites are updated:
#   a  naive: Watchtower-style, every site's app at once: pull, stop, rm, run (no withdrawal)
#   b  holdfast, one registry push: the registry's notifications reach holdfast's
#      /hooks/registry, which updates every site (one instance manages them all)
#   c  holdfast rolling through the API: POST /api/v1/groups/<site>/update?wait=true, one site
#      after the other
#   d  the same push with the sites split between two holdfast instances (scopes <run>-a and
#      <run>-b, holdfast.scope on the holders), both notified, sharing a three-member etcd
#      cluster on loopback ports (HOLDFAST_ETCD, HOLDFAST_INSTANCE)
# A scenario ends when every site runs v2, healthy, and the peer has every path again (bounded),
# plus a few seconds more of client traffic. It prints one table: requests, failed, ratio to
# naive, the update's wall time, when the failures happened, the longest outage, and how often
# the peer had no route at all (its table polled every ~250 ms); then, for holdfast's runs, when
# each site was withdrawn and announced again.
#
# Usage: bench/anycast.sh [--sites N] [--rate R] [--timeout S] [--scenarios a,b,c,d]
#                         [--images PREFIX] [--jar PATH] [--keep DIR] [--build]
#   --sites N        sites announcing the address (2..8, default 2)
#   --rate R         client requests per second (1..50, default 15)
#   --timeout S      per-request bound in whole seconds (1..5, default 1: busybox `timeout`
#                    counts whole seconds; its wget crashes on -T)
#   --scenarios L    which scenarios, in order (default a,b,c,d)
#   --images PREFIX  test image prefix (default holdfast-test, see src/test/docker/build-images.sh)
#   --jar PATH       holdfast jar (default target/holdfast.jar, built when missing)
#   --keep DIR       copy logs and raw samples to DIR on exit
#   --build          build the jar first (mvn -q -B package -DskipTests)
#
# Needs what scripts/test.sh prepares (the engine on /var/run/docker.sock, the test images,
# docker-registry, java 17), curl, jq, iptables, and etcd for d (/usr/bin/etcd from bookworm's
# etcd-server, else /opt/holdfast-sid/root/usr/bin/etcd). Everything it creates is named
# benchany-<run>-* and labelled benchanycast=<run>: one --internal network 192.0.2.160/28
# (bridge hfany<run>, peer .162, sites .164 up), containers, a registry, holdfast and etcd
# processes on free 127.0.0.1 ports, and two DOCKER-USER rules that accept traffic between
# that subnet and 198.51.100.80/32 on that bridge only (an --internal network drops bridged
# traffic to addresses outside its subnet; see /work/shared/reference/sandbox.md). All of it is
# removed on exit, also on failure or Ctrl-C (trap); a watchdog ends a run that takes far too
# long. Traffic: loopback and that network. Heavy: run it as
# `flock /tmp/holdfast-heavy.lock bench/anycast.sh` on a shared machine.
#
# Every site carries holdfast.scope (the peer and the client one no instance has), so no other
# holdfast on the engine (a test JVM, a `serve`) manages, heals or re-announces them: an
# unscoped holdfast would otherwise withdraw the naive scenario's route while its apps are down.
set -euo pipefail
ME=anycast-bench LABEL_KEY=benchanycast
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SITES=2
RATE=15
REQ_TIMEOUT=1
SCENARIOS=a,b,c,d
IMAGES=holdfast-test
JAR_ARG=""
KEEP_DIR=""
BUILD=0
usage() {
  echo "usage: $0 [--sites N] [--rate R] [--timeout S] [--scenarios a,b,c,d] [--images PREFIX] [--jar PATH] [--keep DIR] [--build]" >&2
  exit 2
}
parse_args "--sites=SITES --rate=RATE --timeout=REQ_TIMEOUT --scenarios=SCENARIOS --images=IMAGES --jar=JAR_ARG
  --keep=KEEP_DIR" "--build=BUILD" "$@"
num_in() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
num_in "$SITES" 2 8 || { echo "anycast-bench: --sites must be 2..8" >&2; exit 2; }
num_in "$RATE" 1 50 || { echo "anycast-bench: --rate must be 1..50" >&2; exit 2; }
num_in "$REQ_TIMEOUT" 1 5 || { echo "anycast-bench: --timeout must be 1..5 (whole seconds)" >&2; exit 2; }
IFS=, read -r -a ORDER <<<"$SCENARIOS"
[ "${#ORDER[@]}" -ge 1 ] || usage
for s in "${ORDER[@]}"; do case "$s" in a | b | c | d) ;; *) echo "anycast-bench: unknown scenario '$s'" >&2; exit 2 ;; esac; done

# --- constants -------------------------------------------------------------------------------
SUBNET=192.0.2.160/28
PEER_IP=192.0.2.162
site_ip() { echo "192.0.2.$((164 + $1))"; }
ANYCAST=198.51.100.80
PREFIX=$ANYCAST/32
P="benchany-$RUNID"
NET="$P-net"
BRIDGE="hfany$RUNID"
PEER="$P-peer"
CLIENT="$P-client"
INFRA_SCOPE="$P-infra"
LABELS=(--label holdfast.test=true --label "$LABEL" --label "benchanycast.pid=$$")
APP_OPTS=(--restart unless-stopped)
BIRD_SOCK=/run/bird/bird.ctl
FW_MARK="benchanycast:$RUNID:$$"
BASELINE_S=3     # client traffic before the push
TAIL_S=3         # client traffic after every site is back
UPDATE_MAX_S=180 # the update of every site, bounded
SETTLE_MAX_S=90  # a fresh fleet: healthy, every path at the peer, the client answered
CLIENT_MAX=$((RATE * (BASELINE_S + UPDATE_MAX_S + TAIL_S + 30)))
MAX_SECS=$((300 + ${#ORDER[@]} * (UPDATE_MAX_S + SETTLE_MAX_S + 120)))
ETCD_BIN=""

HF_NAMES=()
ETCD_PIDS=()
FW_ADDED=()
SAMPLER_PID=""

# --- clean-up --------------------------------------------------------------------------------
fw_close() {
  local r
  for r in "${FW_ADDED[@]+"${FW_ADDED[@]}"}"; do
    # shellcheck disable=SC2086 # a rule is a list of words
    iptables -D DOCKER-USER $r 2>/dev/null || log "WARNING: could not remove DOCKER-USER rule: $r"
  done
  FW_ADDED=()
}
stop_holdfasts() {
  local pid
  for pid in "${HF_PIDS[@]+"${HF_PIDS[@]}"}"; do stop_pid "$pid" 10; done
  HF_PIDS=() HF_NAMES=()
}
stop_etcd() {
  local pid
  for pid in "${ETCD_PIDS[@]+"${ETCD_PIDS[@]}"}"; do stop_pid "$pid" 5; done
  ETCD_PIDS=()
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +eu # the clean-up must reach end_run, which also ends the watchdog (it holds the flock too)
  stop_pid "$SAMPLER_PID" 3
  stop_holdfasts
  stop_etcd
  fw_close
  keep_results "$KEEP_DIR" registry-data
  remove_bench_objects "$LABEL"
  [ -z "${REG:-}" ] || stop_registry "${APP_REF:-}"
  end_run "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# DOCKER-USER rules of earlier runs that died without their trap (the pid in their comment).
remove_dead_rules() {
  local line pid
  while IFS= read -r line; do
    pid="$(sed -n 's/.*benchanycast:[0-9a-f]*:\([0-9]*\).*/\1/p' <<<"$line")"
    [ -n "$pid" ] || continue
    if [ -d "/proc/$pid" ] && grep -q 'anycast\.sh' "/proc/$pid/cmdline" 2>/dev/null; then continue; fi
    log "removing a DOCKER-USER rule of a dead run: $line"
    # shellcheck disable=SC2046,SC2001
    iptables -D $(sed 's/^-A //; s/"//g' <<<"$line") || true
  done < <(iptables -S DOCKER-USER 2>/dev/null | grep -F 'benchanycast:' || true)
}

fw_open() {
  local r
  for r in "-i $BRIDGE -o $BRIDGE -s $SUBNET -d $PREFIX -m comment --comment $FW_MARK -j ACCEPT" \
    "-i $BRIDGE -o $BRIDGE -s $PREFIX -d $SUBNET -m comment --comment $FW_MARK -j ACCEPT"; do
    # shellcheck disable=SC2086
    iptables -I DOCKER-USER $r || die "iptables -I DOCKER-USER $r failed"
    FW_ADDED+=("$r")
  done
}

# --- the fleet -------------------------------------------------------------------------------
up_cs() { local u x; read -r u x </proc/uptime; echo "${u%.*}${u#*.}"; } # uptime, centiseconds
site() { echo "$P-s$1"; } # group name of site I

run_site() { # run_site I SCOPE: holder (the anycast address on its lo), app, bird router
  local i="$1" scope="$2" g ip
  g="$(site "$i")" ip="$(site_ip "$i")"
  docker run -d --name "$g-holder" "${LABELS[@]}" --label "holdfast.scope=$scope" \
    --label "holdfast.group=$g" --label holdfast.role=holder --restart unless-stopped \
    --cap-add NET_ADMIN --network "$NET" --ip "$ip" "$IMAGES/holder:1" >/dev/null
  docker exec "$g-holder" ip addr add "$PREFIX" dev lo
  run_app "$i" "$scope"
  docker run -d --name "$g-router" "${LABELS[@]}" --label "holdfast.scope=$scope" \
    --label holdfast.role=router --label holdfast.route=bird --label holdfast.bird.protocols=anycast4 \
    --label holdfast.bird.peers=upstream --label "holdfast.prefixes=$PREFIX" --restart unless-stopped \
    --network "container:$g-holder" --cap-add NET_ADMIN -e BIRD_ROLE=router -e "ROUTER_ID=$ip" \
    -e "NEIGHBOR=$PEER_IP" -e LOCAL_AS=65001 -e PEER_AS=65000 -e "PREFIX4=$PREFIX" "$IMAGES/bird:1" >/dev/null
}
run_app() { # run_app I SCOPE: the app from the registry tag (also the naive recreate's run)
  local g
  g="$(site "$1")"
  docker run -d --name "$g-app" "${LABELS[@]}" --label "holdfast.scope=$2" "${APP_OPTS[@]}" \
    --network "container:$g-holder" "$APP_REF" >/dev/null
}

run_peer() { # the upstream BIRD with a session per site and the learned routes in its kernel
  local i nb=""
  for ((i = 0; i < SITES; i++)); do nb="${nb:+$nb,}$(site_ip "$i")"; done
  docker run -d --name "$PEER" "${LABELS[@]}" --label "holdfast.scope=$INFRA_SCOPE" --restart always \
    --network "$NET" --ip "$PEER_IP" --cap-add NET_ADMIN -e BIRD_ROLE=peer -e "ROUTER_ID=$PEER_IP" \
    -e "NEIGHBOR=$nb" -e LOCAL_AS=65000 -e PEER_AS=65001 -e KERNEL=1 "$IMAGES/bird:1" >/dev/null
  # No site announcing: unreachable at once, not the network's default route to the host.
  docker exec "$PEER" ip route add unreachable "$PREFIX" metric 4000
  docker run -d --name "$CLIENT" "${LABELS[@]}" --label "holdfast.scope=$INFRA_SCOPE" \
    --network "container:$PEER" "$IMAGES/holder:1" >/dev/null
}

peer_paths() { # the peer's routes for the prefix right now ("?" when birdc did not answer)
  local out
  # birdc exits 1 on "Network not found" (BIRD >= 2.0.10): read its answer, not its exit status
  out="$(timeout 5 docker exec "$PEER" birdc -s "$BIRD_SOCK" show route for "$PREFIX" 2>/dev/null || true)"
  case "$out" in
    *"Network not found"*) echo 0 ;;
    *"BIRD "*" ready."*) grep -c 'unicast \[' <<<"$out" || true ;;
    *) echo "?" ;;
  esac
}
all_paths() { [ "$(peer_paths)" = "$SITES" ]; }
client_answers() { timeout 5 docker exec "$CLIENT" timeout 2 wget -q -O - "http://$ANYCAST:8080/version" 2>/dev/null | grep -q "^$1\$"; }
apps_on() { # apps_on IMAGE_ID: every app runs it, healthy, and nothing is set aside
  local i g
  for ((i = 0; i < SITES; i++)); do
    g="$(site "$i")"
    [ "$(docker inspect -f '{{.Image}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$g-app" 2>/dev/null)" = "$1 running healthy" ] || return 1
  done
  [ -z "$(docker ps -a -q --filter "label=$LABEL" --filter name=.holdfast-)" ]
}
fleet_fresh() { apps_on "$V1_ID" && all_paths && client_answers v1; }

build_fleet() { # build_fleet SCOPE_OF_SITE_0 SCOPE_OF_SITE_1 ...: a fresh fleet on v1
  local i
  registry_notify # no notifications while v1 goes back under the tag
  push "$IMAGES/app:v1" "$APP_REF"
  for ((i = 0; i < SITES; i++)); do run_site "$i" "${SCOPES[$i]}"; done
  run_peer
  wait_until "$SETTLE_MAX_S" "every site healthy on v1, $SITES paths at the peer, the client answered" fleet_fresh
}
remove_fleet() { remove_containers "$LABEL"; }

# --- registry with notifications -------------------------------------------------------------
# registry_notify [PORT...]: restarts the registry (same address REG, same storage) notifying
# the holdfasts on those ports, or none.
registry_notify() { registry_serve "$@" || die "docker-registry did not come back on $REG: $(tail -n 2 "$TMP/registry.log")"; }

# registry_start: the registry on a free port (REG), without notifications; a port taken between
# the check and the bind is retried with another.
registry_start() {
  local try
  mkdir -p "$TMP/registry-data"
  for try in 1 2 3 4 5; do
    REG="127.0.0.1:$(free_port)"
    registry_serve && return 0
    log "docker-registry could not start on $REG (try $try): $(tail -n 1 "$TMP/registry.log")"
  done
  die "docker-registry did not start in 5 tries"
}

registry_serve() { # registry_serve [PORT...]: (re)starts it; 1 when it does not answer
  local port n=0 i
  stop_pid "$REG_PID" 5
  {
    cat <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $TMP/registry-data
  delete:
    enabled: true
http:
  addr: $REG
EOF
    [ $# -eq 0 ] || printf 'notifications:\n  endpoints:\n'
    for port in "$@"; do
      n=$((n + 1))
      cat <<EOF
    - name: holdfast$n
      url: http://127.0.0.1:$port/hooks/registry
      headers:
        Authorization: [Bearer $HOOK_SECRET]
      timeout: 2s
      threshold: 5
      backoff: 1s
      ignoredmediatypes: [application/octet-stream]
EOF
    done
  } >"$TMP/registry.yml"
  docker-registry serve "$TMP/registry.yml" >>"$TMP/registry.log" 2>&1 </dev/null &
  REG_PID=$!
  for ((i = 0; i < 200; i++)); do
    registry_up && return 0
    kill -0 "$REG_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# publish IMAGE: pushes it as APP_REF, as another machine would: the local tag goes back to
# what it named before, so whoever updates really pulls.
publish() {
  push "$1" "$APP_REF"
  docker tag "$V1_ID" "$APP_REF"
}

# --- holdfast and etcd -----------------------------------------------------------------------
# start_hf NAME VAR=VALUE...: holdfast `serve` on a free port with these settings; its port
# goes to HF_PORTS[NAME]. A holdfast that does not come up is reported, not fatal: the
# scenario is marked and the run goes on.
declare -A HF_PORTS=()
start_hf() {
  local name="$1" port i pid
  shift
  port="$(free_port)"
  env HOLDFAST_HOOK_SECRET="$HOOK_SECRET" HOLDFAST_LOG_LEVEL=INFO "$@" \
    HOLDFAST_API_TOKEN="$TOKEN" java -jar "$JAR" serve --listen "127.0.0.1:$port" \
    --data-dir "$TMP/hf-data-$name" >"$TMP/holdfast-$name.log" 2>&1 </dev/null &
  pid=$!
  HF_PIDS+=("$pid")
  HF_NAMES+=("$name")
  HF_PORTS[$name]="$port"
  for ((i = 0; i < 600; i++)); do
    kill -0 "$pid" 2>/dev/null || { log "holdfast $name exited during start-up: $(tail -n 3 "$TMP/holdfast-$name.log" | tr '\n' ' ')"; return 1; }
    curl -fsS -m 2 "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  log "holdfast $name not ready within 60 s"
  return 1
}
group_ok() { # group_ok PORT GROUP: listed, ok, app and router attached and running
  api_on "$1" "/api/v1/groups/$2" 2>/dev/null | jq -e '.state == "ok" and (.members | length) == 2
    and all(.members[]; .attached and .state == "running")' >/dev/null 2>&1
}
groups_ok() { # groups_ok: every site ok at the instance that manages it (SITE_HF)
  local i
  for ((i = 0; i < SITES; i++)); do group_ok "${HF_PORTS[${SITE_HF[$i]}]}" "$(site "$i")" || return 1; done
}

start_etcd() { # a three-member cluster on loopback; sets ETCD_ENDPOINTS
  local i cluster="" cp=() pp=()
  for i in 1 2 3; do cp+=("$(free_port)"); pp+=("$(free_port)"); done
  for i in 0 1 2; do cluster="${cluster:+$cluster,}e$i=http://127.0.0.1:${pp[$i]}"; done
  for i in 0 1 2; do
    "$ETCD_BIN" --name "e$i" --data-dir "$TMP/etcd-$i" \
      --listen-client-urls "http://127.0.0.1:${cp[$i]}" --advertise-client-urls "http://127.0.0.1:${cp[$i]}" \
      --listen-peer-urls "http://127.0.0.1:${pp[$i]}" --initial-advertise-peer-urls "http://127.0.0.1:${pp[$i]}" \
      --initial-cluster "$cluster" --initial-cluster-token "$P" --initial-cluster-state new \
      >"$TMP/etcd-$i.log" 2>&1 </dev/null &
    ETCD_PIDS+=("$!")
  done
  ETCD_ENDPOINTS="http://127.0.0.1:${cp[0]},http://127.0.0.1:${cp[1]},http://127.0.0.1:${cp[2]}"
  etcd_healthy() { local p; for p in "${cp[@]}"; do curl -fsS -m 2 "http://127.0.0.1:$p/health" 2>/dev/null | grep -q '"health":"true"' || return 1; done; }
  wait_until 30 "etcd cluster healthy ($ETCD_ENDPOINTS)" etcd_healthy
}

# --- the client and the peer's table, sampled ------------------------------------------------
# In the client container (busybox sh, in the peer's namespace): request n is due at
# start + n/RATE s and fired in the background, so the schedule holds while requests hang.
# One line per request: "R n start_cs end_cs exit answer" (uptime, centiseconds).
# shellcheck disable=SC2016 # expanded by the client's shell
CLIENT_SH='
n=0; read u x </proc/uptime; start=${u%.*}${u#*.}
while [ $n -lt $MAX ] && [ ! -e /tmp/stop ]; do
  read u x </proc/uptime; now=${u%.*}${u#*.}
  due=$((start + n * 100 / RATE))
  if [ $now -lt $due ]; then d=$((due - now)); sleep $((d / 100)).$((d % 100 / 10))$((d % 10)); continue; fi
  (read u x </proc/uptime; t0=${u%.*}${u#*.}
   out=$(timeout $TO wget -q -O - http://$ADDR:8080/version 2>&1); rc=$?
   read u x </proc/uptime; out=${out//[[:space:]]/_}; echo "R $n $t0 ${u%.*}${u#*.} $rc ${out:-none}") &
  n=$((n + 1))
done
wait
echo "DONE $n"
'
start_client() {
  docker exec -d -e MAX="$CLIENT_MAX" -e RATE="$RATE" -e TO="$REQ_TIMEOUT" -e ADDR="$ANYCAST" "$CLIENT" \
    sh -c "{ $CLIENT_SH"$'\n'"} >/tmp/requests 2>&1"
}
stop_client() { # stop_client OUT: ends the schedule, waits (bounded) for the requests in flight
  docker exec "$CLIENT" touch /tmp/stop
  soft_wait $((REQ_TIMEOUT + 10)) sh -c "docker exec '$CLIENT' grep -q '^DONE' /tmp/requests" || log "WARNING: the client did not finish within $((REQ_TIMEOUT + 10)) s"
  docker exec "$CLIENT" cat /tmp/requests >"$1"
}

start_sampler() { # the peer's path count every ~250 ms to OUT ("cs paths"), bounded
  local out="$1"
  (
    for ((k = 0; k < (UPDATE_MAX_S + BASELINE_S + TAIL_S + 30) * 4; k++)); do
      echo "$(up_cs) $(peer_paths)" >>"$out"
      sleep 0.25
    done
  ) &
  SAMPLER_PID=$!
}

# --- one scenario ----------------------------------------------------------------------------
# Per scenario one line in TMP/results:
#   name requests failed wall_ms first_fail_ms last_fail_ms longest_outage_ms noroute_samples samples note
run_scenario() {
  local sc="$1" i note="-" trig_cs trig_ms done_cs="" out="$TMP/$sc"
  mkdir -p "$out"
  SCOPES=() SITE_HF=()
  case "$sc" in
    a) for ((i = 0; i < SITES; i++)); do SCOPES+=("$P-none"); done ;;
    b | c) for ((i = 0; i < SITES; i++)); do SCOPES+=("$P-$sc") SITE_HF+=("$sc"); done ;;
    d) for ((i = 0; i < SITES; i++)); do
      if [ $((i % 2)) -eq 0 ]; then SCOPES+=("$P-a") SITE_HF+=(d-a); else SCOPES+=("$P-b") SITE_HF+=(d-b); fi
    done ;;
  esac
  log "scenario $sc: building $SITES sites on v1 (scopes ${SCOPES[*]})"
  build_fleet
  local ok=1 ports=()
  case "$sc" in
    b | c) start_hf "$sc" HOLDFAST_SCOPE="$P-$sc" || ok=0; ports=("${HF_PORTS[$sc]:-}") ;;
    d)
      start_etcd
      start_hf d-a HOLDFAST_SCOPE="$P-a" HOLDFAST_ETCD="$ETCD_ENDPOINTS" HOLDFAST_INSTANCE="$P-a" || ok=0
      start_hf d-b HOLDFAST_SCOPE="$P-b" HOLDFAST_ETCD="$ETCD_ENDPOINTS" HOLDFAST_INSTANCE="$P-b" || ok=0
      ports=("${HF_PORTS[d-a]:-}" "${HF_PORTS[d-b]:-}") ;;
  esac
  if [ "$ok" = 1 ] && [ "$sc" != a ]; then
    soft_wait 60 groups_ok || { ok=0; log "scenario $sc: holdfast does not show every site ok"; }
  fi
  if [ "$ok" = 0 ]; then
    echo "$sc - - - - - - - - - holdfast-did-not-start" >>"$TMP/results"
    stop_holdfasts; stop_etcd; remove_fleet
    return
  fi
  case "$sc" in b | d) registry_notify "${ports[@]}" ;; esac

  : >"$out/peer"
  start_sampler "$out/peer"
  start_client
  sleep "$BASELINE_S"
  trig_cs="$(up_cs)" trig_ms="$(now_ms)"
  log "scenario $sc: pushing v2"
  publish "$IMAGES/app:v2"
  case "$sc" in
    a)
      local pids=()
      for ((i = 0; i < SITES; i++)); do
        (
          g="$(site "$i")"
          timeout 120 docker pull -q "$APP_REF" >/dev/null
          docker stop "$g-app" >/dev/null
          docker rm "$g-app" >/dev/null
          run_app "$i" "${SCOPES[$i]}"
        ) &
        pids+=("$!")
      done
      wait "${pids[@]}" || log "scenario $sc: a naive recreate failed"
      ;;
    c)
      for ((i = 0; i < SITES; i++)); do
        curl -fsS -m "$UPDATE_MAX_S" -X POST -H @"$TMP/auth.hdr" \
          "http://127.0.0.1:${HF_PORTS[c]}/api/v1/groups/$(site "$i")/update?wait=true" >"$out/update-$i.json" ||
          log "scenario $sc: the update of $(site "$i") failed: $(head -c 300 "$out/update-$i.json")"
        log "scenario $sc: $(site "$i") $(jq -r '.state // .error // "?"' "$out/update-$i.json" 2>/dev/null)"
      done
      ;;
  esac
  local deadline=$(($(date +%s) + UPDATE_MAX_S))
  while :; do # polled every 0.5 s: each look is several docker calls
    if apps_on "$V2_ID" && all_paths && { [ "$sc" = a ] || groups_ok; }; then done_cs="$(up_cs)"; break; fi
    [ "$(date +%s)" -lt "$deadline" ] || { note="not-all-on-v2-after-${UPDATE_MAX_S}s"; break; }
    sleep 0.5
  done
  if [ -n "$done_cs" ]; then log "scenario $sc: every site on v2 $(((done_cs - trig_cs) * 10)) ms after the push"; else log "scenario $sc: $note"; fi
  sleep "$TAIL_S"
  stop_client "$out/requests"
  stop_pid "$SAMPLER_PID" 3
  SAMPLER_PID=""

  # holdfast's runs: per site its run, withdrawn (withdraw step start) and announced (announce end)
  if [ "$sc" != a ]; then
    for ((i = 0; i < SITES; i++)); do
      local port="${HF_PORTS[${SITE_HF[$i]}]}" g
      g="$(site "$i")"
      api_on "$port" "/api/v1/runs?group=$g" >"$out/runs-$i.json" 2>/dev/null || echo '[]' >"$out/runs-$i.json"
      for r in $(jq -r '.[].id' "$out/runs-$i.json" 2>/dev/null); do
        api_on "$port" "/api/v1/runs/$r" >"$out/run-$i-$r.json" 2>/dev/null || true
      done
      cat "$out"/run-"$i"-*.json 2>/dev/null | jq -s -r --arg g "$g" --argjson t "$trig_ms" "$JQ_MS"'
        def rel: if . == null then "-" else ((. | ms) - $t | tostring) end;
        sort_by(.createdAt) | .[] | select((.createdAt | ms) >= $t) |
        "\($g) run \(.id) \(.kind) \(.state): started +\(.startedAt | rel), withdrawn +\([.steps[] | select(.action == "withdraw") | .startedAt] | min | rel), announced +\([.steps[] | select(.action == "announce") | .endedAt] | max | rel), ended +\(.endedAt | rel) ms"' \
        >>"$out/sites.txt" 2>/dev/null || true
    done
  fi
  stop_holdfasts
  stop_etcd
  remove_fleet

  # figures from the client's record and the peer's samples (ms from the push)
  awk -v t="$trig_cs" -v sc="$sc" -v note="$note" -v d="${done_cs:-}" -v to="$REQ_TIMEOUT" '
    FILENAME ~ /requests$/ && $1 == "R" {
      n++; ok = ($6 == "v1" || $6 == "v2") && $5 == 0
      if (!ok) {
        f++; rel = ($3 - t) * 10
        if ($5 == 143) k["timeout"]++; else if ($6 ~ /refused/) k["refused"]++
        else if ($6 ~ /No_route/) k["noroute"]++; else k["other"]++
        if (ff == "") ff = rel; lf = rel
        if (run_start == "") run_start = $3
        run_end = $4
      } else if (run_start != "") {
        o = ($3 - run_start) * 10; if (o > longest) longest = o; run_start = ""
      }
      next
    }
    FILENAME ~ /peer$/ && $1 >= t && (d == "" || $1 <= d + 100) { s++; if ($2 == "0") z++ }
    END {
      if (run_start != "") { o = (run_end - run_start) * 10; if (o > longest) longest = o }
      kinds = ""
      for (c in k) kinds = kinds (kinds == "" ? "" : ",") c ":" k[c]
      printf "%s %d %d %s %s %s %d %d %d %s %s\n", sc, n, f, (d == "" ? "-" : (d - t) * 10),
        (ff == "" ? "-" : ff), (lf == "" ? "-" : lf), longest, z, s, (kinds == "" ? "-" : kinds), note
    }' "$out/requests" "$out/peer" >>"$TMP/results"
  tail -n 1 "$TMP/results" | awk '{printf "scenario %s: %d requests, %d failed; longest outage %d ms\n", $1, $2, $3, $7}' | while read -r l; do log "$l"; done
}

# --- preconditions ---------------------------------------------------------------------------
require_tools docker java curl jq ss od awk sed iptables docker-registry timeout
require_engine
require_images "$IMAGES" holder:1 app:v1 app:v2 bird:1
docker run --rm --network none --entrypoint grep "$IMAGES/bird:1" -q KERNEL /usr/local/bin/bird-start ||
  die "$IMAGES/bird:1 predates KERNEL= and several NEIGHBORs (rebuild: src/test/docker/build-images.sh)"
iptables -S DOCKER-USER >/dev/null 2>&1 || die "no DOCKER-USER chain (is this the engine with iptables, /var/run/docker.sock?)"
case " ${ORDER[*]} " in *" d "*)
  for ETCD_BIN in /usr/bin/etcd /opt/holdfast-sid/root/usr/bin/etcd ""; do [ -z "$ETCD_BIN" ] || [ ! -x "$ETCD_BIN" ] || break; done
  [ -n "$ETCD_BIN" ] || die "scenario d needs etcd (/usr/bin/etcd or /opt/holdfast-sid/root/usr/bin/etcd)" ;;
esac
[ -z "$JAR_ARG" ] || [ -s "$JAR_ARG" ] || die "--jar $JAR_ARG: no such file"
refuse_used_subnet "$SUBNET"
TMP="$(mktemp -d /tmp/benchanycast.XXXXXX)"
prepare_jar "$BUILD" "$JAR_ARG"
remove_dead_runs 'anycast\.sh'
remove_dead_rules
start_watchdog "$MAX_SECS"
V1_ID="$(docker image inspect -f '{{.Id}}' "$IMAGES/app:v1")"
V2_ID="$(docker image inspect -f '{{.Id}}' "$IMAGES/app:v2")"
[ "$V1_ID" != "$V2_ID" ] || die "$IMAGES/app:v1 and v2 are the same image"
log "run $RUNID: $SITES sites, $ANYCAST, client $RATE req/s (timeout ${REQ_TIMEOUT}s), scenarios ${ORDER[*]}, jar $JAR_INFO"

# --- the run ---------------------------------------------------------------------------------
new_token
HOOK_SECRET="$(random_hex 16)"
registry_start
APP_REF="$REG/hf/app:live"
docker network create --internal --subnet "$SUBNET" -o "com.docker.network.bridge.name=$BRIDGE" \
  "${LABELS[@]}" "$NET" >/dev/null || die "docker network create $SUBNET failed"
fw_open
: >"$TMP/results"
for sc in "${ORDER[@]}"; do run_scenario "$sc"; done
TOTAL_S=$((($(date +%s%N) - START_NS) / 1000000000))

# --- summary ---------------------------------------------------------------------------------
title() {
  case "$1" in
    a) echo "a naive: recreate every app at once" ;;
    b) echo "b holdfast: one registry push" ;;
    c) echo "c holdfast: rolling via the API" ;;
    d) echo "d holdfast x2 (scopes, etcd): one push" ;;
  esac
}
{
  echo
  echo "=== holdfast anycast bench: run $RUNID, $(date -u +%Y-%m-%dT%H:%M:%SZ) ==="
  echo "host: $(nproc) CPUs; docker engine $(docker version -f '{{.Server.Version}}'); $(java -version 2>&1 | head -n 1)"
  echo "jar: $JAR_INFO"
  echo "fleet: $SITES sites announcing $PREFIX (holder + app + BIRD router, holdfast.route=bird), one BIRD peer (KERNEL=1)"
  echo "client: in the peer's namespace, $RATE req/s on a fixed schedule, each bounded at ${REQ_TIMEOUT} s; update v1 -> v2"
  echo
  NAIVE_FAILED="$(awk '$1 == "a" {print $3}' "$TMP/results")"
  printf '  %-40s %8s %7s %8s %9s %19s %9s %9s  %s\n' scenario requests failed "vs naive" "update" "failures (from..to)" "longest" "no route" "failed as"
  while read -r sc n f wall ff lf longest z s kinds note; do
    ratio="-"
    if [ "$f" != - ] && [[ "$NAIVE_FAILED" =~ ^[0-9]+$ ]] && [ "$NAIVE_FAILED" -gt 0 ]; then
      ratio="$(awk -v f="$f" -v a="$NAIVE_FAILED" 'BEGIN {printf "%.2f", f / a}')"
    fi
    printf '  %-40s %8s %7s %8s %9s %19s %9s %9s  %s\n' "$(title "$sc")" "$n" "$f" "$ratio" \
      "$([ "$wall" = - ] && echo - || echo "$wall ms")" "$([ "$ff" = - ] && echo - || echo "+$ff..+$lf ms")" "$([ "$longest" = - ] && echo - || echo "$longest ms")" \
      "$z/$s" "$kinds$([ "$note" = - ] || echo " $note")"
  done <"$TMP/results"
  echo
  echo "  update = push of v2 until every site runs v2, healthy, and the peer has all $SITES paths again;"
  echo "  failures = requests without a v1/v2 answer (refused, no route, over ${REQ_TIMEOUT} s), ms from the push;"
  echo "  longest = the longest stretch of failed requests in a row; no route = samples of the peer's"
  echo "  table (every ~250 ms, push to done) with no route for $PREFIX, of all samples; failed as:"
  echo "  refused (the route led to a site whose app was down), noroute (the peer had no route),"
  echo "  timeout (no answer within ${REQ_TIMEOUT} s)"
  for sc in "${ORDER[@]}"; do
    [ -s "$TMP/$sc/sites.txt" ] || continue
    echo
    echo "  $(title "$sc"): holdfast's runs, ms from the push"
    sed 's/^/    /' "$TMP/$sc/sites.txt"
  done
  echo
  echo "total bench time: ${TOTAL_S} s"
} | tee "$TMP/summary.txt"
