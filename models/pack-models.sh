#!/usr/bin/env bash
# Regenerates the packed models shipped in models/ from the reference .tflite files in ../shared/refmodels.
# tests/Nanonet.Cli.Tests checks that the shipped files equal what this produces.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
ref="$repo/../shared/refmodels"
nanonet() { dotnet run --project "$repo/host-tools/Nanonet.Cli" -c Release -- "$@"; }
nanonet pack "$ref/tflm_person_detect_int8.tflite" -o "$repo/models/person_detect.nnb" --labels "$repo/models/person_detect.labels.txt"
nanonet pack "$ref/mlperf_tiny_vww_96_int8.tflite" -o "$repo/models/vww_96.nnb" --labels "$repo/models/vww_96.labels.txt"
nanonet pack "$ref/ei_mobilenetv2_035_96_gray_int8.tflite" -o "$repo/models/mobilenet_v2_035_96_gray.nnb" --labels "$repo/models/mobilenet_v2_035_96_gray.labels.txt"
