# bench/lib.sh: helpers shared by bench/bench.sh and bench/hooks.sh (sourced, not run).

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

remove_bench_objects() { # remove_bench_objects LABEL_FILTER
  local filter="$1" ids i
  # Several sweeps: a holdfast (ours is stopped first; another one on this
  # engine may not be) could create a replacement while we remove.
  for ((i = 0; i < 5; i++)); do
    ids="$(docker ps -a -q --filter "label=$filter" 2>/dev/null || true)"
    [ -n "$ids" ] || break
    # shellcheck disable=SC2086 # ids is a whitespace-separated list
    docker rm -f $ids >/dev/null 2>&1 || true
    sleep 1
  done
  ids="$(docker network ls -q --filter "label=$filter" 2>/dev/null || true)"
  # shellcheck disable=SC2086
  [ -z "$ids" ] || docker network rm $ids >/dev/null 2>&1 || true
}

