#!/usr/bin/env python3
"""Checks what a browser drew from a `kstack report --format=html` page.

  html_report.py dom DOM.html REPORT.json [--search TEXT] [--entry NAME]
  html_report.py png SHOT.png WIDTH HEIGHT COLOUR...

dom: DOM.html is the page as headless Chromium left it (--dump-dom), after
the page's script drew it; REPORT.json is `kstack report --format=json` of
the same inputs, the oracle. Every entry row the page drew must be the
report's entry of that rank (function, depth, bound, budget, status), each
budget bar's fill and limit must sit at depth / scale and budget / scale,
the worst path shown must be the report's path of the entry picked (the
first one shown, or NAME) step by step, with one icicle box per step. The
rows shown are the first ones of those the search TEXT matches (a function
or file of the worst path). A mismatch is an error; what was checked is
printed, for FileCheck.

png: SHOT.png is a screenshot of the page: it must be WIDTH x HEIGHT and
contain every COLOUR (rrggbb), e.g. a bar's fill: pixels, not just a file.
"""
import argparse
import html.parser
import json
import re
import struct
import sys
import zlib


def fail(message):
    sys.exit("html_report.py: error: " + message)


class Dom(html.parser.HTMLParser):
    """The elements the checks read, with their attributes and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, attrs) of open elements
        self.entry_rows = []  # attrs of #entries tbody tr, with "fill" and "limit"
        self.steps = []  # attrs of #path tbody tr
        self.icicle_rows = 0
        self.detail = None
        self.matches = ""
        self.render_ms = None
        self.in_matches = False

    def inside(self, element_id):
        return any(attrs.get("id") == element_id for _, attrs in self.stack)

    def handle_starttag(self, tag, attr_list):
        attrs = dict(attr_list)
        classes = attrs.get("class", "").split()
        if tag == "body":
            self.render_ms = attrs.get("data-render-ms")
        if attrs.get("id") == "detail":
            self.detail = attrs
        if attrs.get("id") == "matches":
            self.in_matches = True
        if tag == "tr" and "entry" in classes and self.inside("entries"):
            self.entry_rows.append(dict(attrs))
        if tag == "tr" and "step" in classes and self.inside("path"):
            self.steps.append(attrs)
        if tag == "div" and "ice-row" in classes:
            self.icicle_rows += 1
        if tag == "div" and self.entry_rows and self.inside("entries"):
            if "fill" in classes:
                self.entry_rows[-1]["fill"] = attrs
            if "limit" in classes:
                self.entry_rows[-1]["limit"] = attrs
        if tag not in ("wbr", "br", "img", "input", "meta"):
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "span":
            self.in_matches = False
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.in_matches:
            self.matches += data


def style_percent(attrs, prop):
    match = re.search(prop + r":\s*([0-9.]+)%", attrs.get("style", ""))
    if not match:
        fail("no %s in style '%s'" % (prop, attrs.get("style", "")))
    return float(match.group(1))


def path_matches(entry, text):
    text = text.lower()
    names = [entry["function"], entry["file"]]
    for step in entry["path"]:
        names += [step["function"], step.get("file")]
        if step["call"]:
            names.append(step["call"]["file"])
    return any(text in name.lower() for name in names if name)


def check_dom(args):
    with open(args.report) as f:
        report = json.load(f)
    dom = Dom()
    with open(args.dom, encoding="utf-8") as f:
        dom.feed(f.read())
    entries = report["entries"]
    # The path steps' own files are the functions' files.
    files = {fn["id"]: fn["file"] for fn in report["functions"]}
    for entry in entries:
        for step in entry["path"]:
            if step["id"] is not None and not step.get("file"):
                step["file"] = files[step["id"]]
    wanted = [e for e in entries if not args.search or path_matches(e, args.search)]
    if dom.render_ms is None:
        fail("the page's script did not finish (no data-render-ms on <body>)")
    rows = dom.entry_rows
    print("entries: %d rows of %d; %s" % (len(rows), len(entries), dom.matches.strip()))
    if len(rows) != min(len(wanted), 300):
        fail("%d entry rows drawn, %d expected" % (len(rows), min(len(wanted), 300)))
    if not wanted:
        if dom.detail and dom.detail.get("data-entry"):
            fail("no entry matches, but %s's path is shown" % dom.detail.get("data-entry"))
        print("no worst path shown")
        return
    scale = max(max(e["depth"], e["budget"] or 0) for e in entries)
    for row, entry in zip(rows, wanted):
        budget = "" if entry["budget"] is None else str(entry["budget"])
        got = (row["data-function"], int(row["data-depth"]), row["data-complete"],
               row["data-budget"], row["data-status"])
        expected = (entry["function"], entry["depth"], "true" if entry["complete"] else "false",
                    budget, entry["status"])
        if got != expected:
            fail("entry row %s, the report has %s" % (got, expected))
        fill = style_percent(row["fill"], "width")
        if abs(fill - 100.0 * entry["depth"] / scale) > 0.01:
            fail("%s: bar filled to %.2f%%, not %.2f%%" %
                 (entry["function"], fill, 100.0 * entry["depth"] / scale))
        line = "row: %s %s%d" % (entry["function"], "" if entry["complete"] else ">= ",
                                 entry["depth"])
        if entry["budget"] is not None:
            limit = style_percent(row["limit"], "left")
            if abs(limit - 100.0 * entry["budget"] / scale) > 0.01:
                fail("%s: budget mark at %.2f%%, not %.2f%%" %
                     (entry["function"], limit, 100.0 * entry["budget"] / scale))
            line += " of %d: bar %.1f%%, budget mark %.1f%%" % (entry["budget"], fill, limit)
        elif "limit" in row:
            fail("%s has no budget, but a budget mark" % entry["function"])
        print(line)

    picked_name = args.entry or wanted[0]["function"]
    picked = next(e for e in entries if e["function"] == picked_name)
    if dom.detail is None or dom.detail.get("data-entry") != picked_name:
        fail("the worst path shown is %s's, not %s's" %
             (dom.detail and dom.detail.get("data-entry"), picked_name))
    shown = [(s["data-function"], int(s["data-frame"]), int(s["data-stack"])) for s in dom.steps]
    expected = [(s["function"], s["frame"], s["stack"]) for s in picked["path"]]
    if shown != expected:
        fail("the path shown is %s, the report's is %s" % (shown, expected))
    if dom.icicle_rows != len(expected):
        fail("%d icicle boxes for %d steps" % (dom.icicle_rows, len(expected)))
    print("worst path of %s: %s" % (picked_name, " > ".join(
        "%s %d/%d" % step for step in shown)))
    print("icicle: %d boxes" % dom.icicle_rows)


def png_pixels(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, colour, _, _, interlace = header
    channels = {2: 3, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        fail("%s: only 8-bit RGB(A), non-interlaced PNGs are read" % path)
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        previous = line
    pixels = set()
    for line in rows:
        for x in range(0, stride, channels):
            pixels.add(line[x:x + 3].hex())
    return width, height, pixels


def check_png(args):
    width, height, pixels = png_pixels(args.png)
    if (width, height) != (args.width, args.height):
        fail("%s is %dx%d, not %dx%d" % (args.png, width, height, args.width, args.height))
    for colour in args.colours:
        if colour.lower() not in pixels:
            fail("%s has no pixel of colour #%s" % (args.png, colour))
    print("screenshot: %dx%d, %d colours, with %s" %
          (width, height, len(pixels), ", ".join("#" + c for c in args.colours)))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    dom = sub.add_parser("dom")
    dom.add_argument("dom")
    dom.add_argument("report")
    dom.add_argument("--search", default="")
    dom.add_argument("--entry")
    png = sub.add_parser("png")
    png.add_argument("png")
    png.add_argument("width", type=int)
    png.add_argument("height", type=int)
    png.add_argument("colours", nargs="+")
    args = parser.parse_args()
    if args.command == "dom":
        check_dom(args)
    else:
        check_png(args)


if __name__ == "__main__":
    main()
