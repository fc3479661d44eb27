# xt_build.sh - sourced by run-suite.sh, bench.sh and profile.sh: the one recipe that cross-compiles
# the engine for bare-metal lx106 and links it into a program for qemu-system-xtensa -M sim.
#
# xt_build_elf OPT DIR NAME EXTRA_CFLAGS PROGRAM_SOURCES...
#   Compiles the engine (native-interop/src/{kernels,kernels/fast,kernels/scalar,model,planner,executor}),
#   the program's sources, xt_support.c, libgcc_extra.c, start.S and the embedded models and golden
#   data (embed.sh, into DIR/gen) at OPT with EXTRA_CFLAGS (one word list), objects in DIR/obj, and
#   links DIR/NAME.elf (map in DIR/NAME.map) with sim.ld and picolibc. Prints each compile and the
#   ELF's size; returns non-zero on the first failure, after naming a missing tool.
# Needs: $repo (the repository), $golden (../shared/golden); PICOLIBC_DIR overrides the picolibc path.
xt_build_elf() {
  local opt=$1 dir=$2 name=$3 extra=$4
  shift 4
  local here_b prefix=xtensa-lx106-elf- picolibc=${PICOLIBC_DIR:-/usr/lib/xtensa-lx106-elf} objs=() src obj
  local cc="${prefix}gcc"
  here_b=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  command -v "$cc" >/dev/null 2>&1 || { echo "error: $cc not found (apt-get install gcc-xtensa-lx106 binutils-xtensa-lx106)"; return 1; }
  [ -f "$picolibc/include/string.h" ] || { echo "error: picolibc not found in $picolibc (apt-get install picolibc-xtensa-lx106-elf)"; return 1; }
  command -v qemu-system-xtensa >/dev/null 2>&1 || { echo "error: qemu-system-xtensa not found (apt-get install qemu-system-misc)"; return 1; }
  # shellcheck disable=SC2206 # EXTRA_CFLAGS is a word list by design
  local cflags=("$opt" -std=c99 -mlongcalls -ffreestanding -ffunction-sections -fdata-sections -Wall -Wextra -Werror
                -isystem "$picolibc/include" -I "$repo/native-interop/include" -I "$repo/native-interop/src/model" $extra)
  mkdir -p "$dir/obj" "$dir/gen"
  "$here_b/embed.sh" "$dir/gen/embedded.c" "$repo/models" "$golden" || return 1
  for src in "$repo"/native-interop/src/{kernels,kernels/fast,kernels/scalar,model,planner,executor}/*.c \
             "$@" "$here_b/xt_support.c" "$here_b/libgcc_extra.c" "$dir/gen/embedded.c" "$here_b/start.S"; do
    obj="$dir/obj/$(echo "${src#$repo/}" | tr '/' '_').o"
    echo "$cc ... -c $src"
    "$cc" "${cflags[@]}" -c "$src" -o "$obj" || return 1
    objs+=("$obj")
  done
  "$cc" "$opt" -mlongcalls -nostdlib -T "$here_b/sim.ld" -Wl,--gc-sections -Wl,--no-warn-rwx-segments \
    -Wl,-Map="$dir/$name.map" -o "$dir/$name.elf" "${objs[@]}" -L "$picolibc/lib" \
    -Wl,--start-group -lc -lgcc -Wl,--end-group || return 1
  "${prefix}size" "$dir/$name.elf"
}
