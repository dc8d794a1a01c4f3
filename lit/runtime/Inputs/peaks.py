# Prints "ENTRY PEAK ENDED" for each record of a kstack runtime results file,
# in file order: what two runs of one program must agree on, without the
# process and thread ids, the module path and the painting.
import json
import sys

with open(sys.argv[1]) as results:
    for line in results:
        if line.strip():
            record = json.loads(line)
            print(record["entry"], record["peak"], record["ended"])
