"""frame_parts.py [--check] [--su FILE.su] FILE.s...: reads the kstack note of
GCC's assembler output by its field comments (plugin/note_writer.cc) and
prints each function's frame parts (-fplugin-arg-kstack-explain), one line
each:
    FUNCTION: KIND bytes=N slot=N offset=N|- flags=N name="..." type="..." file="..." line=N inlined_from="..."
With --check it prints instead, per function, whether its parts add up to its
static size (`sum ok FUNCTION N` or `sum BAD FUNCTION parts N static N`),
and with --su whether that static size is the `.su` file's figure for a
function GCC calls "static" (`su BAD FUNCTION ...`; no line when it is);
then `checked N functions, M with unattributed bytes`. The sum is
kstack::frame_parts_sum: a shared slot once at its largest member, the red
zone subtracted."""
import re
import sys

KINDS = {1: "return-address", 2: "saved-registers", 3: "local", 4: "parameter",
         5: "temporary", 6: "spill", 7: "outgoing-arguments", 8: "varargs",
         9: "padding", 10: "unattributed", 11: "red-zone", 12: "other"}
FIELD = re.compile(r'^\s*\.(?:4|8)byte\s+(-?\d+)\s+\S+ (\w+)(?: "(.*)")?$')
COMMENT = re.compile(r'^\S+ (function|frame part of) (\S+?)(?::.*)?$')


def read(path):
    """The functions (name -> fields) and frame parts (list of fields)."""
    functions, parts, current = {}, [], None
    order = []
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = COMMENT.match(line)
        if m:
            current = {}
            if m.group(1) == "function":
                functions[m.group(2)] = current
                order.append(m.group(2))
            else:
                parts.append(current)
            continue
        m = FIELD.match(line)
        if m and current is not None:
            current[m.group(2)] = m.group(3) if m.group(3) is not None else int(m.group(1))
        elif line.strip().startswith(".") and not line.strip().startswith(".byte"):
            current = None
    return functions, order, parts


def parts_sum(parts):
    total, red_zone, slots = 0, 0, {}
    for p in parts:
        if p["kind"] == 11:
            red_zone += p["bytes"]
        elif p["slot"] == 0:
            total += p["bytes"]
        else:
            slots[p["slot"]] = max(slots.get(p["slot"], 0), p["bytes"])
    return total + sum(slots.values()) - red_zone


def su_figures(path):
    """name -> (bytes, qualifier) from a .su file."""
    figures = {}
    for line in open(path):
        where, size, qualifier = line.rstrip("\n").split("\t")
        figures[where.rsplit(":", 1)[-1]] = (int(size), qualifier)
    return figures


def main():
    args = sys.argv[1:]
    check = "--check" in args
    su = {}
    while "--su" in args:
        i = args.index("--su")
        su.update(su_figures(args[i + 1]))
        del args[i:i + 2]
    args = [a for a in args if a != "--check"]
    checked = unattributed = 0
    status = 0
    for path in args:
        functions, order, parts = read(path)
        by_function = {}
        for p in parts:
            by_function.setdefault(p["function"], []).append(p)
        for index, name in enumerate(order):
            f = functions[name]
            mine = by_function.get(index, [])
            if not check:
                for p in mine:
                    offset = "-" if p["flags"] & 2 else str(p["offset"])
                    print('%s: %s bytes=%d slot=%d offset=%s flags=%d name="%s" type="%s" file="%s" '
                          'line=%d inlined_from="%s"' % (
                              name, KINDS.get(p["kind"], "?"), p["bytes"], p["slot"], offset,
                              p["flags"], p["name"], p["type"], p["file"], p["line"],
                              p["inlined_from"]))
                continue
            if "static_size" not in f:
                continue
            checked += 1
            if any(p["kind"] == 10 for p in mine):
                unattributed += 1
            total = parts_sum(mine)
            if total == f["static_size"]:
                print("sum ok %s %d" % (name, total))
            else:
                print("sum BAD %s parts %d static %d" % (name, total, f["static_size"]))
                status = 1
            figure = su.get(f["su_name"])
            if figure and figure[1] == "static" and figure[0] != f["static_size"]:
                print("su BAD %s static %d su %d" % (name, f["static_size"], figure[0]))
                status = 1
    if check:
        print("checked %d functions, %d with unattributed bytes" % (checked, unattributed))
    return status


if __name__ == "__main__":
    sys.exit(main())
