#!/usr/bin/env bash
# Builds fastnma with AddressSanitizer and UndefinedBehaviorSanitizer into a
# separate library (.Rlib-sanitize/, so .Rlib's fastnma is left alone), runs
# the test suite against that build, and fails if either sanitizer reported
# anything.
#
# Usage: tools/sanitize.sh [testthat filter]     (or: make sanitize)
#        FASTNMA_SANITIZE_REUSE=true tools/sanitize.sh fuzz   (no rebuild)
# The log is written to sanitize.log (override with FASTNMA_SANITIZE_LOG).
#
# R itself is not instrumented: the ASan runtime is preloaded (LD_PRELOAD) so
# that it comes first, as the instrumented shared object requires. Leak
# detection is off because R does not free everything at exit. ASan stops at
# its first error; UBSan prints every report with a stack trace and goes on,
# so one run lists all of them. Child R processes started by the tests
# inherit the preload and the library path, so they run the same build.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
filter=${1:-}
san_lib=${FASTNMA_SANITIZE_LIB:-$root/.Rlib-sanitize}
log=${FASTNMA_SANITIZE_LOG:-$root/sanitize.log}
mkdir -p "$san_lib"
san_lib=$(cd "$san_lib" && pwd)
lib=$(cd "${FASTNMA_LIB:-$root/.Rlib}" && pwd)

flags="-fsanitize=address,undefined -fno-omit-frame-pointer"
makevars=$(mktemp)
trap 'rm -f "$makevars"' EXIT
cat > "$makevars" <<MK
CXXFLAGS = -g -O1 $flags
CXX17FLAGS = -g -O1 $flags
PKG_CXXFLAGS = $flags
LDFLAGS = $flags
MK

if [ "${FASTNMA_SANITIZE_REUSE:-}" = true ] && [ -d "$san_lib/fastnma" ]; then
  # (for iterating on tests only: the build in $san_lib is not refreshed)
  echo "== reusing the sanitized build in $san_lib"
else
echo "== building fastnma with $flags into $san_lib"
R_MAKEVARS_USER="$makevars" "$root/tools/isolated" \
  R CMD INSTALL --preclean --no-test-load --library="$san_lib" . \
  > "$root/sanitize-install.log" 2>&1 || {
    tail -n 40 "$root/sanitize-install.log"; echo "sanitized build failed"; exit 1; }
fi
# The instrumented objects are left in src/ by the in-place build: remove
# them, so that a later plain build cannot pick them up.
rm -f src/*.o src/*.so src/core/*.o
# The shared object must link against the sanitizer runtimes.
so="$san_lib/fastnma/libs/fastnma.so"
if ! ldd "$so" | grep -q libasan; then
  echo "$so is not linked with libasan: the flags did not reach the build"; exit 1
fi

asan=$(gcc -print-file-name=libasan.so)
ubsan=$(gcc -print-file-name=libubsan.so)
echo "== running the tests (filter: ${filter:-none}) with LD_PRELOAD=$asan"
code="options(warn = 1); testthat::test_local('.', reporter = 'summary', load_package = 'installed', stop_on_failure = TRUE${filter:+, filter = '$filter'})"
set +e
"$root/tools/isolated" env \
  R_LIBS="$san_lib:$lib" R_LIBS_USER="$san_lib:$lib" NOT_CRAN=true \
  LD_PRELOAD="$asan $ubsan" \
  ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:print_summary=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=0" \
  Rscript -e "cat('fastnma loaded from', find.package('fastnma'), '\n'); $code" \
  > "$log" 2>&1
status=$?
set -e
tail -n 25 "$log"
n_asan=$(grep -c "ERROR: AddressSanitizer" "$log" || true)
n_ubsan=$(grep -c "runtime error:" "$log" || true)
echo "== AddressSanitizer errors: $n_asan; UndefinedBehaviorSanitizer reports: $n_ubsan; test run exit status: $status (log: $log)"
if ! grep -q "fastnma loaded from $san_lib/fastnma" "$log"; then
  echo "the tests did not run against the sanitized build"; exit 1
fi
if [ "$n_asan" -gt 0 ] || [ "$n_ubsan" -gt 0 ]; then
  grep -A 12 -E "ERROR: AddressSanitizer|runtime error:" "$log" | head -n 80
  exit 1
fi
exit "$status"
