#!/usr/bin/env bash
# Builds the tiny images used by holdfast's real-Docker tests.
#
# Why this looks the way it does:
#  * No registry is reachable from CI, so nothing may be pulled (no FROM,
#    no `docker build`). Every image is a rootfs tarball assembled from
#    binaries already on the host and fed to `docker import`.
#  * busybox comes from the Debian package busybox-static (one static
#    binary, so no libraries are needed). BIRD comes from bird2 and is
#    dynamically linked, so every library `ldd` reports, plus the dynamic
#    loader, is copied into the rootfs at the same path.
#  * busybox httpd and `tail -f /dev/null` ignore SIGTERM when they are
#    PID 1, so `docker stop` would always wait the full 10 s grace period.
#    The busybox-based images therefore get tini (tini-static, shipped with
#    docker.io as docker-init) as ENTRYPOINT ["/sbin/tini","--"]; CMD stays
#    exactly as listed below, and stop takes well under a second. BIRD
#    handles SIGTERM itself, so the bird image runs without tini.
#    app:noinit is the exception on purpose: httpd as PID 1 without tini,
#    like many real users' images, so a `docker stop` of it takes its full
#    stop timeout (bench/heal.sh measures what that costs a heal).
#  * Each image carries `holdfast.test=true` (so tests/cleanup can find
#    everything by label) and `holdfast.test.hash=<hash>`, where the hash
#    covers this script and the host binaries. An image whose hash label
#    already matches is skipped, which makes re-runs nearly free.
#
# Images built:
#   holdfast-test/holder:1      busybox, CMD tail -f /dev/null
#   holdfast-test/app:v1|v2     busybox httpd on :8080 serving /www/version,
#                               with a 1 s HEALTHCHECK on that URL
#   holdfast-test/app:noprobe   like v1, no HEALTHCHECK (settle-time tests)
#   holdfast-test/app:broken    serves on :8081, so the :8080 check never passes
#   holdfast-test/app:noinit    like v1 (serves "v1", same HEALTHCHECK) but
#                               without tini: ignores SIGTERM, stop takes
#                               its full timeout
#   holdfast-test/bird:1        busybox + BIRD 2; /usr/local/bin/bird-start
#                               renders bird.conf from env (BIRD_TIMERS picks
#                               the BGP timer profile; a peer may have several
#                               NEIGHBORs and KERNEL=1 for a client in its
#                               namespace; see bird-start) and execs bird
#
# Usage: build-images.sh [--force] [--prefix NAME]
#   --force        rebuild even if hashes match
#   --prefix NAME  build NAME/holder:1, NAME/app:... instead of holdfast-test/...
#                  (to try a changed script on a shared engine without
#                  replacing the images other test runs use; remove them
#                  afterwards with docker image rm)
set -euo pipefail

die() { echo "build-images: ERROR: $*" >&2; exit 1; }
log() { echo "build-images: $*"; }

FORCE=0
PREFIX=holdfast-test
while [ $# -gt 0 ]; do
  case "$1" in
    --force) FORCE=1; shift ;;
    --prefix)
      [ $# -ge 2 ] || die "--prefix needs a name"
      PREFIX="$2"; shift 2 ;;
    *) die "unknown argument '$1' (usage: $0 [--force] [--prefix NAME])" ;;
  esac
done
[[ "$PREFIX" =~ ^[a-z0-9]+([._-][a-z0-9]+)*$ ]] || die "--prefix '$PREFIX' is not a valid repository name"

# --- prerequisites ---------------------------------------------------------
command -v docker >/dev/null 2>&1 || die "docker client not found on PATH"
docker info >/dev/null 2>&1 || die "docker daemon not reachable (run .ci/setup-env.sh first)"
for tool in ldd tar sha256sum awk; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required but missing"
done

# Locate busybox via the package that must provide it: the plain 'busybox'
# package is dynamically linked and would not run in an empty rootfs.
BUSYBOX=""
if command -v dpkg >/dev/null 2>&1 && dpkg -L busybox-static >/dev/null 2>&1; then
  BUSYBOX="$(dpkg -L busybox-static | grep -E '/bin/busybox$' | head -n 1 || true)"
fi
[ -n "$BUSYBOX" ] || BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || die "busybox not found at '$BUSYBOX' (install busybox-static)"
# ldd exits non-zero for static binaries; a dynamic busybox would break.
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  die "$BUSYBOX is dynamically linked; install busybox-static"
fi

# tini-static: docker-init is a symlink to it; the dynamic /usr/bin/tini
# would need libc inside the rootfs.
TINI=""
for cand in /usr/bin/tini-static /usr/bin/docker-init /usr/libexec/docker/docker-init; do
  if [ -x "$cand" ]; then TINI="$(readlink -f "$cand")"; break; fi
done
[ -n "$TINI" ] || die "tini-static not found (install tini / docker.io)"
if ldd "$TINI" >/dev/null 2>&1; then
  die "$TINI is dynamically linked; need the static tini (package tini)"
fi

BIRD=/usr/sbin/bird
BIRDC=/usr/sbin/birdc
[ -x "$BIRD" ] && [ -x "$BIRDC" ] || die "BIRD not found at $BIRD / $BIRDC (install bird2)"

# --- content hash ----------------------------------------------------------
SCRIPT_PATH="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
HASH="$(cat "$SCRIPT_PATH" "$BUSYBOX" "$TINI" "$BIRD" "$BIRDC" | sha256sum | awk '{print substr($1,1,32)}')"

WORK="$(mktemp -d /tmp/holdfast-images.XXXXXX)"
# Always remove the temporary rootfs trees, also when a step fails.
trap 'rm -rf "$WORK"' EXIT

BUILT=()
SKIPPED=()

# up_to_date IMAGE -> 0 when IMAGE exists and carries the current hash.
up_to_date() {
  local have
  [ "$FORCE" -eq 0 ] || return 1
  have="$(docker image inspect -f '{{ index .Config.Labels "holdfast.test.hash" }}' "$1" 2>/dev/null || true)"
  [ "$have" = "$HASH" ]
}

# import_image IMAGE ROOTFS [--change ...]: tar the rootfs as root:root and
# import it with the common labels plus image-specific Dockerfile changes.
import_image() {
  local image="$1" rootfs="$2" old new
  shift 2
  old="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
  new="$(tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -cf - . |
    docker import \
      -c 'LABEL holdfast.test=true' \
      -c "LABEL holdfast.test.hash=$HASH" \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$@" \
      -m "holdfast test image built by build-images.sh" \
      - "$image")" || die "docker import of $image failed"
  # A rebuilt tag leaves the previous image dangling; drop it if nothing
  # uses it any more (failure just means a container still references it).
  if [ -n "$old" ] && [ "$old" != "$new" ]; then
    docker image rm "$old" >/dev/null 2>&1 || true
  fi
  BUILT+=("$image")
}

# add_tini DIR: install tini-static as /sbin/tini (see header for why).
add_tini() {
  cp "$TINI" "$1"/sbin/tini
  chmod 0755 "$1"/sbin/tini
}
TINI_ENTRYPOINT='ENTRYPOINT ["/sbin/tini","--"]'

# make_busybox_rootfs DIR: busybox plus a symlink for every applet, and the
# bare minimum of /etc so tools that look up uid 0 do not complain.
make_busybox_rootfs() {
  local dir="$1" applet
  mkdir -p "$dir"/bin "$dir"/sbin "$dir"/usr/bin "$dir"/usr/sbin "$dir"/usr/local/bin \
    "$dir"/etc "$dir"/tmp "$dir"/root "$dir"/proc "$dir"/sys "$dir"/dev "$dir"/run "$dir"/var/run
  chmod 1777 "$dir"/tmp
  cp "$BUSYBOX" "$dir"/bin/busybox
  chmod 0755 "$dir"/bin/busybox
  # Link all applets (the brief needs at least sh tail sleep ip wget httpd
  # nc cat echo ls ps kill grep true false test mkdir rm env).
  for applet in $("$BUSYBOX" --list); do
    case "$applet" in busybox|*/*) continue ;; esac
    ln -sf busybox "$dir/bin/$applet"
  done
  for applet in sh tail sleep ip wget httpd nc cat echo ls ps kill grep true false test mkdir rm env; do
    [ -L "$dir/bin/$applet" ] || die "busybox at $BUSYBOX lacks required applet '$applet'"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$dir"/etc/passwd
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir"/etc/group
}

# copy_with_libs ROOTFS BINARY...: copy binaries plus every library ldd
# resolves (and the loader), at the same absolute paths, dereferencing links.
copy_with_libs() {
  local rootfs="$1" bin lib
  shift
  for bin in "$@"; do
    mkdir -p "$rootfs$(dirname "$bin")"
    cp -L "$bin" "$rootfs$bin"
    # ldd line shapes: "libx.so => /path (0x..)", "/lib64/ld-... (0x..)",
    # "linux-vdso.so.1 (0x..)" (virtual, skipped), "libx => not found" (fatal).
    ldd "$bin" | awk '
      $2 == "=>" && $3 == "not" { print "MISSING " $1; next }
      $2 == "=>" && $3 ~ /^\// { print $3; next }
      $1 ~ /^\// { print $1 }' >"$WORK/libs.txt" || die "ldd $bin failed"
    if grep -q '^MISSING ' "$WORK/libs.txt"; then
      die "ldd cannot resolve libraries of $bin: $(grep '^MISSING ' "$WORK/libs.txt" | tr '\n' ' ')"
    fi
    while IFS= read -r lib; do
      [ -e "$rootfs$lib" ] && continue
      mkdir -p "$rootfs$(dirname "$lib")"
      cp -L "$lib" "$rootfs$lib"
    done <"$WORK/libs.txt"
  done
}

# --- holder ----------------------------------------------------------------
build_holder() {
  local image=$PREFIX/holder:1 dir="$WORK/holder"
  if up_to_date "$image"; then SKIPPED+=("$image"); return; fi
  make_busybox_rootfs "$dir"
  add_tini "$dir"
  import_image "$image" "$dir" -c "$TINI_ENTRYPOINT" -c 'CMD ["tail","-f","/dev/null"]'
}

# --- apps ------------------------------------------------------------------
# Exec-form check (no shell needed). Debian's busybox wget segfaults on -T,
# so the timeout is left to Docker's --timeout.
HEALTH='HEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD ["wget","-q","-O","/dev/null","http://127.0.0.1:8080/version"]'

# build_app TAG VERSION_TEXT PORT WITH_HEALTHCHECK(yes|no) [WITH_TINI(yes|no), default yes]
build_app() {
  local image="$PREFIX/app:$1" text="$2" port="$3" health="$4" init="${5:-yes}" dir="$WORK/app-$1"
  if up_to_date "$image"; then SKIPPED+=("$image"); return; fi
  make_busybox_rootfs "$dir"
  mkdir -p "$dir"/www
  printf '%s\n' "$text" >"$dir"/www/version
  local changes=(-c "CMD [\"httpd\",\"-f\",\"-p\",\"$port\",\"-h\",\"/www\"]")
  if [ "$init" = yes ]; then
    add_tini "$dir"
    changes+=(-c "$TINI_ENTRYPOINT")
  fi
  if [ "$health" = yes ]; then changes+=(-c "$HEALTH"); fi
  import_image "$image" "$dir" "${changes[@]}"
}

# --- bird ------------------------------------------------------------------
build_bird() {
  local image=$PREFIX/bird:1 dir="$WORK/bird"
  if up_to_date "$image"; then SKIPPED+=("$image"); return; fi
  make_busybox_rootfs "$dir"
  copy_with_libs "$dir" "$BIRD" "$BIRDC"
  mkdir -p "$dir"/run/bird "$dir"/etc/bird
  # The entrypoint is a busybox-sh script so the config can be chosen per
  # container with plain env vars; it validates input and lets `bird -p`
  # check the rendered file so a bad env var fails with a readable message.
  cat >"$dir"/usr/local/bin/bird-start <<'EOF'
#!/bin/sh
# bird-start: render /etc/bird/bird.conf from env vars, then exec BIRD.
#   BIRD_ROLE=router|peer  ROUTER_ID  LOCAL_AS  PEER_AS  NEIGHBOR
#   router only: PREFIX4 (e.g. 192.0.2.53/32, or a comma-separated list: one
#     static route each, all in protocol anycast4), ANNOUNCE=enabled|disabled
#   peer only: NEIGHBOR may be a comma-separated list (several sites): one
#     `protocol bgp` per neighbour, the first named downstream (as with one),
#     the others downstream2, downstream3, ... in the order given; all with
#     PEER_AS. KERNEL=1 adds `protocol kernel { ipv4 { export all; }; }`: the
#     best route of each prefix goes into the peer's kernel table, so a client
#     in the peer's namespace reaches the anycast address. Two sites announcing
#     the same prefix give BIRD two routes; without merge paths the kernel gets
#     only the best one (between equal routes BIRD prefers the lower router
#     id, not the older route), and when that one is withdrawn BIRD exports
#     the other.
#     KERNEL=ecmp adds `merge paths on` to it instead: one multipath route over
#     every equal BGP route (flows hashed over the sites).
#   BIRD_TIMERS=recommended|default  BGP timer profile (default: recommended)
#     recommended: exactly the lines README "Route control" (BGP timers for
#       holder replacement) tells users to set, on the side it names:
#         router (the anycast BIRD in the group): hold time 9; connect delay time 2;
#         peer (the upstream router):             error wait time 5, 300;
#     default: no timer lines at all, i.e. BIRD's own defaults (hold 240 s,
#       keepalive 80 s, connect delay 5 s, connect retry 120 s, error wait
#       60-300 s): a replaced holder's route comes back only after the peer's
#       next keepalive (up to 80 s) or far later. Only bench/heal.sh uses it,
#       to show that cost.
#   The tests leave BIRD_TIMERS unset, so they run with the recommended
#   settings: what they prove about heals and route returns holds for a user
#   who follows the README, and not only for hand-tuned test timers.
set -eu
CONF=/etc/bird/bird.conf
SOCK=/run/bird/bird.ctl
die() { echo "bird-start: ERROR: $*" >&2; exit 64; }
need() { eval "v=\${$1:-}"; [ -n "$v" ] || die "environment variable $1 is required"; }

need BIRD_ROLE; need ROUTER_ID; need LOCAL_AS; need PEER_AS; need NEIGHBOR
BIRD_TIMERS="${BIRD_TIMERS:-recommended}"
case "$BIRD_TIMERS" in
  recommended)
    # router: the peer's keepalives (hold/3, negotiated) reach a replaced
    # holder's new namespace every 3 s, whose reset ends the dead session;
    # the new BIRD connects 2 s after it starts instead of 5 s.
    # peer: a session that really failed (hold timer, BFD) waits 5 s, not
    # 60 s, before taking a new connection, still doubling to 300 s while
    # errors repeat (error forget time, 300 s).
    ROUTER_TIMERS='hold time 9; connect delay time 2;'
    PEER_TIMERS='error wait time 5, 300;' ;;
  default) ROUTER_TIMERS='' PEER_TIMERS='' ;;
  *) die "BIRD_TIMERS must be 'recommended' or 'default', got '$BIRD_TIMERS'" ;;
esac

mkdir -p /run/bird /etc/bird
case "$BIRD_ROLE" in
  router)
    need PREFIX4
    case "$NEIGHBOR" in *,*) die "a router has one NEIGHBOR, got '$NEIGHBOR'" ;; esac
    [ -z "${KERNEL:-}" ] || die "KERNEL is for the peer role only"
    ROUTES=""
    for p in $(echo "$PREFIX4" | tr ',' ' '); do
      ROUTES="${ROUTES:+$ROUTES }route $p unreachable;"
    done
    [ -n "$ROUTES" ] || die "PREFIX4 names no prefix: '$PREFIX4'"
    ANNOUNCE="${ANNOUNCE:-enabled}"
    case "$ANNOUNCE" in
      enabled) STATIC_DISABLED="" ;;
      disabled) STATIC_DISABLED="disabled;" ;;
      *) die "ANNOUNCE must be 'enabled' or 'disabled', got '$ANNOUNCE'" ;;
    esac
    cat >"$CONF" <<CONF
log stderr all;
router id $ROUTER_ID;
protocol device {}
protocol static anycast4 { $STATIC_DISABLED ipv4; $ROUTES }
protocol bgp upstream {
  local as $LOCAL_AS;
  neighbor $NEIGHBOR as $PEER_AS;
  $ROUTER_TIMERS
  ipv4 { import none; export where proto = "anycast4"; };
}
CONF
    ;;
  peer)
    case "${KERNEL:-}" in
      '') KERNEL_PROTO="" ;;
      1) KERNEL_PROTO='protocol kernel { ipv4 { export all; }; }' ;;
      ecmp) KERNEL_PROTO='protocol kernel { merge paths on; ipv4 { export all; }; }' ;;
      *) die "KERNEL must be unset, '1' or 'ecmp', got '$KERNEL'" ;;
    esac
    case "$NEIGHBOR" in ,* | *, | *,,*) die "NEIGHBOR has an empty entry: '$NEIGHBOR'" ;; esac
    {
      printf 'log stderr all;\nrouter id %s;\nprotocol device {}\n' "$ROUTER_ID"
      n=0
      for nb in $(echo "$NEIGHBOR" | tr ',' ' '); do
        n=$((n + 1))
        name=downstream
        [ "$n" -eq 1 ] || name=downstream$n
        cat <<CONF
protocol bgp $name {
  local as $LOCAL_AS;
  neighbor $nb as $PEER_AS;
  $PEER_TIMERS
  ipv4 { import all; export none; };
}
CONF
      done
      [ -z "$KERNEL_PROTO" ] || printf '%s\n' "$KERNEL_PROTO"
    } >"$CONF"
    ;;
  *) die "BIRD_ROLE must be 'router' or 'peer', got '$BIRD_ROLE'" ;;
esac

echo "bird-start: role=$BIRD_ROLE timers=$BIRD_TIMERS config:" >&2
cat "$CONF" >&2
bird -p -c "$CONF" || die "generated $CONF is invalid (see above)"
exec bird -f -c "$CONF" -s "$SOCK"
EOF
  chmod 0755 "$dir"/usr/local/bin/bird-start
  # Prove the copied BIRD actually runs inside the rootfs before importing
  # (catches a missing library here instead of at container start).
  if command -v chroot >/dev/null 2>&1; then
    chroot "$dir" /usr/sbin/bird --version >/dev/null 2>&1 ||
      die "bird does not run inside the assembled rootfs (missing library?)"
    # birdc has no --version and exits 1 on -h; its usage text is enough to
    # prove the loader and libraries resolve.
    local usage
    usage="$(chroot "$dir" /usr/sbin/birdc -h 2>&1 || true)"
    case "$usage" in
      *Usage:*birdc*) ;;
      *) die "birdc does not run inside the assembled rootfs: $usage" ;;
    esac
  fi
  import_image "$image" "$dir" -c 'CMD ["/usr/local/bin/bird-start"]'
}

build_holder
build_app v1 v1 8080 yes
build_app v2 v2 8080 yes
build_app noprobe v1 8080 no
build_app broken broken 8081 yes
build_app noinit v1 8080 yes no
build_bird

log "content hash $HASH"
log "busybox: $BUSYBOX; tini: $TINI; $("$BIRD" --version 2>&1 | head -n 1)"
for i in "${BUILT[@]+"${BUILT[@]}"}"; do log "built   $i"; done
for i in "${SKIPPED[@]+"${SKIPPED[@]}"}"; do log "skipped $i (up to date)"; done
docker image ls --filter label=holdfast.test=true --filter "reference=$PREFIX/*" \
  --format 'build-images: image   {{.Repository}}:{{.Tag}}  {{.ID}}  {{.Size}}'
