#!/usr/bin/env bash
# Builds the soundness suite (README.md): zcomp, jsonpp and pzip from this
# directory, with zlib from GCC's source tarball, and the firmware example
# from examples/firmware, every unit with the kstack plugin.
#
#   examples/soundness/build.sh CC PLUGIN OUTDIR
#
# e.g. build.sh gcc-12 /tmp/bdev/plugin/kstack.so /tmp/soundness. The
# programs are OUTDIR/{zcomp,jsonpp,pzip,firmware}; zlib's sources are
# extracted once into OUTDIR/zlib, objects go to OUTDIR/obj. The tarball is
# Debian's gcc-12-source package; KSTACK_GCC_TARBALL names another one.
# KSTACK_SUITE_CFLAGS are added to every compile and KSTACK_SUITE_LDFLAGS to
# every link (bench/guard_overhead.py builds a guarded suite with them).
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 CC PLUGIN OUTDIR" >&2
  exit 2
fi
cc=$1
plugin=$(realpath "$2")
mkdir -p "$3"
out=$(cd "$3" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
firmware_dir=$(cd "$here/../firmware" && pwd)
tarball=${KSTACK_GCC_TARBALL:-/usr/src/gcc-12/gcc-12.2.0-dfsg.tar.xz}

# zlib 1.2.11 as GCC 12 ships it: the sources deflate and inflate need and
# nothing else (no gz*, no compress/uncompress, no infback). Extracted into a
# temporary directory and renamed, so an interrupted run leaves no half tree.
zlib_files=(adler32.c crc32.c crc32.h deflate.c deflate.h inffast.c inffast.h inffixed.h
  inflate.c inflate.h inftrees.c inftrees.h trees.c trees.h zconf.h zlib.h zutil.c zutil.h)
if [[ ! -d $out/zlib ]]; then
  if [[ ! -f $tarball ]]; then
    echo "$0: error: $tarball not found (apt-get install gcc-12-source)" >&2
    exit 1
  fi
  partial=$(mktemp -d "$out/zlib.partial.XXXXXX")
  tar -xJf "$tarball" -C "$partial" --strip-components=2 "${zlib_files[@]/#/gcc-12.2.0/zlib/}"
  mv "$partial" "$out/zlib"
fi

# Every unit: optimised as a release would be, with the plugin recording its
# frame and calls.
read -r -a extra_cflags <<< "${KSTACK_SUITE_CFLAGS:-}"
read -r -a extra_ldflags <<< "${KSTACK_SUITE_LDFLAGS:-}"
base_flags=(-O2 -g -Wall -Wextra -fplugin="$plugin" "${extra_cflags[@]}")
# Z_SOLO: zlib without the C library (no default allocator, no gz* files,
# its own zmemcpy). Every unit that includes zlib.h is built with it, so all
# agree on the z_stream they share.
zlib_flags=("${base_flags[@]}" -DZ_SOLO)
# zlib's own code, unchanged: it marks its switch fall-throughs in a way
# GCC 12 does not recognise, and one macro of deflate.c is two statements.
zlib_quiet=(-Wno-implicit-fallthrough -Wno-multistatement-macros)
suite_flags=("${zlib_flags[@]}" -std=c11 -I"$out/zlib")
# The memory functions must not be compiled into calls to themselves.
mem_flags=("${base_flags[@]}" -std=c11 -fno-builtin -fno-tree-loop-distribute-patterns)
# Lazy binding would run the dynamic linker's resolver (_dl_runtime_resolve_xsavec,
# kilobytes of saved register state) on the caller's stack at the first call
# of read, write or pthread_create, a frame no record covers. -z now binds
# every symbol at load time, before main, so a call through the PLT is a
# plain jump (examples/firmware/README.md, "The write figure").
link_flags=("-Wl,-z,now" "${extra_ldflags[@]}")

# compile DIR SOURCE OBJECT FLAGS...: from DIR, so locations read as the
# source is named there (zcomp.c:42:5, deflate.c:1632:20).
compile() {
  local dir=$1 source=$2 object=$3
  shift 3
  (cd "$dir" && "$cc" "$@" -c "$source" -o "$object")
}

obj=$out/obj
mkdir -p "$obj/zlib" "$obj/common" "$obj/firmware"

zlib_objects=()
for source in adler32.c crc32.c deflate.c inffast.c inflate.c inftrees.c trees.c zutil.c; do
  compile "$out/zlib" "$source" "$obj/zlib/${source%.c}.o" "${zlib_flags[@]}" "${zlib_quiet[@]}"
  zlib_objects+=("$obj/zlib/${source%.c}.o")
done

compile "$here" common/mem.c "$obj/common/mem.o" "${mem_flags[@]}"
compile "$here" common/io.c "$obj/common/io.o" "${suite_flags[@]}"
compile "$here" common/zlib_arena.c "$obj/common/zlib_arena.o" "${suite_flags[@]}"
common_objects=("$obj/common/mem.o" "$obj/common/io.o")

compile "$here" zcomp.c "$obj/zcomp.o" "${suite_flags[@]}"
"$cc" "${link_flags[@]}" "$obj/zcomp.o" "$obj/common/zlib_arena.o" "${common_objects[@]}" \
  "${zlib_objects[@]}" -o "$out/zcomp"

compile "$here" jsonpp.c "$obj/jsonpp.o" "${suite_flags[@]}"
"$cc" "${link_flags[@]}" "$obj/jsonpp.o" "${common_objects[@]}" -o "$out/jsonpp"

compile "$here" pzip.c "$obj/pzip.o" "${suite_flags[@]}" -pthread
"$cc" "${link_flags[@]}" -pthread "$obj/pzip.o" "$obj/common/zlib_arena.o" \
  "${common_objects[@]}" "${zlib_objects[@]}" -o "$out/pzip"

# The firmware as its README builds it: -Os and -ffreestanding, so that GCC
# calls no C library function the code does not; -g as the rest here.
firmware_flags=(-std=c11 -Os -g -ffreestanding -Wall -Wextra -fplugin="$plugin" "${extra_cflags[@]}")
firmware_objects=()
for source in "$firmware_dir"/*.c; do
  source=${source##*/}
  compile "$firmware_dir" "$source" "$obj/firmware/${source%.c}.o" "${firmware_flags[@]}"
  firmware_objects+=("$obj/firmware/${source%.c}.o")
done
"$cc" "${link_flags[@]}" "${firmware_objects[@]}" -o "$out/firmware"
