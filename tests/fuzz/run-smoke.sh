#!/usr/bin/env bash
# run-smoke.sh BUILD_DIR SECONDS JUNIT_OUT
# A short libFuzzer run of fuzz_model_reader (CI's smoke run; the long runs are described in README.md).
# Seeds: tests/fuzz/corpus (if present) and the shipped models/*.nnb. Writes one JUnit test case.
set -u
build=$1
seconds=$2
junit=$3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
fuzzer=$(find "$build" -type f -name fuzz_model_reader -perm -u+x | head -n 1)
log="$build/fuzz-smoke.log"
status=1
if [ -z "$fuzzer" ]; then
  echo "fuzz_model_reader not built in $build" >"$log"
else
  work="$build/smoke-corpus"
  rm -rf "$work"
  mkdir -p "$work"
  seeds=()
  [ -d "$here/corpus" ] && seeds+=("$here/corpus")
  [ -d "$repo/models" ] && seeds+=("$repo/models")
  "$fuzzer" -max_total_time="$seconds" -max_len=300000 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$build/" "$work" "${seeds[@]}" >"$log" 2>&1
  status=$?
fi
tail -n 5 "$log"
if [ $status -eq 0 ]; then result="1 passed, 0 failed"; failure=""; else result="0 passed, 1 failed"; failure="<failure message=\"fuzzer exited with $status\"/>"; fi
stats=$(grep -E '^(Done|#[0-9]+)' "$log" | tail -n 1 | sed 's/&/\&amp;/g; s/</\&lt;/g')
cat >"$junit" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="fuzz" tests="1">
  <testcase name="fuzz_model_reader_smoke_${seconds}s" classname="fuzz">$failure<system-out>$stats
$result</system-out></testcase>
</testsuite>
XML
echo "fuzz smoke: $result"
exit 0
