#!/usr/bin/env bash
# Times kstack on a real kernel against the kernel's own stack tool:
#
#   a. report      kstack report -o /dev/null vmlinux.o: reading, symbol
#                  resolution, the call graph and every function's worst-case
#                  depth;
#   b. checkstack  objdump -d vmlinux | perl scripts/checkstack.pl x86_64
#                  (what `make checkstack` runs): one frame per function,
#                  read back from the disassembly, no call graph;
#   c. reading     kstack dump --format=su -o /dev/null vmlinux.o: the cost of
#                  merely reading the notes, the floor for (a); and, for
#                  scale, dd copying the raw .discard.kstack bytes.
#
# The commands run interleaved, round after round (a b c c', a b c c', ...),
# after one untimed round that fills the page cache, and each is reported by
# its median wall time and median CPU time (user + system of all its
# processes, which a loaded machine disturbs less), by bash's `time` (1 ms
# resolution), and its peak resident memory in one more run; the verdicts are
# ratios of medians of the same run, which this noisy 2-core machine leaves
# mostly intact. Targets: (a) at least 100 times faster than (b), and at most
# 3 times (c), in wall time.
#
# The kernel is the plugin build that examples/linux/kstack-kernel.sh leaves
# in $KSTACK_KERNEL_WORK/x86_64-small-plugin (vmlinux.o with the notes, vmlinux for
# checkstack), with the source tree it unpacked in
# $KSTACK_KERNEL_WORK/src/linux-source-6.1. Run that script first if there is
# none (KSTACK_KERNEL_REUSE=1 keeps finished builds).
#
# Usage: kernel_vs_checkstack.sh [TOOL]
#   TOOL  the kstack tool (or $KSTACK_TOOL; default build/tool/kstack)
# Environment:
#   KSTACK_KERNEL_WORK   kstack-kernel.sh's work directory (default /var/tmp/kstack-kernel)
#   KSTACK_KERNEL_BUILD  the plugin build (default $KSTACK_KERNEL_WORK/x86_64-small-plugin)
#   KSTACK_KERNEL_SRC    the source tree (default $KSTACK_KERNEL_WORK/src/linux-source-6.1)
#   KSTACK_ROUNDS        timed rounds (default 7)
# Exit status: 0 when measured (whether or not the targets were met), 2 on
# bad usage or a missing input, 1 when a command failed.
set -euo pipefail

usage() {
  echo "usage: $0 [TOOL]  (or KSTACK_TOOL)" >&2
  exit 2
}
[[ ${1-} == -h || ${1-} == --help ]] && usage
(($# <= 1)) || usage
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tool=${1:-${KSTACK_TOOL:-$here/../build/tool/kstack}}
work=${KSTACK_KERNEL_WORK:-/var/tmp/kstack-kernel}
build=${KSTACK_KERNEL_BUILD:-$work/x86_64-small-plugin}
src=${KSTACK_KERNEL_SRC:-$work/src/linux-source-6.1}
rounds=${KSTACK_ROUNDS:-7}
export LC_ALL=C

error() {
  echo "kernel_vs_checkstack: error: $*" >&2
  exit 2
}
[[ -x $tool ]] || error "no kstack tool '$tool'"
[[ -f $build/vmlinux.o && -f $build/vmlinux ]] ||
  error "no vmlinux.o and vmlinux in '$build'; run examples/linux/kstack-kernel.sh first"
[[ -f $src/scripts/checkstack.pl ]] || error "no scripts/checkstack.pl in '$src'"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || error "KSTACK_ROUNDS must be a positive number"
tool=$(realpath "$tool")
vmlinux_o=$build/vmlinux.o
vmlinux=$build/vmlinux
functions=$("$tool" dump --format=su "$vmlinux_o" 2>/dev/null | wc -l)
((functions > 0)) || error "'$vmlinux_o' has no kstack notes (not built with -fplugin=kstack.so?)"
have_report=1
if ! "$tool" report --help >/dev/null 2>&1; then
  have_report=0
  echo "kernel_vs_checkstack: '$tool report --help' fails: no report command yet; timing (b) and (c) only"
fi

# Where the notes are in vmlinux.o, for (c'): offset and size, in hex.
read -r note_offset note_bytes < <(readelf -SW "$vmlinux_o" |
  sed -n 's/^ *\[ *[0-9]*\] \.discard\.kstack  *NOTE  *[0-9a-f]*  *\([0-9a-f]*\)  *\([0-9a-f]*\) .*/\1 \2/p')
[[ -n ${note_bytes-} ]] || error "no .discard.kstack section in '$vmlinux_o'"
note_offset=$((16#$note_offset)) note_bytes=$((16#$note_bytes))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The measured commands, each writing nothing anyone reads.
run_report() { "$tool" report -o /dev/null "$vmlinux_o"; }
run_checkstack() { objdump -d "$vmlinux" | perl "$src/scripts/checkstack.pl" x86_64 >/dev/null; }
run_dump() { "$tool" dump --format=su -o /dev/null "$vmlinux_o"; }
run_copy() { dd if="$vmlinux_o" of=/dev/null bs=1M iflag=skip_bytes,count_bytes skip="$note_offset" count="$note_bytes" status=none; }
names=(checkstack dump copy)
((have_report)) && names=(report "${names[@]}")

# time_once NAME: runs run_NAME once and appends "WALL CPU" (seconds; CPU is
# user + system of all its processes) to $tmp/NAME
time_once() {
  local name=$1 TIMEFORMAT='%3R %3U %3S' times
  if ! times=$({ time "run_$name" 2>"$tmp/$name.err"; } 2>&1); then
    echo "kernel_vs_checkstack: error: $name failed: $(head -n 3 "$tmp/$name.err")" >&2
    exit 1
  fi
  awk '{ printf "%s %.3f\n", $1, $2 + $3 }' <<<"$times" >>"$tmp/$name"
}
# median FILE COLUMN
median() { cut -d' ' -f"$2" "$1" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# peak_mb NAME: the peak resident memory of one run of NAME's command, by
# GNU time (for the checkstack pipeline, of the largest of its processes)
peak_mb() {
  local rss=$tmp/$1.rss
  case $1 in
    report) /usr/bin/time -f %M -o "$rss" "$tool" report -o /dev/null "$vmlinux_o" ;;
    checkstack)
      # shellcheck disable=SC2016 # $1 and $2 are the inner bash's arguments
      /usr/bin/time -f %M -o "$rss" bash -c 'objdump -d "$1" | perl "$2" x86_64 >/dev/null' \
        _ "$vmlinux" "$src/scripts/checkstack.pl"
      ;;
    dump) /usr/bin/time -f %M -o "$rss" "$tool" dump --format=su -o /dev/null "$vmlinux_o" ;;
    copy)
      /usr/bin/time -f %M -o "$rss" dd if="$vmlinux_o" of=/dev/null bs=1M \
        iflag=skip_bytes,count_bytes skip="$note_offset" count="$note_bytes" status=none
      ;;
  esac >/dev/null 2>&1
  awk '{ printf "%.1f", $1 / 1024 }' "$rss"
}

for name in "${names[@]}"; do "run_$name" >/dev/null 2>&1 || true; done # the page cache
for ((round = 1; round <= rounds; ++round)); do
  for name in "${names[@]}"; do time_once "$name"; done
done

declare -A med cpu rss # per command: median wall and CPU seconds, peak MB
for name in "${names[@]}"; do
  med[$name]=$(median "$tmp/$name" 1)
  cpu[$name]=$(median "$tmp/$name" 2)
  rss[$name]=$(peak_mb "$name")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }

echo "kernel: $vmlinux_o ($functions functions with a .su line, $note_bytes bytes of notes; vmlinux $(stat -c %s "$vmlinux") bytes)"
echo "$("$tool" --version), $(nproc) cores, median of $rounds interleaved rounds, files in the page cache"
echo
echo "| command | wall ms | CPU ms | peak MB |"
echo "|---|---|---|---|"
row() { echo "| $1 | $(ms "${med[$2]}") | $(ms "${cpu[$2]}") | ${rss[$2]} |"; }
((have_report)) && row "(a) \`kstack report -o /dev/null vmlinux.o\`" report
row "(b) \`objdump -d vmlinux \\| perl scripts/checkstack.pl x86_64\`" checkstack
row "(c) \`kstack dump --format=su -o /dev/null vmlinux.o\`" dump
row "(c') \`dd\` of the .discard.kstack bytes to /dev/null" copy
echo
# ratio_row LABEL A B [OP TARGET]: A / B by wall and CPU time, and whether
# the wall-time ratio meets "OP TARGET" (OP is >= or <=)
ratio_row() {
  local by_wall by_cpu verdict=""
  by_wall=$(ratio "${med[$2]}" "${med[$3]}")
  by_cpu=$(ratio "${cpu[$2]}" "${cpu[$3]}")
  if [[ -n ${5-} ]]; then
    verdict=$(awk -v r="$by_wall" -v op="$4" -v t="$5" \
      'BEGIN { ok = op == ">=" ? r >= t : r <= t; print ok ? "met" : "MISSED" }')
  fi
  echo "| $1 | $by_wall | $by_cpu | ${4-} ${5-} | $verdict |"
}
echo "| ratio | wall | CPU | target (wall) | |"
echo "|---|---|---|---|---|"
if ((have_report)); then
  ratio_row "checkstack / report" checkstack report ">=" 100
  ratio_row "report / reading (c)" report dump "<=" 3
  ratio_row "report / copying the bytes (c')" report copy
  if [[ -s $tmp/report.err ]]; then
    echo
    echo "kstack report printed $(wc -l <"$tmp/report.err") diagnostic lines, the first:"
    head -n 3 "$tmp/report.err"
  fi
else
  ratio_row "checkstack / reading (c)" checkstack dump
  echo
  echo "kstack report is not available in this kstack: (a) was not measured."
fi
