"""same_code.py CC PLUGIN SOURCE FLAGS...: compiles SOURCE with and without
the plugin and fails unless the two objects are identical once the kstack
note section is removed (and the plugin object really had one). Flags
-fplugin-arg-* go to the compile with the plugin only."""
import os
import subprocess
import sys
import tempfile

cc, plugin, source, flags = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
plugin_flags = [f for f in flags if f.startswith("-fplugin-arg-")]
flags = [f for f in flags if not f.startswith("-fplugin-arg-")]
machine = subprocess.run([cc, "-dumpmachine"], capture_output=True, text=True).stdout.strip()
host = subprocess.run(["gcc", "-dumpmachine"], capture_output=True, text=True).stdout.strip()
objcopy = "objcopy" if machine == host else machine + "-objcopy"
tmp = tempfile.mkdtemp(prefix="kstack-same-code-")
plain, noted = os.path.join(tmp, "plain.o"), os.path.join(tmp, "noted.o")
subprocess.run([cc] + flags + ["-c", source, "-o", plain], check=True)
subprocess.run([cc] + flags + ["-c", source, "-o", noted, "-fplugin=" + plugin] + plugin_flags, check=True)
sections = subprocess.run([objcopy, "--dump-section", ".discard.kstack=" + os.path.join(tmp, "note"),
                           noted, os.path.join(tmp, "ignored.o")])
if sections.returncode != 0:
    sys.exit("same_code: %s has no .discard.kstack section" % noted)
for path in (plain, noted):
    subprocess.run([objcopy, "--remove-section=.discard.kstack", path, path + ".stripped"], check=True)
a = open(plain + ".stripped", "rb").read()
b = open(noted + ".stripped", "rb").read()
if a != b:
    sys.exit("same_code: %s %s: objects differ beyond the note section" % (source, " ".join(flags)))
print("same code: %s %s (%d bytes)" % (os.path.basename(source), " ".join(flags + plugin_flags), len(a)))
