// Big-endian targets, end to end: the assembler lays the note out in the
// target's byte order and kstack reads ELF64 (aarch64 -mbig-endian) and
// ELF32 (arm -mbig-endian) big-endian objects against GCC's own .su and .ci.
// Freestanding, since Debian ships no big-endian C library headers.
// REQUIRES: target-aarch64 || target-arm
// RUN: %oracle check %s -- -O2 -mbig-endian -ffreestanding | FileCheck %s --check-prefix=ORACLE
// RUN: %oracle check %s -- -O0 -mbig-endian -ffreestanding | FileCheck %s --check-prefix=ORACLE
// ORACLE: frames [[N:[1-9][0-9]*]]/[[N]] match .su, {{.*}} 0 mismatching sources, 0 crashes
// RUN: %cc -O2 -mbig-endian -ffreestanding -c %s -o %t.o -fplugin=%plugin
// RUN: %readelf -h %t.o | FileCheck %s --check-prefix=ELF
// ELF: Data: 2's complement, big endian
// RUN: %kstack dump %t.o | FileCheck %s
// CHECK: {{^}}  big_frame  global  {{.*}}  frame {{[0-9]+}} static
// CHECK-NEXT: {{^}}    call fill
extern void fill(char *buf, unsigned n);
extern int (*hook)(int);

int big_frame(unsigned n) {
  char buf[1000];
  fill(buf, n);
  return buf[n % 1000] + hook(n);
}

static int recurse(int n) { return n <= 0 ? hook(n) : recurse(n - 2) + recurse(n - 3); }
int start(int n) { return recurse(n); }
