#!/usr/bin/env bash
# Runs each fuzz target for a few seconds' worth of inputs, after its seed
# corpus (f.Add and testdata/fuzz/<Target>/, which plain `go test` runs too).
# Go fuzzes one target per invocation, so the targets are listed here.
#
# The budgets are counts of inputs (-fuzztime Nx), each about 5 s on a
# 2-core machine, not durations: with a duration, Go up to 1.26 can fail a
# target with "context deadline exceeded" and no crasher when the deadline
# catches a busy worker (go.dev/issue/75804; seen in CI on FuzzSolveSmall).
# FUZZTIME, when set, is used for every target instead.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-}
targets=(
  "./solver FuzzSolveSmall 2500x"
  "./solver FuzzParseInstance 40000x"
  "./solver FuzzParseSchedule 40000x"
  "./calendars FuzzRenderText 20000x"
  "./calendars FuzzParseDuration 20000x"
  "./calendars FuzzBusy 20000x"
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
  budget=${FUZZTIME:-$3}
  echo "fuzz $1 $2 for $budget"
  $GO test -run '^$' -fuzz "^$2\$" -fuzztime "$budget" "$1"
done
