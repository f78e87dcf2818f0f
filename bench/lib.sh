# bench/lib.sh: what the bench scripts (bench/*.sh) and src/test/docker/smoke.sh share (sourced,
# not run): messages, bounded waits, clean-up, the preconditions, the holdfast jar and processes,
# the private registry, the engine's event stream, BIRD's state at the peer, and the seed group's
# `docker run` lines.
#
# The sourcing script sets before it sources:
#   ME         its name in messages (bench, hooks, heal-bench, ...)
#   LABEL_KEY  its runs' label key (e.g. holdfast.bench), or LABEL itself: the run is labelled
#              LABEL=<key>=<RUNID> (a random run id), every container and network it makes carries
#              it, and clean-up removes what carries it
# TMP (set later: a temp dir) holds the logs; those named holdfast*.log are shown on failure.
# shellcheck shell=bash

export LC_ALL=C
START_NS=$(date +%s%N)
RUNID="${RUNID:-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')}"
LABEL="${LABEL:-$LABEL_KEY=$RUNID}"
TMP="${TMP:-}"

log() { printf '%s [%4ds] %s\n' "$ME" $((($(date +%s%N) - START_NS) / 1000000000)) "$*" >&2; }

# die TEXT: fail with what helps to debug without a re-run: holdfast's log tails, the containers.
die() {
  echo "$ME: FAIL: $*" >&2
  local f
  if [ -n "$TMP" ]; then
    for f in "$TMP"/holdfast*.log "$TMP"/bare.log; do
      [ -s "$f" ] || continue
      echo "--- tail of $(basename "$f") ---" >&2
      tail -n 25 "$f" >&2 || true
    done
  fi
  echo "--- containers labelled $LABEL ---" >&2
  docker ps -a --filter "label=$LABEL" --format '{{.Names}}\t{{.Image}}\t{{.Status}}' >&2 || true
  exit 1
}

# usage_help SCRIPT: the script's header comment (after the first line) as its --help.
usage_help() { awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$1"; }

# parse_args "--opt=VAR ..." "--flag=VAR ..." ARG...: sets VAR from "--opt VALUE" or
# "--opt=VALUE", and a flag's VAR to 1; --help prints the script's header; anything else calls the
# script's usage function.
parse_args() {
  local values="$1" flags="$2" opt var
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in -h | --help) usage_help "$0"; exit 0 ;; esac
    opt="${1%%=*}"
    if var="$(opt_var "$values" "$opt")"; then
      if [ "$1" != "$opt" ]; then
        printf -v "$var" '%s' "${1#*=}"
        shift
      else
        [ $# -ge 2 ] || usage
        printf -v "$var" '%s' "$2"
        shift 2
      fi
    elif [ "$1" = "$opt" ] && var="$(opt_var "$flags" "$opt")"; then
      printf -v "$var" 1
      shift
    else
      echo "$ME: unknown argument '$1'" >&2
      usage
    fi
  done
}
opt_var() { # opt_var "--opt=VAR ..." OPT: the VAR of OPT; 1 when OPT is not there
  local m
  for m in $1; do
    if [ "${m%%=*}" = "$2" ]; then echo "${m#*=}"; return 0; fi
  done
  return 1
}

# --- bounded waits ----------------------------------------------------------------------------
# soft_wait TIMEOUT_S CMD...: poll CMD every 0.2 s; 1 when TIMEOUT_S passed first.
soft_wait() {
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# wait_until TIMEOUT_S DESCRIPTION CMD...: soft_wait, failing (die) after TIMEOUT_S.
wait_until() {
  local t="$1" d="$2"
  shift 2
  soft_wait "$t" "$@" || die "timed out after ${t}s waiting for: $d"
}

# start_watchdog SECONDS: ends the run (and so its clean-up trap runs) if it goes on far too long.
WATCHDOG_PID=""
start_watchdog() {
  (
    trap 'kill "$sp" 2>/dev/null; exit 0' TERM
    sleep "$1" &
    sp=$!
    wait "$sp"
    echo "$ME: watchdog: over ${1}s, aborting" >&2
    pkill -TERM -P $$ 2>/dev/null
    kill -TERM $$ 2>/dev/null
  ) &
  WATCHDOG_PID=$!
}

# --- figures ------------------------------------------------------------------------------------
median() { # median N...: integer median ("-" for none; of an even count the mean of the two, cut)
  printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%d\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
median_f() { # median_f FIGURE...: the median of decimal figures, 3 decimals
  printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {if (NR % 2) printf "%.3f", a[(NR + 1) / 2]; else printf "%.3f", (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
max_of() { printf '%s\n' "$@" | sort -n | tail -n 1; }
stats() { # stats N...: "min median max" of integers, "- - -" for none
  [ $# -gt 0 ] || { echo "- - -"; return; }
  echo "$(printf '%s\n' "$@" | sort -n | head -n 1) $(median "$@") $(max_of "$@")"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# jq function: ISO-8601 instant (any fraction length) to epoch milliseconds.
# shellcheck disable=SC2034 # used by the sourcing scripts
JQ_MS='def ms: if . == null then null else (capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$") | ((.s + "Z") | fromdateiso8601) * 1000 + (((.f // "0") + "000")[0:3] | tonumber)) end;'
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; } # random_hex BYTES

# --- clean-up -----------------------------------------------------------------------------------
stop_pid() { # stop_pid PID SECONDS: TERM, wait (bounded), then KILL
  local pid="$1" secs="$2" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

remove_containers() { # remove_containers LABEL_FILTER: every container carrying it, in a few sweeps
  local ids i
  # Several sweeps: a holdfast (ours is stopped first; another one on this
  # engine may not be) could create a replacement while we remove.
  for ((i = 0; i < 5; i++)); do
    ids="$(docker ps -a -q --filter "label=$1" 2>/dev/null || true)"
    [ -n "$ids" ] || break
    # shellcheck disable=SC2086 # ids is a whitespace-separated list
    docker rm -f $ids >/dev/null 2>&1 || true
    sleep 1
  done
}

remove_bench_objects() { # remove_bench_objects LABEL_FILTER: its containers, then its networks
  local ids
  remove_containers "$1"
  ids="$(docker network ls -q --filter "label=$1" 2>/dev/null || true)"
  # shellcheck disable=SC2086
  [ -z "$ids" ] || docker network rm $ids >/dev/null 2>&1 || true
}

# report_left: after clean-up, says whether anything labelled LABEL is left.
report_left() {
  local rc="$1" left leftnet
  left="$(docker ps -a -q --filter "label=$LABEL" 2>/dev/null | wc -l)"
  leftnet="$(docker network ls -q --filter "label=$LABEL" 2>/dev/null | wc -l)"
  if [ "$left" != 0 ] || [ "$leftnet" != 0 ]; then
    echo "$ME: WARNING: $left container(s) and $leftnet network(s) labelled $LABEL are left" >&2
  else
    echo "$ME: cleaned up (${LABEL#*=}, rc=$rc)" >&2
  fi
}

# end_run RC: the last of a clean-up trap: TMP and the watchdog go, what is left is reported.
end_run() {
  [ -z "$TMP" ] || rm -rf "$TMP"
  if [ -n "$WATCHDOG_PID" ]; then kill -TERM "$WATCHDOG_PID" 2>/dev/null; wait "$WATCHDOG_PID" 2>/dev/null; fi
  report_left "$1"
  exit "$1"
}

# keep_results DIR PATH...: copies TMP to DIR, without the named paths (data, secrets, the jar).
keep_results() {
  local dir="$1" p
  shift
  [ -n "$dir" ] && [ -n "$TMP" ] && [ -d "$TMP" ] || return 0
  mkdir -p "$dir" && cp -r "$TMP"/. "$dir"/ 2>/dev/null || return 0
  for p in "$@" auth.hdr hook.hdr holdfast.jar classes; do rm -rf "${dir:?}/$p"; done
  echo "$ME: kept logs and raw results in $dir" >&2
}

# remove_dead_runs SCRIPTS_REGEX: leftovers of earlier runs (LABEL's key, a pid label beside it)
# that died without their trap; fails while such a run is still alive.
remove_dead_runs() {
  local key="${LABEL%%=*}" stale srun spid
  for stale in $( (docker ps -a --filter "label=$key" --format "{{.Label \"$key\"}}:{{.Label \"$key.pid\"}}"
    docker network ls --filter "label=$key" --format "{{.Label \"$key\"}}:{{.Label \"$key.pid\"}}") | sort -u); do
    srun="${stale%%:*}" spid="${stale#*:}"
    if [ -n "$spid" ] && grep -qE "$1" "/proc/$spid/cmdline" 2>/dev/null; then
      die "another run ($srun, pid $spid) is active on this engine; run one at a time"
    fi
    log "removing leftovers of dead run $srun"
    remove_bench_objects "$key=$srun"
  done
}

# refuse_used_subnet PATTERN: fails when a network of the engine already uses the subnet.
refuse_used_subnet() {
  local n
  for n in $(docker network ls -q); do
    if docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "$n" 2>/dev/null | grep -qw -- "$1"; then
      die "network $(docker network inspect -f '{{.Name}}' "$n") already uses $1; not touching it"
    fi
  done
}

# --- preconditions ------------------------------------------------------------------------------
require_tools() { # require_tools TOOL...
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || die "'$t' is required but not on PATH"
  done
}
require_engine() {
  docker info >/dev/null 2>&1 || die "the Docker engine is not reachable (start dockerd, e.g. .ci/setup-env.sh)"
}
require_images() { # require_images PREFIX NAME:TAG...
  local prefix="$1" img
  shift
  for img in "$@"; do
    docker image inspect "$prefix/$img" >/dev/null 2>&1 ||
      die "image $prefix/$img missing (run src/test/docker/build-images.sh)"
  done
}

# --- holdfast -----------------------------------------------------------------------------------
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR=""
JAR_INFO=""
# prepare_jar BUILD(0|1) [JAR]: builds the jar (and the test classes) when asked or when it, or
# with NEED_BENCH_CLASSES=1 the bench's classes, are missing (mvn package -DskipTests), then copies
# both into TMP: a rebuild during the run must not swap classes under a running JVM. Sets JAR and
# JAR_INFO.
prepare_jar() {
  local build="$1" src="${2:-$REPO_ROOT/target/holdfast.jar}" classes="$REPO_ROOT/target/test-classes/dev/holdfast/bench"
  if [ "$build" -eq 1 ] || [ ! -s "$src" ] || { [ "${NEED_BENCH_CLASSES:-0}" = 1 ] && [ ! -d "$classes" ]; }; then
    log "building the jar and the bench classes (mvn -q -B package -DskipTests)"
    (cd "$REPO_ROOT" && timeout 900 mvn -q -B package -DskipTests) >&2 || die "the build failed"
  fi
  [ -s "$src" ] || die "$src missing"
  cp "$src" "$TMP/holdfast.jar"
  mkdir -p "$TMP/classes/dev/holdfast"
  [ ! -d "$classes" ] || cp -r "$classes" "$TMP/classes/dev/holdfast/"
  JAR="$TMP/holdfast.jar"
  JAR_INFO="$src ($(stat -c '%y' "$src" | cut -d. -f1), sha256 $(sha256sum "$JAR" | cut -c1-12))"
}

# bench_java MAIN ARGS...: a bench program from the build's test classes (src/test/java/dev/
# holdfast/bench), with holdfast's jar (and so its libraries) on the class path. It execs: run it
# in the background (&, then $! is the JVM's pid) or in a subshell.
bench_java() {
  local main="$1"
  shift
  exec java "${BENCH_JVM_FLAGS[@]+"${BENCH_JVM_FLAGS[@]}"}" -cp "$TMP/classes:$JAR" "dev.holdfast.bench.$main" "$@"
}

free_port() { # a TCP port no socket uses; checked again by whoever binds it
  local p i lo hi
  # below the kernel's ephemeral range: a port in it can be taken by any outgoing connection
  # (an engine's, curl's) between this check and the bind (seen: holdfast's bind refused)
  read -r lo hi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
  [ "$lo" -gt 12000 ] || die "the ephemeral port range starts at $lo: no room below it for the bench's ports"
  for ((i = 0; i < 50; i++)); do
    p=$((10000 + RANDOM % (lo - 10000)))
    if [ -z "$(ss -Hatn "sport = :$p" 2>/dev/null)" ]; then echo "$p"; return 0; fi
  done
  die "no free TCP port found in 50 tries"
}

TOKEN=""
HF_PORT=""
HF_PIDS=()
# new_token: the API token, and TMP/auth.hdr (a curl header file) with it.
new_token() {
  TOKEN="$(random_hex 16)"
  printf 'Authorization: Bearer %s\n' "$TOKEN" >"$TMP/auth.hdr"
  chmod 600 "$TMP/auth.hdr"
}

api_on() { curl -fsS -m 15 -H @"$TMP/auth.hdr" "http://127.0.0.1:$1$2"; } # api_on PORT PATH
api() { api_on "$HF_PORT" "$1"; }                                          # api PATH: GET, JSON

LAST_PID=""
# start_holdfast NAME PORT JVM_FLAGS...: `serve` on 127.0.0.1:PORT with data in TMP/hf-data-NAME,
# logging to TMP/holdfast-NAME.log, HOLDFAST_* from the environment; sets LAST_PID.
start_holdfast() {
  local name="$1" port="$2"
  shift 2
  HOLDFAST_API_TOKEN="$TOKEN" java "$@" -jar "$JAR" serve --listen "127.0.0.1:$port" \
    --data-dir "$TMP/hf-data-$name" >"$TMP/holdfast-$name.log" 2>&1 </dev/null &
  LAST_PID=$!
  HF_PIDS+=("$LAST_PID")
}

# The JVM settings the image and scripts/serve.sh ship (src/main/jvm/jvm.options), and the
# MALLOC_ARENA_MAX they set beside them.
SHIPPED_FLAGS=("@$REPO_ROOT/src/main/jvm/jvm.options")
# start_shipped NAME PORT [JVM_FLAGS...]: start_holdfast with the shipped settings (then the flags).
start_shipped() {
  local name="$1" port="$2"
  shift 2
  MALLOC_ARENA_MAX=2 start_holdfast "$name" "$port" "${SHIPPED_FLAGS[@]}" "$@"
}

await_holdfast() { # await_holdfast PID PORT NAME: /readyz answers within 60 s
  local pid="$1" port="$2" name="$3" i
  for ((i = 0; i < 600; i++)); do
    kill -0 "$pid" 2>/dev/null || die "holdfast ($name) exited during start-up (log: holdfast-$name.log)"
    if curl -fsS -m 2 "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
      grep -q 'holdfast.jar' "/proc/$pid/cmdline" 2>/dev/null || die "pid $pid is not holdfast"
      return 0
    fi
    sleep 0.1
  done
  die "holdfast ($name) not ready on 127.0.0.1:$port within 60s"
}

other_holdfasts() { # pids of holdfast services that are not this run's
  local pid
  for pid in $(pgrep -f 'holdfast.*\.jar.* serve' 2>/dev/null || true); do
    case " ${HF_PIDS[*]-} " in *" $pid "*) ;; *) echo "$pid" ;; esac
  done | tr '\n' ' ' | sed 's/ $//'
}

# --- registry and events ------------------------------------------------------------------------
REG=""
REG_PID=""
# start_registry: a docker-registry on a free 127.0.0.1 port, storage in TMP/registry-data; sets
# REG (host:port) and REG_PID.
start_registry() {
  local port
  port="$(free_port)"
  mkdir -p "$TMP/registry-data"
  cat >"$TMP/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $TMP/registry-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
  docker-registry serve "$TMP/registry.yml" >"$TMP/registry.log" 2>&1 </dev/null &
  REG_PID=$!
  REG="127.0.0.1:$port"
  wait_until 20 "registry on $REG" registry_up
  kill -0 "$REG_PID" 2>/dev/null || die "docker-registry exited (port clash?): $(tail -n 5 "$TMP/registry.log")"
}

registry_up() { curl -fsS -m 2 -o /dev/null "http://$REG/v2/" 2>/dev/null; }

push() { # push LOCAL_IMAGE REF: tags and pushes; the push output stays in TMP/push.log
  docker tag "$1" "$2"
  timeout 120 docker push "$2" >"$TMP/push.log" 2>&1 || die "docker push $2 failed: $(tail -n 3 "$TMP/push.log")"
}

stop_registry() { # stop_registry REF...: stops it, drops the refs and digest references pulls left
  local ref
  stop_pid "$REG_PID" 5
  [ -n "$REG" ] || return 0
  docker image rm "$@" >/dev/null 2>&1
  for ref in $(docker image ls --digests --format '{{.Repository}}@{{.Digest}}' 2>/dev/null | grep -F "$REG/"); do
    docker image rm "$ref" >/dev/null 2>&1
  done
}

EVENTS_PID=""
# start_events: every container event of this run, as it happens, to TMP/events.log
# ("<ns> <action> <name> <run>"). A stream rather than --since/--until: the engine keeps only its
# last 256 events, which a busy engine (health checks exec every second) overwrites in minutes.
start_events() {
  docker events --filter type=container --filter "label=$LABEL" \
    --format '{{.TimeNano}} {{.Action}} {{.Actor.Attributes.name}} {{index .Actor.Attributes "holdfast.run"}}' \
    >"$TMP/events.log" 2>"$TMP/events.err" </dev/null &
  EVENTS_PID=$!
  sleep 0.3
  kill -0 "$EVENTS_PID" 2>/dev/null || die "docker events exited: $(cat "$TMP/events.err")"
}

# --- the seed group -----------------------------------------------------------------------------
# A holder on the internal network NET (at HOLDER_IP when set), members in its namespace (an app
# with a Docker HEALTHCHECK, a BIRD router announcing PREFIX), and a BIRD peer on NET at PEER_IP
# outside the group. Names HOLDER APP ROUTER PEER; images from IMAGES (default holdfast-test);
# every container carries LABELS (the run's labels); with G set, members carry holdfast.group=G
# and their holdfast.role. BIRD's settings are bird-start's (src/test/docker/build-images.sh).
IMAGES="${IMAGES:-holdfast-test}"
G="${G:-}"
HOLDER_IP="${HOLDER_IP:-}"
role_labels() { [ -z "$G" ] || echo "--label holdfast.group=$G --label holdfast.role=$1"; }

seed_network() { # seed_network SUBNET [IP_RANGE]
  docker network create --internal --subnet "$1" ${2:+--ip-range "$2"} "${LABELS[@]}" "$NET" >/dev/null ||
    die "docker network create $1 failed"
}
run_holder() { # run_holder DOCKER_OPTS...
  # shellcheck disable=SC2046 # role_labels is a list of options
  docker run -d --name "$HOLDER" "${LABELS[@]}" $(role_labels holder) "$@" --network "$NET" \
    ${HOLDER_IP:+--ip "$HOLDER_IP"} "$IMAGES/holder:1" >/dev/null
}
run_app() { # run_app IMAGE DOCKER_OPTS...: the app in the holder's namespace
  local image="$1"
  shift
  # shellcheck disable=SC2046
  docker run -d --name "$APP" "${LABELS[@]}" $(role_labels app) "$@" \
    --network "container:$(docker inspect -f '{{.Id}}' "$HOLDER")" "$image" >/dev/null
}
# bird_opts ROLE SELF NEIGHBOR AS PEER_AS ANNOUNCE: BIRD's docker run options (BIRD_TIMERS too).
bird_opts() {
  echo "--cap-add NET_ADMIN -e BIRD_ROLE=$1 -e ROUTER_ID=$2 -e NEIGHBOR=$3 -e LOCAL_AS=$4 -e PEER_AS=$5" \
    "-e PREFIX4=$PREFIX -e ANNOUNCE=$6${BIRD_TIMERS:+ -e BIRD_TIMERS=$BIRD_TIMERS}"
}
run_router() { # run_router IMAGE ANNOUNCE(enabled|disabled) DOCKER_OPTS...: BIRD in the holder's namespace
  local image="$1" announce="$2"
  shift 2
  # shellcheck disable=SC2046
  docker run -d --name "$ROUTER" "${LABELS[@]}" $(role_labels router) "$@" \
    --network "container:$(docker inspect -f '{{.Id}}' "$HOLDER")" \
    $(bird_opts router "$HOLDER_IP" "$PEER_IP" 65001 65000 "$announce") "$image" >/dev/null
}
run_peer() { # run_peer: the upstream BIRD, no group member
  # shellcheck disable=SC2046
  docker run -d --name "$PEER" "${LABELS[@]}" --network "$NET" --ip "$PEER_IP" \
    $(bird_opts peer "$PEER_IP" "$HOLDER_IP" 65000 65001 enabled) "$IMAGES/bird:1" >/dev/null
}

BIRD_SOCK=/run/bird/bird.ctl
health_is() { [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$1" 2>/dev/null)" = "$2" ]; }
app_healthy() { health_is "$APP" healthy; }
peer_has_route() { docker exec "$PEER" birdc -s "$BIRD_SOCK" show route 2>/dev/null | grep -qF "$PREFIX"; }
served_version() { docker exec "$HOLDER" wget -q -O - http://127.0.0.1:8080/version 2>/dev/null || true; }

# peer_state: "<state> <since> <info> <route 0|1>" from the peer's BIRD, e.g.
# "up 19:34:49.376 Established 1". birdc exits 1 on "Network not found" (BIRD >= 2.0.10).
peer_state() {
  { timeout 5 docker exec "$PEER" sh -c "birdc -s $BIRD_SOCK show protocols downstream; birdc -s $BIRD_SOCK show route for $PREFIX; true" \
    2>/dev/null || true; } | awk -v p="$PREFIX" '
      $1 == "downstream" && $2 == "BGP" { st = $4 " " $5 " " $6 }
      index($0, p) == 1 { r = 1 }
      END { if (st == "") st = "? ? ?"; print st, (r ? 1 : 0) }'
}

# seed_settled: holdfast (on HF_PORT) shows group G ok with app and router attached and running
# (no run under way: the state shows updating/healing then; a run that ended has also removed).
seed_settled() {
  local js
  js="$(api "/api/v1/groups/$G" 2>/dev/null)" || return 1
  jq -e --arg a "$APP" --arg r "$ROUTER" '.state == "ok" and (.members | length) == 2
    and all(.members[]; .attached and .state == "running")
    and ([.members[].name] | sort) == ([$a, $r] | sort)' <<<"$js" >/dev/null
}
