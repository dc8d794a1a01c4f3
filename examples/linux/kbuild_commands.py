"""The C compiles kbuild recorded in a kernel build tree, to run again.

kbuild writes each object's command to .NAME.o.cmd, first line
`cmd_DIR/NAME.o := CC ARGS... ; what runs after (objtool)`. A compile taken
from there is returned plain: without its -o, without the dependency file
(-Wp,-MMD, which would rewrite the tree's .d files) and without kstack's
flags or side files (-fplugin*, -fstack-usage, -fcallgraph-info*), so that
the caller runs it in the build directory with an output and flags of its
own. Used by bench/compile_overhead.py and kstack-frame-warnings.
"""
import os
import shlex

_DROPPED_PREFIXES = ("-fplugin", "-fcallgraph-info", "-Wp,-MMD", "-Wp,-MD")


def plain_compile(build, obj):
    """The compile of OBJ (a path relative to BUILD) as argv, or None if its
    .cmd file records no C compile."""
    directory, name = os.path.split(obj)
    try:
        with open(os.path.join(build, directory, "." + name + ".cmd"), errors="replace") as f:
            first = f.readline().rstrip("\n")
    except OSError:
        return None
    # The target is named as kbuild saw it (tools' own builds use absolute paths).
    target, separator, command = first.partition(" := ")
    if not target.startswith("cmd_") or not separator:
        return None
    words = shlex.split(command.split(" ; ")[0])
    if "-c" not in words or not words[-1].endswith(".c"):
        return None
    argv = []
    skip_next = False
    for word in words:
        if skip_next:
            skip_next = False
        elif word == "-o":
            skip_next = True
        elif not word.startswith(_DROPPED_PREFIXES) and word != "-fstack-usage":
            argv.append(word)
    return argv


def all_plain_compiles(build):
    """(object, argv) of every C compile recorded in BUILD, by object path."""
    compiles = []
    for root, _, files in os.walk(build):
        for name in files:
            if name.startswith(".") and name.endswith(".o.cmd"):
                obj = os.path.relpath(os.path.join(root, name[1:-4]), build)
                argv = plain_compile(build, obj)
                if argv:
                    compiles.append((obj, argv))
    return sorted(compiles)
