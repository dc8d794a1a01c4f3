#!/usr/bin/env bash
# The Linux kernel with kstack, end to end: builds Debian's linux-source-6.1
# out of tree (O=) with KCFLAGS="-fplugin=kstack.so -fstack-usage", reads the
# notes of vmlinux.o and of every module object into the whole-kernel stack
# budget table, and checks, failing loudly:
#
#   a. warnings   the plugin build prints no warning the plain build does not
#                 (none about orphan sections in particular);       [--identity]
#   b. vmlinux    the plain and plugin vmlinux have the same loaded (ALLOC)
#                 sections: names, types, flags, addresses, sizes and bytes;
#                 .discard.kstack is in vmlinux.o and not in vmlinux [--identity]
#   c. frames     for every plugin-built X.o with an X.su next to it,
#                 `kstack dump --format=su X.o` equals X.su as a sorted list;
#   c'. calls     each function's callees equal the X.ci edges, or differ
#                 only by calls its disassembly confirms          [--calls]
#   c''. records  every function in vmlinux.o's code has a record, except
#                 assembly (.S sources, top-level asm in C), listed and counted;
#   d. code       every object built in both trees is the same once
#                 .discard.kstack is removed from both copies     [--identity]
#   e. size       note bytes against .text* bytes, function counts;
#   e'. table     `kstack report` on vmlinux.o and the modules (each module
#                 linked on its own, its calls into vmlinux resolved) with the
#                 kernel profile (kstack-linux-profile): the schema's
#                 invariants, complete depths equal to bench/depth_oracle.py's,
#                 the syscall entries with their worst paths, `kstack check`,
#                 the HTML page in headless Chromium against the JSON table;
#   h. caches     the kernel built through ccache (cold, then from the
#                 cache) and through distcc on two local distccd servers
#                 gives byte-identical kstack tables              [--caches]
#   i. frame warnings  the units that can warn compiled again at
#                 CONFIG_FRAME_WARN and at 256 bytes, by GCC alone and with
#                 kstack.so and the table of e': kstack flags exactly the
#                 functions GCC flags, each warning with notes
#                 (kstack-frame-warnings);
#   g. planted    an external module with a path deeper than its budget
#                 (examples/linux/overflow), built with kstack-kbuild, fails
#                 the build with the path printed;                 [modules]
#   f. summary    a block of figures to paste into a README.
#
# With --identity the tree is also built without the plugin, and built so a
# second time if the plain and plugin builds differ anywhere. The second
# plain build is the reproducibility baseline: whatever differs between two
# plain builds is not the plugin's doing, so it is listed as inherently
# non-reproducible and left out of the plain-vs-plugin verdict (anything else
# that differs is a failure). Two things make kernel builds differ, and both
# are removed here:
#   - init/version-timestamp.o, compiled at every link, puts the time, user,
#     host and build number (#N, counted in .version) into linux_banner and
#     init_uts_ns, i.e. into .rodata and .data of vmlinux: KBUILD_BUILD_*
#     are fixed below;
#   - the absolute O= directory is written into the debug info of the
#     realmode .S objects (arch/x86/realmode/rm/*.o) and of objtool's host
#     objects (tools/objtool/*.o): every build runs in the same directory,
#     $work/build.ARCH-CONFIG, and is then renamed.
# With both, two plain builds are byte-identical, vmlinux and every object.
#
# Usage: kstack-kernel.sh [options] [PLUGIN [TOOL]]
#   PLUGIN            kstack.so for the arch's compiler (or $KSTACK_PLUGIN)
#   TOOL              the kstack tool (or $KSTACK_TOOL)
#   --arch=ARCH       x86_64 (default), arm64 or arm, built with gcc-12 or
#                     Debian's gcc-12-aarch64-linux-gnu / -arm-linux-gnueabihf
#   --config=CONFIG   small (default): tinyconfig plus syscalls, a filesystem,
#                     networking and modules (examples/linux/small.config,
#                     then small-ARCH.config if there is one);
#                     tinyconfig; defconfig (the arch's defconfig, long)
#   --identity        also build without the plugin (checks a, b, d)
#   --calls           also write -fcallgraph-info=su and check c'
#   --caches          also build through ccache twice and through distcc with
#                     two distccd servers on 127.0.0.1 (check h)
# Environment:
#   KSTACK_KERNEL_WORK   work directory (default /var/tmp/kstack-kernel)
#   KSTACK_KERNEL_REUSE  1: keep finished builds made from the same plugin,
#                        flags and source instead of rebuilding (for rerunning
#                        the checks); the default rebuilds everything
# Exit status: 0 when every check passed, 1 when one failed, 2 on bad usage.
# Runs as root on Debian 12 (root is needed only to install missing packages).
set -euo pipefail
# The whole script is one brace group, which bash reads to the end before it
# runs any of it: editing the file during a run cannot derail that run.
{

usage() {
  sed -n '/^# Usage:/,/^# Runs as root/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}
arch=x86_64 config=small identity=0 calls=0 caches=0 positional=()
for arg; do
  case $arg in
    --arch=*) arch=${arg#--arch=} ;;
    --config=*) config=${arg#--config=} ;;
    --identity) identity=1 ;;
    --calls) calls=1 ;;
    --caches) caches=1 ;;
    -h | --help) usage ;;
    -*) echo "kstack-kernel: error: unknown option '$arg'" >&2; usage ;;
    *) positional+=("$arg") ;;
  esac
done
((${#positional[@]} <= 2)) || usage
plugin=${positional[0]:-${KSTACK_PLUGIN-}}
tool=${positional[1]:-${KSTACK_TOOL-}}
[[ -n $plugin && -n $tool ]] || usage
case $arch in
  x86_64) cross="" cc=gcc-12 cross_packages=() syscall_prefix=__x64_sys_ ;;
  arm64) cross=aarch64-linux-gnu- syscall_prefix=__arm64_sys_
    cross_packages=(gcc-12-aarch64-linux-gnu binutils-aarch64-linux-gnu gcc-12-plugin-dev-aarch64-linux-gnu) ;;
  # No syscall wrappers on arm: SYSCALL_DEFINEx's body is __se_sys_X,
  # aliased sys_X; SYSCALL_DEFINE0 defines sys_X itself.
  arm) cross=arm-linux-gnueabihf- syscall_prefix='(__se_)?sys_'
    cross_packages=(gcc-12-arm-linux-gnueabihf binutils-arm-linux-gnueabihf gcc-12-plugin-dev-arm-linux-gnueabihf) ;;
  *) echo "kstack-kernel: error: unknown arch '$arch' (x86_64, arm64 or arm)" >&2; exit 2 ;;
esac
[[ -n $cross ]] && cc=${cross}gcc-12
case $config in
  small | tinyconfig | defconfig) ;;
  *) echo "kstack-kernel: error: unknown config '$config' (small, tinyconfig or defconfig)" >&2; exit 2 ;;
esac
[[ -f $plugin ]] || { echo "kstack-kernel: error: no plugin '$plugin'" >&2; exit 2; }
[[ -x $tool ]] || { echo "kstack-kernel: error: no tool '$tool'" >&2; exit 2; }
plugin=$(realpath "$plugin")
tool=$(realpath "$tool")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench=$here/../../bench

work=${KSTACK_KERNEL_WORK:-/var/tmp/kstack-kernel}
reuse=${KSTACK_KERNEL_REUSE:-0}
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=$(nproc)
flavour=$arch-$config
export LC_ALL=C

# Fixed so that two builds of the same tree are byte-identical.
export KBUILD_BUILD_TIMESTAMP='Sun Jan  1 00:00:00 UTC 2023'
export KBUILD_BUILD_USER=kstack
export KBUILD_BUILD_HOST=kstack
export KBUILD_BUILD_VERSION=1

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
section() { printf '\n== %s\n' "$*"; }

# --- 1. packages -------------------------------------------------------------
packages=(linux-source-6.1 build-essential flex bison bc libssl-dev libelf-dev
  cpio xz-utils binutils jq gcc-12 "${cross_packages[@]}")
((caches)) && packages+=(ccache distcc)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  section "installing ${missing[*]}"
  ((EUID == 0)) || { echo "kstack-kernel: error: must be root to install ${missing[*]}" >&2; exit 2; }
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- 2. source and builds ------------------------------------------------------
mkdir -p "$work/logs"
src=$work/src/linux-source-6.1
tar_id="$(stat -c '%s %Y' "$tarball") $tarball"
# Runs for several arches may start together (ctest -j): one unpacks, the
# others wait for it.
exec {lock}>"$work/src.lock"
flock "$lock"
if [[ ! -f $work/src/.unpacked || $(<"$work/src/.unpacked") != "$tar_id" ]]; then
  section "unpacking $tarball"
  rm -rf "$work/src"
  mkdir -p "$work/src"
  tar -xJf "$tarball" -C "$work/src"
  echo "$tar_id" >"$work/src/.unpacked"
fi
flock -u "$lock"

# Run on private copies: a rebuild of the plugin in the middle of the kernel
# build would otherwise fail it ("invalid ELF header") or mix two plugins.
bin=$work/bin/$flavour
mkdir -p "$bin"
cp "$plugin" "$bin/kstack.so.new" && mv "$bin/kstack.so.new" "$bin/kstack.so"
cp "$tool" "$bin/kstack.new" && mv "$bin/kstack.new" "$bin/kstack"
plugin=$bin/kstack.so
tool=$bin/kstack
plugin_sum=$(sha256sum "$plugin" | cut -d' ' -f1)
declare -A build_seconds

# The make variables of every build of this arch.
make_vars=(ARCH="$arch" CC="$cc" HOSTCC=gcc)
[[ -n $cross ]] && make_vars+=(CROSS_COMPILE="$cross")

# small.config, then small-ARCH.config where an arch needs more (a machine
# to build for, on arm)
small_fragments=("$here/small.config")
[[ -f $here/small-$arch.config ]] && small_fragments+=("$here/small-$arch.config")

# configure DIR: the .config of $config in the build directory DIR
configure() {
  local dir=$1
  case $config in
    tinyconfig) make -C "$src" O="$dir" "${make_vars[@]}" tinyconfig ;;
    defconfig) make -C "$src" O="$dir" "${make_vars[@]}" defconfig ;;
    small)
      make -C "$src" O="$dir" "${make_vars[@]}" tinyconfig
      "$src/scripts/kconfig/merge_config.sh" -m -O "$dir" "$dir/.config" "${small_fragments[@]}"
      make -C "$src" O="$dir" "${make_vars[@]}" olddefconfig ;;
  esac
}

# build NAME KCFLAGS: make vmlinux (and the modules, if the config has them)
# in $work/build.$flavour, renamed to $work/$flavour-NAME when done; the log
# is logs/$flavour-NAME.log
# COMPILER, if given, replaces CC: "ccache gcc-12", "distcc WRAPPER".
build() {
  local name=$1 kcflags=$2 compiler=${3-} out=$work/$flavour-$1 log=$work/logs/$flavour-$1.log
  local tmpdir=$work/build.$flavour
  local key="$tar_id|$flavour|$kcflags|$compiler|$(cat "${small_fragments[@]}" | sha256sum | cut -c1-16)"
  [[ $kcflags == *-fplugin=* ]] && key+="|$plugin_sum"
  if [[ $reuse == 1 && -f $out/.kstack-done && $(head -n1 "$out/.kstack-done") == "$key" ]]; then
    build_seconds[$name]=$(sed -n 2p "$out/.kstack-done")
    echo "$name: reusing the build of ${build_seconds[$name]} s"
    return
  fi
  rm -rf "$out" "$tmpdir"
  mkdir -p "$tmpdir"
  echo "$name: building (KCFLAGS='$kcflags'), log in $log"
  local start=$EPOCHREALTIME targets=(vmlinux)
  if ! {
    configure "$tmpdir" &&
      { grep -q '^CONFIG_MODULES=y' "$tmpdir/.config" && targets+=(modules) || true; } &&
      make -C "$src" O="$tmpdir" "${make_vars[@]}" ${compiler:+CC="$compiler"} \
        KCFLAGS="$kcflags" -j"${build_jobs:-$jobs}" "${targets[@]}"
  } >"$log" 2>&1; then
    grep -E 'error|Error' "$log" | head -n 20 || true
    echo "kstack-kernel: error: the $name build failed, see $log" >&2
    exit 1
  fi
  build_seconds[$name]=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
  mv "$tmpdir" "$out"
  printf '%s\n%s\n' "$key" "${build_seconds[$name]}" >"$out/.kstack-done"
  echo "$name: ${build_seconds[$name]} s"
}

section "building linux 6.1 $config $arch with -j$jobs"
# -fplugin-arg-kstack-exclude as kstack-kbuild passes it: only relocatable
# links keep the note, so the vDSO of arm64 and arm, whose linker script has
# no rule for .discard.*, gets no orphan section (docs/note-format.md).
kcflags="-fplugin=$plugin -fplugin-arg-kstack-exclude -fstack-usage"
((calls)) && kcflags+=" -fcallgraph-info=su"
((identity)) && build plain ""
build plugin "$kcflags"

plain=$work/$flavour-plain plain2=$work/$flavour-plain2 plugged=$work/$flavour-plugin
# The second plain build is made only when the plain and plugin builds
# differ somewhere, to tell the plugin's doing from what no build reproduces.
ensure_plain2() {
  [[ -f $plain2/.kstack-done ]] && return
  section "the builds differ: a second plain build tells what is reproducible"
  build plain2 ""
}
tmp=$(mktemp -d "$work/check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if ((identity)) && ! cmp -s "$plain/.config" "$plugged/.config"; then
  fail ".config differs between the plain and the plugin build"
  diff "$plain/.config" "$plugged/.config" | head -n 20 || true
fi

# --- 3a. warnings --------------------------------------------------------------
# Without --identity there is no plain build to compare with: only compiler
# and plugin diagnostics are looked for.
section "a. warnings"
# kstack's -Wframe-larger-than warnings add the .su frame to GCC's words.
warnings() {
  grep -E 'warning:' "$work/logs/$flavour-$1.log" | sed -E "s/ \(.-fstack-usage.: [^)]*\)//" |
    sort || true
}
new_warnings=n/a
if ((identity)); then
warnings plain >"$tmp/w.plain"
warnings plugin >"$tmp/w.plugin"
comm -13 "$tmp/w.plain" "$tmp/w.plugin" >"$tmp/w.new"
new_warnings=$(wc -l <"$tmp/w.new")
echo "plain build: $(wc -l <"$tmp/w.plain") warning lines; plugin build: $(wc -l <"$tmp/w.plugin"); new in the plugin build: $new_warnings"
if ((new_warnings)); then
  fail "the plugin build prints $new_warnings warning(s) the plain build does not:"
  head -n 20 "$tmp/w.new"
fi
fi
plugin_log=$work/logs/$flavour-plugin.log
if grep -qi orphan "$plugin_log"; then
  fail "the plugin build mentions orphan sections:"
  grep -m 10 -i orphan "$plugin_log"
fi
if grep -qE 'internal compiler error|kstack(\.so)?: (error|warning)' "$plugin_log"; then
  fail "the plugin build has compiler or plugin diagnostics:"
  grep -m 10 -E 'internal compiler error|kstack(\.so)?: (error|warning)' "$plugin_log"
fi

# --- 3b. vmlinux -----------------------------------------------------------------
# loaded_sections ELF: "name type addr offset size flags" per ALLOC section
loaded_sections() {
  readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' |
    awk 'NF >= 10 && $7 ~ /A/ { print $1, $2, $3, $4, $5, $7 }'
}
# differing_loaded_sections A B: the names of loaded sections that differ
# between A and B in header (offset aside) or bytes, or exist in only one
differing_loaded_sections() {
  local a=$1 b=$2 name type addr off size flags
  declare -A header_a=() off_a=()
  while read -r name type addr off size flags; do
    header_a[$name]="$type $addr $size $flags"
    off_a[$name]=$off
  done < <(loaded_sections "$a")
  while read -r name type addr off size flags; do
    if [[ -z ${header_a[$name]-} ]]; then
      echo "$name (only in $b)"
      continue
    fi
    if [[ ${header_a[$name]} != "$type $addr $size $flags" ]]; then
      echo "$name (header: ${header_a[$name]} vs $type $addr $size $flags)"
    elif [[ $type != NOBITS ]] &&
      ! cmp -s -i "$((16#${off_a[$name]})):$((16#$off))" -n "$((16#$size))" "$a" "$b"; then
      echo "$name (contents)"
    fi
    unset "header_a[$name]"
  done < <(loaded_sections "$b")
  for name in "${!header_a[@]}"; do echo "$name (only in $a)"; done
}

loaded_count=$(loaded_sections "$plugged/vmlinux" | wc -l)
vmlinux_differing=n/a vmlinux_identical=n/a
if ((identity)); then
section "b. vmlinux loaded sections"
loaded_count=$(loaded_sections "$plain/vmlinux" | wc -l)
differing_loaded_sections "$plain/vmlinux" "$plugged/vmlinux" >"$tmp/vmdiff"
: >"$tmp/repro"
if [[ -s $tmp/vmdiff ]]; then
  ensure_plain2
  differing_loaded_sections "$plain/vmlinux" "$plain2/vmlinux" >"$tmp/repro"
  if [[ -s $tmp/repro ]]; then
    echo "inherently non-reproducible (differ between the two plain builds), left out below:"
    sed 's/^/  /' "$tmp/repro"
  fi
fi
vmlinux_differing=0
while read -r line; do
  if grep -qxF -- "${line%% *}" <(cut -d' ' -f1 "$tmp/repro"); then
    echo "differs, but also between plain builds: $line"
  else
    fail "vmlinux section $line differs between the plain and the plugin build"
    vmlinux_differing=$((vmlinux_differing + 1))
  fi
done <"$tmp/vmdiff"
((vmlinux_differing)) || echo "plain and plugin vmlinux: $loaded_count loaded sections identical (names, types, flags, addresses, sizes, bytes)"
vmlinux_identical=no
cmp -s "$plain/vmlinux" "$plugged/vmlinux" && vmlinux_identical=yes
echo "plain and plugin vmlinux files byte-identical: $vmlinux_identical"
fi
if readelf -SW "$plugged/vmlinux" | grep -qF .discard.kstack; then
  fail "vmlinux has a .discard.kstack section"
fi
if ! readelf -SW "$plugged/vmlinux.o" | grep -qF .discard.kstack; then
  fail "vmlinux.o has no .discard.kstack section"
fi

# --- 3c. frames --------------------------------------------------------------------
section "c. kstack dump --format=su X.o against X.su"
su_total=0 su_matched=0 su_objects=0 su_without_object=0 su_bad_objects=0
: >"$tmp/su-mismatches"
while IFS= read -r -d '' su; do
  obj=${su%.su}.o
  if [[ ! -f $obj ]]; then
    su_without_object=$((su_without_object + 1)) # compiled with -S (asm-offsets.s, bounds.s)
    continue
  fi
  su_objects=$((su_objects + 1))
  sort "$su" >"$tmp/gcc.su"
  if ! "$tool" dump --format=su "$obj" </dev/null 2>"$tmp/dump.err" | sort >"$tmp/note.su"; then
    fail "kstack dump failed on ${obj#"$plugged"/}: $(head -n 3 "$tmp/dump.err")"
  fi
  if [[ -s $tmp/dump.err ]]; then
    fail "kstack dump warns on ${obj#"$plugged"/}: $(head -n 3 "$tmp/dump.err")"
  fi
  lines=$(wc -l <"$tmp/gcc.su")
  same=$(comm -12 "$tmp/gcc.su" "$tmp/note.su" | wc -l)
  su_total=$((su_total + lines))
  su_matched=$((su_matched + same))
  if ! cmp -s "$tmp/gcc.su" "$tmp/note.su"; then
    su_bad_objects=$((su_bad_objects + 1))
    {
      echo "${obj#"$plugged"/}:"
      comm -23 "$tmp/gcc.su" "$tmp/note.su" | sed 's/^/  only in .su:  /'
      comm -13 "$tmp/gcc.su" "$tmp/note.su" | sed 's/^/  only in note: /'
    } >>"$tmp/su-mismatches"
  fi
done < <(find "$plugged" -name '*.su' -print0 | sort -z)
echo "$su_objects objects with a .su ($su_without_object .su files without an object, from -S compiles)"
echo "functions matched: $su_matched/$su_total"
if ((su_bad_objects)); then
  fail "$su_bad_objects object(s) whose note disagrees with the .su:"
  head -n 60 "$tmp/su-mismatches"
fi

# --- 3c'. calls -------------------------------------------------------------------
# The same objects' call pairs against the X.ci GCC wrote beside them, through
# bench/oracle.py, which settles a difference against the object's own
# disassembly (GCC writes .ci at expand time, before later passes delete calls).
calls_matched=n/a indirect_tied=n/a
if ((calls)); then
section "c'. call pairs of each X.o against X.ci"
find "$plugged" -name '*.su' | sort | sed 's/\.su$/.o/' | while read -r obj; do
  [[ -f $obj ]] && echo "$obj"
done >"$tmp/objects"
if oracle_out=$(python3 "$bench/oracle.py" --kstack "$tool" objects @"$tmp/objects" \
  --log "$tmp/oracle.log"); then
  echo "$oracle_out"
else
  echo "$oracle_out"
  fail "call pairs disagree with .ci beyond what the disassembly settles:"
  grep -m 40 -v "settled by" "$tmp/oracle.log" || true
fi
calls_matched=$(sed -n 's/.*call sets \([0-9]*\/[0-9]*\) match .ci (\([0-9]*\) more.*/\1, \2 settled/p' <<<"$oracle_out")
# Each indirect call insn must be tied to the GIMPLE call that says what it
# loads (its type and origin); the oracle lists any that is not.
indirect_tied=$(sed -n 's/.*indirect calls \([0-9]*\)\/\([0-9]*\) tied.*/\1\/\2/p' <<<"$oracle_out")
if [[ -z $indirect_tied || ${indirect_tied%/*} != "${indirect_tied#*/}" ]]; then
  fail "indirect calls not tied to their GIMPLE call: ${indirect_tied:-no figure}"
fi
fi

# --- 3c''. records ------------------------------------------------------------------
# Every FUNC symbol in vmlinux.o's executable sections has a record, or comes
# from assembly: a .S source or a top-level asm() in a C file (static_call
# trampolines, for one). Those are counted and listed in the log.
section "c''. every function in vmlinux.o's code has a record"
if coverage_line=$(python3 "$here/record_coverage.py" --kstack "$tool" --tree "$plugged" \
  --list "$work/logs/$flavour-unrecorded.txt" "$plugged/vmlinux.o"); then
  echo "$coverage_line"
else
  echo "$coverage_line"
  fail "functions in vmlinux.o's code have no record and are not assembly"
fi
echo "the symbols without a record, by category: $work/logs/$flavour-unrecorded.txt"
coverage=$(sed -n 's/^record coverage: //p' <<<"$coverage_line" | head -n1)

# --- 3d. code identity -----------------------------------------------------------------
# Both copies go through the same objcopy so that only the note can differ.
# When the bytes still differ, the listings say what: code, data, symbols or
# relocations.
objects_same=n/a
if ((identity)); then
section "d. objects identical apart from .discard.kstack"
# object_differences A B: which of code/contents/symbols/relocations differ
object_differences() {
  local a=$1 b=$2 what
  for what in "${cross}objdump -drw" "${cross}objdump -s" "readelf -sW" "readelf -rW"; do
    # the listings name the file; compare them without that line
    if ! cmp -s <($what "$a" | grep -vF "$a") <($what "$b" | grep -vF "$b"); then
      printf '%s; ' "$what"
    fi
  done
}
objects_total=0 objects_bytes_same=0 objects_equivalent=0 objects_differing=0 objects_unreproducible=0
: >"$tmp/obj-diffs"
while IFS= read -r rel; do
  [[ -f $plugged/$rel ]] || continue
  objects_total=$((objects_total + 1))
  "${cross}objcopy" --remove-section=.discard.kstack "$plain/$rel" "$tmp/a.o"
  "${cross}objcopy" --remove-section=.discard.kstack "$plugged/$rel" "$tmp/b.o"
  if cmp -s "$tmp/a.o" "$tmp/b.o"; then
    objects_bytes_same=$((objects_bytes_same + 1))
    continue
  fi
  diffs=$(object_differences "$tmp/a.o" "$tmp/b.o")
  if [[ -z $diffs ]]; then
    objects_equivalent=$((objects_equivalent + 1))
  elif ensure_plain2 >&2 && ! cmp -s "$plain/$rel" "$plain2/$rel"; then
    objects_unreproducible=$((objects_unreproducible + 1))
    echo "differs, but also between plain builds: $rel ($diffs)"
  else
    objects_differing=$((objects_differing + 1))
    echo "  $rel: $diffs" >>"$tmp/obj-diffs"
  fi
done < <(cd "$plain" && find . -name '*.o' -printf '%P\n' | sort)
objects_identical=$((objects_bytes_same + objects_equivalent))
objects_same=$objects_identical/$objects_total
echo "objects identical: $objects_identical/$objects_total ($objects_bytes_same byte-identical after objcopy, $objects_equivalent same code, data, symbols and relocations)"
if ((objects_differing)); then
  fail "$objects_differing object(s) differ beyond .discard.kstack:"
  head -n 40 "$tmp/obj-diffs"
fi
fi

# --- 3e. sizes ----------------------------------------------------------------------
section "e. note size"
# section_bytes FILE: "NOTE TEXT" -- bytes of .discard.kstack and of .text*
section_bytes() {
  size -A -d "$1" | awk '$1 == ".discard.kstack" { n += $2 }
    $1 ~ /^\.text/ { t += $2 } END { printf "%d %d\n", n, t }'
}
note_sum=0 text_sum=0 plugin_objects=0
# Compiled with the plugin: the kbuild command line of X.o names it.
while IFS= read -r -d '' cmd; do
  head -n1 "$cmd" | grep -qF -- "-fplugin=$plugin" || continue
  base=${cmd##*/.}
  obj=${cmd%/*}/${base%.cmd}
  [[ $obj == *.o && -f $obj ]] || continue
  plugin_objects=$((plugin_objects + 1))
  read -r n t < <(section_bytes "$obj")
  if ((n == 0)); then
    fail "${obj#"$plugged"/} was compiled with the plugin but has no .discard.kstack"
  fi
  note_sum=$((note_sum + n))
  text_sum=$((text_sum + t))
done < <(find "$plugged" -name '.*.o.cmd' -print0)
read -r vmo_note vmo_text < <(section_bytes "$plugged/vmlinux.o")
ratio() { awk -v n="$1" -v t="$2" 'BEGIN { if (t) printf "%.3f", n / t; else print "n/a" }'; }
objects_ratio=$(ratio "$note_sum" "$text_sum")
vmo_ratio=$(ratio "$vmo_note" "$vmo_text")
"$tool" dump --format=json "$plugged/vmlinux.o" >"$tmp/vmlinux.json"
vmo_units=$(jq '.units | length' "$tmp/vmlinux.json")
vmo_functions=$(jq '[.units[].functions | length] | add // 0' "$tmp/vmlinux.json")
vmo_su_lines=$("$tool" dump --format=su "$plugged/vmlinux.o" | wc -l)
echo "$plugin_objects plugin-compiled objects: .discard.kstack $note_sum bytes, .text* $text_sum bytes, ratio $objects_ratio"
echo "vmlinux.o: .discard.kstack $vmo_note bytes, .text* $vmo_text bytes, ratio $vmo_ratio"
echo "vmlinux.o: $vmo_units units, $vmo_functions functions recorded ($vmo_su_lines with a .su line)"
echo ".su lines over all .su files: $su_total"

# --- 3e'. the budget table ---------------------------------------------------------
# kstack report over vmlinux.o alone: its JSON keeps the schema's invariants
# (each path adds up to its entry's depth) and every complete depth equals
# the one bench/depth_oracle.py computes again from the raw records. Then the
# table the kernel developer gets: vmlinux.o and every module object (each
# module linked on its own) with the kernel profile, which must list the
# syscall entries with their worst paths and pass `kstack check`.
section "e'. kstack report on vmlinux.o and the modules"
if ! "$tool" report --format=json -o "$tmp/report.json" "$plugged/vmlinux.o" 2>"$tmp/report.err"; then
  fail "kstack report failed on vmlinux.o:"
  cat "$tmp/report.err"
fi
if ! report_line=$(python3 "$here/../../lit/report/Inputs/check_report_json.py" "$tmp/report.json"); then
  fail "the report of vmlinux.o breaks its schema's invariants"
fi
echo "$report_line"
if ! depth_line=$(python3 "$bench/depth_oracle.py" "$tmp/vmlinux.json" "$tmp/report.json"); then
  fail "kstack report's depths differ from depth_oracle.py's:"
fi
echo "$depth_line"
depth_compared=$(sed -n 's/depth oracle: \([0-9]*\) complete depths compared, \([0-9]*\) differ.*/\1 compared, \2 differ/p' <<<"$depth_line")

# The module objects: modules.order names X.ko, whose notes are in X.o.
: >"$tmp/modules"
if [[ -f $plugged/modules.order ]]; then
  sed 's/\.ko$/.o/' "$plugged/modules.order" | while read -r module; do
    echo "$plugged/$module"
  done >"$tmp/modules"
fi
module_count=$(wc -l <"$tmp/modules")
module_args=()
((module_count)) && module_args=(--module=@"$tmp/modules")
profile_args=()
if [[ -x $here/kstack-linux-profile ]]; then
  if "$here/kstack-linux-profile" --arch="$arch" --config="$plugged/.config" \
    --source="$src" --kstack="$tool" --objects "$plugged/vmlinux.o" -o "$work/logs/$flavour-linux.ann" \
    2>"$tmp/profile.err"; then
    profile_args=(--annotations="$work/logs/$flavour-linux.ann")
    echo "kernel profile: $work/logs/$flavour-linux.ann"
  else
    fail "kstack-linux-profile failed: $(head -n 5 "$tmp/profile.err")"
  fi
fi
table=(report "${profile_args[@]}" --strip-prefix="$src" "$plugged/vmlinux.o" "${module_args[@]}")
if ! "$tool" "${table[@]}" --format=json -o "$tmp/table.json" 2>"$tmp/table.err"; then
  fail "kstack report failed on vmlinux.o and $module_count modules:"
  cat "$tmp/table.err"
fi
duplicates=$(jq '.duplicates | length' "$tmp/table.json")
if ((duplicates)); then
  fail "kstack report finds $duplicates duplicate definitions: $(jq -c '.duplicates[:3]' "$tmp/table.json")"
fi
"$tool" "${table[@]}" --top=10 --paths=1 -o "$work/logs/$flavour-table.txt" 2>/dev/null || true
syscall_entries=$(jq --arg p "$syscall_prefix" '[.entries[] | select(.function | test("^" + $p))] | length' "$tmp/table.json")
deepest=$(jq -r '.summary.deepest_entry | "\(.function) \(if .complete then "" else ">= " end)\(.depth) bytes"' "$tmp/table.json")
if ((syscall_entries == 0)); then
  fail "no $syscall_prefix* entry point in the report"
fi
# Each module's calls into vmlinux resolve: a symbol a module imports (nm -u)
# that vmlinux.o records as a global function must not be an unknown callee.
imported_functions=n/a
if ((module_count)); then
  jq -r '.units[].functions[] | select(.binding != "local") | .name' "$tmp/vmlinux.json" |
    sort -u >"$tmp/kernel-globals"
  xargs -a "$tmp/modules" nm -u --format=just-symbols 2>/dev/null | sort -u >"$tmp/imported"
  comm -12 "$tmp/imported" "$tmp/kernel-globals" >"$tmp/imported-functions"
  imported_functions=$(wc -l <"$tmp/imported-functions")
  jq -r '.unknown_callees[].symbol' "$tmp/table.json" | sort -u >"$tmp/unknown"
  comm -12 "$tmp/unknown" "$tmp/imported-functions" >"$tmp/unresolved-imports"
  if [[ -s $tmp/unresolved-imports ]]; then
    fail "kernel functions that modules call stay unknown: $(head -n 5 "$tmp/unresolved-imports" | tr '\n' ' ')"
  else
    echo "the modules call $imported_functions distinct kernel functions; every one resolves"
  fi
fi
echo "$module_count module objects linked on their own; entries: $(jq '.entries | length' "$tmp/table.json"), $syscall_entries of them $syscall_prefix*; deepest $deepest"
sed -n '1,16p' "$work/logs/$flavour-table.txt"
echo "the whole table: $work/logs/$flavour-table.txt"
if "$tool" check --allow-incomplete "${profile_args[@]}" "$plugged/vmlinux.o" "${module_args[@]}" \
  >"$tmp/check.out" 2>&1; then
  echo "kstack check --allow-incomplete: passed"
else
  fail "kstack check --allow-incomplete fails on the kernel as built:"
  head -n 40 "$tmp/check.out"
fi

# The same table as the HTML page, opened in headless Chromium: what it draws
# (entry rows, bars, the deepest entry's path) must be the JSON table's.
html_page=n/a
if command -v chromium >/dev/null; then
  if "$tool" "${table[@]}" --format=html -o "$work/logs/$flavour-report.html" 2>/dev/null &&
    timeout 300 chromium --headless --no-sandbox --disable-gpu --no-first-run \
      --user-data-dir="$tmp/chromium" --dump-dom "file://$work/logs/$flavour-report.html" \
      >"$tmp/report-dom.html" 2>/dev/null &&
    python3 "$here/../../lit/Inputs/html_report.py" dom "$tmp/report-dom.html" "$tmp/table.json" \
      >"$tmp/html-check.out" 2>&1; then
    html_page="$(head -n 1 "$tmp/html-check.out"), drawn in $(grep -o 'data-render-ms="[0-9]*"' \
      "$tmp/report-dom.html" | grep -o '[0-9]*') ms; $(du -h "$work/logs/$flavour-report.html" | cut -f1)"
    echo "HTML report: $html_page ($work/logs/$flavour-report.html)"
  else
    fail "the HTML report of the kernel is not what its JSON table says:"
    cat "$tmp/html-check.out" 2>/dev/null | tail -n 5
  fi
fi

# --- 3i. frame warnings ----------------------------------------------------------------
# kstack takes -Wframe-larger-than over from GCC (plugin/frame_warnings.h):
# the same functions must be flagged, now with context.
section "i. kstack's frame warnings against GCC's"
frame_warnings=n/a
if "$here/kstack-frame-warnings" --build="$plugged" --plugin="$plugin" --threshold=256 \
  --table="$tmp/table.json" --jobs="$jobs" --samples="$work/logs/$flavour-frame-warnings.txt" \
  >"$tmp/frame-warnings.out" 2>&1; then
  cat "$tmp/frame-warnings.out"
  frame_warnings=$(sed -n 's/^frame warnings at 256 bytes: .*GCC \([0-9]*\) warnings, kstack \([0-9]*\) (\([0-9]*\) with notes, \([0-9]*\) naming the frame.s parts, \([0-9]*\) with.*/GCC \1, kstack \2 (all with notes naming the frame parts, \5 with the whole-program path)/p' "$tmp/frame-warnings.out")
  echo "kstack's diagnostics: $work/logs/$flavour-frame-warnings.txt"
else
  fail "kstack's frame warnings are not GCC's:"
  cat "$tmp/frame-warnings.out"
fi

# --- 3g. a planted budget violation ---------------------------------------------------
# examples/linux/overflow is an external module whose init path is deeper
# than the task stack; built with kstack-kbuild against the plugin tree, the
# build must fail with the path printed.
planted=n/a
if ((module_count)); then
  section "g. a planted budget violation fails kstack-kbuild"
  rm -rf "$tmp/overflow" && cp -r "$here/overflow" "$tmp/overflow"
  set +e
  "$here/kstack-kbuild" --kstack-tool="$tool" --kstack-plugin="$plugin" \
    -C "$src" O="$plugged" "${make_vars[@]}" M="$tmp/overflow" modules >"$tmp/planted.out" 2>&1
  status=$?
  set -e
  if ((status == 1)) && grep -q 'kstack_overflow_init' "$tmp/planted.out" &&
    grep -q 'overflow_level_' "$tmp/planted.out"; then
    planted="fails with exit status 1 and the path"
    echo "kstack-kbuild on the overflow module: exit status 1, as expected:"
    grep -m 8 -E 'error|note' "$tmp/planted.out"
  else
    planted="did not fail as expected (exit status $status)"
    fail "kstack-kbuild on the overflow module: exit status $status, not 1 with the path:"
    tail -n 30 "$tmp/planted.out"
  fi
  # At compile time already: the path lies in one file, so
  # -fplugin-arg-kstack-path-warn flags it as the module compiles.
  rm -rf "$tmp/overflow" && cp -r "$here/overflow" "$tmp/overflow"
  "$here/kstack-kbuild" --kstack-plugin="$plugin" --kstack-no-check --kstack-path-warn=8192 \
    -C "$src" O="$plugged" "${make_vars[@]}" M="$tmp/overflow" modules >"$tmp/path-warn.out" 2>&1 || true
  # (kbuild unexports LC_ALL: GCC may quote the name with UTF-8 quotes)
  if grep -q "warning: the deepest path through [^ ]*kstack_overflow_init[^ ]* in this file uses \(at least \)\{0,1\}[0-9]* bytes of stack, more than 8192 bytes" "$tmp/path-warn.out"; then
    echo "kstack-kbuild --kstack-path-warn=8192 while compiling: $(grep -m1 'deepest path through' "$tmp/path-warn.out")"
  else
    fail "kstack-kbuild --kstack-path-warn=8192 did not warn about kstack_overflow_init:"
    tail -n 20 "$tmp/path-warn.out"
  fi
  # KCFLAGS reach the plugin: an argument it does not know stops the compile
  # with GCC's error naming the full flag.
  rm -rf "$tmp/overflow" && cp -r "$here/overflow" "$tmp/overflow"
  "$here/kstack-kbuild" --kstack-tool="$tool" --kstack-plugin="$plugin" \
    -C "$src" O="$plugged" "${make_vars[@]}" M="$tmp/overflow" \
    KCFLAGS=-fplugin-arg-kstack-no-such-option modules >"$tmp/arg.out" 2>&1 || true
  if grep -q "error: .*-fplugin-arg-kstack-no-such-option" "$tmp/arg.out"; then
    echo "KCFLAGS=-fplugin-arg-kstack-... reaches the plugin: $(grep -m1 'error: .*no-such-option' "$tmp/arg.out")"
  else
    fail "KCFLAGS=-fplugin-arg-kstack-no-such-option did not reach the plugin:"
    tail -n 10 "$tmp/arg.out"
  fi
fi

# --- 3h. ccache and distcc ------------------------------------------------------------
# The notes travel inside the objects, so a build whose objects come from a
# cache or from another machine has the same table as the plugin build
# above. Each runs in the same directory (the paths in the notes are the
# same), without -fstack-usage and -fcallgraph-info, whose side files
# neither tool brings back (the table does not depend on them: a build with
# only -fplugin= gave a byte-identical table):
#   - ccache: CC="ccache gcc-12", the plugin in KCFLAGS (ccache hashes it);
#   - distcc: distccd refuses a command line that names a plugin, so the
#     compiler is a wrapper that adds -fplugin= (like bin/kstack-CC of the
#     kstack build), at a path the servers can read: every worker needs the
#     same wrapper and plugin at the same path, and distccd started with
#     --enable-tcp-insecure or the wrapper linked into /usr/lib/distcc.
cache_result=n/a
if ((caches)); then
  section "h. the same kernel through ccache and distcc"
  # A copy everyone can read (distccd compiles as nobody), one per work
  # directory so that two runs never replace each other's plugin.
  shared=/var/tmp/kstack-caches/$(sha256sum <<<"$work" | cut -c1-12)-$flavour
  mkdir -p "$shared" && chmod 755 /var/tmp/kstack-caches "$shared"
  cp "$plugin" "$shared/kstack.so"
  printf '#!/bin/sh\nexec %s -fplugin=%s -fplugin-arg-kstack-exclude "$@"\n' "$cc" "$shared/kstack.so" \
    >"$shared/kstack-$cc"
  chmod 755 "$shared/kstack.so" "$shared/kstack-$cc"
  # table_of BUILD: the JSON table of a build, its directory written BUILD/
  table_of() {
    local dir=$work/$flavour-$1 list=$tmp/modules.$1
    : >"$list"
    [[ -f $dir/modules.order ]] && sed "s|^|$dir/|; s/\.ko\$/.o/" "$dir/modules.order" >"$list"
    "$tool" report --format=json "${profile_args[@]}" "$dir/vmlinux.o" \
      $([[ -s $list ]] && echo "--module=@$list") -o "$tmp/table.$1.json"
    sed -i "s|$dir/|BUILD/|g" "$tmp/table.$1.json"
  }
  table_of plugin

  export CCACHE_DIR=$work/ccache.$flavour CCACHE_NOHASHDIR=1
  rm -rf "$CCACHE_DIR"
  build ccache-cold "-fplugin=$shared/kstack.so -fplugin-arg-kstack-exclude" "ccache $cc"
  ccache --zero-stats >/dev/null
  CCACHE_LOGFILE=$tmp/ccache-warm.log build ccache-warm "-fplugin=$shared/kstack.so -fplugin-arg-kstack-exclude" "ccache $cc"
  ccache_stat() { ccache --print-stats | awk -F'\t' -v k="$1" '$1 == k { print $2 }'; }
  ccache_hits=$(($(ccache_stat direct_cache_hit) + $(ccache_stat preprocessed_cache_hit)))
  ccache_misses=$(ccache_stat cache_miss)
  # What Kbuild regenerates at every build (e.g. the version stamp) misses
  # by nature: at most one compile in a hundred may.
  missed=$(awk '/Source file:/ { source = $NF } /Result: cache_miss$/ { print source }' \
    "$tmp/ccache-warm.log" 2>/dev/null | sort -u | tr '\n' ' ')
  echo "second ccache build: $ccache_hits compiles from the cache, $ccache_misses compiled${missed:+ ($missed)}"
  if ((ccache_hits == 0 || ccache_misses * 100 > ccache_hits)); then
    fail "the second ccache build did not come from the cache ($ccache_hits hits, $ccache_misses misses)"
  fi

  # Two distccd servers on 127.0.0.1; DISTCC_FALLBACK=0 makes a job that
  # cannot be sent fail instead of quietly compiling here.
  distcc_dir=$work/distcc.$flavour
  rm -rf "$distcc_dir" && mkdir -p "$distcc_dir" && chmod 777 "$distcc_dir"
  for port in 3733 3734; do
    : >"$distcc_dir/distccd.$port.log" && chmod 666 "$distcc_dir/distccd.$port.log"
    TMPDIR=$distcc_dir distccd --daemon --allow 127.0.0.1 --listen 127.0.0.1 --port "$port" \
      --jobs "$jobs" --enable-tcp-insecure --log-file "$distcc_dir/distccd.$port.log" \
      --pid-file "$distcc_dir/distccd.$port.pid"
  done
  # (|| true: under set -e a failing command in an EXIT trap becomes the
  # script's exit status, and the servers are normally gone by then)
  trap 'kill $(cat "$distcc_dir"/distccd.*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$tmp"' EXIT
  DISTCC_HOSTS="127.0.0.1:3733/$jobs 127.0.0.1:3734/$jobs" DISTCC_FALLBACK=0 \
    DISTCC_DIR=$distcc_dir build_jobs=$((2 * jobs)) build distcc "" "distcc $shared/kstack-$cc"
  kill $(cat "$distcc_dir"/distccd.*.pid) 2>/dev/null || true
  distcc_jobs=()
  for port in 3733 3734; do
    distcc_jobs+=("$(grep -c 'COMPILE_OK' "$distcc_dir/distccd.$port.log" || true)")
  done
  echo "distcc: ${distcc_jobs[0]} + ${distcc_jobs[1]} compiles on the two servers"
  if ((distcc_jobs[0] == 0 || distcc_jobs[1] == 0)); then
    fail "distcc did not use both servers (${distcc_jobs[*]} compiles)"
  fi

  # distcc compiles text preprocessed here, in which GCC places a location
  # inside a macro expansion at the expansion's column, not the macro
  # argument's: its .su lines say m.c:3:8 where a compile of the source says
  # m.c:3:4. So distcc's table may differ from the plain build's in source
  # columns, and in nothing else.
  no_columns() { jq -S 'del(.. | .column?)' "$1"; }
  cache_result=""
  for name in ccache-cold ccache-warm distcc; do
    table_of "$name"
    if cmp -s "$tmp/table.plugin.json" "$tmp/table.$name.json"; then
      echo "$name: the kstack table is byte-identical to the plain build's"
      cache_result+="$name identical; "
    elif [[ $name == distcc ]] &&
      cmp -s <(no_columns "$tmp/table.plugin.json") <(no_columns "$tmp/table.$name.json"); then
      columns=$(diff "$tmp/table.plugin.json" "$tmp/table.$name.json" | grep -c '^<' || true)
      echo "$name: the kstack table is identical to the plain build's but for $columns source columns (macro expansions compiled from preprocessed text)"
      cache_result+="$name identical but $columns columns; "
    else
      cache_result+="$name DIFFERS; "
      fail "$name: the kstack table differs from the plain build's:"
      diff "$tmp/table.plugin.json" "$tmp/table.$name.json" | head -n 20 || true
    fi
  done
  cache_result+="distcc compiles ${distcc_jobs[0]} + ${distcc_jobs[1]}; ccache warm $ccache_hits hits, $ccache_misses misses"
fi

# --- 3f. summary -----------------------------------------------------------------------
section "f. summary"
gcc_version=$($cc -dumpfullversion)
plain_seconds=n/a
((identity)) && plain_seconds="${build_seconds[plain]} s${build_seconds[plain2]:+ (again: ${build_seconds[plain2]} s)}"
vmlinux_same=n/a
((identity)) && vmlinux_same="$((loaded_count - vmlinux_differing))/$loaded_count"
cat <<EOF
Linux 6.1 $config, $arch, $cc $gcc_version, make -j$jobs
| figure | value |
|---|---|
| build time, plain | $plain_seconds |
| build time, with KCFLAGS='-fplugin=kstack.so ${kcflags#* }' | ${build_seconds[plugin]} s |
| new warnings in the plugin build | $new_warnings |
| vmlinux loaded sections identical to the plain build | $vmlinux_same |
| vmlinux byte-identical to the plain build | $vmlinux_identical |
| objects identical apart from .discard.kstack | $objects_same |
| .su lines reproduced by \`kstack dump --format=su\` | $su_matched/$su_total ($su_objects objects) |
| call sets equal to .ci (others settled by the disassembly) | $calls_matched |
| indirect calls tied to their GIMPLE call (type and origin known) | $indirect_tied |
| functions in vmlinux.o code | $coverage |
| .discard.kstack / .text*, $plugin_objects compiled objects | $note_sum / $text_sum = $objects_ratio |
| .discard.kstack / .text*, vmlinux.o | $vmo_note / $vmo_text = $vmo_ratio |
| functions recorded in vmlinux.o | $vmo_functions ($vmo_units units) |
| kstack report: complete depths equal to depth_oracle.py's | $depth_compared |
| module objects; kernel functions they call, all resolved | $module_count; $imported_functions |
| kstack report: $syscall_prefix* entries; deepest entry | $syscall_entries; $deepest |
| the HTML report in headless Chromium, checked against the JSON table | $html_page |
| -Wframe-larger-than=256 on the units that can warn: GCC's warnings, kstack's | $frame_warnings |
| planted overflow module through kstack-kbuild | $planted |
| ccache (cold, warm) and distcc tables against a plain build | $cache_result |
EOF
if ((failures)); then
  echo "kstack-kernel: $failures check(s) FAILED"
  exit 1
fi
echo "kstack-kernel: all checks passed"
exit 0
}
