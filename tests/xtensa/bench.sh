#!/usr/bin/env bash
# bench.sh [OUT_DIR] - instruction counts of the engine on bare-metal lx106 under QEMU.
# For each OPT in -O2 -Os -Og: cross-compiles the engine with bench_main.c (the embedded models and
# golden inputs of golden_main.c, see embed.sh), runs it on
# `qemu-system-xtensa -M sim -cpu lx106 -m 8M -semihosting -nographic -icount shift=5` and reads
# CCOUNT around each region. At shift=5 one instruction is 32 ns of virtual time and CCOUNT runs at
# 40 MHz, so instructions = ticks / 1.28 (the program also times a loop of known length and the
# script prints the measured factor). Prints one row per model/mode, columns -O2 -Os -Og:
# millions of instructions (one decimal) and instructions per MAC (the "widened weights" rows after nn_model_widen,
# as the interop widens at load), then a per-opcode breakdown of
# person_detect layer by layer. A benchmark, not a test: MISMATCH marks an output that differs
# from the golden one. Build logs and raw QEMU output are left in OUT_DIR (default build/xtensa-bench).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
outdir=${1:-$repo/build/xtensa-bench}
golden=${NANONET_GOLDEN_DIR:-$(cd "$repo/.." && pwd)/shared/golden}
qemu=qemu-system-xtensa
timeout_s=${XTENSA_TIMEOUT:-900}
opts=${BENCH_OPTS:-"-O2 -Os -Og"}
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

# shellcheck source=xt_build.sh
. "$here/xt_build.sh"

for opt in $opts; do
  dir="$outdir/${opt#-}"
  mkdir -p "$dir"
  : >"$dir/qemu.out"
  if ! xt_build_elf "$opt" "$dir" bench "" "$here/bench_main.c" >"$dir/build.log" 2>&1; then
    echo "$opt: build failed, see $dir/build.log" >&2
    continue
  fi
  timeout "$timeout_s" "$qemu" -M sim -cpu lx106 -m 8M -semihosting -nographic -monitor none -icount shift=5 \
    -kernel "$dir/bench.elf" >"$dir/qemu.out" 2>&1 </dev/null
  status=$?
  [ $status -eq 0 ] || echo "$opt: QEMU exited with status $status, see $dir/qemu.out" >&2
  grep -q '^DONE' "$dir/qemu.out" || echo "$opt: run incomplete, see $dir/qemu.out" >&2
done

# Tabulate: files OUT_DIR/<opt>/qemu.out, in the order of $opts.
files=()
for opt in $opts; do files+=("$outdir/${opt#-}/qemu.out"); done
awk -v opts="$opts" '
BEGIN {
  no = split(opts, on, " ")
  nm = split("person_detect vww96 ei_mbv2", models, " ")
  nk = split("lbl lbl_ref planned_first planned_steady plan parse lbl_w planned_first_w planned_steady_w widen", modes, " ")
  desc["lbl"] = "layer by layer, default kernels"
  desc["lbl_ref"] = "layer by layer, reference kernels"
  desc["planned_first"] = "smallest plan, first call (plan+run)"
  desc["planned_steady"] = "smallest plan, steady state"
  desc["plan"] = "nn_plan_create alone"
  desc["parse"] = "nn_model_parse alone"
  desc["lbl_w"] = "widened weights: layer by layer"
  desc["planned_first_w"] = "widened weights: smallest plan, first call"
  desc["planned_steady_w"] = "widened weights: smallest plan, steady"
  desc["widen"] = "nn_model_widen alone (once, at load)"
  split("? CONV_2D DEPTHWISE_CONV_2D AVERAGE_POOL_2D MEAN FULLY_CONNECTED RESHAPE SOFTMAX ADD PAD other", opn, " ")
  TPI = 1.28
}
FNR == 1 { fi++ }
$1 == "CALIB" { calib_n[fi, $2] = $3 }
$1 == "R" { ticks[fi, $2, $3] = $4; macs[$2] = $5; st[fi, $2, $3] = $6 }
$1 == "OP" { opseen[$3] = 1; opcnt[$3] = $4; opticks[fi, $3] = $5 }
END {
  printf "CCOUNT ticks per instruction (loop of 1M/2M addi+bnez; nominal 1.28):"
  for (i = 1; i <= no; i++) {
    a = calib_n[i, 1000000]; b = calib_n[i, 2000000]
    if (a != "" && b != "") printf "  %s %.4f (slope %.4f)", on[i], a / 1000000, (b - a) / 1000000
    else printf "  %s n/a", on[i]
  }
  printf "\n\nMillions of instructions (ticks/1.28) and instructions per MAC\n"
  printf "%-14s %-44s %10s", "model", "mode", "MACs"
  for (i = 1; i <= no; i++) printf " | %8s %8s", on[i] " Minstr", "i/MAC"
  printf "\n"
  for (mi = 1; mi <= nm; mi++) for (k = 1; k <= nk; k++) {
    m = models[mi]; md = modes[k]
    printf "%-14s %-44s %10s", m, desc[md], macs[m]
    for (i = 1; i <= no; i++) {
      t = ticks[i, m, md]; s = st[i, m, md]
      if (t == "") { printf " | %17s", "n/a"; continue }
      ins = t / TPI
      if (s != "ok") flag = " " s; else flag = ""
      if (md == "plan" || md == "parse" || md == "widen") printf " | %8.3f %8s", ins / 1e6, "-"
      else printf " | %8.1f %8.2f", ins / 1e6, (macs[m] > 0 ? ins / macs[m] : 0)
      if (flag != "") printf "%s", flag
    }
    printf "\n"
  }
  printf "\nperson_detect layer by layer (default kernels), per opcode: Minstr (share)\n"
  printf "%-20s %4s", "opcode", "ops"
  for (i = 1; i <= no; i++) printf " | %18s", on[i]
  printf "\n"
  for (oc = 0; oc <= 10; oc++) if (oc in opseen) {
    printf "%-20s %4d", opn[oc + 1], opcnt[oc]
    for (i = 1; i <= no; i++) {
      tot = 0; for (o = 0; o <= 10; o++) tot += opticks[i, o]
      t = opticks[i, oc]
      if (t == "") printf " | %18s", "n/a"
      else printf " | %8.1f (%5.1f%%)", t / TPI / 1e6, (tot > 0 ? 100 * t / tot : 0)
    }
    printf "\n"
  }
}' "${files[@]}"
