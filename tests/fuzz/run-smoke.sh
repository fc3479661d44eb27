#!/usr/bin/env bash
# run-smoke.sh BUILD_DIR SECONDS JUNIT_OUT [NOT_RUN_REASON]
# A short libFuzzer run of fuzz_model_reader (CI's smoke run; the long runs are described in README.md).
# Seeds: tests/fuzz/corpus (if present), fuzz_make_seeds' sample and 500 random valid models, the shipped models/*.nnb. Writes one JUnit test case, failed when the
# fuzzer is not built or exits non-zero. With a non-empty NOT_RUN_REASON (nf.proj: clang missing, fuzz build failed)
# nothing runs and the test case fails with that reason, so a fuzz run that could not happen is never a pass.
set -u
build=$1
seconds=$2
junit=$3
not_run=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mkdir -p "$build"
log="$build/fuzz-smoke.log"
status=1
xml_escape() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g'; }
if [ -n "$not_run" ]; then
  reason=$(printf '%s' "$not_run" | xml_escape)
  cat >"$junit" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="fuzz" tests="1">
  <testcase name="fuzz_model_reader_smoke_${seconds}s" classname="fuzz"><failure message="not run: $reason"/><system-out>0 passed, 1 failed</system-out></testcase>
</testsuite>
XML
  echo "fuzz smoke: not run: $not_run"
  echo "fuzz smoke: 0 passed, 1 failed"
  exit 0
fi
fuzzer=$(find "$build" -type f -name fuzz_model_reader -perm -u+x 2>/dev/null | head -n 1)
if [ -z "$fuzzer" ]; then
  echo "fuzz_model_reader not built in $build" >"$log"
else
  : >"$log"
  work="$build/smoke-corpus"
  rm -rf "$work"
  mkdir -p "$work"
  seeds=()
  [ -d "$here/corpus" ] && seeds+=("$here/corpus")
  # The sample models, random valid models of the property test's generator and the shipped models,
  # each with its mode byte (fuzz_make_seeds): structurally odd but valid models reach the planner.
  make_seeds=$(find "$build" -type f -name fuzz_make_seeds -perm -u+x 2>/dev/null | head -n 1)
  generated="$build/smoke-seeds"
  rm -rf "$generated"
  mkdir -p "$generated"
  if [ -n "$make_seeds" ] && "$make_seeds" "$generated" --random 500 "$repo"/models/*.nnb >>"$log" 2>&1; then
    seeds+=("$generated")
    [ -d "$repo/models" ] && seeds+=("$repo/models")
    "$fuzzer" -max_total_time="$seconds" -max_len=300000 -timeout=30 -rss_limit_mb=2048 \
      -artifact_prefix="$build/" "$work" "${seeds[@]}" >>"$log" 2>&1
    status=$?
  else
    echo "fuzz_make_seeds not built in $build or failed: no seed corpus" >>"$log"
    status=2
  fi
fi
tail -n 5 "$log"
if [ $status -eq 0 ]; then result="1 passed, 0 failed"; failure=""; else result="0 passed, 1 failed"; failure="<failure message=\"$(tail -n 1 "$log" | xml_escape) (fuzzer exit status $status)\"/>"; fi
stats=$(grep -E '^(Done|#[0-9]+)' "$log" | tail -n 1 | xml_escape)
cat >"$junit" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="fuzz" tests="1">
  <testcase name="fuzz_model_reader_smoke_${seconds}s" classname="fuzz">$failure<system-out>$stats
$result</system-out></testcase>
</testsuite>
XML
echo "fuzz smoke: $result"
exit 0
