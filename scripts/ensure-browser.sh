#!/usr/bin/env bash
# Installs what the web/ end-to-end tests drive, when it is missing:
#   - Debian's chromium (/usr/bin/chromium), with apt-get;
#   - node and npm (Debian's nodejs and npm), with apt-get;
#   - playwright-core and axe-core (the accessibility checker the tests run
#     on every page) from the npm registry, into <repo>/.cache/playwright
#     (git-ignored; the tests look for
#     .cache/playwright/node_modules/{playwright-core,axe-core}/package.json).
# playwright-core downloads no browser of its own: the tests launch
# /usr/bin/chromium. Idempotent: does nothing when everything is there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.cache/playwright"
playwright_version="1.65.1"
axe_version="4.14.1"

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "run as root, or: sudo apt-get install -y $*" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing Debian's ${need[*]} for the browser tests" >&2
  apt_install "${need[@]}" fonts-dejavu-core
fi
[ -x /usr/bin/chromium ] || { echo "chromium was installed but /usr/bin/chromium is missing" >&2; exit 1; }

if [ ! -f "$prefix/node_modules/playwright-core/package.json" ] || [ ! -f "$prefix/node_modules/axe-core/package.json" ]; then
  echo "installing playwright-core@$playwright_version and axe-core@$axe_version into $prefix" >&2
  mkdir -p "$prefix"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    "playwright-core@$playwright_version" "axe-core@$axe_version" >/dev/null
fi
