"""build_caches.py WRAPPER CC PLUGIN KSTACK SOURCE WORKDIR

The note travels with the object through real ccache and distcc (a distccd
started here on 127.0.0.1, stopped before exit). Prints one line per fact for
FileCheck; exits non-zero when a step fails. Every wait is bounded.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

wrapper, cc, plugin, kstack, source, work = sys.argv[1:7]
os.makedirs(work, exist_ok=True)


def run(cmd, env=None, check=True):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if check and p.returncode != 0:
        sys.exit("build_caches: %s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr))
    return p


def su_lines(obj):
    return sorted(run([kstack, "dump", "--format=su", obj]).stdout.splitlines())


run([wrapper, "-O2", "-c", source, "-o", os.path.join(work, "local.o")])
local = su_lines(os.path.join(work, "local.o"))
print("local: %d functions" % len(local))

# ccache: a miss, then a hit that returns the object with its note. With
# -fplugin on the command line ccache hashes the plugin file too.
env = dict(os.environ, CCACHE_DIR=os.path.join(work, "ccache"), CCACHE_NOHASHDIR="1")
for name in ("miss.o", "hit.o"):
    run(["ccache", cc, "-O2", "-c", source, "-o", os.path.join(work, name), "-fplugin=" + plugin],
        env=env)
stats = run(["ccache", "--print-stats"], env=env).stdout
hits = sum(int(line.split()[1]) for line in stats.splitlines()
           if line.split()[0] in ("direct_cache_hit", "preprocessed_cache_hit"))
print("ccache: %d hit, note %s" % (hits, "equal" if su_lines(os.path.join(work, "hit.o")) == local else "DIFFERENT"))

# distcc on loopback.
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
log = os.path.join(work, "distccd.log")
open(log, "w").close()
os.chmod(log, 0o666)  # distccd drops root privileges before it writes
os.chmod(work, 0o777)
daemon = subprocess.Popen(["distccd", "--no-detach", "--daemon", "--allow", "127.0.0.1",
                           "--listen", "127.0.0.1", "--port", str(port), "--jobs", "1",
                           "--log-file", log, "--enable-tcp-insecure"],
                          env=dict(os.environ, TMPDIR=work), start_new_session=True)
try:
    deadline = time.time() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.time() > deadline:
                sys.exit("build_caches: distccd did not start")
            time.sleep(0.1)
    def log_has(text):
        # distccd's child writes its log line as the client returns; on a
        # loaded machine the line can come a little later.
        deadline = time.time() + 10
        while text not in open(log).read():
            if time.time() > deadline:
                return False
            time.sleep(0.1)
        return True

    def distcc_env(state):
        # A state directory of its own per call: a refused call puts the host
        # in back-off, and the next call must not inherit that.
        os.makedirs(os.path.join(work, state), exist_ok=True)
        return dict(os.environ, DISTCC_HOSTS="127.0.0.1:%d" % port, DISTCC_FALLBACK="0",
                    DISTCC_DIR=os.path.join(work, state))

    # distccd refuses any command line that names a plugin ...
    refused = run(["distcc", cc, "-O2", "-c", source, "-o", os.path.join(work, "refused.o"),
                   "-fplugin=" + plugin], env=distcc_env("distcc-refused"), check=False)
    if refused.returncode != 0 and log_has("-fplugin= and/or -specs= passed"):
        print("distcc: -fplugin= on the command line refused by distccd")
    # ... so distributed builds name the wrapper as their compiler.
    remote = os.path.join(work, "remote.o")
    run(["distcc", wrapper, "-O2", "-c", source, "-o", remote], env=distcc_env("distcc"))
    log_has("COMPILE_OK")
    compiled = sum(1 for line in open(log) if "COMPILE_OK" in line)
    print("distcc: %d remote compile, note %s" % (compiled, "equal" if su_lines(remote) == local else "DIFFERENT"))
finally:
    os.killpg(daemon.pid, signal.SIGTERM)
    try:
        daemon.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(daemon.pid, signal.SIGKILL)
