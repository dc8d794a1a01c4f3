#!/usr/bin/env python3
"""What the stack-limit guard (-fplugin-arg-kstack-guard) costs at run time.

Builds the soundness suite (examples/soundness) once plain and, for each
program and each limit, once guarded against the table of the plain build,
all linked with the runtime (so that both measure their threads, and only
the guard differs). Then runs each pair interleaved (plain, guarded, plain,
...) on the same input and reports the median over the rounds of the ratio
of CPU time (user + sys of the program) guarded / plain, measured in the
one run, with the number of
functions the guard instruments.

The limit is each program's worst case (its measured entry's bound), which
every run stays within (a lower one would stop them: the suite reaches its
bounds). With the table, the guard goes only where the stack can pass the
limit: nowhere the bound is complete, and where it is not (pzip's main calls
pthread_create). "below" is a limit under the bound but 64 bytes above the
peak the runtime measures on the benchmark's input (when there is room:
zcomp's and pzip's runs reach their bounds): the functions whose worst case
passes it check, and the run stays within it. "every" is a build with no table, where every function
checks: the most the guard can cost. "none" runs the plain build against
itself: the noise of the measurement, as a ratio. Its limit is twice the bound, since
the call makes the guarded functions' frames a little larger (a leaf is a
leaf no more) and the suite's runs reach their bounds; the check is the same
instructions whatever the limit.

  bench/guard_overhead.py --plugin build/plugin/kstack.so --kstack build/tool/kstack \\
      --runtime build/runtime --out /tmp/guard-bench --rounds 10
"""
import argparse
import json
import os
import resource
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
SUITE = os.path.join(TOP, "examples", "soundness")
ANNOTATIONS = os.path.join(SUITE, "kstack.ann")

# Each program, its measured entry and how it is run: on TEXT (1 MB of the
# repository's sources) or on JSON (copies of a kstack report, 1 MB).
PROGRAMS = {
    "zcomp": ("main", lambda text, json_doc: (["9"], text)),
    "jsonpp": ("main", lambda text, json_doc: ([], json_doc)),
    "pzip": ("compress_chunk", lambda text, json_doc: (["4"], text)),
}


def build(args, out, cflags="", ldflags=""):
    env = dict(os.environ, KSTACK_SUITE_CFLAGS=cflags,
               KSTACK_SUITE_LDFLAGS=ldflags + " -Wl,--whole-archive %s -Wl,--no-whole-archive" % (
                   os.path.join(args.runtime, "libkstack-runtime.a")))
    subprocess.run(["bash", os.path.join(SUITE, "build.sh"), args.cc, args.plugin, out], env=env,
                   check=True, stdout=subprocess.DEVNULL)


def report(args, program_path):
    text = subprocess.run([args.kstack, "report", "--format=json", "--annotations=" + ANNOTATIONS,
                           program_path], check=True, capture_output=True, text=True).stdout
    return text, json.loads(text)


def guarded_functions(args, program_path):
    dump = subprocess.run([args.kstack, "dump", program_path], check=True, capture_output=True,
                          text=True).stdout
    return dump.count(" call __kstack_guard ")


def cpu_of(cmd, stdin_path, results=os.devnull):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(stdin_path, "rb") as stdin:
        subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, check=True,
                       env=dict(os.environ, KSTACK_RESULTS=results))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def make_text_input(path):
    """About 1 MiB of the repository's own text and code."""
    parts = []
    for root, _, files in sorted(os.walk(TOP)):
        if "/." in root or "/build" in root:
            continue
        for name in sorted(files):
            if name.endswith((".md", ".cc", ".h", ".c", ".py")):
                with open(os.path.join(root, name), "rb") as f:
                    parts.append(f.read())
    data = b"".join(parts)
    while len(data) < 1000000:
        data += data
    with open(path, "wb") as f:
        f.write(data[:1000000])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cc", default="gcc-12")
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--kstack", required=True)
    parser.add_argument("--runtime", required=True, help="directory of libkstack-runtime.a")
    parser.add_argument("--out", required=True)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    text_input = os.path.join(args.out, "input.txt")
    make_text_input(text_input)
    plain = os.path.join(args.out, "plain")
    build(args, plain)
    json_input = os.path.join(args.out, "input.json")
    json_text, _ = report(args, os.path.join(plain, "zcomp"))
    copies = max(1, 999000 // (len(json_text) + 1))
    with open(json_input, "w") as f:  # jsonpp reads at most 1 MiB
        f.write("[" + ",".join([json_text] * copies) + "]")

    print("%-7s %-15s %6s %-6s %8s %9s" % ("program", "entry", "limit", "guard", "checking",
                                          "cpu ratio"))
    for program, (entry, how) in PROGRAMS.items():
        table_text, table = report(args, os.path.join(plain, program))
        table_path = os.path.join(args.out, program + "-table.json")
        with open(table_path, "w") as f:
            f.write(table_text)
        bound = next(f["depth"] for f in table["functions"] if f["function"] == entry)
        arguments, stdin = how(text_input, json_input)
        results = os.path.join(args.out, program + ".jsonl")
        if os.path.exists(results):
            os.remove(results)
        cpu_of([os.path.join(plain, program)] + arguments, stdin, results)
        with open(results) as f:
            peak = max(r["peak"] for r in map(json.loads, f) if r["entry"] == entry)
        variants = [("none", None, 0), ("table", "-fplugin-arg-kstack-table=" + table_path, bound)]
        if peak + 64 < bound:
            variants.append(("below", "-fplugin-arg-kstack-table=" + table_path, peak + 64))
        variants.append(("every", "", 2 * bound))
        for label, table_flag, limit in variants:
            out = os.path.join(args.out, "%s-%s" % (program, label))
            if table_flag is None:
                out = plain
            else:
                build(args, out, "-fplugin-arg-kstack-guard=%d %s" % (limit, table_flag))
            guarded = os.path.join(out, program)
            ratios = []
            for _ in range(args.rounds):
                plain_cpu = cpu_of([os.path.join(plain, program)] + arguments, stdin)
                ratios.append(cpu_of([guarded] + arguments, stdin) / plain_cpu)
            ratios.sort()
            print("%-7s %-15s %6s %-6s %8d %9.3f" % (
                program, entry, limit or "-", label, guarded_functions(args, guarded),
                ratios[len(ratios) // 2]))
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
