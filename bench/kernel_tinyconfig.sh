#!/usr/bin/env bash
# Builds Linux 6.1 (Debian's linux-source-6.1) as an x86_64 tinyconfig kernel
# three times out of tree -- plain, plain again, and with KCFLAGS=
# "-fplugin=kstack.so -fstack-usage -fcallgraph-info=su" -- and checks that
# kstack is invisible to the kernel while its notes agree with GCC:
#
#   a. warnings   the plugin build prints no warning the plain build does not
#                 (none about orphan sections in particular);
#   b. vmlinux    both vmlinux have the same loaded (ALLOC) sections: names,
#                 types, flags, addresses, sizes and bytes; .discard.kstack is
#                 in vmlinux.o and not in vmlinux;
#   c. frames     for every plugin-built X.o with an X.su next to it,
#                 `kstack dump --format=su X.o` equals X.su as a sorted list;
#   c'. calls     each function's callees equal the X.ci edges, or differ
#                 only by calls its disassembly confirms (bench/oracle.py);
#   d. code       every object built in both trees is the same once
#                 .discard.kstack is removed from both copies;
#   e. size       note bytes against .text* bytes, over all plugin-compiled
#                 objects and over vmlinux.o, and the function counts;
#   f. summary    a block of the figures to paste into a README.
#
# The second plain build is the reproducibility baseline: whatever differs
# between two plain builds is not the plugin's doing, so it is listed as
# inherently non-reproducible and left out of the plain-vs-plugin verdict
# (anything else that differs is a failure). Two things make kernel builds
# differ, and both are removed here:
#   - init/version-timestamp.o, compiled at every link, puts the time, user,
#     host and build number (#N, counted in .version) into linux_banner and
#     init_uts_ns, i.e. into .rodata and .data of vmlinux: KBUILD_BUILD_*
#     are fixed below;
#   - the absolute O= directory is written into the debug info of the
#     realmode .S objects (arch/x86/realmode/rm/*.o) and of objtool's host
#     objects (tools/objtool/*.o): every build runs in the same directory,
#     $work/build, and is then renamed.
# With both, two plain builds are byte-identical, vmlinux and every object.
#
# Usage: kernel_tinyconfig.sh [PLUGIN [TOOL]]
#   PLUGIN  kstack.so (or $KSTACK_PLUGIN)
#   TOOL    the kstack tool (or $KSTACK_TOOL)
# Environment:
#   KSTACK_KERNEL_WORK   work directory (default /var/tmp/kstack-kernel)
#   KSTACK_KERNEL_REUSE  1: keep finished builds made from the same plugin
#                        and source instead of rebuilding (for rerunning the
#                        checks); the default rebuilds everything
# Exit status: 0 when every check passed, 1 when one failed, 2 on bad usage.
# Runs as root on Debian 12 (root is needed only to install missing packages).
set -euo pipefail

usage() {
  echo "usage: $0 [PLUGIN [TOOL]]  (or KSTACK_PLUGIN/KSTACK_TOOL)" >&2
  exit 2
}
[[ ${1-} == -h || ${1-} == --help ]] && usage
(($# <= 2)) || usage
plugin=${1:-${KSTACK_PLUGIN-}}
tool=${2:-${KSTACK_TOOL-}}
[[ -n $plugin && -n $tool ]] || usage
[[ -f $plugin ]] || { echo "kernel_tinyconfig: error: no plugin '$plugin'" >&2; exit 2; }
[[ -x $tool ]] || { echo "kernel_tinyconfig: error: no tool '$tool'" >&2; exit 2; }
plugin=$(realpath "$plugin")
tool=$(realpath "$tool")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

work=${KSTACK_KERNEL_WORK:-/var/tmp/kstack-kernel}
reuse=${KSTACK_KERNEL_REUSE:-0}
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=$(nproc)
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
  cpio xz-utils binutils jq)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  section "installing ${missing[*]}"
  ((EUID == 0)) || { echo "kernel_tinyconfig: error: must be root to install ${missing[*]}" >&2; exit 2; }
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- 2. source and builds ------------------------------------------------------
mkdir -p "$work/logs"
src=$work/src/linux-source-6.1
tar_id="$(stat -c '%s %Y' "$tarball") $tarball"
if [[ ! -f $work/src/.unpacked || $(<"$work/src/.unpacked") != "$tar_id" ]]; then
  section "unpacking $tarball"
  rm -rf "$work/src"
  mkdir -p "$work/src"
  tar -xJf "$tarball" -C "$work/src"
  echo "$tar_id" >"$work/src/.unpacked"
fi

# Run on private copies: a rebuild of the plugin in the middle of the kernel
# build would otherwise fail it ("invalid ELF header") or mix two plugins.
mkdir -p "$work/bin"
cp "$plugin" "$work/bin/kstack.so.new" && mv "$work/bin/kstack.so.new" "$work/bin/kstack.so"
cp "$tool" "$work/bin/kstack.new" && mv "$work/bin/kstack.new" "$work/bin/kstack"
plugin=$work/bin/kstack.so
tool=$work/bin/kstack
plugin_sum=$(sha256sum "$plugin" | cut -d' ' -f1)
declare -A build_seconds

# build NAME KCFLAGS: make tinyconfig vmlinux in $work/build, renamed to
# $work/NAME when done; the log is logs/NAME.log
build() {
  local name=$1 kcflags=$2 out=$work/$1 log=$work/logs/$1.log
  local key="$tar_id|$kcflags"
  [[ $kcflags == *-fplugin=* ]] && key+="|$plugin_sum"
  if [[ $reuse == 1 && -f $out/.kstack-done && $(head -n1 "$out/.kstack-done") == "$key" ]]; then
    build_seconds[$name]=$(sed -n 2p "$out/.kstack-done")
    echo "$name: reusing the build of ${build_seconds[$name]} s"
    return
  fi
  rm -rf "$out" "$work/build"
  mkdir -p "$work/build"
  echo "$name: building (KCFLAGS='$kcflags'), log in $log"
  local start=$EPOCHREALTIME
  if ! { make -C "$src" O="$work/build" ARCH=x86_64 KCFLAGS="$kcflags" tinyconfig &&
    make -C "$src" O="$work/build" ARCH=x86_64 KCFLAGS="$kcflags" -j"$jobs" vmlinux; } >"$log" 2>&1; then
    grep -E 'error|Error' "$log" | head -n 20 || true
    echo "kernel_tinyconfig: error: the $name build failed, see $log" >&2
    exit 1
  fi
  build_seconds[$name]=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
  mv "$work/build" "$out"
  printf '%s\n%s\n' "$key" "${build_seconds[$name]}" >"$out/.kstack-done"
  echo "$name: ${build_seconds[$name]} s"
}

section "building linux 6.1 tinyconfig x86_64 with -j$jobs"
build plain ""
build plain2 ""
build plugin "-fplugin=$plugin -fstack-usage -fcallgraph-info=su"

plain=$work/plain plain2=$work/plain2 plugged=$work/plugin
tmp=$(mktemp -d "$work/check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if ! cmp -s "$plain/.config" "$plugged/.config"; then
  fail ".config differs between the plain and the plugin build"
  diff "$plain/.config" "$plugged/.config" | head -n 20 || true
fi

# --- 3a. warnings --------------------------------------------------------------
section "a. warnings"
warnings() { grep -E 'warning:' "$work/logs/$1.log" | sort || true; }
warnings plain >"$tmp/w.plain"
warnings plain2 >"$tmp/w.plain2"
warnings plugin >"$tmp/w.plugin"
comm -13 "$tmp/w.plain" "$tmp/w.plugin" >"$tmp/w.new"
new_warnings=$(wc -l <"$tmp/w.new")
echo "plain build: $(wc -l <"$tmp/w.plain") warning lines; plugin build: $(wc -l <"$tmp/w.plugin"); new in the plugin build: $new_warnings"
cmp -s "$tmp/w.plain" "$tmp/w.plain2" || echo "note: the two plain builds print different warnings"
if ((new_warnings)); then
  fail "the plugin build prints $new_warnings warning(s) the plain build does not:"
  head -n 20 "$tmp/w.new"
fi
if grep -qi orphan "$work/logs/plugin.log"; then
  fail "the plugin build mentions orphan sections:"
  grep -i orphan "$work/logs/plugin.log" | head -n 10
fi
if grep -qE 'internal compiler error|kstack(\.so)?: (error|warning)' "$work/logs/plugin.log"; then
  fail "the plugin build has compiler or plugin diagnostics:"
  grep -E 'internal compiler error|kstack(\.so)?: (error|warning)' "$work/logs/plugin.log" | head -n 10
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

section "b. vmlinux loaded sections"
differing_loaded_sections "$plain/vmlinux" "$plain2/vmlinux" >"$tmp/repro"
loaded_count=$(loaded_sections "$plain/vmlinux" | wc -l)
if [[ -s $tmp/repro ]]; then
  echo "inherently non-reproducible (differ between the two plain builds), left out below:"
  sed 's/^/  /' "$tmp/repro"
else
  echo "the two plain builds have identical loaded sections ($loaded_count)"
fi
cmp -s "$plain/vmlinux" "$plain2/vmlinux" && echo "the two plain vmlinux files are byte-identical"
differing_loaded_sections "$plain/vmlinux" "$plugged/vmlinux" >"$tmp/vmdiff"
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
section "c'. call pairs of each X.o against X.ci"
find "$plugged" -name '*.su' | sort | sed 's/\.su$/.o/' | while read -r obj; do
  [[ -f $obj ]] && echo "$obj"
done >"$tmp/objects"
if oracle_line=$(python3 "$here/oracle.py" --kstack "$tool" objects @"$tmp/objects" \
  --log "$tmp/oracle.log" | tail -n 1); then
  echo "$oracle_line"
else
  echo "$oracle_line"
  fail "call pairs disagree with .ci beyond what the disassembly settles:"
  grep -v "settled by" "$tmp/oracle.log" | head -n 40
fi
calls_matched=$(sed -n 's/.*call sets \([0-9]*\/[0-9]*\) match .ci (\([0-9]*\) more.*/\1, \2 settled/p' <<<"$oracle_line")

# --- 3d. code identity -----------------------------------------------------------------
# Both copies go through the same objcopy so that only the note can differ.
# When the bytes still differ, the listings say what: code, data, symbols or
# relocations.
section "d. objects identical apart from .discard.kstack"
# object_differences A B: which of code/contents/symbols/relocations differ
object_differences() {
  local a=$1 b=$2 what
  for what in "objdump -drw" "objdump -s" "readelf -sW" "readelf -rW"; do
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
  objcopy --remove-section=.discard.kstack "$plain/$rel" "$tmp/a.o"
  objcopy --remove-section=.discard.kstack "$plugged/$rel" "$tmp/b.o"
  if cmp -s "$tmp/a.o" "$tmp/b.o"; then
    objects_bytes_same=$((objects_bytes_same + 1))
    continue
  fi
  diffs=$(object_differences "$tmp/a.o" "$tmp/b.o")
  if [[ -z $diffs ]]; then
    objects_equivalent=$((objects_equivalent + 1))
  elif ! cmp -s "$plain/$rel" "$plain2/$rel"; then
    objects_unreproducible=$((objects_unreproducible + 1))
    echo "differs, but also between plain builds: $rel ($diffs)"
  else
    objects_differing=$((objects_differing + 1))
    echo "  $rel: $diffs" >>"$tmp/obj-diffs"
  fi
done < <(cd "$plain" && find . -name '*.o' -printf '%P\n' | sort)
objects_identical=$((objects_bytes_same + objects_equivalent))
echo "objects identical: $objects_identical/$objects_total ($objects_bytes_same byte-identical after objcopy, $objects_equivalent same code, data, symbols and relocations)"
if ((objects_differing)); then
  fail "$objects_differing object(s) differ beyond .discard.kstack:"
  head -n 40 "$tmp/obj-diffs"
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
# kstack report over vmlinux.o: its JSON keeps the schema's invariants (each
# path adds up to its entry's depth), every complete depth equals the one
# bench/depth_oracle.py computes again from the raw records, and syscall
# entries are in the table with their worst paths.
section "e'. kstack report on vmlinux.o"
if ! "$tool" report --format=json -o "$tmp/report.json" "$plugged/vmlinux.o" 2>"$tmp/report.err"; then
  fail "kstack report failed on vmlinux.o:"
  cat "$tmp/report.err"
fi
if ! report_line=$(python3 "$here/../lit/report/Inputs/check_report_json.py" "$tmp/report.json"); then
  fail "the report of vmlinux.o breaks its schema's invariants"
fi
echo "$report_line"
if ! depth_line=$(python3 "$here/depth_oracle.py" "$tmp/vmlinux.json" "$tmp/report.json"); then
  fail "kstack report's depths differ from depth_oracle.py's:"
fi
echo "$depth_line"
depth_compared=$(sed -n 's/depth oracle: \([0-9]*\) complete depths compared, \([0-9]*\) differ.*/\1 compared, \2 differ/p' <<<"$depth_line")
syscall_entries=$(jq '[.entries[] | select(.function | startswith("__x64_sys_"))] | length' "$tmp/report.json")
deepest=$(jq -r '.summary.deepest_entry | "\(.function) \(if .complete then "" else ">= " end)\(.depth) bytes"' "$tmp/report.json")
if ((syscall_entries == 0)); then
  fail "no __x64_sys_ entry point in the report"
fi
echo "entries: $(jq '.entries | length' "$tmp/report.json"), $syscall_entries of them __x64_sys_*; deepest $deepest"
"$tool" report --top=5 --paths=1 "$plugged/vmlinux.o" | sed -n '1,12p'

# --- 3f. summary -----------------------------------------------------------------------
section "f. summary"
gcc_version=$(gcc -dumpfullversion)
cat <<EOF
Linux 6.1 tinyconfig, x86_64, gcc $gcc_version, make -j$jobs
| figure | value |
|---|---|
| build time, plain | ${build_seconds[plain]} s (again: ${build_seconds[plain2]} s) |
| build time, with kstack.so -fstack-usage -fcallgraph-info=su | ${build_seconds[plugin]} s |
| new warnings in the plugin build | $new_warnings |
| vmlinux loaded sections identical to the plain build | $((loaded_count - vmlinux_differing))/$loaded_count |
| vmlinux byte-identical to the plain build | $vmlinux_identical |
| .su lines reproduced by \`kstack dump --format=su\` | $su_matched/$su_total ($su_objects objects) |
| call sets equal to .ci (others settled by the disassembly) | $calls_matched |
| objects identical apart from .discard.kstack | $objects_identical/$objects_total |
| .discard.kstack / .text*, $plugin_objects compiled objects | $note_sum / $text_sum = $objects_ratio |
| .discard.kstack / .text*, vmlinux.o | $vmo_note / $vmo_text = $vmo_ratio |
| functions recorded in vmlinux.o | $vmo_functions ($vmo_units units) |
| kstack report: complete depths equal to depth_oracle.py's | $depth_compared |
| kstack report: __x64_sys_* entries; deepest entry | $syscall_entries; $deepest |
EOF
if ((failures)); then
  echo "kernel_tinyconfig: $failures check(s) FAILED"
  exit 1
fi
echo "kernel_tinyconfig: all checks passed"
