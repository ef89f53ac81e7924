#!/usr/bin/env bash
# Refuses tracked binaries and files over 1 MB: build outputs belong in .gitignore,
# test data in small generated files. Run by `make lint`, so by CI.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
limit=$((1024 * 1024))
bad=0
while IFS= read -r -d '' f; do
  [ -f "$f" ] || continue
  size=$(stat -c %s "$f")
  if [ "$size" -gt "$limit" ]; then
    echo "tracked file over 1 MB: $f ($size bytes)" >&2; bad=1; continue
  fi
  case "$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')" in
    7f454c46|cffaedfe|cefaedfe|4d5a9000) echo "tracked binary (executable): $f" >&2; bad=1 ;;
  esac
done < <(git ls-files -z)
exit $bad
