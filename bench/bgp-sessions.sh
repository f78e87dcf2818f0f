#!/usr/bin/env bash
# bench/bgp-sessions.sh: how long a BGP peer takes to learn an anycast prefix again after the
# holder under a BIRD router is replaced, per BGP setting. The experiments behind README "Route
# control, BGP timers for holder replacement"; no holdfast involved.
#
# A holder (fixed IP on an --internal network), a BIRD router in its namespace announcing
# 198.51.100.200/32, a BIRD peer beside it. Per replacement: `docker rm -f` the holder, (after
# --gap seconds) `docker run` it again with the same name and IP, then recreate the router in
# the new namespace by hand as a heal would (unless --no-router), and poll the peer's birdc
# every 100 ms (bounded by --max) until it has the prefix over a new session. Prints, in ms from
# the new holder's start: when the peer lost the prefix, when it had it back, and the peer's
# BGP log (states, events).
#
# Usage: bench/bgp-sessions.sh VARIANT [--reps N] [--gap S] [--no-router] [--max S] [--images PREFIX]
#   VARIANT: the router / peer settings (BFD: interval 200 ms, multiplier 5)
#     default      nothing / nothing (BIRD's defaults)
#     suite        the test suite's former timers on both ends (hold 6, keepalive 2, connect
#                  retry 1, connect delay 1, error wait 1,5)
#     bfd          bfd on / bfd on
#     bfd-ew5      bfd on; connect delay time 2 / bfd on; error wait time 5, 300
#     bfd-graceful bfd on; connect delay time 2 / bfd graceful
#     gr           graceful restart on / nothing
#     gr-hold9     graceful restart on; hold time 9; connect delay time 2 / nothing
#     hold9        hold time 9; connect delay time 2 / nothing
#     recommended  hold time 9; connect delay time 2 / error wait time 5, 300 (as bird-start's
#                  BIRD_TIMERS=recommended)
#   --reps N     replacements in a row on the same peer (default 1, at most 5)
#   --gap S      seconds between removing the holder and running it again (default 0, at most 60)
#   --no-router  do not recreate the router: how long the peer keeps the dead group's route
#   --max S      per replacement, give up after S seconds (default 420, at most 600)
#   --images P   image prefix (default holdfast-test; needs P/holder:1 and P/bird:1)
#
# The router is named birdx-<run>-router.holdfast-old-x: holdfast never treats a container with a
# set-aside name as a group member, so no holdfast on this engine heals the hand-made group.
# Everything is named birdx-<run>-*, labelled birdx=<run> and removed on exit (trap, also on
# failure or Ctrl-C). Network 192.0.2.144/28 (holder .146, peer .147); traffic stays on it.
set -euo pipefail
export LC_ALL=C

VARIANT="${1:-}"
[ -n "$VARIANT" ] && [ "${VARIANT#-}" = "$VARIANT" ] || { sed -n '/^# Usage/,/^#   --images/p' "$0" >&2; exit 2; }
shift
REPS=1 GAP=0 ROUTER_BACK=1 MAX=420 IMAGES=holdfast-test
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) REPS="${2:?}"; shift 2 ;;
    --gap) GAP="${2:?}"; shift 2 ;;
    --no-router) ROUTER_BACK=0; shift ;;
    --max) MAX="${2:?}"; shift 2 ;;
    --images) IMAGES="${2:?}"; shift 2 ;;
    *) echo "bgp-sessions: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ "$REPS" =~ ^[1-5]$ ]] || { echo "bgp-sessions: --reps must be 1..5" >&2; exit 2; }
[[ "$GAP" =~ ^[0-9]+$ ]] && [ "$GAP" -le 60 ] || { echo "bgp-sessions: --gap must be 0..60" >&2; exit 2; }
[[ "$MAX" =~ ^[0-9]+$ ]] && [ "$MAX" -ge 5 ] && [ "$MAX" -le 600 ] || { echo "bgp-sessions: --max must be 5..600" >&2; exit 2; }

BFD='protocol bfd { interface "*" { interval 200 ms; multiplier 5; }; }'
RL="" PL="" RX="" PX=""
case "$VARIANT" in
  default) ;;
  suite) RL='hold time 6; keepalive time 2; connect retry time 1; connect delay time 1; error wait time 1,5;'; PL="$RL" ;;
  bfd) RX="$BFD" PX="$BFD" RL='bfd on;' PL='bfd on;' ;;
  bfd-ew5) RX="$BFD" PX="$BFD" RL='bfd on; connect delay time 2;' PL='bfd on; error wait time 5, 300;' ;;
  bfd-graceful) RX="$BFD" PX="$BFD" RL='bfd on; connect delay time 2;' PL='bfd graceful;' ;;
  gr) RL='graceful restart on;' ;;
  gr-hold9) RL='graceful restart on; hold time 9; connect delay time 2;' ;;
  hold9) RL='hold time 9; connect delay time 2;' ;;
  recommended) RL='hold time 9; connect delay time 2;' PL='error wait time 5, 300;' ;;
  *) echo "bgp-sessions: unknown variant '$VARIANT'" >&2; exit 2 ;;
esac

RUNID="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
SUBNET=192.0.2.144/28 HIP=192.0.2.146 PIP=192.0.2.147 PFX=198.51.100.200/32 SOCK=/run/bird/bird.ctl
NET="birdx-$RUNID-net" H="birdx-$RUNID-holder" R="birdx-$RUNID-router.holdfast-old-x" P="birdx-$RUNID-peer"
LABEL=(--label "birdx=$RUNID")
TMP=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  docker rm -f "$R" "$P" "$H" >/dev/null 2>&1
  docker network rm "$NET" >/dev/null 2>&1
  [ -z "$TMP" ] || rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for img in holder:1 bird:1; do
  docker image inspect "$IMAGES/$img" >/dev/null 2>&1 || { echo "bgp-sessions: image $IMAGES/$img missing" >&2; exit 1; }
done
for n in $(docker network ls -q); do
  if docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "$n" 2>/dev/null | grep -qw "$SUBNET"; then
    echo "bgp-sessions: network $(docker network inspect -f '{{.Name}}' "$n") already uses $SUBNET" >&2
    exit 1
  fi
done
TMP="$(mktemp -d /tmp/birdx.XXXXXX)"

conf() { # conf router|peer BGP_LINES EXTRA_PROTOCOLS
  if [ "$1" = router ]; then
    printf 'log stderr all;\nrouter id %s;\nprotocol device {}\n' "$HIP"
    printf 'protocol static anycast4 { ipv4; route %s unreachable; }\n%s\n' "$PFX" "$3"
    printf 'protocol bgp upstream {\n  debug { states, events };\n  local as 65001; neighbor %s as 65000;\n  %s\n' "$PIP" "$2"
    printf '  ipv4 { import none; export where proto = "anycast4"; };\n}\n'
  else
    printf 'log stderr all;\nrouter id %s;\nprotocol device {}\n%s\n' "$PIP" "$3"
    printf 'protocol bgp downstream {\n  debug { states, events };\n  local as 65000; neighbor %s as 65001;\n  %s\n' "$HIP" "$2"
    printf '  ipv4 { import all; export none; };\n}\n'
  fi
}
conf router "$RL" "$RX" >"$TMP/router.conf"
conf peer "$PL" "$PX" >"$TMP/peer.conf"
chmod 644 "$TMP"/*.conf

run_holder() { docker run -d --name "$H" "${LABEL[@]}" --network "$NET" --ip "$HIP" "$IMAGES/holder:1" >/dev/null; }
run_bird() { # run_bird NAME CONF NETWORK_ARGS...
  local name="$1" cf="$2"
  shift 2
  docker run -d --name "$name" "${LABEL[@]}" "$@" --cap-add NET_ADMIN -v "$cf:/etc/bird/bird.conf:ro" \
    --entrypoint bird "$IMAGES/bird:1" -f -c /etc/bird/bird.conf -s "$SOCK" >/dev/null
}
# "<state> <since> <info> <route 0|1>" (birdc exits 1 on "Network not found", BIRD >= 2.0.10)
peer_state() {
  { timeout 5 docker exec "$P" sh -c "birdc -s $SOCK show protocols downstream; birdc -s $SOCK show route for $PFX; true" \
    2>/dev/null || true; } | awk -v p="$PFX" '$1 == "downstream" && $2 == "BGP" { st = $4 " " $5 " " $6 }
      index($0, p) == 1 { r = 1 } END { if (st == "") st = "? ? ?"; print st, (r ? 1 : 0) }'
}
started_ns() { date -d "$(docker inspect -f '{{.State.StartedAt}}' "$1")" +%s%N; }

docker network create --internal --subnet "$SUBNET" "${LABEL[@]}" "$NET" >/dev/null
run_holder
run_bird "$R" "$TMP/router.conf" --network "container:$H"
run_bird "$P" "$TMP/peer.conf" --network "$NET" --ip "$PIP"
echo "variant $VARIANT: router: ${RL:-(none)} ${RX:+ + $RX}; peer: ${PL:-(none)} ${PX:+ + $PX}"
for ((i = 0; i < 600; i++)); do
  [ "$(peer_state | awk '{print $1, $3, $4}')" = "up Established 1" ] && break
  sleep 0.1
done
[ "$(peer_state | awk '{print $1, $3, $4}')" = "up Established 1" ] || { echo "bgp-sessions: no session within 60 s" >&2; exit 1; }
sleep 3
docker exec "$P" birdc -s "$SOCK" show protocols all downstream | grep -E 'Hold timer|Keepalive timer|Restart time' |
  sed 's/^ */  peer: /' || true

for ((k = 1; k <= REPS; k++)); do
  rm_ns=$(date +%s%N)
  docker rm -f "$H" >/dev/null
  sleep "$GAP"
  run_holder
  th=$(started_ns "$H")
  docker rm -f "$R" >/dev/null
  tr_ns=""
  if [ "$ROUTER_BACK" = 1 ]; then
    run_bird "$R" "$TMP/router.conf" --network "container:$H"
    tr_ns=$(started_ns "$R")
  fi
  echo "replacement $k: holder removed $(((th - rm_ns) / 1000000)) ms before its start${tr_ns:+, router started +$(((tr_ns - th) / 1000000)) ms}"
  lost="never" back="none"
  deadline=$(($(date +%s) + MAX))
  prev=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    st="$(peer_state)"
    rel=$((($(date +%s%N) - th) / 1000000))
    key="$(awk '{print $1, $3, $4}' <<<"$st")" # without "since", which jitters by a millisecond
    [ "$key" = "$prev" ] || { echo "  +$rel ms peer: $st"; prev="$key"; }
    [ "${st##* }" = 1 ] || [ "$lost" != never ] || lost=$rel
    [ "$ROUTER_BACK" = 1 ] || [ "$lost" = never ] || break
    if [ -n "$tr_ns" ] && [ "$(awk '{print $1, $3, $4}' <<<"$st")" = "up Established 1" ] &&
      docker logs --since "$((tr_ns / 1000000000))" "$P" 2>&1 | grep -q 'BGP session established'; then
      back=$rel
      break
    fi
    sleep 0.1
  done
  echo "RESULT $VARIANT replacement $k: prefix lost at the peer +$lost ms, back +$back ms (from the holder's start)"
  docker logs -t --since "$((th / 1000000000 - 1))" "$P" 2>&1 | grep -v KEEPALIVE | cut -d' ' -f1,4- |
    while read -r ts rest; do printf '  peer log %+8d ms %s\n' $((($(date -d "$ts" +%s%N) - th) / 1000000)) "$rest"; done |
    grep -v 'State changed' | head -n 30
  [ "$k" -eq "$REPS" ] || sleep 2
done
