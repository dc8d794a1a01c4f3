# Runs a program built for another architecture under qemu-user, as lit's
# %run does for a suite whose compiler is a cross compiler:
#   run_target.py QEMU SYSROOT [env VAR=VALUE...] PROGRAM [ARG...]
# The assignments go to the guest only (qemu's -E): an LD_PRELOAD of the
# target's runtime must not reach the host's qemu process. A program killed
# by a signal kills this script with the same signal, so that `not --crash`
# sees what it sees when the program runs natively (qemu then adds a line of
# its own to standard error, "qemu: uncaught target signal 6 (Aborted) - core
# dumped", though no core is written). Natively %run is empty.
import os
import resource
import signal
import subprocess
import sys

qemu, sysroot, *command = sys.argv[1:]
assignments = []
if command and command[0] == "env":
    command.pop(0)
    while command and "=" in command[0] and not command[0].startswith("="):
        assignments.append(command.pop(0))
if not command:
    sys.exit("run_target.py: no program to run")

arguments = [qemu, "-L", sysroot]
for assignment in assignments:
    # -E takes a comma-separated list: a comma would split the value.
    if "," in assignment:
        sys.exit("run_target.py: qemu cannot pass '%s' (it has a comma)" % assignment)
    arguments += ["-E", assignment]


def no_core_dump():
    # A dying guest would leave a qemu_*.core in the test's directory.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


status = subprocess.run(arguments + command, preexec_fn=no_core_dump).returncode
if status < 0:
    no_core_dump()
    signal.signal(-status, signal.SIG_DFL)
    os.kill(os.getpid(), -status)
sys.exit(status)
