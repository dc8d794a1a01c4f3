#!/usr/bin/env python3
"""How fast the HTML report is written and opened, measured in one run.

Writes the report of a program (by default the bundled firmware example,
compiled here with the plugin; or whatever `kstack report` arguments follow
"--", e.g. a kernel's vmlinux.o and its profile) as HTML and as JSON, then
opens the page in headless Chromium ROUNDS times, interleaved with a page of
the same kind for a one-function program (the browser's own start-up and
teardown). It prints, as medians over the rounds:

- writing: kstack's CPU time for --format=html against --format=json, and
  both files' sizes;
- opening: the page's own figure, from navigation to the first layout of
  the drawn page (performance.now() when its script is done, which
  html_report.py reads from the DOM), with and without a search in the
  address; and Chromium's wall time to open the page, draw it, paint it and
  save a screenshot, against the small page's, so the difference is what the
  page costs on top of the browser.

  bench/html_report.py --kstack build/tool/kstack --plugin build/plugin/kstack.so
  bench/html_report.py --kstack build/tool/kstack --rounds 7 --search ext4 \\
      --screenshot docs/images/report.png -- --annotations=linux.ann vmlinux.o

--markdown prints the table for the README.
"""
import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
FIRMWARE = os.path.join(TOP, "examples", "firmware")
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--hide-scrollbars"]


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command):
    """Runs COMMAND; returns its CPU seconds (user + sys) and wall seconds."""
    cpu, wall = children_cpu(), time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return children_cpu() - cpu, time.monotonic() - wall


def build_firmware(args, out):
    objects = []
    for source in ("board", "calc", "commands", "main", "shell", "uart"):
        obj = os.path.join(out, source + ".o")
        subprocess.run([args.cc, "-std=c11", "-Os", "-ffreestanding", "-c",
                        os.path.join(FIRMWARE, source + ".c"), "-o", obj,
                        "-fplugin=" + args.plugin], check=True)
        objects.append(obj)
    return ["--annotations=" + os.path.join(FIRMWARE, "kstack.ann")] + objects


def small_program(args, out):
    source = os.path.join(out, "one.c")
    with open(source, "w") as f:
        f.write("int main(void) { return 0; }\n")
    obj = os.path.join(out, "one.o")
    subprocess.run([args.cc, "-c", source, "-o", obj, "-fplugin=" + args.plugin], check=True)
    return [obj]


def render_ms(page, profile, fragment=""):
    """The page's own figure: navigation to its first layout, in ms."""
    dom = subprocess.run(CHROMIUM + ["--user-data-dir=" + profile, "--dump-dom",
                                     "file://" + page + fragment],
                         check=True, capture_output=True, text=True).stdout
    match = re.search(r'data-render-ms="([0-9]+)"', dom)
    if not match:
        sys.exit("html_report.py: %s was not drawn (no data-render-ms)" % page)
    return int(match.group(1))


def screenshot(page, profile, png, fragment=""):
    """Chromium's wall time to open PAGE, draw and paint it, and save it as PNG
    (not --dump-dom's: serializing a large page's DOM takes longer than
    drawing it)."""
    wall = time.monotonic()
    subprocess.run(CHROMIUM + ["--user-data-dir=" + profile, "--window-size=1400,900",
                               "--screenshot=" + os.path.abspath(png),
                               "file://" + page + fragment],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - wall


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kstack", required=True)
    parser.add_argument("--plugin", help="kstack.so, to build the firmware example")
    parser.add_argument("--cc", default="gcc-12")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--search", help="also open the page with #search=TEXT")
    parser.add_argument("--screenshot", help="save a 1400x900 screenshot of the page here")
    parser.add_argument("--entry", help="the entry the screenshot shows (#entry=NAME)")
    parser.add_argument("--out", help="keep the pages here (default: a temporary directory)")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("report_args", nargs="*", help="after --: kstack report's arguments")
    args = parser.parse_args()
    if not shutil.which("chromium"):
        sys.exit("html_report.py: chromium is not installed (.ci/setup installs it)")
    if not args.plugin and not args.report_args:
        sys.exit("html_report.py: give --plugin to build the example, or report arguments")

    out = args.out or tempfile.mkdtemp(prefix="kstack-html-bench.")
    os.makedirs(out, exist_ok=True)
    profile = os.path.join(out, "chromium-profile")
    report_args = args.report_args or build_firmware(args, out)
    page = os.path.join(out, "report.html")
    table = os.path.join(out, "report.json")
    small_args = small_program(args, out) if args.plugin else None
    small = os.path.join(out, "small.html")
    if small_args is None:
        # No compiler at hand: the smallest page is the report of no entry.
        small_args = report_args + ["--entry=kstack-bench-matches-nothing"]
    subprocess.run([args.kstack, "report", "--format=html", "-o", small] + small_args, check=True,
                   stderr=subprocess.DEVNULL)

    write_html, write_json, walls, renders, small_walls, searched = [], [], [], [], [], []
    for _ in range(args.rounds):
        write_html.append(timed([args.kstack, "report", "--format=html", "-o", page] +
                                report_args)[0])
        write_json.append(timed([args.kstack, "report", "--format=json", "-o", table] +
                                report_args)[0])
        renders.append(render_ms(page, profile))
        walls.append(screenshot(page, profile, os.path.join(out, "report.png")))
        small_walls.append(screenshot(small, profile, os.path.join(out, "small.png")))
        if args.search:
            searched.append(render_ms(page, profile, "#search=" + args.search))

    median = statistics.median
    rows = [
        ("kstack CPU, --format=html / --format=json", "%.0f / %.0f ms = %.2f" % (
            1000 * median(write_html), 1000 * median(write_json),
            median(write_html) / median(write_json))),
        ("file size, HTML / JSON", "%.2f MB / %.2f MB" % (
            os.path.getsize(page) / 1e6, os.path.getsize(table) / 1e6)),
        ("page drawn and laid out, from navigation", "%d ms" % median(renders)),
    ]
    if searched:
        rows.append(("the same, searching '%s'" % args.search, "%d ms" % median(searched)))
    rows.append(("Chromium opening, drawing and saving a screenshot, this page / a "
                 "one-function page", "%.2f s / %.2f s (%+.2f s)" % (
        median(walls), median(small_walls), median(walls) - median(small_walls))))

    if args.markdown:
        print("| measure (median of %d rounds) | result |" % args.rounds)
        print("|---|---|")
        for name, value in rows:
            print("| %s | %s |" % (name, value))
    else:
        for name, value in rows:
            print("%-55s %s" % (name, value))

    if args.screenshot:
        screenshot(page, profile, args.screenshot, "#entry=" + args.entry if args.entry else "")
    if not args.out:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
