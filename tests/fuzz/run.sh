#!/usr/bin/env bash
# Builds the reader's libFuzzer target with clang (a build of its own: the
# main build uses gcc), makes a seed corpus with what the main build made (the
# plugin and the test encoder), and fuzzes for SECONDS (default 60). Any
# crash, sanitizer report, leak, input slower than 10 s, single allocation
# over 256 MB or RSS over 2 GB fails the run; libFuzzer saves the input under
# WORK/artifacts/ and prints how to replay it.
#
#   tests/fuzz/run.sh [SECONDS]
#
# Environment (defaults in brackets):
#   KSTACK_FUZZ_WORK     work directory [build/fuzz]: clang/ (the build),
#                        seeds/ (remade each run), corpus/ (kept, grows),
#                        artifacts/
#   KSTACK_FUZZ_PLUGIN   kstack.so for the real-object seeds [build/plugin/kstack.so]
#   KSTACK_FUZZ_CC       the GCC that plugin belongs to [gcc-12]
#   KSTACK_FUZZ_SEEDS    the encoder's seed writer, built with the tests
#                        [build/tests/fuzz/kstack_fuzz_seeds]
#   KSTACK_FUZZ_CLANG, KSTACK_FUZZ_CLANGXX   [clang-14, clang++-14]
#   KSTACK_FUZZ_ARGS     more libFuzzer flags, e.g. -fork=2 for two cores
set -euo pipefail

seconds=${1:-60}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$top/tests/fuzz
work=${KSTACK_FUZZ_WORK:-$top/build/fuzz}
plugin=${KSTACK_FUZZ_PLUGIN:-$top/build/plugin/kstack.so}
seed_writer=${KSTACK_FUZZ_SEEDS:-$top/build/tests/fuzz/kstack_fuzz_seeds}
cc=${KSTACK_FUZZ_CC:-gcc-12}
cxx=${cc/gcc/g++}
clang=${KSTACK_FUZZ_CLANG:-clang-14}
clangxx=${KSTACK_FUZZ_CLANGXX:-clang++-14}

# Only the reader and the fuzz target: see KSTACK_FUZZ in the top-level
# CMakeLists.txt.
cmake -S "$top" -B "$work/clang" -G Ninja -DKSTACK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$clang" -DCMAKE_CXX_COMPILER="$clangxx" >/dev/null
cmake --build "$work/clang"
fuzzer=$work/clang/tests/fuzz/kstack_fuzz_reader

seeds=$work/seeds
rm -rf "$seeds"
mkdir -p "$seeds" "$work/corpus" "$work/artifacts"
if [[ -x $seed_writer ]]; then
  "$seed_writer" "$seeds"
else
  echo "kstack fuzz: no $seed_writer (a build with tests makes it): no encoder seeds" >&2
fi

# Real objects: what the plugin writes at two levels with every recorded
# feature, C++ thunks, an `ld -r` output (several notes in one section), a
# shared object, a regular and a thin archive. The thin archive's members
# are not found when the fuzzer reads it (see fuzz_reader.cc).
if [[ -f $plugin ]]; then
  objects=$work/objects
  rm -rf "$objects"
  mkdir -p "$objects"
  flags=(-fplugin="$plugin" -fPIC -pg -mfentry -freorder-blocks-and-partition)
  "$cc" -O0 -c "$here/seed_sources/calls.c" -o "$objects/calls-O0.o" "${flags[@]}"
  "$cc" -O2 -c "$here/seed_sources/calls.c" -o "$objects/calls-O2.o" "${flags[@]}"
  "$cxx" -O2 -c "$here/seed_sources/thunks.cc" -o "$objects/thunks.o" "${flags[@]}"
  "$cc" -r "$objects/calls-O2.o" "$objects/thunks.o" -o "$objects/linked-r.o"
  "$cc" -shared -nostdlib "$objects/calls-O0.o" -o "$objects/shared.so"
  ar rcs "$objects/lib.a" "$objects/calls-O2.o" "$objects/thunks.o"
  ar rcsT "$objects/thin.a" "$objects/calls-O0.o" "$objects/thunks.o"
  cp "$objects"/* "$seeds/"
else
  echo "kstack fuzz: no plugin at $plugin: no real-object seeds" >&2
fi

# Symbolized sanitizer reports, if clang's llvm-symbolizer is installed
# (Debian: llvm-14); without it reports show addresses only.
symbolizer=$("$clang" -print-prog-name=llvm-symbolizer)
[[ -x $symbolizer ]] && export ASAN_SYMBOLIZER_PATH=$symbolizer

# -max_len: 64 KiB holds every seed and a note of a few hundred functions.
# ASan's leak check runs after every input that allocated more than it freed.
args=(-max_len=65536 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=256 -detect_leaks=1
      -dict="$here/reader.dict" -max_total_time="$seconds" -print_final_stats=1
      -artifact_prefix="$work/artifacts/")
read -r -a extra <<<"${KSTACK_FUZZ_ARGS:-}"
echo "kstack fuzz: $fuzzer ${args[*]} ${extra[*]} $work/corpus $seeds"
"$fuzzer" "${args[@]}" "${extra[@]}" "$work/corpus" "$seeds"
