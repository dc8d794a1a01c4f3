#!/usr/bin/env python3
"""The indirect-call figures of a kernel (or any program) in one table.

    indirect_figures.py FIELD.json TYPE.json NONE.json [ENTRY...]

The three arguments are `kstack report --format=json` of the same inputs and
annotations with --indirect=field (the default), --indirect=type and
--indirect=none. Prints, as markdown: the sites by resolution and the targets
per site (median, 90th percentile) in each mode; the calls (edges) of the
graph; the largest recursive component; the entry points, how many are
complete and how many worst paths go through an indirect call; then, for
each ENTRY glob (default: the ten deepest entries of the field report), the
depth in each mode and the indirect steps of its worst path.
"""
import fnmatch
import json
import sys

KINDS = ["field", "global", "parameter", "type", "annotation", "unresolved"]


def load(path):
    with open(path) as f:
        return json.load(f)


def share(count, total):
    return "%d (%.1f%%)" % (count, 100.0 * count / total) if total else "0"


def percentiles(p):
    if p["median"] is None:
        return "-"
    return "%d / %d" % (p["median"], p["p90"])


def largest_cycle(report):
    sizes = [len(c.get("members", [])) for c in report.get("cycles", [])]
    return max(sizes) if sizes else 0


def depth_text(entry):
    if entry is None:
        return "-"
    return ("%d" if entry["complete"] else ">= %d") % entry["depth"]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    modes = {"field": load(sys.argv[1]), "type": load(sys.argv[2]), "none": load(sys.argv[3])}
    out = sys.stdout

    out.write("| | by field, global and parameter (default) | by type only | none |\n")
    out.write("|---|---|---|---|\n")
    stats = {m: r["indirect_calls"] for m, r in modes.items()}
    sites = stats["field"]["sites"]
    out.write("| indirect call sites | %s |\n" % " | ".join(str(stats[m]["sites"]) for m in modes))
    for kind in KINDS:
        row = []
        for m in modes:
            count = stats[m]["by_resolution"].get(kind, 0)
            p = stats[m]["targets_by_resolution"].get(kind)
            cell = share(count, sites)
            if p and p["median"] is not None and kind != "unresolved":
                cell += ", targets " + percentiles(p)
            row.append(cell)
        label = "unresolved" if kind == "unresolved" else "resolved by " + kind
        out.write("| %s | %s |\n" % (label, " | ".join(row)))
    out.write("| targets per resolved site, median / 90th percentile | %s |\n"
              % " | ".join(percentiles(stats[m]["targets"]) for m in modes))
    out.write("| calls (edges) in the graph | %s |\n"
              % " | ".join(str(r["summary"]["calls"]) for r in modes.values()))
    out.write("| largest recursive component (functions) | %s |\n"
              % " | ".join(str(largest_cycle(r)) for r in modes.values()))
    for m, r in modes.items():
        entries = r["entries"]
        through = sum(1 for e in entries
                      if any(s.get("call") and s["call"]["kind"] == "indirect" for s in e["path"]))
        r["_through"] = through
    out.write("| entry points; complete bounds | %s |\n"
              % " | ".join("%d; %d" % (len(r["entries"]), sum(1 for e in r["entries"] if e["complete"]))
                           for r in modes.values()))
    out.write("| worst paths through an indirect call | %s |\n"
              % " | ".join(str(r["_through"]) for r in modes.values()))

    by_name = {m: {e["function"]: e for e in r["entries"]} for m, r in modes.items()}
    globs = sys.argv[4:] or [e["function"] for e in modes["field"]["entries"][:10]]
    out.write("\n| entry | depth by field | by type | none | indirect steps of the worst path (by field) |\n")
    out.write("|---|---|---|---|---|\n")
    for glob in globs:
        for name in sorted(n for n in by_name["field"] if fnmatch.fnmatchcase(n, glob)):
            entry = by_name["field"][name]
            steps = ["%s (%s, %d targets)" % (s["function"], s.get("slot") or s["resolution"],
                                              s["targets"])
                     for s in entry["path"] if s.get("call") and s["call"]["kind"] == "indirect"]
            out.write("| %s | %s | %s | %s | %s |\n"
                      % (name, depth_text(entry), depth_text(by_name["type"].get(name)),
                         depth_text(by_name["none"].get(name)), "; ".join(steps) or "-"))


if __name__ == "__main__":
    main()
