# Writes a damaged copy of a file: patch.py IN OUT OFFSET (cut | BYTES)
#   cut     OUT is IN's first OFFSET bytes
#   BYTES   OUT is IN with BYTES (text, e.g. "x" or "\x07") written at OFFSET
# OFFSET may be hex (0x...).
import sys

source, target, offset, what = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), sys.argv[4]
data = bytearray(open(source, "rb").read())
if what == "cut":
    data = data[:offset]
else:
    patch = what.encode("latin-1").decode("unicode_escape").encode("latin-1")
    data[offset:offset + len(patch)] = patch
open(target, "wb").write(data)
