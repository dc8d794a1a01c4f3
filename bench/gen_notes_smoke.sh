#!/usr/bin/env bash
# A correctness check of kstack_gen_notes, not a timing: a small program is
# generated twice with the same seed (the bytes must be the same) and
# `kstack dump` must read every object without a diagnostic, listing one .su
# line per generated function and every call record the generator counted;
# then the report's depths are checked against bench/depth_oracle.py.
#
# Usage: gen_notes_smoke.sh GENERATOR KSTACK WORKDIR
set -euo pipefail
(($# == 3)) || { echo "usage: $0 GENERATOR KSTACK WORKDIR" >&2; exit 2; }
gen=$1 kstack=$2 work=$3
rm -rf "$work"
mkdir -p "$work"

summary=$("$gen" --functions 3000 --objects 40 --seed 7 --out "$work/a")
"$gen" --functions 3000 --objects 40 --seed 7 --out "$work/b" >/dev/null
echo "$summary"
figure() { sed -n "s/.*\<$1=\([0-9]*\).*/\1/p" <<<"$summary"; }

status=0
for f in "$work"/a/obj*.o; do
  cmp -s "$f" "$work/b/${f##*/}" || { echo "FAIL: ${f##*/} differs between two runs with one seed"; status=1; }
done
[[ $(wc -l <"$work/a/list.txt") == 40 ]] || { echo "FAIL: list.txt does not list 40 objects"; status=1; }

"$kstack" dump --format=su -o "$work/su" "@$work/a/list.txt" 2>"$work/su.err" || {
  echo "FAIL: kstack dump --format=su exited with $?"; status=1; }
"$kstack" dump -o "$work/text" "@$work/a/list.txt" 2>>"$work/su.err" || {
  echo "FAIL: kstack dump exited with $?"; status=1; }
if [[ -s $work/su.err ]]; then
  echo "FAIL: kstack dump printed diagnostics:"
  head -n 5 "$work/su.err"
  status=1
fi
su_lines=$(wc -l <"$work/su")
[[ $su_lines == "$(figure functions)" ]] || {
  echo "FAIL: $su_lines .su lines for $(figure functions) functions"; status=1; }
# The text dump has one line per call record: "    [cold ][tail ][KIND ]call ...".
call_lines=$(grep -cE '^    (cold )?(tail )?((indirect|asm|profiler) )?call( |$)' "$work/text" || true)
[[ $call_lines == "$(figure calls)" ]] || {
  echo "FAIL: kstack dump lists $call_lines calls, the generator wrote $(figure calls)"; status=1; }

# The analysis on a random program with globals, statics, tail calls, cycles
# and unknown callees: every complete depth of `kstack report` must equal the
# one bench/depth_oracle.py computes again from the raw records.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$kstack" dump --format=json -o "$work/dump.json" "@$work/a/list.txt"
"$kstack" report --format=json -o "$work/report.json" "@$work/a/list.txt"
if ! python3 "$here/depth_oracle.py" "$work/dump.json" "$work/report.json"; then
  echo "FAIL: kstack report's depths differ from depth_oracle.py's"
  status=1
fi
python3 "$here/../lit/report/Inputs/check_report_json.py" "$work/report.json" || {
  echo "FAIL: the report breaks its schema's invariants"; status=1; }

((status)) || echo "kstack-gen-notes-smoke: $su_lines functions and $call_lines calls read back"
exit $status
