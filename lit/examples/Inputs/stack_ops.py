# Prints the instructions of a shared library's function that move the stack
# pointer or leave the function, in order: what a figure derived from its
# disassembly rests on (examples/soundness/README.md, "The read and write
# figures"). The function is found by its dynamic symbol, so a stripped
# library works; call targets are left out, as they move with every build.
#   stack_ops.py LIBRARY SYMBOL
import re
import subprocess
import sys

library, symbol = sys.argv[1], sys.argv[2]
nm = subprocess.run(["nm", "-DS", library], capture_output=True, text=True, check=True).stdout
match = re.search(r"^([0-9a-f]+) ([0-9a-f]+) [TtWi] %s(@@\S+)?$" % re.escape(symbol), nm, re.M)
if not match:
    sys.exit("stack_ops.py: no function %s in %s" % (symbol, library))
start, size = int(match.group(1), 16), int(match.group(2), 16)
dump = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "--start-address=%#x" % start,
                       "--stop-address=%#x" % (start + size), library],
                      capture_output=True, text=True, check=True).stdout
for line in dump.splitlines():
    insn = re.match(r"^\s+([0-9a-f]+):\s+(\S+)\s*(.*)$", line)
    if not insn:
        continue
    offset, mnemonic, operands = int(insn.group(1), 16) - start, insn.group(2), insn.group(3)
    if mnemonic in ("push", "pop", "call", "ret", "syscall", "leave", "enter") or \
            (mnemonic in ("sub", "add", "lea", "mov", "and") and operands.endswith(",%rsp")):
        text = "" if mnemonic == "call" else " " + operands.split("#")[0].strip()
        print("%s+%#x: %s%s" % (symbol, offset, mnemonic, text.rstrip()))
