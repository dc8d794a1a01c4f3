#!/usr/bin/env python3
"""The soundness suite (README.md): builds the programs with the plugin, runs
each on its inputs under kstack's runtime, and has `kstack verify` set every
measured peak against its static bound.

    run_suite.py --cc gcc-12 --plugin kstack.so --kstack kstack \
                 --runtime build/runtime --out DIR [--markdown]

Fails (exit 1) unless every verify passes and every measured entry is
proved, but for the ones EXPECTED_INCOMPLETE names with their reason. Prints
one row per entry: runs, largest peak, bound, tightness (bound / peak).
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
SUITE_ANNOTATIONS = os.path.join(HERE, "kstack.ann")
FIRMWARE_ANNOTATIONS = os.path.join(TOP, "examples", "firmware", "kstack.ann")


def inputs(*names):
    return [os.path.join(HERE, "inputs", n) for n in names]


TEXTS = inputs("sensor-log.csv", "cities.json") + [
    os.path.join(TOP, "README.md"), os.path.join(TOP, "docs", "design.md")]
JSONS = inputs("cities.json", "config.json", "unicode.json", "invalid.json", "too-deep.json")

# Each program: its runs, as (arguments, standard input or None, exit
# statuses that are right), and its annotations.
PROGRAMS = {
    "zcomp": ([([str(level)], text, (0,)) for level in (1, 6, 9) for text in TEXTS],
              SUITE_ANNOTATIONS),
    # invalid.json and too-deep.json exit 2, as they must; they are measured too.
    "jsonpp": ([([], j, (0, 2)) for j in JSONS], SUITE_ANNOTATIONS),
    "pzip": ([([str(chunks)], text, (0,)) for chunks in (1, 4, 16) for text in TEXTS[2:]],
             SUITE_ANNOTATIONS),
    "firmware": ([([], None, (0,))], FIRMWARE_ANNOTATIONS),
}

# Measured entries whose bound is a lower one, and why that is right.
EXPECTED_INCOMPLETE = {
    ("pzip", "main"): "pthread_create and pthread_join have no record",
}


def run_program(program, runs, out, runtime):
    results = os.path.join(out, program + ".jsonl")
    if os.path.exists(results):
        os.remove(results)
    env = dict(os.environ, KSTACK_RESULTS=results,
               LD_PRELOAD=os.path.join(runtime, "libkstack-runtime.so"))
    for args, stdin, statuses in runs:
        with open(stdin, "rb") if stdin else open(os.devnull, "rb") as source:
            done = subprocess.run([os.path.join(out, program)] + args, stdin=source, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode not in statuses:
            sys.exit("run_suite: %s %s < %s exited %d: %s" % (
                program, " ".join(args), stdin, done.returncode, done.stderr.decode()))
    return results


def verify(program, results, annotations, out, kstack):
    """kstack verify's JSON (docs/runtime.md), one row per entry function."""
    done = subprocess.run([kstack, "verify", "--format=json", "--annotations=" + annotations,
                           results, os.path.join(out, program)], capture_output=True, text=True)
    rows = []
    if done.returncode in (0, 1):
        for entry in json.loads(done.stdout)["entries"]:
            rows.append({"program": program, "entry": entry["entry"], "runs": entry["runs"],
                         "peak": entry["peak"],
                         "bound": "-" if entry["bound"] is None else str(entry["bound"]),
                         "bound_complete": entry["bound_complete"] is not False,
                         "tightness": "-" if entry["tightness"] is None
                         else "%.2f" % entry["tightness"],
                         "status": entry["verdict"]})
    return done, rows

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cc", default="gcc-12")
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--kstack", required=True)
    parser.add_argument("--runtime", required=True, help="directory of libkstack-runtime.so")
    parser.add_argument("--out", required=True)
    parser.add_argument("--markdown", action="store_true", help="print the table for README.md")
    args = parser.parse_args()

    subprocess.run(["bash", os.path.join(HERE, "build.sh"), args.cc, args.plugin, args.out],
                   check=True)
    failures, table = [], []
    for program, (runs, annotations) in PROGRAMS.items():
        results = run_program(program, runs, args.out, args.runtime)
        done, rows = verify(program, results, annotations, args.out, args.kstack)
        if done.returncode != 0:
            failures.append("kstack verify of %s exited %d:\n%s%s" % (
                program, done.returncode, done.stderr, done.stdout))
        if not rows:
            failures.append("kstack verify of %s measured nothing:\n%s" % (program, done.stdout))
        for row in rows:
            expected = EXPECTED_INCOMPLETE.get((program, row["entry"]))
            if row["status"] != ("incomplete" if expected else "proved"):
                failures.append("%s: entry %s is %s:\n%s" % (program, row["entry"], row["status"],
                                                             done.stdout))
            row["note"] = expected or ""
            table.append(row)

    if args.markdown:
        print("| program | entry | runs | largest peak | bound | tightness |")
        print("|---|---|---|---|---|---|")
        for r in table:
            bound = r["bound"] if r["bound_complete"] else "≥ %s (%s)" % (r["bound"], r["note"])
            print("| %s | `%s` | %d | %d | %s | %s |" % (r["program"], r["entry"], r["runs"],
                                                        r["peak"], bound, r["tightness"]))
    else:
        print("%-9s %-15s %5s %8s %10s %9s  %s" % ("program", "entry", "runs", "peak", "bound",
                                                   "tightness", "status"))
        for r in table:
            bound = r["bound"] if r["bound_complete"] else ">= " + r["bound"]
            print("%-9s %-15s %5d %8d %10s %9s  %s" % (r["program"], r["entry"], r["runs"],
                                                       r["peak"], bound, r["tightness"],
                                                       r["status"]))
    if failures:
        sys.stderr.write("\n".join(failures) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
