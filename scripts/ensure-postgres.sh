#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages when its server binaries are missing.
set -euo pipefail
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exit 0
fi
if [ -n "${DATABASE_URL:-}" ]; then
  exit 0
fi
echo "PostgreSQL server binaries not found: installing Debian's postgresql package" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "run as root, or: sudo apt-get install -y postgresql   (or set DATABASE_URL)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq postgresql >/dev/null
