#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang in build-fuzz next to the
# sources, then runs each for a bounded time, starting from its seed corpus in
# tests/fuzz/corpus/<target>/. Fails on any crash, sanitizer report, leak or timeout.
#
#   tests/fuzz/run.sh [seconds per target]     (default 20; or FUZZ_SECONDS)
#
# New inputs libFuzzer finds go to build-fuzz/corpus/<target>/ (never into the sources);
# a failing input is saved as build-fuzz/artifacts/<target>-crash-... and can be replayed
# with build-fuzz/tests/<target> FILE.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-${FUZZ_SECONDS:-20}}
build="$root/build-fuzz"
cc=${FUZZ_CC:-}
if [ -z "$cc" ]; then
  for c in clang clang-14; do
    if command -v "$c" >/dev/null; then cc=$c; break; fi
  done
fi
[ -n "$cc" ] || { echo "run.sh: clang is needed for libFuzzer" >&2; exit 1; }

echo "== fuzz build ($cc)"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc" -DEIDER_FUZZ=ON -DEIDER_SANITIZE= \
      -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_connstr fuzz_escape

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for target in fuzz_connstr fuzz_escape; do
  echo "== $target for ${seconds} s"
  mkdir -p "$build/corpus/$target" "$build/artifacts"
  dict=()
  name=${target#fuzz_}
  [ -f "$root/tests/fuzz/$name.dict" ] && dict=(-dict="$root/tests/fuzz/$name.dict")
  if ! "$build/tests/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
       -max_len=4096 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
       "${dict[@]}" "$build/corpus/$target" "$root/tests/fuzz/corpus/$target" \
       > "$build/$target.log" 2>&1; then
    tail -n 60 "$build/$target.log"
    echo "== $target FAILED (log: $build/$target.log, inputs: $build/artifacts/)" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^Done [0-9]+ runs' "$build/$target.log" || true
done
echo "== fuzzing passed"
