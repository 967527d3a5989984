#!/usr/bin/env bash
# Runs the whole test suite, as CI does (.ci/run):
#   1. the house style (clang-format) on every C file;
#   2. the plain build: every test, including real clients (isql, pyodbc, Perl, LibreOffice
#      Base) through the unixODBC driver manager;
#   3. an AddressSanitizer + UndefinedBehaviorSanitizer build: unit, ODBC and thread tests;
#   4. a ThreadSanitizer build: the multithreaded tests;
#   5. the fuzzers of the connection-string parser and the escape translator, briefly
#      (tests/fuzz/run.sh, libFuzzer with ASan + UBSan);
#   6. the benchmark at tiny sizes against its peers (tools/bench/run.sh --quick): every
#      system and workload runs, and every Eider number passes its verification.
# Build folders: build-test, build-asan, build-tsan (next to the sources).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
"$root/tools/deps.sh" --test

echo "== style"
mapfile -t sources < <(cd "$root" && git ls-files '*.c' '*.h' 2>/dev/null || find engine pool driver odbcinst tools tests -name '*.[ch]')
(cd "$root" && clang-format --dry-run --Werror "${sources[@]}")

run() { # name, cmake sanitizer, ctest label regex (empty: all)
  local dir="$root/build-$1"
  echo "== $1 build"
  cmake -S "$root" -B "$dir" -DEIDER_SANITIZE="$2" -DCMAKE_BUILD_TYPE="${4:-Debug}" >/dev/null
  cmake --build "$dir" -j"$jobs"
  echo "== $1 tests"
  if [ -n "$3" ]; then
    (cd "$dir" && ctest --output-on-failure -L "$3")
  else
    (cd "$dir" && ctest --output-on-failure)
  fi
}

run test "" "" RelWithDebInfo
run asan address "unit|odbc|threads"
run tsan thread "threads"

echo "== fuzzers"
FUZZ_SECONDS=${FUZZ_SECONDS:-15} "$root/tests/fuzz/run.sh"

echo "== benchmark, tiny sizes"
quick="$root/build-test/bench-quick"
BENCH_WORKDIR="$quick/work" EIDER_BUILD="$root/build-test" "$root/tools/bench/run.sh" --quick \
  --out "$quick/quick.md" >/dev/null
if grep -E '^RESULT system=eider .*(verify=FAIL|status=error)' "$quick/quick.raw"; then
  echo "benchmark: an Eider result failed (log: $quick/quick.log)"
  exit 1
fi
grep -E '^RESULT system=eider .*status=ok' "$quick/quick.raw" | cut -d' ' -f2-6
echo "== all tests passed"
