#!/usr/bin/env python3
"""Does every function in a kernel's code have a kstack record?

Counts the FUNC symbols defined in the executable sections of vmlinux.o (or
any object linked from a Kbuild tree) and sets them against the functions,
`.cold` parts and aliases its kstack notes record. A symbol without a record
must come from assembly: either an assembly source (a Kbuild object whose
source is a .S file) or a top-level `asm()` statement in a C file (a
plugin-compiled object defining a function symbol that its own note does not
record, like the static_call trampolines). Anything else is a function the
plugin missed, and makes the exit status 1.

  record_coverage.py --kstack build/tool/kstack --tree KBUILD_OUT vmlinux.o \\
      [--list FILE]

--list writes every symbol without a record with its category, for the log.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys


def code_function_symbols(path):
    """Counter of FUNC symbol names defined in executable sections of PATH."""
    executable = set()
    out = subprocess.run(["readelf", "-SW", path], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*(\d+)\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+(\S*)", line)
        if m and "X" in m.group(3):
            executable.add(m.group(1))
    names = collections.Counter()
    out = subprocess.run(["readelf", "-sW", path], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if len(fields) >= 8 and fields[3] == "FUNC" and fields[6] in executable:
            names[fields[7]] += 1
    return names


def recorded_names(kstack, path):
    """Counter of the names kstack's notes in PATH give a record: functions,
    their .cold parts, and aliases."""
    out = subprocess.run([kstack, "dump", "--format=json", path], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"record_coverage: error: kstack dump failed on {path}: {out.stderr.strip()}")
    names = collections.Counter()
    for unit in json.loads(out.stdout)["units"]:
        for f in unit["functions"]:
            names[f["name"]] += 1
            if f.get("cold"):
                names[f["cold"]["name"] if isinstance(f["cold"], dict) else f["cold"]] += 1
        for alias in unit.get("aliases", []):
            names[alias["name"]] += 1
    return names


def kbuild_objects(tree):
    """(object path, source path) of every object Kbuild compiled in TREE."""
    for root, _, files in os.walk(tree):
        for name in files:
            if not (name.startswith(".") and name.endswith(".o.cmd")):
                continue
            obj = os.path.join(root, name[1:-4])
            if not os.path.isfile(obj):
                continue
            with open(os.path.join(root, name), errors="replace") as cmd:
                for line in cmd:
                    if line.startswith("source_"):
                        yield obj, line.split(":=", 1)[1].strip()
                        break


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kstack", required=True, help="the kstack tool")
    parser.add_argument("--tree", required=True, help="the Kbuild output directory (O=)")
    parser.add_argument("--list", help="write the symbols without a record here")
    parser.add_argument("object", help="vmlinux.o")
    args = parser.parse_args()

    symbols = code_function_symbols(args.object)
    records = recorded_names(args.kstack, args.object)
    missing = symbols - records  # keeps positive counts only

    from_assembly = collections.Counter()  # .S sources
    from_c_asm = collections.Counter()  # top-level asm() in C sources
    assembly_objects = 0
    for obj, source in kbuild_objects(args.tree):
        if source.endswith(".S"):
            assembly_objects += 1
            from_assembly.update(code_function_symbols(obj))
        elif source.endswith(".c"):
            defined = code_function_symbols(obj)
            if any(name in missing for name in defined):
                from_c_asm.update(defined - recorded_names(args.kstack, obj))

    categories = collections.Counter()
    listing = []
    for name, count in sorted(missing.items()):
        for category, source in (("assembly", from_assembly), ("asm-in-c", from_c_asm)):
            take = min(count, source[name])
            if take:
                categories[category] += take
                listing.append(f"{category} {name}" + (f" x{take}" if take > 1 else ""))
                count -= take
        if count:
            categories["unexplained"] += count
            listing.append(f"unexplained {name}" + (f" x{count}" if count > 1 else ""))

    total = sum(symbols.values())
    recorded = total - sum(missing.values())
    print(f"record coverage: {total} functions in vmlinux.o code, {recorded} with a record, "
          f"{categories['assembly']} from {assembly_objects} assembly sources, "
          f"{categories['asm-in-c']} from top-level asm in C, {categories['unexplained']} unexplained")
    if args.list:
        with open(args.list, "w") as out:
            out.write("\n".join(listing) + "\n")
    for line in listing:
        if line.startswith("unexplained"):
            print("  " + line)
    return 1 if categories["unexplained"] else 0


if __name__ == "__main__":
    sys.exit(main())
