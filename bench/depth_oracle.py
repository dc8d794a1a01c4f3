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
  - an indirect call reaches its candidates (docs/design.md): the
    functions stored into the field or global it loads (following copies
    between slots) plus the escaped functions of a compatible signature;
    every function of a compatible signature when the slot takes unknown
    values, is overwritten, holds nothing, or the call loads no slot;
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


def compatible(a, b):
    """Signatures match when equal, or when one has no prototype and the
    return parts agree."""
    if a == b:
        return True
    if a.endswith("(?)") or b.endswith("(?)"):
        return a.split("(", 1)[0] == b.split("(", 1)[0]
    return False


class IndirectTargets:
    """Candidate function indexes of each indirect call, from the references
    of all units (docs/design.md, "Indirect calls"), computed naively."""

    def __init__(self, units, functions, lookup):
        self.lookup = lookup
        self.signatures = {}  # function index -> signatures it can be called as
        self.escaped = set()
        self.stores = {}  # slot key -> function indexes
        self.copies = {}  # slot key -> source slot keys
        self.unknown = set()  # slot keys that take unknown values
        self.overwritten = set()  # struct names
        self.vtable_entries = set()  # functions stored into a _ZTV* global
        escaping = []  # slot keys whose contents escape
        for u, unit in enumerate(units):
            for r in unit.get("references", []):
                if r["kind"] == "overwrite":
                    self.overwritten.add(r["slot"]["scope"])
                    continue
                target = lookup(u, r["function"]) if r["function"] else None
                if r["function"]:
                    if target is None:
                        continue  # no record: an unknown callee, ignored here
                    sigs = self.signatures.setdefault(target, set())
                    sigs.add(r["function_signature"])
                    if r["value_signature"]:
                        sigs.add(r["value_signature"])
                if r["kind"] == "escape":
                    if target is not None:
                        self.escaped.add(target)
                    elif r["source"]["kind"] == "parameter":
                        escaping.append(self.key(u, r["source"]))
                    continue
                key = self.key(u, r["slot"])
                if target is not None:
                    self.stores.setdefault(key, set()).add(target)
                    if key[0] == "global" and key[1].startswith("_ZTV"):
                        self.vtable_entries.add(target)
                elif r["source"]["kind"] in ("field", "global", "parameter"):
                    self.copies.setdefault(key, set()).add(self.key(u, r["source"]))
                else:
                    self.unknown.add(key)
        # A parameter slot is open when its function may be called where no
        # store is recorded: its address is taken, or no recorded call
        # reaches it directly. One of a function without a record escapes.
        # (An asm call or a thunk's jump records no arguments: it opens the
        # callee's parameters; a definition the linker drops calls nothing.)
        called, opened = set(), set()
        for index, (u, f) in enumerate(functions):
            if f["binding"] != "local" and lookup(u, f["name"]) != index:
                continue  # superseded
            for call in f["calls"]:
                if call["kind"] in ("indirect", "profiler") or not call["callee"]:
                    continue
                target = lookup(u, call["callee"])
                if target is None:
                    continue
                if call["kind"] == "asm" or f["thunk"]:
                    opened.add(target)
                else:
                    called.add(target)
        slots = set(self.stores) | set(self.copies) | self.unknown | set(escaping)
        for sources in self.copies.values():
            slots |= sources
        for key in slots:
            if key[0] == "parameter" and (key[1] in self.signatures or key[1] not in called
                                          or key[1] in opened):
                self.unknown.add(key)
            if key[0] == "external parameter":
                escaping.append(key)
        for key in escaping:
            for k in self.reach(key):
                self.escaped |= self.stores.get(k, set())

    def key(self, unit, slot):
        if slot["kind"] == "parameter":
            node = self.lookup(unit, slot["scope"])
            if node is None:
                return ("external parameter", slot["scope"], slot["index"])
            return ("parameter", node, slot["index"])
        return (slot["kind"], slot["scope"], slot["member"])

    def reach(self, key):
        reach, todo = set(), [key]
        while todo:
            key = todo.pop()
            if key not in reach:
                reach.add(key)
                todo.extend(self.copies.get(key, ()))
        return reach

    def by_type(self, signature, among=None):
        if not signature:
            return set()
        pool = self.signatures if among is None else among
        return {f for f in pool if any(compatible(signature, s) for s in self.signatures[f])}

    def of_site(self, unit, site):
        if site is None or not site["matched"]:
            return self.by_type(site["signature"] if site else "")
        origin = site["origin"]
        if origin["kind"] == "virtual" and self.vtable_entries:
            return self.by_type(site["signature"], self.vtable_entries)
        if origin["kind"] in ("field", "global", "parameter"):
            reach = self.reach(self.key(unit, origin))
            polluted = any(k in self.unknown or (k[0] == "field" and k[1] in self.overwritten)
                           for k in reach)
            if not polluted:
                found = set().union(*(self.stores.get(k, set()) for k in reach))
                found |= self.by_type(site["signature"], self.escaped)
                if found:
                    return found
        return self.by_type(site["signature"])


def depths(functions, lookup, indirect):
    """Depth of every function reachable without recursion (None inside or
    above a cycle), by an iterative depth-first search."""
    result = [None] * len(functions)
    state = [0] * len(functions)  # 0 new, 1 on the stack, 2 done
    edges = []
    for u, f in functions:
        out = []
        for call in f["calls"]:
            if call["kind"] == "indirect":
                out.extend((t, call["tail"])
                           for t in sorted(indirect.of_site(u, call.get("indirect"))))
            elif call["callee"]:
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
    expected = depths(functions, lookup, IndirectTargets(dump["units"], functions, lookup))
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
