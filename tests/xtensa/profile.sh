#!/usr/bin/env bash
# profile.sh [MODEL] [planned|lbl] [OPT] [OUT_DIR] - where the emulated core's instructions go, by function.
# Builds profile_main.c with the engine for bare-metal lx106 (as bench.sh), runs MODEL (person_detect, vww96,
# ei_mbv2; default person_detect) XT_PROFILE_RUNS (4) times, its weights widened as the interop widens them unless
# XT_PROFILE_WIDEN=0, under qemu-system-xtensa with the TCG plugin
# tb_profile.c (built here with the host's cc), and prints instructions per run for the top functions
# (nm symbols; inlined code counts in its caller) and the hottest translation blocks with their
# instructions (objdump). A development tool, not a test: bench.sh's figures are the ones to quote.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
model=${1:-person_detect}
mode=${2:-planned}
opt=${3:--O2}
out=${4:-$repo/build/xtensa-profile}
runs=${XT_PROFILE_RUNS:-4}
golden=${NANONET_GOLDEN_DIR:-$(cd "$repo/.." && pwd)/shared/golden}
mkdir -p "$out"
planned=1; [ "$mode" = lbl ] && planned=0
cc_host=${CC_HOST:-cc}
"$cc_host" -shared -fPIC -O2 -o "$out/tb_profile.so" "$here/tb_profile.c"
# shellcheck source=xt_build.sh
. "$here/xt_build.sh"
xt_build_elf "$opt" "$out" profile \
  "-DXT_PROFILE_MODEL=\"$model\" -DXT_PROFILE_PLANNED=$planned -DXT_PROFILE_RUNS=$runs -DXT_PROFILE_WIDEN=${XT_PROFILE_WIDEN:-1}" "$here/profile_main.c" >"$out/build.log"
PROF_OUT="$out/tb_profile.txt" timeout 600 qemu-system-xtensa -M sim -cpu lx106 -m 8M -semihosting -nographic \
  -monitor none -plugin "$out/tb_profile.so" -kernel "$out/profile.elf" </dev/null | tee "$out/qemu.out"
xtensa-lx106-elf-nm -n --defined-only "$out/profile.elf" | grep -i ' t ' >"$out/syms.txt"
xtensa-lx106-elf-objdump -d "$out/profile.elf" >"$out/disasm.txt"
python3 - "$out" "$runs" <<'PY'
import bisect, re, sys
out, runs = sys.argv[1], int(sys.argv[2])
syms = sorted((int(a, 16), n) for a, _, n in (l.split() for l in open(out + '/syms.txt')))
addrs = [a for a, _ in syms]
dis, order = {}, []
for l in open(out + '/disasm.txt'):
    m = re.match(r'\s*([0-9a-f]+):\s+[0-9a-f ]+\s+(\S.*)$', l)
    if m:
        a = int(m.group(1), 16); dis[a] = m.group(2).strip(); order.append(a)
index = {a: i for i, a in enumerate(order)}
total, blocks = {}, []
for l in open(out + '/tb_profile.txt'):
    pc, n, c = (int(x, 16) if i == 0 else int(x) for i, x in enumerate(l.split()))
    i = bisect.bisect_right(addrs, pc) - 1
    name = syms[i][1] if i >= 0 else '?'
    total[name] = total.get(name, 0) + c
    blocks.append((c, pc, n, name))
whole = sum(total.values())
print(f"\ninstructions per run ({runs} runs; parsing and planning happen once): {whole / runs / 1e6:.2f} M")
for name, c in sorted(total.items(), key=lambda kv: -kv[1])[:20]:
    print(f"{c / runs / 1e6:9.3f} M {100 * c / whole:5.1f}%  {name}")
print("\nhottest blocks:")
for c, pc, n, name in sorted(blocks, reverse=True)[:6]:
    print(f"== {name} {pc:#x}: {n} instructions, {c // n // runs} executions and {c / runs / 1e6:.3f} M a run")
    if pc in index:
        for a in order[index[pc]:index[pc] + min(n, 24)]:
            print("     " + dis[a])
PY
