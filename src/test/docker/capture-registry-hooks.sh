#!/usr/bin/env bash
# Captures the notifications a real CNCF Distribution registry (Debian's
# docker-registry 2.8.2) sends, and saves them as the fixtures read by
# dev.holdfast.hook.RegistryCapturedTest. Re-run it to refresh them.
#
# What it does, all on loopback:
#  1. starts `docker-registry serve` on 127.0.0.1:5077 (storage and config in
#     a temp dir, deletes enabled) with one notification endpoint pointing at
#  2. a tiny Python listener on 127.0.0.1:5078 that stores every POST (body
#     bytes exactly as sent, plus its headers) and answers 200;
#  3. `docker tag holdfast-test/app:v1 127.0.0.1:5077/hf/capture:v1` and
#     `docker push` it (the engine treats 127.0.0.0/8 as an insecure registry);
#  4. curl GET and HEAD of the manifest by tag, then DELETE by digest;
#  5. waits (bounded) until the deliveries stop, then writes
#       captured-distribution-2.8.2-NN-<action>-<what>[-head].json   (bodies)
#       captured-distribution-2.8.2.headers.txt   (headers of the manifest
#         push delivery; '#' lines say what was captured, incl. the digest)
#     into the output dir, replacing the previous captured-distribution-2.8.2-*.
#
# Everything it starts or creates (registry, listener, the 127.0.0.1:5077 tag,
# temp dir) is removed on exit by a trap, also on failure. It touches no other
# container, image, network or registry. Needs: docker-registry, docker with
# the image holdfast-test/app:v1 (src/test/docker/build-images.sh), python3, curl.
#
# Usage: capture-registry-hooks.sh [OUT_DIR]
#   OUT_DIR defaults to src/test/resources/fixtures/registry
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
OUT_DIR="${1:-$REPO_ROOT/src/test/resources/fixtures/registry}"

REGISTRY=127.0.0.1:5077
LISTENER_PORT=5078
SOURCE_IMAGE=holdfast-test/app:v1
REPO=hf/capture
TAG=v1
IMAGE="$REGISTRY/$REPO:$TAG"
PREFIX=captured-distribution-2.8.2

die() { echo "capture-registry-hooks: ERROR: $*" >&2; exit 1; }
log() { echo "capture-registry-hooks: $*"; }

for tool in docker-registry docker python3 curl; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
docker image inspect "$SOURCE_IMAGE" >/dev/null 2>&1 \
  || die "$SOURCE_IMAGE is missing; run src/test/docker/build-images.sh"
for port in 5077 "$LISTENER_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "127.0.0.1:$port is already in use"
  fi
done

WORK="$(mktemp -d -t holdfast-capture.XXXXXX)"
REGISTRY_PID=""
LISTENER_PID=""
TAGGED=0

cleanup() {
  local rc=$?
  set +e
  # Only what this script started, by pid; only the tag it created.
  if [ -n "$REGISTRY_PID" ]; then kill "$REGISTRY_PID" 2>/dev/null; wait "$REGISTRY_PID" 2>/dev/null; fi
  if [ -n "$LISTENER_PID" ]; then kill "$LISTENER_PID" 2>/dev/null; wait "$LISTENER_PID" 2>/dev/null; fi
  if [ "$TAGGED" = 1 ]; then docker rmi "$IMAGE" >/dev/null 2>&1; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/storage" "$WORK/hooks"

# The listener: one delivery per POST, numbered in arrival order (a single
# thread, so the order is the registry's sending order).
cat >"$WORK/listener.py" <<'PY'
import http.server, os, sys

out, port = sys.argv[1], int(sys.argv[2])
count = 0

class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        count += 1
        base = os.path.join(out, "%03d" % count)
        with open(base + ".headers.tmp", "w") as f:
            f.write("%s %s\n" % (self.command, self.path))
            for name, value in self.headers.items():
                f.write("%s: %s\n" % (name, value))
        with open(base + ".body.tmp", "wb") as f:
            f.write(body)
        os.rename(base + ".headers.tmp", base + ".headers")
        os.rename(base + ".body.tmp", base + ".body")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY
python3 "$WORK/listener.py" "$WORK/hooks" "$LISTENER_PORT" &
LISTENER_PID=$!

cat >"$WORK/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $WORK/storage
  delete:
    enabled: true
http:
  addr: $REGISTRY
notifications:
  endpoints:
    - name: holdfast-capture
      url: http://127.0.0.1:$LISTENER_PORT/hooks/registry
      headers:
        Authorization: [Bearer capture-token]
      timeout: 2s
      threshold: 5
      backoff: 1s
YML
docker-registry serve "$WORK/config.yml" >"$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!

ready=0
for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null "http://$REGISTRY/v2/" \
    && curl -sS -o /dev/null -X POST "http://127.0.0.1:$LISTENER_PORT/ready" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
[ "$ready" = 1 ] || die "registry or listener did not start: $(tail -5 "$WORK/registry.log")"
rm -f "$WORK"/hooks/*  # the readiness probe's own POST

log "pushing $IMAGE"
docker tag "$SOURCE_IMAGE" "$IMAGE"
TAGGED=1
docker push "$IMAGE" >"$WORK/push.log" 2>&1 || die "docker push failed: $(tail -3 "$WORK/push.log")"

ACCEPT="application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json"
log "GET, HEAD and DELETE of the manifest"
DIGEST="$(curl -fsS -D - -o /dev/null -H "Accept: $ACCEPT" "http://$REGISTRY/v2/$REPO/manifests/$TAG" \
  | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest" {print $2}')"
[ -n "$DIGEST" ] || die "no Docker-Content-Digest on GET"
curl -fsS -I -o /dev/null -H "Accept: $ACCEPT" "http://$REGISTRY/v2/$REPO/manifests/$TAG"
curl -fsS -X DELETE -o /dev/null "http://$REGISTRY/v2/$REPO/manifests/$DIGEST"

# Deliveries are asynchronous: wait until none arrived for 2 s (at most 30 s).
last=-1
quiet=0
for _ in $(seq 1 300); do
  now=$(find "$WORK/hooks" -name '*.body' | wc -l)
  if [ "$now" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; last=$now; fi
  [ "$quiet" -ge 20 ] && break
  sleep 0.1
done
[ "$last" -gt 0 ] || die "no notification arrived"
log "$last deliveries"

mkdir -p "$OUT_DIR"
rm -f "$OUT_DIR/$PREFIX"-*.json "$OUT_DIR/$PREFIX".headers.txt
python3 - "$WORK/hooks" "$OUT_DIR" "$PREFIX" "$DIGEST" "$(docker version --format '{{.Server.Version}}')" <<'PY'
import glob, json, os, shutil, sys

hooks, out, prefix, digest, engine = sys.argv[1:6]
manifest_push_headers = None
for number, body_path in enumerate(sorted(glob.glob(os.path.join(hooks, "*.body"))), 1):
    with open(body_path, "rb") as f:
        raw = f.read()
    events = json.loads(raw)["events"]
    labels = []
    for event in events:
        target = event.get("target", {})
        media = target.get("mediaType", "")
        what = "blob" if media == "application/octet-stream" else (
            "manifest" if "manifest" in media else ("tag" if target.get("tag") else "manifest"))
        label = event["action"] + "-" + what
        if event.get("request", {}).get("method") == "HEAD":
            label += "-head"
        labels.append(label)
        if event["action"] == "push" and target.get("tag") and manifest_push_headers is None:
            manifest_push_headers = body_path[: -len(".body")] + ".headers"
    name = "%s-%02d-%s.json" % (prefix, number, "+".join(labels))
    shutil.copyfile(body_path, os.path.join(out, name))
    print("  " + name)

if manifest_push_headers is None:
    sys.exit("no tagged manifest push was delivered")
with open(manifest_push_headers) as f:
    lines = f.read().splitlines()
with open(os.path.join(out, prefix + ".headers.txt"), "w") as f:
    f.write("# Headers of the tagged manifest push delivery, captured by\n")
    f.write("# src/test/docker/capture-registry-hooks.sh from Debian docker-registry 2.8.2\n")
    f.write("# (push by Docker engine %s, then curl GET, HEAD, DELETE by digest).\n" % engine)
    f.write("# Content-Length differs per delivery. First line: the listener's request line.\n")
    f.write("# digest: %s\n" % digest)
    f.write("\n".join(lines) + "\n")
PY
log "fixtures written to $OUT_DIR (manifest digest $DIGEST)"
