// ## -fplugin-arg-kstack-explain breaks each frame down into parts that add up
// to GCC's own static figure (the .su file), read from the annotated note
// in the assembler output: named arrays with their types, a VLA (dynamic,
// not a part), an inlined helper's local, two scopes sharing one slot,
// spill slots, parameters at -O0, a variadic function's save area, x86_64's
// red zone, and a dropped value returned in memory (RTL has its address).
#include <stdarg.h>
#include <string.h>
extern int sink(const void *p, int n);
extern void clobber(void);
struct poll_wqueues { int table[30]; char flag; };

int arrays(int x) {
  char buf[256];
  struct poll_wqueues wait;
  memset(&wait, 0, sizeof wait);
  memset(buf, x, sizeof buf);
  return sink(buf, x) + sink(&wait, 1);
}

int vla(int n) { char dynamic[n]; dynamic[0] = 1; return sink(dynamic, n); }

static inline __attribute__((always_inline)) int helper(int x) {
  char big[200];
  memset(big, x, sizeof big);
  return sink(big, x);
}
int inlined(int x) { return helper(x) + helper(x + 1); }

int scopes(int x) {
  if (x) {
    char first[100];
    memset(first, 1, sizeof first);
    return sink(first, 1);
  } else {
    char second[120];
    memset(second, 2, sizeof second);
    return sink(second, 2);
  }
}

// More values live across a call than any target has callee-saved registers.
long spills(volatile long *p) {
  long a0 = p[0], a1 = p[1], a2 = p[2], a3 = p[3], a4 = p[4], a5 = p[5], a6 = p[6], a7 = p[7];
  long a8 = p[8], a9 = p[9], a10 = p[10], a11 = p[11], a12 = p[12], a13 = p[13], a14 = p[14];
  long a15 = p[15], a16 = p[16], a17 = p[17], a18 = p[18], a19 = p[19];
  clobber();
  return a0 * a1 + a2 * a3 + a4 * a5 + a6 * a7 + a8 * a9 + a10 * a11 + a12 * a13 + a14 * a15 +
         a16 * a17 + a18 * a19;
}

int params(int count, char letter, long total) { return sink(&count, letter) + sink(&total, 1); }

int variadic(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int s = 0;
  for (int i = 0; i < n; i++) s += va_arg(ap, int);
  va_end(ap);
  return s;
}

int leaf(int x) { volatile char z[100]; z[0] = (char)x; return z[x & 63]; }

struct triple { long long a, b, c; };  // returned in memory on every target
extern struct triple make(int);
void discarded(int x) { make(x); make(x + 1); }

// The invariant, at each -O level: every function's parts add up to its
// static size, which is GCC's .su figure.
// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %cc -O0 -S -fstack-usage %s -o o0.s -fplugin=%plugin -fplugin-arg-kstack-explain
// RUN: %python %lit_src/Inputs/frame_parts.py --check --su o0.su o0.s | FileCheck %s --check-prefix=SUM --implicit-check-not=BAD
// RUN: %cc -O2 -S -fstack-usage %s -o o2.s -fplugin=%plugin -fplugin-arg-kstack-explain
// RUN: %python %lit_src/Inputs/frame_parts.py --check --su o2.su o2.s | FileCheck %s --check-prefix=SUM --implicit-check-not=BAD
// RUN: %cc -Os -S -fstack-usage %s -o os.s -fplugin=%plugin -fplugin-arg-kstack-explain
// RUN: %python %lit_src/Inputs/frame_parts.py --check --su os.su os.s | FileCheck %s --check-prefix=SUM --implicit-check-not=BAD
// SUM: sum ok arrays {{[0-9]+}}
// SUM: sum ok vla {{[0-9]+}}
// SUM: sum ok inlined {{[0-9]+}}
// SUM: sum ok scopes {{[0-9]+}}
// SUM: sum ok spills {{[0-9]+}}
// SUM: sum ok params {{[0-9]+}}
// SUM: sum ok variadic {{[0-9]+}}
// SUM: sum ok leaf {{[0-9]+}}
// SUM: sum ok discarded {{[0-9]+}}
// SUM: checked {{[0-9]+}} functions, {{[0-9]+}} with unattributed bytes

// The parts at -O2.
// RUN: %python %lit_src/Inputs/frame_parts.py o2.s > o2.txt
// RUN: FileCheck %s --input-file=o2.txt --match-full-lines --check-prefixes=O2,O2-%target_arch
// O2-DAG:  arrays: local bytes=256 slot=0 offset={{.*}} flags={{[02]}} name="buf" type="char[256]" file="{{.*}}explain.c" line=14 inlined_from=""
// O2-DAG:  arrays: local bytes={{[0-9]+}} slot=0 offset={{.*}} flags={{[02]}} name="wait" type="struct poll_wqueues" file="{{.*}}explain.c" line=15 inlined_from=""
// O2-NOT:  vla: {{.*}} name="dynamic" {{.*}}
// O2:      inlined: local bytes=200 slot=0 offset={{.*}} flags={{[02]}} name="big" type="char[200]" file="{{.*}}explain.c" line=24 inlined_from="helper"
// O2-NOT:  inlined: {{.*}} name="big" {{.*}}
// O2:      scopes: local bytes={{100|120}} slot=[[SLOT:[1-9][0-9]*]] offset=[[AT:.*]] flags={{[02]}} name="{{first|second}}" {{.*}}
// O2-NEXT: scopes: local bytes={{100|120}} slot=[[SLOT]] offset=[[AT]] flags={{[02]}} name="{{first|second}}" {{.*}}
// O2:      spills: spill bytes={{[1-9][0-9]*}} slot=0 offset=- flags=2 name="" type="" file="" line=0 inlined_from=""
// O2-x86_64:  variadic: varargs bytes={{[1-9][0-9]*}} {{.*}}
// O2-aarch64: variadic: varargs bytes={{[1-9][0-9]*}} {{.*}}
// O2:      variadic: local bytes={{[0-9]+}} slot=0 offset={{.*}} flags={{[02]}} name="ap" type="va_list" {{.*}}
// O2-x86_64: leaf: red-zone bytes={{[1-9][0-9]*}} slot=0 offset=- flags=2 name="" type="" file="" line=0 inlined_from=""
// O2-arm:     leaf: local bytes=100 slot=0 offset=-100 flags=0 name="z" type="volatile char[100]" {{.*}}

// The returned value's slot: its type from the callee, at the call; the
// second call reuses it.
// RUN: %python %lit_src/Inputs/frame_parts.py o0.s | FileCheck %s --check-prefix=RETURNED
// RUN: FileCheck %s --input-file=o2.txt --check-prefix=RETURNED
// RUN: %python %lit_src/Inputs/frame_parts.py os.s | FileCheck %s --check-prefix=RETURNED
// RETURNED:     discarded: temporary bytes=24 slot=0 offset={{-[0-9]+}} flags=1 name="" type="struct triple" file="{{.*}}explain.c" line=67 inlined_from=""
// RETURNED-NOT: discarded: {{temporary|unattributed}}

// Parameters at -O0, each in its own slot.
// RUN: %python %lit_src/Inputs/frame_parts.py o0.s | FileCheck %s --check-prefix=O0
// O0-DAG: params: parameter bytes={{[0-9]+}} slot=0 offset={{.*}} flags={{[02]}} name="count" type="int" {{.*}}
// O0-DAG: params: parameter bytes={{[0-9]+}} slot=0 offset={{.*}} flags={{[02]}} name="letter" type="char" {{.*}}
// O0-DAG: params: parameter bytes={{[0-9]+}} slot=0 offset={{.*}} flags={{[02]}} name="total" type="long int" {{.*}}

// The return address and the saved registers, named.
// RUN: FileCheck %s --input-file=o2.txt --check-prefix=REGS-%target_arch
// REGS-x86_64:  arrays: return-address bytes=8 slot=0 offset=-8 flags=0 {{.*}}
// REGS-x86_64:  inlined: saved-registers bytes={{[0-9]+}} slot=0 offset=- flags=2 name="{{.*}}rbx{{.*}}" {{.*}}
// REGS-aarch64: arrays: return-address bytes=8 slot=0 offset={{-[0-9]+}} flags=0 name="x30" {{.*}}
// REGS-aarch64: inlined: saved-registers bytes={{[0-9]+}} slot=0 offset=- flags=2 name="x29 {{.*}}x19{{.*}}" {{.*}}
// REGS-arm:     arrays: return-address bytes=4 slot=0 offset=- flags=2 name="lr" {{.*}}

// The note: an explained unit says so and has a seventh table; the field
// comments name every field.
// RUN: FileCheck %s --input-file=o2.s --check-prefix=NOTE
// NOTE: .4byte 7 {{.*}} table_count
// NOTE: .4byte 2 {{.*}} unit_flags
// NOTE: {{.*}} table: frame parts
// NOTE-NEXT: .4byte 7 {{.*}} kind
// NOTE: {{.*}} frame part of arrays: {{.*}}
// NOTE-NEXT: .4byte {{[0-9]+}} {{.*}} function
// NOTE-NEXT: .4byte {{[0-9]+}} {{.*}} kind
// NOTE-NEXT: .4byte {{[0-9]+}} {{.*}} flags
// NOTE-NEXT: .4byte {{[0-9]+}} {{.*}} slot
// NOTE-NEXT: .4byte {{[0-9]+}} {{.*}} name "{{.*}}"
// NOTE-NEXT: .4byte {{[0-9]+}} {{.*}} type "{{.*}}"
// NOTE-NEXT: .4byte {{[0-9]+}} {{.*}} file "{{.*}}"
// NOTE-NEXT: .4byte {{[0-9]+}} {{.*}} line
// NOTE-NEXT: .4byte {{[0-9]+}} {{.*}} inlined_from "{{.*}}"
// NOTE-NEXT: .4byte 0 {{.*}} reserved
// NOTE-NEXT: .8byte {{[0-9]+}} {{.*}} bytes
// NOTE-NEXT: .8byte {{-?[0-9]+}} {{.*}} offset

// Without the flag nothing changes: six tables, no frame parts.
// RUN: %cc -O2 -S %s -o plain.s -fplugin=%plugin
// RUN: FileCheck %s --input-file=plain.s --check-prefix=PLAIN
// PLAIN: .4byte 6 {{.*}} table_count
// PLAIN: .4byte 0 {{.*}} unit_flags
// PLAIN-NOT: frame part

// Explaining changes no code, and GCC's own checking finds nothing wrong.
// RUN: %python %lit_src/plugin/Inputs/same_code.py %cc %plugin %s -O2 -fplugin-arg-kstack-explain
// RUN: %python %lit_src/plugin/Inputs/same_code.py %cc %plugin %s -O0 -fplugin-arg-kstack-explain
// RUN: %python %lit_src/plugin/Inputs/same_code.py %cc %plugin %lit_src/oracle/features.c -O2 -fplugin-arg-kstack-explain
// RUN: %cc -O2 -fchecking=2 -c %s -o checked.o -fplugin=%plugin -fplugin-arg-kstack-explain
