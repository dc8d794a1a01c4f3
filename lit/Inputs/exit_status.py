# Runs a command and succeeds only if it exits with the given status:
#   exit_status.py STATUS COMMAND [ARG...]
# lit's `not` accepts any non-zero status; kstack's are documented (0 ok,
# 1 budget exceeded, 2 bad usage or input), so the tests check the exact one.
# The command's output passes through.
import subprocess
import sys

expected = int(sys.argv[1])
status = subprocess.run(sys.argv[2:]).returncode
if status != expected:
    sys.stderr.write("exit_status.py: %s exited with %d, expected %d\n" % (sys.argv[2], status, expected))
sys.exit(0 if status == expected else 1)
