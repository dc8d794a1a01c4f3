#!/usr/bin/env python3
"""How `kstack report` scales: time and memory from 10^4 to 10^7 functions.

For each size N, kstack_gen_notes writes a synthetic program of N functions
(about 5 calls each, 50 functions per object) as relocatable objects and an
@LIST; then, interleaved and several times, this runs

  kstack report --format=json -o /dev/null @LIST     (the whole analysis)
  kstack dump --format=su -o /dev/null @LIST         (merely reading the notes)

and takes the median wall and CPU (user + system) time and the peak
resident memory of each (the child's own rusage, through os.wait4); a size
whose runs take minutes is run fewer times (--long). The table gives, per size, both
timings, the report's cost against reading alone, its memory per call edge,
and how much the report's time and memory grow from the size before (10x
more functions: about 10 means linear).

  bench/report_scale.py --kstack build/tool/kstack \\
      --gen build/bench/kstack_gen_notes --sizes 1e4,1e5,1e6,1e7

The notes are read from the page cache (they were just written): the
figures are CPU and memory, not disk. Generated programs stay in --work and
are reused when the generator, seed and shape are the same; a size whose
notes would not fit on the disk is skipped and said so. When the kstack
binary has no `report` command yet, only `dump` is measured.
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import time

# Disk per function and per (1 + calls per function): 339 bytes per function
# with 5 calls each were measured at 10^6 and 10^7 functions (56 per unit of
# 1 + calls); 75 leaves a margin.
NOTE_BYTES_PER_FUNCTION_AND_EDGE = 75


def parse_size(text):
    return int(float(text))


def run_measured(cmd):
    """(exit status, wall seconds, CPU seconds, peak RSS bytes, stderr) of CMD."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Read stderr while the child runs; wait4 then reaps it with its rusage.
    err = proc.stderr.read()
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
    cpu = usage.ru_utime + usage.ru_stime
    return proc.returncode, wall, cpu, usage.ru_maxrss * 1024, err.decode(errors="replace")


def has_report(kstack):
    return subprocess.run([kstack, "report", "--help"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def generate(args, n, out):
    """Writes (or reuses) the program of N functions in OUT; returns the
    generator's summary as a dict, or None when the disk is too small."""
    summary_path = out + ".summary"
    objects = max(1, n // args.functions_per_object)
    gen_args = ["--functions", str(n), "--edges-per-function", str(args.edges_per_function),
                "--objects", str(objects), "--seed", str(args.seed)]
    key = " ".join([os.path.realpath(args.gen), str(os.path.getmtime(args.gen))] + gen_args)
    if os.path.exists(summary_path):
        with open(summary_path) as f:
            saved_key, saved_summary = f.read().split("\n", 1)
        if saved_key == key:
            return parse_summary(saved_summary)
    shutil.rmtree(out, ignore_errors=True)
    needed = n * NOTE_BYTES_PER_FUNCTION_AND_EDGE * (1 + args.edges_per_function)
    free = shutil.disk_usage(os.path.dirname(out)).free
    if needed > free * 0.9:
        print(f"report_scale: {n} functions need about {needed / 1e9:.1f} GB, "
              f"{free / 1e9:.1f} GB free: skipped", file=sys.stderr)
        return None
    print(f"report_scale: generating {n} functions in {objects} objects", file=sys.stderr)
    summary = subprocess.run([args.gen] + gen_args + ["--out", out], check=True,
                             capture_output=True, text=True).stdout.strip()
    with open(summary_path, "w") as f:
        f.write(key + "\n" + summary)
    return parse_summary(summary)


def parse_summary(line):
    figures = dict(item.split("=", 1) for item in line.split())
    return {k: float(v) if k == "seconds" else int(v) for k, v in figures.items()}


def measure(args, listing, with_report):
    """Per command, (median wall seconds, median CPU seconds, peak RSS bytes,
    runs) over the rounds, the commands interleaved; an error text for a
    command that failed. After a round in which a command took more than
    --long seconds, no more rounds are run."""
    commands = {"dump": [args.kstack, "dump", "--format=su", "-o", os.devnull, "@" + listing]}
    if with_report:
        commands["report"] = [args.kstack, "report", "--format=json", "-o", os.devnull,
                              "@" + listing]
    runs = {name: [] for name in commands}
    failed = {}
    for _ in range(args.rounds):
        longest = 0
        for name, cmd in commands.items():
            if name in failed:
                continue
            status, wall, cpu, rss, err = run_measured(cmd)
            # report exits 1 when a budget is exceeded; none is set here
            if status not in (0, 1):
                what = f"killed by signal {-status}" if status < 0 else f"exit status {status}"
                if status == -9:
                    what += " (out of memory?)"
                failed[name] = what
                print(f"report_scale: {name} failed, {what}: {err[-500:]}", file=sys.stderr)
                continue
            if err and not runs[name]:
                lines = err.splitlines()
                print(f"report_scale: {name} printed {len(lines)} diagnostic lines, first: "
                      f"{lines[0]}", file=sys.stderr)
            runs[name].append((wall, cpu, rss))
            longest = max(longest, wall)
        if longest > args.long:
            break
    result = {}
    for name in commands:
        if name in failed:
            result[name] = failed[name]
        else:
            result[name] = (statistics.median(w for w, _, _ in runs[name]),
                            statistics.median(c for _, c, _ in runs[name]),
                            max(r for _, _, r in runs[name]), len(runs[name]))
    return result


def fmt_ratio(a, b):
    return f"{a / b:.2f}" if a and b else "–"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(here)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kstack", default=os.path.join(top, "build/tool/kstack"))
    # kstack_gen_notes is built with the tests (KSTACK_BUILD_TESTS): take the
    # first build directory that has it.
    gens = sorted(glob.glob(os.path.join(top, "build*/bench/kstack_gen_notes")))
    parser.add_argument("--gen", default=gens[0] if gens else "build/bench/kstack_gen_notes")
    parser.add_argument("--sizes", default="1e4,1e5,1e6,1e7",
                        help="function counts, comma-separated (default %(default)s)")
    parser.add_argument("--edges-per-function", type=int, default=5)
    parser.add_argument("--functions-per-object", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each command per size; the median is reported")
    parser.add_argument("--long", type=float, default=120,
                        help="after a round with a run longer than this many seconds, "
                             "stop repeating that size (default %(default)s)")
    parser.add_argument("--work", default="/var/tmp/kstack-scale",
                        help="where the generated programs are kept")
    args = parser.parse_args()
    for tool in (args.kstack, args.gen):
        if not os.access(tool, os.X_OK):
            sys.exit(f"report_scale: error: no executable '{tool}'")
    os.makedirs(args.work, exist_ok=True)
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    with_report = has_report(args.kstack)
    if not with_report:
        print(f"report_scale: '{args.kstack} report --help' fails: kstack has no report "
              f"command yet; measuring dump only", file=sys.stderr)

    rows = []
    for n in sizes:
        out = os.path.join(args.work, f"n{n}")
        summary = generate(args, n, out)
        if summary is None:
            continue
        result = measure(args, os.path.join(out, "list.txt"), with_report)
        rows.append((n, summary, result))
        print(f"report_scale: {n} functions: " + ", ".join(
            f"{name} {r[0]:.2f} s ({r[1]:.2f} s CPU) {r[2] / 1e6:.0f} MB"
            if isinstance(r, tuple) else f"{name} {r}"
            for name, r in result.items()), file=sys.stderr)

    version = subprocess.run([args.kstack, "--version"], capture_output=True, text=True)
    print(f"{version.stdout.strip()}, {os.cpu_count()} cores, median of the interleaved runs "
          f"(CPU: user + system), notes in the page cache")
    print()
    print("| functions | objects | call edges | note MB | generated in s |")
    print("|---|---|---|---|---|")
    for n, summary, _ in rows:
        print(f"| {n:,} | {summary['objects']:,} | {summary['calls']:,} "
              f"| {summary['bytes'] / 1e6:,.1f} | {summary['seconds']:.1f} |")
    print()
    # Growth is the report's when there is one, else the reading's.
    main_name = "report" if with_report else "dump"
    print("| functions | call edges | runs | dump su: wall s | CPU s | peak MB "
          "| report json: wall s | CPU s | peak MB | report bytes/edge "
          f"| report / dump: wall | CPU | {main_name} growth: wall | CPU | memory |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    previous = None
    for n, summary, result in rows:
        edges = summary["calls"]
        dump = result["dump"]
        report = result.get("report", "not available")
        runs = max(r[3] if isinstance(r, tuple) else 0 for r in result.values())
        cells = [f"{n:,}", f"{edges:,}", str(runs)]
        for figures in (dump, report):
            if isinstance(figures, tuple):
                cells += [f"{figures[0]:.2f}", f"{figures[1]:.2f}", f"{figures[2] / 1e6:,.0f}"]
            else:
                cells += [figures, "–", "–"]
        both = isinstance(report, tuple) and isinstance(dump, tuple)
        cells.append(f"{report[2] / edges:.0f}" if isinstance(report, tuple) else "–")
        cells += [fmt_ratio(report[0], dump[0]), fmt_ratio(report[1], dump[1])] if both else ["–"] * 2
        current = result[main_name]
        if isinstance(current, tuple) and previous:
            cells += [fmt_ratio(current[i], previous[i]) for i in range(3)]
        else:
            cells += ["–"] * 3
        previous = current if isinstance(current, tuple) else None
        print("| " + " | ".join(cells) + " |")
    if not with_report:
        print()
        print("`kstack report` is not available in this kstack: only the reading cost is measured.")

if __name__ == "__main__":
    main()
