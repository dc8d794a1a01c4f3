// -pg on every target: x86 prints `call mcount` (or `call __fentry__` with
// -mfentry) and arm `bl __gnu_mcount_nc` as text, recorded as profiler
// calls; aarch64 emits `_mcount` as an ordinary call. A function marked
// no_instrument_function has none.
// RUN: %oracle check %s -- -O2 -pg | FileCheck %s --check-prefix=ORACLE
// RUN: %oracle check %s -- -O0 -pg | FileCheck %s --check-prefix=ORACLE
// ORACLE: frames [[N:[1-9][0-9]*]]/[[N]] match .su, {{.*}} 0 mismatching sources, 0 crashes
// RUN: %cc -O2 -pg -c %s -o %t.o -fplugin=%plugin
// RUN: %kstack dump %t.o | FileCheck %s --check-prefixes=CHECK,%target_arch
// CHECK-LABEL: {{^}}  profiled  global
// x86_64-NEXT:   profiler call mcount
// arm-NEXT:      profiler call __gnu_mcount_nc
// aarch64-NEXT:  call _mcount
// CHECK-LABEL: {{^}}  unprofiled  global
// CHECK-NOT:     mcount
extern int sink(int);
int profiled(int x) { return sink(x) + 1; }
__attribute__((no_instrument_function)) int unprofiled(int x) { return sink(x) + 2; }
