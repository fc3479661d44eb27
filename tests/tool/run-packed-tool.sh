#!/usr/bin/env bash
# run-packed-tool.sh WORK_DIR JUNIT_OUT [CONFIGURATION]
# The .NET tool as a user gets it (nf.proj's Test target, after the cross suites): packs host-tools/Nanonet.Cli
# (`dotnet pack --no-build`: the projects are built; the pack publishes them and adds the engines, the cross ones from
# build/native-linux-arm64 and build/native-win-x64), checks the package's native assets entry by entry, installs it
# with `dotnet tool install` from the package alone (a NuGet config with only WORK_DIR/package, a fresh packages folder),
# and runs `nanonet --version` and `nanonet run` from the installed tool on linux-x64. One JUnit test case per check;
# a check that cannot run because an earlier one failed fails too, naming it. Always exits 0: the summariser decides.
set -u
work=$1
junit=$2
config=${3:-Release}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rm -rf "$work"
mkdir -p "$work" "$(dirname "$junit")"
work=$(cd "$work" && pwd)
log="$work/log.txt"
: >"$log"
cases=""
xml_escape() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g'; }
# record NAME PROBLEM(empty: passed) DETAIL
record() {
  local name=$1 problem=$2 detail=${3:-}
  if [ -z "$problem" ]; then
    echo "packed tool: ok     $name"
    cases+="  <testcase name=\"$name\" classname=\"packed-tool\"><system-out>$(printf '%s' "$detail" | xml_escape)</system-out></testcase>"$'\n'
  else
    echo "packed tool: FAILED $name: $problem"
    cases+="  <testcase name=\"$name\" classname=\"packed-tool\"><failure message=\"$(printf '%s' "$problem" | xml_escape)\"/><system-out>$(printf '%s' "$detail" | xml_escape)</system-out></testcase>"$'\n'
  fi
}

# Reads SIZE bytes at OFFSET of a package entry as one lowercase hex string.
entry_hex() { unzip -p "$nupkg" "$1" 2>/dev/null | od -An -tx1 -j "$2" -N "$3" | tr -d ' \n'; }
# The machine an ELF or PE file is built for, as its header says: elf-x86-64, elf-aarch64, pe-x86-64, or what it is.
machine_of() {
  local entry=$1 magic
  magic=$(entry_hex "$entry" 0 4)
  if [ "$magic" = 7f454c46 ]; then
    case $(entry_hex "$entry" 18 2) in 3e00) echo elf-x86-64 ;; b700) echo elf-aarch64 ;; *) echo "elf-machine-$(entry_hex "$entry" 18 2)" ;; esac
  elif [ "${magic:0:4}" = 4d5a ]; then
    local pe_hex pe
    pe_hex=$(entry_hex "$entry" 60 4)
    pe=$(( 16#${pe_hex:6:2}${pe_hex:4:2}${pe_hex:2:2}${pe_hex:0:2} ))
    if [ "$(entry_hex "$entry" "$pe" 4)" = 50450000 ]; then
      case $(entry_hex "$entry" $((pe + 4)) 2) in 6486) echo pe-x86-64 ;; 64aa) echo pe-arm64 ;; *) echo "pe-machine-$(entry_hex "$entry" $((pe + 4)) 2)" ;; esac
    else
      echo "mz-without-pe"
    fi
  else
    echo "not-elf-or-pe(${magic:-missing})"
  fi
}

# 1. Pack.
nupkg=""
if dotnet pack "$repo/host-tools/Nanonet.Cli" -c "$config" --no-build -o "$work/package" -nologo -v:minimal >>"$log" 2>&1; then
  nupkg=$(find "$work/package" -maxdepth 1 -name 'Nanonet.Cli.*.nupkg' | head -n 1)
fi
if [ -n "$nupkg" ]; then
  record pack "" "$(basename "$nupkg"), $(stat -c %s "$nupkg") bytes"
else
  record pack "dotnet pack failed or made no Nanonet.Cli package: $(grep -E 'error' "$log" | head -n 1)" "$(tail -n 5 "$log")"
fi

# 2. The native assets, one case per runtime: the engine and SkiaSharp's library, built for that machine; and nothing
#    else native: no engine beside the assemblies, no other runtime, no .pdb.
root=tools/net10.0/any
for spec in linux-x64:libnanonet.so:libSkiaSharp.so:elf-x86-64:build/native-lib \
            linux-arm64:libnanonet.so:libSkiaSharp.so:elf-aarch64:build/native-linux-arm64 \
            win-x64:libnanonet.dll:libSkiaSharp.dll:pe-x86-64:build/native-win-x64; do
  IFS=: read -r rid engine skia machine builddir <<<"$spec"
  name="contents_$rid"
  if [ -z "$nupkg" ]; then record "$name" "not checked: the pack failed"; continue; fi
  problem=""
  for entry in "$root/runtimes/$rid/native/$engine" "$root/runtimes/$rid/native/$skia"; do
    got=$(machine_of "$entry")
    [ "$got" = "$machine" ] || problem+="$entry is $got, not $machine; "
  done
  # The engine packed is the one built (and, for the cross runtimes, whose build ran the C suites) in the repository.
  if [ -z "$problem" ] && ! unzip -p "$nupkg" "$root/runtimes/$rid/native/$engine" | cmp -s - "$repo/$builddir/native-interop/$engine"; then
    problem+="the packed $engine differs from $builddir/native-interop/$engine; "
  fi
  record "$name" "${problem%; }" "$rid: $engine and $skia, $machine"
done
if [ -n "$nupkg" ]; then
  listing=$(unzip -Z1 "$nupkg")
  stray=$(printf '%s\n' "$listing" | grep -E "^$root/[^/]*(libnanonet|libSkiaSharp)" ;
          printf '%s\n' "$listing" | grep -E "^$root/runtimes/" | grep -vE "^$root/runtimes/(linux-x64|linux-arm64|win-x64)/native/[^/]+$" ;
          printf '%s\n' "$listing" | grep -E "^$root/runtimes/.*\.pdb$")
  [ -n "$(printf '%s\n' "$listing" | grep -x "$root/nanonet.dll")" ] || stray+=" (no $root/nanonet.dll: the tool's assembly is missing)"
  record contents_nothing_else "${stray:+unexpected: $(printf '%s' "$stray" | tr '\n' ' ')}" "$(printf '%s\n' "$listing" | grep -c "^$root/runtimes/") native entries"
else
  record contents_nothing_else "not checked: the pack failed"
fi

# 3. Install it as a user would, from the package alone.
tool=""
if [ -n "$nupkg" ]; then
  version=$(basename "$nupkg" .nupkg); version=${version#Nanonet.Cli.}
  cat >"$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="packed-tool" value="$work/package" />
  </packageSources>
</configuration>
XML
  if NUGET_PACKAGES="$work/nuget-packages" dotnet tool install --tool-path "$work/tools" --configfile "$work/nuget.config" \
       Nanonet.Cli --version "$version" >>"$log" 2>&1 && [ -x "$work/tools/nanonet" ]; then
    tool="$work/tools/nanonet"
    record install "" "dotnet tool install --tool-path $work/tools Nanonet.Cli $version"
  else
    record install "dotnet tool install failed: $(tail -n 1 "$log")"
  fi
else
  record install "not run: the pack failed"
fi

# 4. Run it (linux-x64): --version, and a picture through the engine and SkiaSharp from runtimes/linux-x64/native/,
#    with exactly the output of the repository's own build.
if [ -n "$tool" ]; then
  out=$(cd "$work" && "$tool" --version 2>&1); status=$?
  if [ $status -eq 0 ] && [[ "$out" == "$version"* ]]; then record version "" "$out"; else record version "nanonet --version: exit $status, '$out' (expected $version...)"; fi

  expected=$(cd "$repo" && dotnet "host-tools/Nanonet.Cli/bin/$config/net10.0/nanonet.dll" run models/person_detect.nnb samples/person.png samples/no_person.png 2>&1)
  out=$(cd "$repo" && "$tool" run models/person_detect.nnb samples/person.png samples/no_person.png 2>&1); status=$?
  if [ $status -eq 0 ] && [ "$out" = "$expected" ] && [[ "$out" == "samples/person.png: person "* ]]; then
    record run "" "$out"
  else
    record run "nanonet run: exit $status, '$(printf '%s' "$out" | head -n 1)' (the repository's build: '$(printf '%s' "$expected" | head -n 1)')" "$out"
  fi
else
  record version "not run: the tool is not installed"
  record run "not run: the tool is not installed"
fi

count=$(printf '%s' "$cases" | grep -c '<testcase')
cat >"$junit" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="packed-tool" tests="$count">
$cases</testsuite>
XML
failed=$(printf '%s' "$cases" | grep -c '<failure')
echo "packed tool: $((count - failed)) passed, $failed failed (log: $log)"
exit 0
