#!/usr/bin/env bash
# The main job on the bundled example: install what is missing (Debian 12, as
# root), build kstack, compile examples/firmware with -fplugin=kstack.so, link
# it, and print what the plugin recorded in the program.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${KSTACK_BUILD_DIR:-$top/build}
"$top/.ci/setup" --minimal "$build"

out=$build/examples/firmware
mkdir -p "$out"
for src in "$top"/examples/firmware/*.c; do
  gcc-12 -Os -Wall -c "$src" -o "$out/$(basename "${src%.c}").o" -fplugin="$build/plugin/kstack.so"
done
gcc-12 "$out"/*.o -o "$out/firmware"
"$out/firmware" >/dev/null
echo "== kstack dump $out/firmware"
"$build/tool/kstack" dump "$out/firmware"
