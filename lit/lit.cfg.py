# lit configuration for kstack. Substitutions:
#   %cc %cxx     the compiler under test (C and C++ drivers)
#   %plugin      the kstack.so built for it
#   %wrapper     bin/kstack-CC, the compiler with the plugin loaded
#   %kstack      the kstack tool
#   %oracle      bench/oracle.py bound to the three above
#   %oracle_cxx  the same with the C++ driver
#   %readelf %objdump %ld %ar %nm   binutils for the compiler's target
#   %python      python3
#   %exit_status STATUS COMMAND...: runs COMMAND, fails unless it exits STATUS
#   %red_zones FILE...  "red zone FILE:FUNCTION BYTES" per function, for
#                expected depths that add the red zone to GCC's .su figures
#   %kernel_x86_flags  the code generation flags of an x86_64 kernel build
#   %target_arch x86_64, aarch64 or arm (e.g. as a FileCheck prefix)
#   %runtime     the directory of libkstack-runtime.so and .a for the target
#                (runtime/, or runtime/<compiler>/ for another architecture)
#   %run COMMAND  runs a program built by the compiler: nothing natively,
#                qemu-user for another architecture (Inputs/run_target.py);
#                COMMAND may start with `env VAR=VALUE...`, which reaches
#                only the program
# Features: native (target = host), target-x86_64 / target-aarch64 /
# target-arm, cxx (a C++ driver exists), gcc-11 / gcc-12, have-<driver> for
# gcc-11, aarch64-linux-gnu-gcc-12, ccache and distcc when installed;
# runtime when the runtime library was built for the target and its programs
# run here (natively, or under qemu-<arch> with the cross libc in /usr/<triple>).
import os
import shutil
import subprocess

import lit.formats

config.name = "kstack-" + os.path.basename(config.kstack_cc)
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".cc", ".test", ".s", ".yaml"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kstack_binary_dir, "lit-out",
                                     os.path.basename(config.kstack_cc))

config.environment["PATH"] = os.pathsep.join([config.llvm_bin, os.environ.get("PATH", "")])
for var in ("HOME", "TMPDIR"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
config.environment["LC_ALL"] = "C"  # GCC quotes with plain ' in the C locale


def query(*args):
    return subprocess.run(args, capture_output=True, text=True).stdout.strip()


cc = config.kstack_cc
machine = query(cc, "-dumpmachine")
host = query("gcc", "-dumpmachine")
major = query(cc, "-dumpversion").split(".")[0]

cxx = cc[: cc.rfind("gcc")] + "g++" + cc[cc.rfind("gcc") + 3:] if "gcc" in cc else None
if cxx and shutil.which(cxx):
    config.available_features.add("cxx")
else:
    cxx = "false"


def binutil(tool):
    prefixed = machine + "-" + tool
    return prefixed if machine != host and shutil.which(prefixed) else tool


if machine == host:
    config.available_features.add("native")
target_arch = "unknown"
for arch in ("x86_64", "aarch64", "arm"):
    if machine.startswith(arch):
        config.available_features.add("target-" + arch)
        target_arch = arch
config.available_features.add("gcc-" + major)
# Other compilers on the machine, for tests that load a plugin into the wrong one.
for other in ("gcc-11", "aarch64-linux-gnu-gcc-12", "ccache", "distcc"):
    if shutil.which(other):
        config.available_features.add("have-" + other)

oracle = "%s %s --cc %s --plugin %s --kstack %s" % (
    config.python, os.path.join(config.kstack_source_dir, "bench", "oracle.py"), cc,
    config.kstack_plugin, config.kstack_tool)

# As linux 6.1's x86_64 Makefiles pass them (retpolines, return thunks, -pg).
kernel_x86_flags = ("-pg -mfentry -mrecord-mcount -mcmodel=kernel -mno-red-zone -fno-PIE "
                    "-fno-omit-frame-pointer -ffreestanding -mindirect-branch=thunk-extern "
                    "-mindirect-branch-register -mfunction-return=thunk-extern "
                    "-fstack-protector-strong -fno-strict-aliasing -fcf-protection=none")

oracle_cxx = oracle.replace(" --cc %s " % cc, " --cc %s " % cxx)

# The runtime: runtime/ for the host, runtime/<compiler>/ for a compiler of
# another architecture (runtime/CMakeLists.txt), whose programs %run runs
# under qemu-user with the target's libraries (Debian's cross libc).
runtime_dir = os.path.join(config.kstack_binary_dir, "runtime")
runs_here = machine == host
run = ""
if machine != host:
    runtime_dir = os.path.join(runtime_dir, cc)  # as the plugin's plugin/<compiler>/
    qemu = shutil.which("qemu-" + target_arch)
    sysroot = os.path.join("/usr", machine)
    if qemu and os.path.isdir(sysroot):
        runs_here = True
        run = "%s %s %s %s" % (config.python, os.path.join(config.test_source_root, "Inputs",
                                                           "run_target.py"), qemu, sysroot)
if runs_here and os.path.exists(os.path.join(runtime_dir, "libkstack-runtime.so")):
    config.available_features.add("runtime")

# Headless Chromium (Debian's chromium) opens the HTML report. As root it
# needs --no-sandbox; its own timeout keeps a hung browser from holding lit.
chromium = shutil.which("chromium")
if chromium:
    config.available_features.add("chromium")
chromium_command = "timeout 120 %s --headless --no-sandbox --disable-gpu --no-first-run " \
                   "--hide-scrollbars" % chromium

# Features CI must not lose to a missing package: KSTACK_REQUIRED_FEATURES
# (space-separated, set by .ci/run) makes a missing one an error, not a
# test quietly unsupported.
for feature in os.environ.get("KSTACK_REQUIRED_FEATURES", "").split():
    if feature not in config.available_features:
        lit_config.fatal("feature '%s' is required (KSTACK_REQUIRED_FEATURES) but missing: "
                         "run .ci/setup" % feature)

config.substitutions += [
    ("%exit_status", "%s %s" % (config.python, os.path.join(config.test_source_root, "Inputs",
                                                              "exit_status.py"))),
    ("%red_zones", "%s %s %s" % (config.python, os.path.join(config.test_source_root, "Inputs",
                                                             "red_zones.py"), config.kstack_tool)),
    ("%oracle_cxx", oracle_cxx),
    ("%kernel_x86_flags", kernel_x86_flags),
    ("%cxx", cxx),
    ("%cc", cc),
    ("%plugin", config.kstack_plugin),
    ("%wrapper", os.path.join(config.kstack_binary_dir, "bin", "kstack-" + cc)),
    ("%kstack", config.kstack_tool),
    ("%oracle", oracle),
    ("%readelf", binutil("readelf")),
    ("%objdump", binutil("objdump")),
    ("%objcopy", binutil("objcopy")),
    ("%ld", binutil("ld")),
    ("%ar", binutil("ar")),
    ("%nm", binutil("nm")),
    ("%python", config.python),
    ("%target_arch", target_arch),
    ("%lit_src", config.test_source_root),
    ("%chromium", chromium_command),
    ("%html_report", "%s %s" % (config.python, os.path.join(config.test_source_root, "Inputs",
                                                            "html_report.py"))),
    ("%html_interact", "timeout 120 %s %s" % (config.python, os.path.join(
        config.test_source_root, "Inputs", "html_interact.py"))),
    ("%runtime", runtime_dir),  # before %run, its prefix
    ("%run", run),
]
