#!/usr/bin/env bash
# The set-up's answer to the archive moving on, tested without installing
# anything: tools/plan-deps.R plans (dry run) against copies of the pin file
#  1. with one Debian tool (chromium) and one Debian R package
#     (r-cran-profmem) pinned to versions no archive serves: the plan must
#     succeed and name the versions served now in their place;
#  2. with r-cran-ggplot2 pinned to a vanished version while DESCRIPTION
#     asks for a ggplot2 newer than any served: the plan must stop and say so.
# Run by .ci/run; exits non-zero when either answer is wrong.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/a/tools" "$tmp/b/tools"
gone=0.0.0-0~gone1
drift() {  # pin file, deb packages to drift
  local f=$1; shift
  awk -F'\t' -v OFS='\t' -v gone="$gone" -v pk="$*" 'BEGIN { n = split(pk, a, " "); for (i = 1; i <= n; i++) d[a[i]] = 1 }
    !/^#/ && ($4 in d) { $5 = gone } { print }' "$root/tools/dependencies.tsv" > "$f"
}
fail=0
# 1. vanished pins: planned as the served versions
drift "$tmp/a/tools/dependencies.tsv" chromium r-cran-profmem
cp "$root/DESCRIPTION" "$tmp/a/DESCRIPTION"
out=$(Rscript --vanilla "$root/tools/plan-deps.R" "$tmp/a/tools/dependencies.tsv" site "$tmp/a/plan" --dry-run 2>&1); rc=$?
echo "$out" | grep -E "gone1|served|cannot" | sed 's/^/  /'
for p in chromium r-cran-profmem; do
  if ! echo "$out" | grep -qE "^Debian: $p $gone pinned, no longer served; using [^ ]+ \(served now"; then
    echo "drift test: the plan does not name the served version of $p"; fail=1
  fi
done
[ $rc -eq 0 ] || { echo "drift test: the plan stopped on vanished pins (exit $rc)"; fail=1; }
# 2. below DESCRIPTION's minimum: set-up stops, naming the package
drift "$tmp/b/tools/dependencies.tsv" r-cran-ggplot2
sed 's/ggplot2 (>= [^)]*)/ggplot2 (>= 99.0.0)/' "$root/DESCRIPTION" > "$tmp/b/DESCRIPTION"
out=$(Rscript --vanilla "$root/tools/plan-deps.R" "$tmp/b/tools/dependencies.tsv" check "$tmp/b/plan" --dry-run 2>&1); rc=$?
echo "$out" | grep -E "minimum" | sed 's/^/  /'
if [ $rc -eq 0 ] || ! echo "$out" | grep -q "r-cran-ggplot2: the archive serves .* below the minimum 99.0.0"; then
  echo "drift test: a served version below DESCRIPTION's minimum did not stop the plan"; fail=1
fi
[ $fail -eq 0 ] && echo "drift test: vanished pins planned as served versions; a version below the minimum stops set-up"
exit $fail
