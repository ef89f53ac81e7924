#!/usr/bin/env bash
# Builds the container image (Containerfile) with buildah, offline: a static
# interviewd in a small build context, FROM scratch. Then checks the image as
# a deployment would use it: the process runs as uid 65532 inside the image's
# root file system (no shell, no libc there), against a PostgreSQL given by
# DATABASE_URL, and answers /readyz.
#
#   scripts/build-image.sh [TAG]     (default localhost/interviewd:dev)
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
tag=${1:-localhost/interviewd:dev}
export PATH="$PATH:/usr/local/go/bin"

if ! command -v buildah >/dev/null 2>&1; then
  echo "buildah not found: installing Debian's buildah package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq buildah >/dev/null
fi
store=(--storage-driver vfs)

ctx=$(mktemp -d)
pgdir=$(mktemp -d)
mnt=""; ctr=""; proc=""
cleanup() {
  [ -n "$proc" ] && umount "$proc" 2>/dev/null || true
  [ -n "$ctr" ] && { buildah "${store[@]}" umount "$ctr" >/dev/null 2>&1 || true; buildah "${store[@]}" rm "$ctr" >/dev/null 2>&1 || true; }
  if [ -f "$pgdir/data/postmaster.pid" ]; then runuser -u postgres -- pg_ctl -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$ctx" "$pgdir"
}
trap cleanup EXIT

echo "== static binary"
CGO_ENABLED=0 go build -trimpath -tags timetzdata -ldflags '-s -w' -o "$ctx/interviewd" ./cmd/interviewd
cp /etc/ssl/certs/ca-certificates.crt "$ctx/"
cp Containerfile "$ctx/"

echo "== image $tag"
buildah "${store[@]}" bud --quiet -f "$ctx/Containerfile" -t "$tag" "$ctx" >/dev/null
user=$(buildah "${store[@]}" inspect --format '{{.OCIv1.Config.User}}' "$tag")
[ "$user" = "65532:65532" ] || { echo "image runs as '$user', want 65532:65532" >&2; exit 1; }

ctr=$(buildah "${store[@]}" from "$tag")
mnt=$(buildah "${store[@]}" mount "$ctr")
for f in bin/sh usr/bin bin; do
  [ ! -e "$mnt/$f" ] || { echo "image has /$f: it should hold the binary alone" >&2; exit 1; }
done

echo "== smoke test: the image's binary against PostgreSQL on loopback"
# A container runtime mounts /proc; so does the check, where it may (the
# server solves in a child process found through /proc/self/exe).
mkdir -p "$mnt/proc" && mount -t proc proc "$mnt/proc" 2>/dev/null && proc="$mnt/proc" || true
pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | head -1 || command -v initdb)")
chown postgres "$pgdir"
runuser -u postgres -- "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -w -l "$pgdir/log" \
  -o "-c listen_addresses=127.0.0.1 -p $pgport -k $pgdir" start >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
env -i DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable" \
  /usr/sbin/chroot --userspec=65532:65532 "$mnt" /interviewd serve -addr "127.0.0.1:$port" >"$pgdir/serve.log" 2>&1 &
srv=$!
ok=""
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ok=1; break; fi
  kill -0 $srv 2>/dev/null || break
  sleep 0.2
done
kill $srv 2>/dev/null || true; wait $srv 2>/dev/null || true
if [ -z "$ok" ]; then echo "the image's server did not become ready:" >&2; tail -20 "$pgdir/serve.log" >&2; exit 1; fi
size=$(stat -c %s "$ctx/interviewd")
echo "image $tag: ready on /readyz as uid 65532, binary $((size / 1024 / 1024)) MiB, no shell"
