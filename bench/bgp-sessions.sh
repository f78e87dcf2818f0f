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
ME=bgp-sessions LABEL_KEY=birdx
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VARIANT="${1:-}"
[ -n "$VARIANT" ] && [ "${VARIANT#-}" = "$VARIANT" ] || { sed -n '/^# Usage/,/^#   --images/p' "$0" >&2; exit 2; }
shift
REPS=1 GAP=0 NO_ROUTER=0 MAX=420 IMAGES=holdfast-test
usage() { sed -n '/^# Usage/,/^#   --images/p' "$0" >&2; exit 2; }
parse_args "--reps=REPS --gap=GAP --max=MAX --images=IMAGES" "--no-router=NO_ROUTER" "$@"
ROUTER_BACK=$((1 - NO_ROUTER))
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

SUBNET=192.0.2.144/28 HOLDER_IP=192.0.2.146 PEER_IP=192.0.2.147 PREFIX=198.51.100.200/32
NET="birdx-$RUNID-net" HOLDER="birdx-$RUNID-holder" ROUTER="birdx-$RUNID-router.holdfast-old-x"
PEER="birdx-$RUNID-peer"
LABELS=(--label "$LABEL")
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  remove_bench_objects "$LABEL"
  [ -z "$TMP" ] || rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

require_images "$IMAGES" holder:1 bird:1
refuse_used_subnet "$SUBNET"
TMP="$(mktemp -d /tmp/birdx.XXXXXX)"

conf() { # conf router|peer BGP_LINES EXTRA_PROTOCOLS
  if [ "$1" = router ]; then
    printf 'log stderr all;\nrouter id %s;\nprotocol device {}\n' "$HOLDER_IP"
    printf 'protocol static anycast4 { ipv4; route %s unreachable; }\n%s\n' "$PREFIX" "$3"
    printf 'protocol bgp upstream {\n  debug { states, events };\n  local as 65001; neighbor %s as 65000;\n  %s\n' "$PEER_IP" "$2"
    printf '  ipv4 { import none; export where proto = "anycast4"; };\n}\n'
  else
    printf 'log stderr all;\nrouter id %s;\nprotocol device {}\n%s\n' "$PEER_IP" "$3"
    printf 'protocol bgp downstream {\n  debug { states, events };\n  local as 65000; neighbor %s as 65001;\n  %s\n' "$HOLDER_IP" "$2"
    printf '  ipv4 { import all; export none; };\n}\n'
  fi
}
conf router "$RL" "$RX" >"$TMP/router.conf"
conf peer "$PL" "$PX" >"$TMP/peer.conf"
chmod 644 "$TMP"/*.conf

run_bird() { # run_bird NAME CONF NETWORK_ARGS...
  local name="$1" cf="$2"
  shift 2
  docker run -d --name "$name" "${LABELS[@]}" "$@" --cap-add NET_ADMIN -v "$cf:/etc/bird/bird.conf:ro" \
    --entrypoint bird "$IMAGES/bird:1" -f -c /etc/bird/bird.conf -s "$BIRD_SOCK" >/dev/null
}
started_ns() { date -d "$(docker inspect -f '{{.State.StartedAt}}' "$1")" +%s%N; }

seed_network "$SUBNET"
run_holder
run_bird "$ROUTER" "$TMP/router.conf" --network "container:$HOLDER"
run_bird "$PEER" "$TMP/peer.conf" --network "$NET" --ip "$PEER_IP"
echo "variant $VARIANT: router: ${RL:-(none)} ${RX:+ + $RX}; peer: ${PL:-(none)} ${PX:+ + $PX}"
for ((i = 0; i < 600; i++)); do
  [ "$(peer_state | awk '{print $1, $3, $4}')" = "up Established 1" ] && break
  sleep 0.1
done
[ "$(peer_state | awk '{print $1, $3, $4}')" = "up Established 1" ] || { echo "bgp-sessions: no session within 60 s" >&2; exit 1; }
sleep 3
docker exec "$PEER" birdc -s "$BIRD_SOCK" show protocols all downstream | grep -E 'Hold timer|Keepalive timer|Restart time' |
  sed 's/^ */  peer: /' || true

for ((k = 1; k <= REPS; k++)); do
  rm_ns=$(date +%s%N)
  docker rm -f "$HOLDER" >/dev/null
  sleep "$GAP"
  run_holder
  th=$(started_ns "$HOLDER")
  docker rm -f "$ROUTER" >/dev/null
  tr_ns=""
  if [ "$ROUTER_BACK" = 1 ]; then
    run_bird "$ROUTER" "$TMP/router.conf" --network "container:$HOLDER"
    tr_ns=$(started_ns "$ROUTER")
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
      docker logs --since "$((tr_ns / 1000000000))" "$PEER" 2>&1 | grep -q 'BGP session established'; then
      back=$rel
      break
    fi
    sleep 0.1
  done
  echo "RESULT $VARIANT replacement $k: prefix lost at the peer +$lost ms, back +$back ms (from the holder's start)"
  docker logs -t --since "$((th / 1000000000 - 1))" "$PEER" 2>&1 | grep -v KEEPALIVE | cut -d' ' -f1,4- |
    while read -r ts rest; do printf '  peer log %+8d ms %s\n' $((($(date -d "$ts" +%s%N) - th) / 1000000)) "$rest"; done |
    grep -v 'State changed' | head -n 30
  [ "$k" -eq "$REPS" ] || sleep 2
done
