#!/usr/bin/env python3
"""GCC as the oracle for kstack: compile C/C++ sources once with
`-fstack-usage -fcallgraph-info=su` and the kstack plugin loaded, then check
that the note agrees with GCC's own output:

  frames  `kstack dump --format=su x.o` equals GCC's x.su as a sorted set of
          lines (names, locations, sizes, qualifiers);
  calls   for every function, the set of callees of its direct and indirect
          call records equals the set of edges GCC wrote to x.ci
          (`__indirect_call` stands for indirect calls);
  parts   with -fplugin-arg-kstack-explain among the flags, every function's
          frame parts add up (a shared slot once at its largest member, the
          red zone subtracted), with its pushed and dynamic sizes, to the
          frame GCC printed; the share of functions with unattributed bytes
          is counted.

GCC writes x.ci at expand time, so it still lists calls that later RTL passes
deleted (a setjmp receiver found dead, a branch folded away); kstack reads
the final code. A pair on which the two disagree is therefore settled by the
assembly GCC printed for that same compile: a .ci-only callee must not be
named by any instruction of the function (its .cold part included), and a
kstack-only callee must be. Pairs settled that way are counted apart; a pair
the assembly does not settle is a mismatch.

Used by the lit tests (one source, exact report) and as the corpus runner
over GCC's gcc.c-torture (`oracle.py corpus`). Exit status: 0 when everything
matched, 1 on any mismatch or compiler crash, 2 on usage errors.
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

INDIRECT = "__indirect_call"
class Result:
    """What one compile taught: counts, and the first differences found."""

    def __init__(self, source):
        self.source = source
        self.status = "ok"  # ok | skipped | crash | mismatch | plugin-error
        self.functions = 0
        self.functions_matched = 0
        self.call_sets = 0
        self.call_sets_matched = 0
        self.call_sets_settled = 0  # differ from .ci only by calls the assembly confirms
        self.indirect_calls = 0
        self.indirect_matched = 0  # tied to their GIMPLE call (type and origin known)
        self.unmatched = []  # "caller file:line" of the others
        self.explained = 0  # functions with frame parts (-fplugin-arg-kstack-explain)
        self.parts_exact = 0  # ... whose parts add up to the .su frame
        self.with_unattributed = 0  # ... with an unattributed part
        self.unattributed = []  # "name: bytes" of each of those
        self.details = []

    def to_dict(self):
        return self.__dict__


def parts_sum(parts):
    """What frame parts add up to (include/kstack/records.h, frame_parts_sum)."""
    total, slots = 0, {}
    for part in parts:
        if part["kind"] == "red-zone":
            total -= part["bytes"]
        elif part["slot"]:
            slots[part["slot"]] = max(slots.get(part["slot"], 0), part["bytes"])
        else:
            total += part["bytes"]
    return total + sum(slots.values())


def check_parts(r, units):
    """The frame parts of explained units against the frame GCC printed."""
    for unit in units:
        if not unit.get("explained"):
            continue
        for f in unit["functions"]:
            frame = f["frame"]
            if not frame["known"]:
                continue
            r.explained += 1
            parts = f["frame_parts"]
            got = parts_sum(parts) + frame["pushed"] + frame["dynamic"]
            if got == frame["size"]:
                r.parts_exact += 1
            else:
                r.status = "mismatch"
                r.details.append("frame parts of %s add up to %d, .su says %d" %
                                 (f["name"], got, frame["size"]))
            unattributed = sum(p["bytes"] for p in parts if p["kind"] == "unattributed")
            if unattributed:
                r.with_unattributed += 1
                r.unattributed.append("%s: %d" % (f["name"], unattributed))


def parse_ci(text, main_input):
    """Edges of a -fcallgraph-info file: {caller: {callee, ...}}.

    Titles are GCC's unique names: the assembler name, prefixed with the main
    input file for local and weak symbols; '*' marks a verbatim asm name.
    """
    prefix = main_input + ":"

    def name(title):
        if title.startswith(prefix):
            title = title[len(prefix):]
        return title.lstrip("*")

    edges = {}
    nodes = set()
    for line in text.splitlines():
        m = re.match(r'node: \{ title: "([^"]*)" label: "[^"]*\\n[^"]*\\n\d+ bytes', line)
        if m:
            nodes.add(name(m.group(1)))
            edges.setdefault(name(m.group(1)), set())
            continue
        m = re.match(r'edge: \{ sourcename: "([^"]*)" targetname: "([^"]*)"', line)
        if m:
            edges.setdefault(name(m.group(1)), set()).add(name(m.group(2)))
    return edges


def note_edges(units):
    edges = {}
    for unit in units:
        for f in unit["functions"]:
            if not f["su_line"]:
                continue
            callees = edges.setdefault(f["name"], set())
            for c in f["calls"]:
                if c["kind"] == "direct":
                    callees.add(c["callee"])
                elif c["kind"] == "indirect":
                    callees.add(INDIRECT)
    return edges


# A compile that takes longer than this is taken for hung. GCC 12 itself
# never finishes compile/asmgoto-5.c at -O0, with or without kstack; the
# slowest real compile here is compile/20001226-1.c, 20 s alone on aarch64 at
# -O2. A plugin compile that times out while the plain one finishes is tried
# again with ten times the plain compile's time (the machine may be loaded).
COMPILE_TIMEOUT = 120


def run(cmd, cwd=None, timeout=COMPILE_TIMEOUT):
    """(status, stdout, stderr); status -1 when it timed out. The command runs
    in a session of its own, so a timeout kills the compiler proper (cc1)
    too, not only the driver."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, errors="replace", start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return -1, "", "timeout after %d s" % timeout


def timed_run(cmd, cwd=None, timeout=COMPILE_TIMEOUT):
    """run(), and how long it took in seconds."""
    start = time.monotonic()
    result = run(cmd, cwd=cwd, timeout=timeout)
    return result + (time.monotonic() - start,)


def assembly(cmd, obj, workdir):
    """The assembly of the same compile (the plugin changes no code)."""
    s_file = obj[:-2] + ".kstack-oracle.s"
    out = list(cmd)
    out[out.index("-c")] = "-S"
    out[out.index(obj)] = s_file
    run(out, cwd=workdir)
    return open(s_file, errors="replace").read().splitlines() if os.path.exists(s_file) else []


def function_body(asm, name):
    """Instruction lines of function NAME: from its label to its .size."""
    if not name:
        return []
    body, inside = [], False
    for line in asm:
        if not inside:
            inside = line == name + ":"
        elif re.match(r"\s*\.size\s+" + re.escape(name) + r"\s*,", line):
            break
        elif not line.lstrip().startswith("."):
            body.append(line)
    return body


def names_callee(body, callee):
    """Whether an instruction of BODY calls CALLEE (or any indirect target)."""
    if callee == INDIRECT:
        # Through a register or memory, or through a retpoline thunk.
        pattern = (r"\b(call|jmp)q?\s+\*|__x86_indirect_(call_)?thunk|"
                   r"\bblr?\s+[xw]\d|\bblx\s+r|\bbx\s+r\d")
    else:
        pattern = r"(?<![\w.$])" + re.escape(callee) + r"(?![\w.$])"
    return any(re.search(pattern, line) for line in body)


def check_source(source, args, flags, workdir):
    """Compiles SOURCE with FLAGS and the plugin in WORKDIR; compares."""
    r = Result(source)
    base = os.path.splitext(os.path.basename(source))[0]
    obj = os.path.join(workdir, base + ".o")
    # Plugin arguments must follow the plugin.
    plugin_args = [f for f in flags if f.startswith("-fplugin-arg-")]
    cmd = [args.cc] + [f for f in flags if f not in plugin_args] + [
        "-c", os.path.abspath(source), "-o", obj, "-fstack-usage", "-fcallgraph-info=su",
        "-fplugin=" + os.path.abspath(args.plugin)] + plugin_args
    rc, out, err = run(cmd, cwd=workdir)
    if rc != 0:
        # Not compilable (some torture sources are not, for some targets or
        # levels, and GCC hangs on a few), or broken by kstack? The same
        # compile without it tells.
        plain = [c for c in cmd if not c.startswith("-fplugin")]
        prc, _, _, seconds = timed_run(plain, cwd=workdir)
        if prc != 0:
            r.status = "skipped"
            return r
        if rc == -1:
            rc, out, err = run(cmd, cwd=workdir, timeout=max(COMPILE_TIMEOUT, 10 * seconds))
        if rc != 0:
            r.status = "crash"
            r.details.append(" ".join(cmd) + "\n" + err[-2000:])
            return r
    asm = []

    def body_of(name):
        if not asm:
            asm.extend(assembly(cmd, obj, workdir))
        return function_body(asm, name)

    return compare_object(r, obj, args.kstack, body_of)


def compare_object(r, obj, kstack, body_of):
    """Compares OBJ's note with the X.su and X.ci GCC wrote beside it.

    BODY_OF(name) gives the instruction lines of a function, to settle call
    differences; it is called only when there is one to settle.
    """
    base = obj[:-2]
    su_path, ci_path = base + ".su", base + ".ci"
    gcc_su = sorted(open(su_path, errors="replace").read().splitlines()) if os.path.exists(su_path) else []
    rc, out, err = run([kstack, "dump", "--format=su", obj])
    if rc != 0:
        r.status = "plugin-error"
        r.details.append("kstack dump --format=su failed: " + err.strip())
        return r
    ks_su = sorted(out.splitlines())
    r.functions = len(gcc_su)
    gcc_set, ks_set = set(gcc_su), set(ks_su)
    r.functions_matched = sum(1 for line in gcc_su if line in ks_set)
    if len(ks_su) != len(gcc_su) or gcc_set != ks_set or r.functions_matched != len(gcc_su):
        r.status = "mismatch"
        for line in sorted(gcc_set - ks_set):
            r.details.append("su only in gcc:    " + line)
        for line in sorted(ks_set - gcc_set):
            r.details.append("su only in kstack: " + line)
    rc, out, err = run([kstack, "dump", "--format=json", obj])
    if rc != 0:
        r.status = "plugin-error"
        r.details.append("kstack dump --format=json failed: " + err.strip())
        return r
    units = json.loads(out)["units"]
    check_parts(r, units)
    for f in (f for u in units for f in u["functions"]):
        for call in f["calls"]:
            if call["kind"] != "indirect":
                continue
            r.indirect_calls += 1
            if call.get("indirect", {}).get("matched"):
                r.indirect_matched += 1
            else:
                r.unmatched.append("%s %s:%d" % (f["name"], call["file"], call["line"]))
    main_input = units[0]["main_input"] if units else ""
    ci = parse_ci(open(ci_path, errors="replace").read(), main_input) if os.path.exists(ci_path) else {}
    mine = note_edges(units)
    cold_parts = {f["name"]: f["cold"] for u in units for f in u["functions"] if f["cold"]}
    r.call_sets = len(ci)
    for caller, callees in sorted(ci.items()):
        if mine.get(caller) == callees:
            r.call_sets_matched += 1
            continue
        if caller in mine:
            body = body_of(caller) + (body_of(cold_parts[caller]) if caller in cold_parts else [])
            unsettled = [c for c in callees - mine[caller] if names_callee(body, c)]
            unsettled += [c for c in mine[caller] - callees if not names_callee(body, c)]
            if not unsettled:
                r.call_sets_settled += 1
                r.details.append("settled by the assembly: calls of %s: gcc .ci %s, kstack %s" % (
                    caller, sorted(callees), sorted(mine[caller])))
                continue
        r.status = "mismatch"
        r.details.append("calls of %s: gcc %s, kstack %s" % (
            caller, sorted(callees), sorted(mine.get(caller, ["<no record>"]))))
    for caller in sorted(set(mine) - set(ci)):
        r.status = "mismatch"
        r.details.append("kstack has %s, gcc's .ci has no node for it" % caller)
    return r


def disassembly_body_of(objdump, obj):
    """BODY_OF for an object: its functions' lines in `objdump -dr`, where
    relocations name the callees of an unlinked object. The `<sym+off>`
    annotations of call targets (the caller itself, before relocation) are
    dropped."""
    lines = []

    def body_of(name):
        if not lines:
            rc, out, _ = run([objdump, "-dr", "--no-show-raw-insn", obj])
            lines.extend(out.splitlines())
        body, inside = [], False
        for line in lines:
            if re.match(r"^[0-9a-f]+ <.*>:$", line) or line.startswith("Disassembly of section"):
                inside = line.endswith(" <%s>:" % name)
                continue
            if inside:
                body.append(re.sub(r"<[^>]*>", "", line))
        return body

    return body_of


def check_in_tempdir(source, args, flags):
    workdir = tempfile.mkdtemp(prefix="kstack-oracle-")
    try:
        return check_source(source, args, flags, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def summarize(results, label, out, noun="sources"):
    compiled = [r for r in results if r.status != "skipped"]
    functions = sum(r.functions for r in compiled)
    matched = sum(r.functions_matched for r in compiled)
    sets = sum(r.call_sets for r in compiled)
    sets_matched = sum(r.call_sets_matched for r in compiled)
    sets_settled = sum(r.call_sets_settled for r in compiled)
    crashes = sum(1 for r in results if r.status == "crash")
    errors = sum(1 for r in results if r.status == "plugin-error")
    mismatched = sum(1 for r in results if r.status == "mismatch")
    skipped = len(results) - len(compiled)
    out.write("%s: %d %s (%d not compilable, skipped): frames %d/%d match .su, "
              "call sets %d/%d match .ci (%d more differ only by calls the final assembly "
              "confirms), %d mismatching sources, %d crashes, %d read errors\n"
              % (label, len(results), noun, skipped, matched, functions, sets_matched, sets,
                 sets_settled, mismatched, crashes, errors))
    indirect = sum(r.indirect_calls for r in compiled)
    indirect_matched = sum(r.indirect_matched for r in compiled)
    out.write("%s: indirect calls %d/%d tied to their GIMPLE call\n"
              % (label, indirect_matched, indirect))
    for site in [site for r in compiled for site in r.unmatched][:20]:
        out.write("  not tied: %s\n" % site)
    explained = sum(r.explained for r in compiled)
    if explained:
        exact = sum(r.parts_exact for r in compiled)
        unattributed = sum(r.with_unattributed for r in compiled)
        out.write("%s: frame parts of %d/%d functions add up to their .su frame; %d (%.1f%%) "
                  "with unattributed bytes\n"
                  % (label, exact, explained, unattributed, 100.0 * unattributed / explained))
    return mismatched == 0 and crashes == 0 and errors == 0


def cmd_check(args):
    flags = args.flags
    ok = True
    for source in args.sources:
        r = check_in_tempdir(source, args, flags)
        for d in r.details:
            sys.stdout.write("  " + d + "\n")
        ok &= summarize([r], "oracle " + os.path.basename(source), sys.stdout)
    return 0 if ok else 1


def cmd_objects(args):
    """Objects compiled elsewhere (a kernel build) with -fstack-usage
    -fcallgraph-info=su and the plugin; X.su and X.ci lie beside X.o."""
    objects = []
    for path in args.objects:
        if path.startswith("@"):
            objects += open(path[1:]).read().split()
        else:
            objects.append(path)
    results = []
    for obj in objects:
        r = compare_object(Result(obj), obj, args.kstack, disassembly_body_of(args.objdump, obj))
        results.append(r)
    log = open(args.log, "w") if args.log else sys.stdout
    for r in results:
        if r.details and (r.status != "ok" or args.log):
            log.write("== %s [%s]\n" % (r.source, r.status))
            for d in r.details:
                log.write("  " + d + "\n")
    return 0 if summarize(results, "objects", sys.stdout, noun="objects") else 1


def torture_sources(root, sample, seed):
    sources = []
    for sub in ("compile", "execute"):
        d = os.path.join(root, sub)
        for name in sorted(os.listdir(d)):
            if name.endswith(".c"):
                sources.append(os.path.join(d, name))
    if sample and sample < len(sources):
        rng = random.Random(seed)
        sources = sorted(rng.sample(sources, sample))
    return sources


def cmd_corpus(args):
    sources = torture_sources(args.torture, args.sample, args.seed)
    ok = True
    report = {"cc": args.cc, "levels": {}}
    log = open(args.log, "w") if args.log else None
    for level in args.levels.split(","):
        flags = ["-" + level.lstrip("-"), "-w"] + args.flags
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(lambda s: check_in_tempdir(s, args, flags), sources))
        label = "%s %s" % (os.path.basename(args.cc), level)
        ok &= summarize(results, label, sys.stdout)
        for r in results:
            if r.status not in ("ok", "skipped"):
                sys.stdout.write("== %s [%s]\n" % (r.source, r.status))
                for d in r.details:
                    sys.stdout.write("  " + d + "\n")
        sys.stdout.flush()
        report["levels"][level] = [r.to_dict() for r in results]
        if log:
            for r in results:
                if r.details:
                    log.write("== %s %s [%s]\n" % (label, r.source, r.status))
                    for d in r.details:
                        log.write("  " + d + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cc", default="gcc", help="GCC driver (default: gcc)")
    p.add_argument("--plugin", help="kstack.so built for --cc (check, corpus)")
    p.add_argument("--kstack", required=True, help="the kstack tool")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check sources; flags after --")
    c.add_argument("sources", nargs="+")
    c.add_argument("flags", nargs=argparse.REMAINDER)
    k = sub.add_parser("corpus", help="run over gcc.c-torture")
    k.add_argument("--torture", required=True, help="gcc/testsuite/gcc.c-torture directory")
    k.add_argument("--levels", default="O0,O2,Os")
    k.add_argument("--sample", type=int, default=0, help="a fixed random sample of N sources")
    k.add_argument("--seed", type=int, default=1)
    k.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    k.add_argument("--log", help="write every difference to this file")
    k.add_argument("--json", help="write per-source results as JSON")
    k.add_argument("flags", nargs=argparse.REMAINDER)
    o = sub.add_parser("objects", help="compare objects built elsewhere with their X.su and X.ci")
    o.add_argument("objects", nargs="+", help="X.o files, or @FILE listing them")
    o.add_argument("--objdump", default="objdump")
    o.add_argument("--log", help="write every difference, settled ones too, to this file")
    args = p.parse_args()
    if args.command != "objects" and not args.plugin:
        p.error("--plugin is required for " + args.command)
    if args.command == "objects":
        return cmd_objects(args)
    if args.command == "check":
        # argparse leaves sources and flags mixed when flags follow "--".
        if "--" in sys.argv:
            i = sys.argv.index("--")
            args.flags = sys.argv[i + 1:]
            args.sources = [s for s in args.sources if s not in args.flags]
        else:
            args.flags = []
        return cmd_check(args)
    args.flags = [f for f in args.flags if f != "--"]
    return cmd_corpus(args)


if __name__ == "__main__":
    sys.exit(main())
