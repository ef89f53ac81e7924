#!/usr/bin/env bash
# Installs the two third-party iCalendar parsers that the calendars/ tests run
# every rendered feed through, when they are missing:
#   - Python's icalendar, from Debian's python3-icalendar package;
#   - Mozilla's ical.js, from the npm registry, into <repo>/.cache/icaljs
#     (git-ignored; the tests look for .cache/icaljs/node_modules/ical.js).
# Idempotent: does nothing when both are already there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
icaljs_prefix="$root/.cache/icaljs"
icaljs_version="2.2.1"

have_icalendar() {
  local py
  for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import icalendar' >/dev/null 2>&1; then
      return 0
    fi
  done
  return 1
}

if ! have_icalendar; then
  echo "Python's icalendar not found: installing Debian's python3-icalendar" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "run as root, or: sudo apt-get install -y python3-icalendar" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq python3-icalendar >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq python3-icalendar >/dev/null
  fi
  have_icalendar || { echo "python3-icalendar installed but 'import icalendar' still fails" >&2; exit 1; }
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node and npm are needed for ical.js: installing Debian's nodejs and npm" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "run as root, or: sudo apt-get install -y nodejs npm" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq nodejs npm >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq nodejs npm >/dev/null
  fi
fi

if [ ! -f "$icaljs_prefix/node_modules/ical.js/package.json" ]; then
  echo "ical.js not found: installing ical.js@$icaljs_version into $icaljs_prefix" >&2
  mkdir -p "$icaljs_prefix"
  npm install --prefix "$icaljs_prefix" --no-audit --no-fund --loglevel=error "ical.js@$icaljs_version" >/dev/null
fi
