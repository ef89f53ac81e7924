#!/usr/bin/env bash
# Runs each fuzz target for a few seconds (FUZZTIME, default 5s), after its
# seed corpus (f.Add and testdata/fuzz/<Target>/, which plain `go test` runs
# too). Go fuzzes one target per invocation, so the targets are listed here.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-5s}
targets=(
  "./solver FuzzSolveSmall"
  "./solver FuzzParseInstance"
  "./solver FuzzParseSchedule"
  "./calendars FuzzRenderText"
  "./calendars FuzzParseDuration"
  "./calendars FuzzBusy"
)
# Every Fuzz function in the tree must be listed: a new one is not silently skipped.
found=$(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)' --include='*_test.go' . | sed 's/^func //' | sort)
listed=$(printf '%s\n' "${targets[@]}" | awk '{print $2}' | sort)
if [ "$found" != "$listed" ]; then
  echo "fuzz-short.sh: the fuzz targets in the tree and in this list differ:" >&2
  diff <(echo "$listed") <(echo "$found") >&2 || true
  exit 1
fi
for t in "${targets[@]}"; do
  set -- $t
  echo "fuzz $1 $2 for $FUZZTIME"
  $GO test -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" "$1"
done
