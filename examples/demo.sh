#!/usr/bin/env bash
# The main job on the bundled example: install what is missing (Debian 12, as
# root), build kstack, compile examples/firmware with -fplugin=kstack.so, link
# and run it, print its stack budget table, and run kstack check twice: on the
# program as it is (passes) and after a bad patch that grows a buffer (fails).
# Exits 0 when every step did what it should, the failing check included.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${KSTACK_BUILD_DIR:-$top/build}

header() { printf '\n== %s\n' "$*"; }

header ".ci/setup --minimal: install what is missing, build kstack in $build"
"$top/.ci/setup" --minimal "$build"

kstack=$build/tool/kstack
out=$build/examples/firmware
# Built the way firmware is: -ffreestanding, so GCC calls no C library
# function the code does not (it would turn uart_print's loop into strlen).
# -z now binds write at load time: a lazily bound first call would run the
# dynamic linker's resolver on this stack (see examples/firmware/README.md).
cflags=(-std=c11 -Os -ffreestanding -Wall -Wextra -fplugin="$build/plugin/kstack.so")

compile_unit() { gcc-12 "${cflags[@]}" "${@:3}" -c "$1" -o "$2"; }
link_firmware() { gcc-12 -Wl,-z,now "$1"/*.o -o "$1/firmware"; }

# From the example's directory, so that the locations kstack prints read
# main.c:6:5 and kstack.ann:9.
cd "$top/examples/firmware"
rm -rf "$out"
mkdir -p "$out/patched"
for src in *.c; do
  compile_unit "$src" "$out/${src%.c}.o"
done
link_firmware "$out"

header "run $out/firmware"
"$out/firmware"

header "kstack report --annotations=kstack.ann firmware"
"$kstack" report --annotations=kstack.ann "$out/firmware"

header "kstack check --annotations=kstack.ann firmware (passes)"
"$kstack" check --annotations=kstack.ann "$out/firmware"

header "a bad patch: commands.c with -DECHO_BUFFER=1536, echo's buffer 128 -> 1536 bytes; kstack check (fails)"
cp "$out"/*.o "$out/patched"
compile_unit commands.c "$out/patched/commands.o" -DECHO_BUFFER=1536
link_firmware "$out/patched"
status=0
"$kstack" check --annotations=kstack.ann "$out/patched/firmware" 2>&1 || status=$?
if ((status != 1)); then
  echo "demo: kstack check exited $status on the patched firmware, expected 1" >&2
  exit 1
fi
echo "(exit status 1, as expected)"
