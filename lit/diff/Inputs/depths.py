# Prints what a kstack-report JSON document says of each function and entry
# point, one line each, for FileCheck to capture:
#   function FILE:NAME DEPTH [lower]
#   entry FILE:NAME DEPTH [lower]
import json
import sys

report = json.load(open(sys.argv[1]))
for kind, records in (("function", report["functions"]), ("entry", report["entries"])):
    for r in records:
        print("%s %s:%s %d%s" % (kind, r["file"], r["function"], r["depth"],
                                 "" if r["complete"] else " lower"))
