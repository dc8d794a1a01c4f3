#!/usr/bin/env python3
"""A second, independent computation of worst-case depths, to check kstack's.

Reads the raw records (`kstack dump --format=json`) of a program, resolves its
calls and computes every function's depth by a plain depth-first search, then
compares with the depths `kstack report --format=json` gives for the same
inputs. Only bounds the report calls complete are compared, since those have
one right answer: no recursion, no unknown callee or indirect call below.

    depth_oracle.py DUMP.json REPORT.json

The rules are the documented ones (docs/design.md), written again from
scratch and kept simple rather than fast:
  - a call from unit U to S reaches U's static (or local alias, or .cold
    name) S, else the global S: strong over weak, the first strong one kept;
  - depth(f) = max(frame + red zone, frame + depth(callee) for each call,
    depth(callee) for each tail call); a call to a symbol without a record is
    ignored here (the report calls such a bound incomplete, unless assumed).
Prints one line: how many complete depths were compared and how many
differ; exits 1 if any does (each listed), 2 on bad input.
"""
import json
import sys


def resolve_symbols(units):
    """(functions, resolve): the list of (unit index, record) and a
    function (unit index, symbol) -> function index or None."""
    functions = []
    locals_ = [dict() for _ in units]
    strong, weak = {}, {}
    for u, unit in enumerate(units):
        for f in unit["functions"]:
            index = len(functions)
            functions.append((u, f))
            if f["binding"] == "local":
                locals_[u].setdefault(f["name"], index)
            elif f["binding"] == "weak":
                weak.setdefault(f["name"], index)
            else:
                strong.setdefault(f["name"], index)
            if f["cold"]:
                locals_[u].setdefault(f["cold"], index)

    def lookup(u, name):
        if name in locals_[u]:
            return locals_[u][name]
        return strong.get(name, weak.get(name))

    for u, unit in enumerate(units):
        for alias in unit["aliases"]:
            target = lookup(u, alias["target"])
            if target is None:
                continue
            table = {"local": locals_[u], "weak": weak}.get(alias["binding"], strong)
            table.setdefault(alias["name"], target)
    return functions, lookup


def depths(functions, lookup):
    """Depth of every function reachable without recursion (None inside or
    above a cycle), by an iterative depth-first search."""
    result = [None] * len(functions)
    state = [0] * len(functions)  # 0 new, 1 on the stack, 2 done
    edges = []
    for u, f in functions:
        out = []
        for call in f["calls"]:
            if call["callee"]:
                target = lookup(u, call["callee"])
                if target is not None:
                    out.append((target, call["tail"]))
        edges.append(out)
    cyclic = [False] * len(functions)
    for root in range(len(functions)):
        if state[root]:
            continue
        stack = [(root, 0)]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            if i < len(edges[node]):
                stack[-1] = (node, i + 1)
                target = edges[node][i][0]
                if state[target] == 0:
                    state[target] = 1
                    stack.append((target, 0))
                elif state[target] == 1:
                    cyclic[node] = True
                continue
            stack.pop()
            state[node] = 2
            frame = functions[node][1]["frame"]
            deepest = frame["size"] + frame.get("red_zone", 0)
            for target, tail in edges[node]:
                if cyclic[target] or result[target] is None:
                    cyclic[node] = True
                    continue
                deepest = max(deepest, result[target] + (0 if tail else frame["size"]))
            if not cyclic[node]:
                result[node] = deepest
    return result


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        dump = json.load(open(sys.argv[1]))
        report = json.load(open(sys.argv[2]))
    except (OSError, ValueError) as e:
        sys.stderr.write("depth_oracle.py: %s\n" % e)
        sys.exit(2)
    functions, lookup = resolve_symbols(dump["units"])
    if len(functions) != len(report["functions"]):
        sys.stderr.write("depth_oracle.py: %d functions in the dump, %d in the report\n"
                         % (len(functions), len(report["functions"])))
        sys.exit(2)
    expected = depths(functions, lookup)
    compared = differ = 0
    for index, row in enumerate(report["functions"]):
        if not row["complete"]:
            continue
        compared += 1
        if expected[index] != row["depth"]:
            differ += 1
            if differ <= 20:
                print("  %s (%s): report %d, oracle %s"
                      % (row["function"], row["unit"], row["depth"], expected[index]))
    print("depth oracle: %d complete depths compared, %d differ" % (compared, differ))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
