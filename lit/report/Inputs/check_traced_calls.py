#!/usr/bin/env python3
"""Checks that every call a program really made is in kstack's call graph.

    check_traced_calls.py NM_OUTPUT DUMP.json REPORT.json TRACE...

TRACE files hold "FUNCTION CALL_SITE" address pairs, one per function entry,
written by -finstrument-functions hooks; NM_OUTPUT is `nm -n` of the
program. Each traced call is named (callee: the symbol at FUNCTION; caller:
the function CALL_SITE lies in) and must be a recorded direct call of the
caller, or a target kstack resolved for one of the caller's indirect calls
(REPORT.json's indirect_calls.by_site). Calls from functions without a record
(the C library's start code) are not kstack's to know. Prints a summary and
every lost call; exits 1 if a call was lost.
"""
import bisect
import json
import sys


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    symbols = []
    for line in open(sys.argv[1]):
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            symbols.append((int(parts[0], 16), parts[2]))
    symbols.sort()
    addresses = [a for a, _ in symbols]
    by_address = dict(symbols)

    dump = json.load(open(sys.argv[2]))
    direct = {}
    for unit in dump["units"]:
        for f in unit["functions"]:
            direct.setdefault(f["name"], set()).update(
                c["callee"] for c in f["calls"] if c["kind"] != "indirect" and c["callee"])
    report = json.load(open(sys.argv[3]))
    indirect = {}
    for site in report["indirect_calls"]["by_site"]:
        indirect.setdefault(site["function"], set()).update(site["targets"])

    traced = set()
    for path in sys.argv[4:]:
        for line in open(path):
            fn, site = (int(x, 16) for x in line.split())
            callee = by_address.get(fn)
            at = bisect.bisect_right(addresses, site) - 1
            caller = symbols[at][1] if at >= 0 else None
            if callee and caller in direct:
                traced.add((caller, callee))
    lost = sorted((c, f) for c, f in traced
                  if f not in direct.get(c, ()) and f not in indirect.get(c, ()))
    through_pointers = sum(1 for c, f in traced if f not in direct.get(c, ()))
    print("traced %d distinct calls, %d through function pointers, %d lost"
          % (len(traced), through_pointers, len(lost)))
    for caller, callee in lost:
        print("  lost: %s -> %s" % (caller, callee))
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
