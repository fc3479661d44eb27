#!/usr/bin/env bash
# run-suite.sh BUILD_DIR JUNIT_OUT [OPT]
# Cross-compiles the engine (native-interop/src/{kernels,kernels/fast,kernels/scalar,model,planner,executor}) for
# bare-metal Xtensa lx106 with OPT (default -O2), links it with start.S, sim.ld, libgcc_extra.c,
# picolibc and golden_main.c (the three shipped models, the golden inputs and expected outputs,
# embedded as C arrays generated into BUILD_DIR by embed.sh), runs it on
# `qemu-system-xtensa -M sim -cpu lx106` with semihosting and writes one JUnit test case
# xtensa_lx106_golden_<OPT>: one JUnit test case per model, input and mode, and one "<OPT> run" case that fails
# when the build fails, QEMU times out or exits non-zero, or not all 42 cases ran (24 golden: each with the
# int8 and the widened weights; 16 kernel groups of kernel_cases.c; 2 interop cases of interop_case.c). Never exits non-zero.
set -u
build=$1
junit=$2
opt=${3:--O2}
timeout_s=${XTENSA_TIMEOUT:-300}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
golden=${NANONET_GOLDEN_DIR:-$(cd "$repo/.." && pwd)/shared/golden}
qemu=qemu-system-xtensa
case_name="xtensa_lx106_golden_${opt#-}"
mkdir -p "$build" "$(dirname "$junit")"
build=$(cd "$build" && pwd)
log="$build/build.log"
out="$build/qemu.out"
: >"$log"
: >"$out"
xml_escape() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g'; }
failure=""

fail() { [ -n "$failure" ] || failure=$1; }

# shellcheck source=xt_build.sh
. "$here/xt_build.sh"
build_all() {
  xt_build_elf "$opt" "$build" golden "" "$here/golden_main.c" "$here/kernel_cases.c" "$here/interop_case.c" \
    "$repo/native-interop/src/interop/nanonet_interop.c"
}

start=$(date +%s)
if ! build_all >>"$log" 2>&1; then
  first=$(grep -m 1 -iE 'error|undefined reference|not found' "$log")
  [ -n "$first" ] || first=$(tail -n 1 "$log")
  fail "build failed: $first"
else
  timeout "$timeout_s" "$qemu" -M sim -cpu lx106 -m 8M -semihosting -nographic -monitor none \
    -kernel "$build/golden.elf" >"$out" 2>&1 </dev/null
  status=$?
  first_failed=$(grep -m 1 '^FAILED' "$out")
  if [ $status -eq 124 ]; then fail "QEMU timed out after ${timeout_s} s"
  elif [ $status -ne 0 ] && [ -n "$first_failed" ]; then fail "$first_failed (QEMU exit status $status)"
  elif [ $status -ge 100 ] && [ $status -lt 164 ]; then fail "CPU exception, EXCCAUSE $((status - 100)) (QEMU exit status $status)"
  elif [ $status -ne 0 ]; then fail "QEMU exited with status $status"
  fi
fi
elapsed=$(( $(date +%s) - start ))
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
if [ -z "$failure" ] && [ -z "$summary" ]; then fail "no closing 'N passed, N failed' line in the output"; fi
if [ -z "$failure" ]; then
  if ! echo "$summary" | grep -q ' 0 failed$' || grep -q '^FAILED' "$out"; then fail "$(grep -m 1 '^FAILED' "$out")"; fi
fi
# One JUnit test case per case line of the program (the summariser counts test cases), plus a failed
# case "<opt> run" when the run as a whole went wrong (build, timeout, CPU exception, missing cases).
expected_cases=42 # 3 models x 2 inputs x 2 modes x int8 / widened weights, 16 kernel groups, 2 interop cases
ran=$(grep -cE '^(ok     |FAILED )' "$out")
if [ -z "$failure" ] && [ "$ran" -ne "$expected_cases" ]; then fail "$ran of the $expected_cases cases ran"; fi
[ -n "$summary" ] || summary="0 passed, 1 failed"
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo "<testsuite name=\"xtensa\" tests=\"$((ran + 1))\">"
  grep -E '^(ok     |FAILED )' "$out" | while IFS= read -r line; do
    if [ "${line#ok     }" != "$line" ]; then
      echo "  <testcase name=\"${opt#-} $(printf '%s' "${line#ok     }" | xml_escape)\" classname=\"$case_name\"/>"
    else
      rest=${line#FAILED }
      echo "  <testcase name=\"${opt#-} $(printf '%s' "${rest%%:*}" | xml_escape)\" classname=\"$case_name\"><failure message=\"$(printf '%s' "$rest" | xml_escape)\"/></testcase>"
    fi
  done
  if [ -n "$failure" ]; then
    echo "  <testcase name=\"${opt#-} run\" classname=\"$case_name\"><failure message=\"$(printf '%s' "$failure" | head -n 1 | xml_escape)\"/><system-out>$(tail -n 20 "$log" "$out" 2>/dev/null | xml_escape)</system-out></testcase>"
  else
    echo "  <testcase name=\"${opt#-} run\" classname=\"$case_name\"><system-out>$summary in ${elapsed} s</system-out></testcase>"
  fi
  echo "</testsuite>"
} >"$junit"
if [ -n "$failure" ]; then
  echo "xtensa lx106 $opt: $summary (${elapsed} s): $failure"
else
  echo "xtensa lx106 $opt: $summary (${elapsed} s)"
fi
exit 0
