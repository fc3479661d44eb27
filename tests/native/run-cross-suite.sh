#!/usr/bin/env bash
# run-cross-suite.sh TOOLCHAIN BUILD_DIR JUNIT_OUT [CMAKE_ARG...]
# The C suites of a cross build (nf.proj's Test target): configures BUILD_DIR with cmake/toolchains/TOOLCHAIN.cmake and
# the C suites, builds it (-j2), and runs ctest, which starts every test executable through the toolchain's emulator
# (qemu-aarch64 for aarch64-linux-gnu, Wine for x86_64-w64-mingw32), writing JUNIT_OUT for tests/Nanonet.TestSummary.
# When the configure or the build fails, no JUnit file is written (a stale one is removed): the summariser then fails
# every expected suite of that build as missing, so a cross build that did not happen never counts as passed.
# Wine runs in a prefix of its own under BUILD_DIR, created here by `wineboot --init` under a timeout, with WINEDEBUG=-all,
# no display, no Mono/Gecko installers, no menu builder and no crash debugger, so neither its first start nor a
# crashing suite hangs or prompts (ctest --timeout bounds each suite too).
# Always exits 0: the summariser decides.
set -u
toolchain=$1
build=$2
junit=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
label=$(basename "$junit" .junit.xml)
ctest_timeout=${NANONET_CROSS_CTEST_TIMEOUT:-900}
rm -f "$junit"
mkdir -p "$(dirname "$junit")" "$build"
build=$(cd "$build" && pwd)
junit=$(cd "$(dirname "$junit")" && pwd)/$(basename "$junit")

elapsed() { echo $(( $(date +%s) - $1 )); }

start=$(date +%s)
if ! cmake -S "$repo" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/toolchains/$toolchain.cmake" \
       -DCMAKE_BUILD_TYPE=Release -DNANONET_BUILD_TESTS=ON "$@" >"$build/cross-configure.log" 2>&1; then
  tail -n 20 "$build/cross-configure.log"
  echo "$label: the cmake configure failed (log: $build/cross-configure.log): no report, its suites count as failed"
  exit 0
fi
if ! cmake --build "$build" -j2 >"$build/cross-build.log" 2>&1; then
  grep -E "error|warning" "$build/cross-build.log" | head -n 40
  echo "$label: the build failed (log: $build/cross-build.log): no report, its suites count as failed"
  exit 0
fi
echo "$label: configured and built in $(elapsed "$start") s"

ctest_args=(--test-dir "$build" --output-on-failure --test-output-size-passed 1048576 --test-output-size-failed 1048576
            --timeout "$ctest_timeout" --output-junit "$junit")
start=$(date +%s)
if [ "$toolchain" = x86_64-w64-mingw32 ]; then
  wine=$(sed -n 's/^NANONET_WINE:FILEPATH=//p' "$build/CMakeCache.txt")
  wineserver=$(dirname "$wine")/wineserver64
  [ -x "$wineserver" ] || wineserver=$(command -v wineserver || true)
  export WINEPREFIX="$build/wine-prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe,winedbg.exe=d"
  unset DISPLAY WAYLAND_DISPLAY
  mkdir -p "$WINEPREFIX"
  # One wineserver for the whole run, started before wineboot and lingering 5 minutes after its last client (stopped
  # at the end): otherwise every test starts its own, and Wine's services with it, about 3 s each.
  if [ -n "$wineserver" ]; then
    trap '"$wineserver" -k >/dev/null 2>&1' EXIT
    "$wineserver" -p300 >/dev/null 2>&1
  fi
  if ! timeout 300 "$wine" wineboot --init >"$build/wineboot.log" 2>&1; then
    echo "$label: wineboot --init failed or timed out (log: $build/wineboot.log); running the suites anyway"
  fi
  echo "$label: Wine prefix ready in $(elapsed "$start") s"
  start=$(date +%s)
  ctest "${ctest_args[@]}"
else
  ctest "${ctest_args[@]}"
fi
echo "$label: ctest ran in $(elapsed "$start") s"
exit 0
