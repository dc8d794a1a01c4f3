// The guard counts a leaf's red zone as stack it uses: on x86_64 a leaf
// writes up to 128 bytes below its stack pointer, so the stack passes the
// limit inside it when its way in, frame and red zone together do, though
// the stack pointer alone would not. Guarded, it is a leaf no more and has
// no red zone: the check on entry covers all it uses. Other targets have no
// red zone, and the same limit leaves the leaf alone.
__attribute__((noinline)) int leafy(int x) { volatile char z[100]; z[0] = (char)x; return z[0]; }
int main(int argc, char **argv) { (void)argv; return leafy(argc); }

// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %cc -O2 -c %s -o plain.o -fplugin=%plugin
// RUN: %kstack report --format=json plain.o -o table.json
// RUN: %python -c "import json; f = next(f for f in json.load(open('table.json'))['functions'] if f['function'] == 'leafy'); print('-fplugin-arg-kstack-guard=' + str(f['entered']['bytes'] + f['frame']))" > no-red-zone.rsp
// RUN: %python -c "import json; f = next(f for f in json.load(open('table.json'))['functions'] if f['function'] == 'leafy'); print('-fplugin-arg-kstack-guard=' + str(f['entered']['bytes'] + f['frame'] + f['red_zone']))" > with-red-zone.rsp

// A limit at leafy's way in and frame, short of its red zone.
// RUN: %cc -O2 -c %s -o short.o -fplugin=%plugin @no-red-zone.rsp -fplugin-arg-kstack-table=table.json
// RUN: %kstack dump short.o | FileCheck %s --check-prefix=SHORT-%target_arch
// SHORT-x86_64:      leafy {{.*}}
// SHORT-x86_64-NEXT:   call __kstack_guard {{.*}}
// SHORT-aarch64-NOT: __kstack_guard
// SHORT-arm-NOT:     __kstack_guard

// A limit that holds the red zone too: no target guards it.
// RUN: %cc -O2 -c %s -o enough.o -fplugin=%plugin @with-red-zone.rsp -fplugin-arg-kstack-table=table.json
// RUN: %kstack dump enough.o | FileCheck %s --check-prefix=ENOUGH
// ENOUGH-NOT: __kstack_guard
