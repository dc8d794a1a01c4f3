# Prints the red zone of every function in FILEs, one line each:
#   red_zones.py KSTACK FILE...   ->   red zone FILE:FUNCTION BYTES
# GCC's -fstack-usage figure leaves out the bytes an x86_64 leaf function
# keeps below the stack pointer; kstack records them apart (0 on targets
# without a red zone) and adds them to depths. Tests that compute expected
# depths from .su figures capture them from here, so they hold on any target.
import json
import subprocess
import sys

kstack, files = sys.argv[1], sys.argv[2:]
dump = json.loads(subprocess.run([kstack, "dump", "--format=json"] + files, check=True,
                                 capture_output=True, text=True).stdout)
for unit in dump["units"]:
    for function in unit["functions"]:
        print("red zone %s:%s %d" % (unit["input"], function["name"], function["frame"]["red_zone"]))
