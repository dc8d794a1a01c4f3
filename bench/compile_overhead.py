#!/usr/bin/env python3
"""What loading kstack.so costs a compile: CPU time and object size.

Compiles the same sources with and without the plugin, interleaved (plain,
plugin, plugin, plain, ...: which goes first alternates, so use an even
number of rounds) so that machine noise falls on both sides alike,
and reports ratios measured in the one run: compile CPU time (user + sys of
the compiler processes) with / without, and the bytes of the kstack note
against the bytes of .text* in the plugin's objects.

  bench/compile_overhead.py --cc gcc-12 --plugin build/plugin/kstack.so \\
      --sources 'build/gcc.c-torture/execute/*.c' --rounds 4 --level O2
  bench/compile_overhead.py --plugin build/plugin/kstack.so \\
      --kernel-build /var/tmp/kstack-kernel/plain --rounds 4
  bench/compile_overhead.py --plugin build/plugin/kstack.so --kernel-build ... \\
      --plugin-args '-fplugin-arg-kstack-table=kstack.json -fplugin-arg-kstack-path-warn=99999'

With --baseline-args, the baseline compiles load the plugin too, with those
arguments (possibly none): the ratio is then the cost of the difference,
e.g. of working out the frame parts:

  bench/compile_overhead.py --plugin build/plugin/kstack.so --kernel-build ... \\
      --baseline-args= --plugin-args=-fplugin-arg-kstack-explain

With --kernel-build, the compiles are the kernel's own: the C compile
commands Kbuild recorded in the build tree's .*.o.cmd files, run again in
that tree with their output sent to a scratch file.
"""
import argparse
import glob
import os
import random
import re
import resource
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "examples",
                                "linux"))
from kbuild_commands import all_plain_compiles  # noqa: E402


def cpu_of(cmd, cwd=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return rc, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def section_sizes(readelf, obj):
    out = subprocess.run([readelf, "-SW", obj], capture_output=True, text=True).stdout
    text = note = 0
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if m:
            name, size = m.group(1), int(m.group(2), 16)
            if name == ".discard.kstack":
                note += size
            elif name == ".text" or name.startswith(".text."):
                text += size
    return text, note


def kernel_commands(build, sample, scratch):
    """(cwd, argv) of the C compiles recorded in a Kbuild tree
    (examples/linux/kbuild_commands.py), their output sent to SCRATCH so
    that the tree is left alone."""
    commands = [(build, argv + ["-o", scratch]) for _, argv in all_plain_compiles(build)]
    commands.sort(key=lambda c: c[1][-3])  # by source file
    if sample and sample < len(commands):
        commands = sorted(random.Random(1).sample(commands, sample), key=lambda c: c[1][-3])
    return commands


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cc", default="gcc")
    p.add_argument("--plugin", required=True)
    p.add_argument("--sources", help="a glob of C sources")
    p.add_argument("--kernel-build", help="a Kbuild output tree (O=) to take compiles from")
    p.add_argument("--sample", type=int, default=400, help="sources to use (fixed seed); 0: all")
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--level", default="O2")
    p.add_argument("--readelf", default="readelf")
    p.add_argument("--plugin-args", default="",
                   help="more arguments for the plugin's compiles, e.g. a warning table")
    p.add_argument("--baseline-args", default=None,
                   help="load the plugin in the baseline compiles too, with these arguments")
    args = p.parse_args()

    if bool(args.sources) == bool(args.kernel_build):
        p.error("give one of --sources and --kernel-build")
    work = tempfile.mkdtemp(prefix="kstack-overhead-")
    jobs = []  # (cwd, argv without the plugin, object)
    if args.kernel_build:
        obj = os.path.join(work, "kernel.o")
        jobs = [(cwd, argv, obj) for cwd, argv in kernel_commands(args.kernel_build, args.sample, obj)]
        label = "linux kernel compiles"
    else:
        sources = sorted(glob.glob(args.sources))
        if args.sample and args.sample < len(sources):
            sources = sorted(random.Random(1).sample(sources, args.sample))
        for i, src in enumerate(sources):
            obj = os.path.join(work, "%d.o" % i)
            jobs.append((None, [args.cc, "-" + args.level, "-w", "-c", src, "-o", obj], obj))
        label = "%s -%s" % (os.path.basename(args.cc), args.level)
    plain_cpu = plugin_cpu = 0.0
    text = note = 0
    used = 0
    plugin = "-fplugin=" + os.path.abspath(args.plugin)
    for cwd, plain, obj in jobs:
        noted = plain + [plugin] + shlex.split(args.plugin_args)
        if args.baseline_args is not None:
            plain = plain + [plugin] + shlex.split(args.baseline_args)
        if subprocess.run(plain, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode:
            continue  # not compilable here
        used += 1
        # Which side goes first alternates: the second compile of a source
        # runs a few percent faster, from caches the first one filled.
        for round in range(args.rounds):
            if round % 2:
                rc, t = cpu_of(noted, cwd)
                plain_cpu += cpu_of(plain, cwd)[1]
            else:
                plain_cpu += cpu_of(plain, cwd)[1]
                rc, t = cpu_of(noted, cwd)
            if rc:
                sys.exit("compile_overhead: %s fails with the plugin" % " ".join(noted))
            plugin_cpu += t
        if args.rounds % 2 == 0:
            cpu_of(noted, cwd)  # the object measured is the plugin's, written last
        t_text, t_note = section_sizes(args.readelf, obj)
        text += t_text
        note += t_note
    with_what = "kstack.so" + (" " + args.plugin_args if args.plugin_args else "")
    baseline = "plain"
    if args.baseline_args is not None:
        baseline = "with kstack.so" + (" " + args.baseline_args if args.baseline_args else "")
    print("%s, %d sources x %d rounds: compile CPU %.1f s %s, %.1f s with %s: ratio %.3f"
          % (label, used, args.rounds, plain_cpu, baseline, plugin_cpu, with_what,
             plugin_cpu / plain_cpu))
    print("note bytes / .text bytes: %d / %d = %.2f" % (note, text, note / text if text else 0))


if __name__ == "__main__":
    main()
