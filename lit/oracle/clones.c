// GCC clones keep their own symbol and frame and name their origin:
// IPA-CP (.constprop) and function splitting (.part).
// RUN: %oracle check %s -- -O2 | FileCheck %s --check-prefix=ORACLE
// ORACLE: frames [[N:[1-9][0-9]*]]/[[N]] match .su, {{.*}} 0 mismatching sources, 0 crashes
// RUN: %cc -O2 -c %s -o %t.o -fplugin=%plugin
// RUN: %kstack dump %t.o | FileCheck %s
// RUN: %kstack dump --format=json %t.o | FileCheck %s --check-prefix=JSON
// CHECK-DAG: configure.constprop.0  local clone of configure
// CHECK-DAG: split_me.part.0  local clone of split_me
// CHECK-DAG: call configure.constprop.0
// CHECK-DAG: call split_me.part.0
// JSON: "name": "configure.constprop.0",
// JSON-NEXT: "su_name": "configure.constprop",
// JSON-NEXT: "origin": "configure",
extern int sink(const void *p, int n);

static __attribute__((noinline)) int configure(int mode, int x) {
  char buf[96];
  __builtin_memset(buf, mode, sizeof buf);
  return sink(buf, x * mode);
}
int configure_a(int x) { return configure(5, x); }
int configure_b(int x) { return configure(5, x + 1); }

int split_me(int x) {
  if (__builtin_expect(x == 0, 1)) return 0;
  char big[256];
  for (int i = 0; i < x; ++i) big[i & 255] = (char)sink(big, i);
  for (int i = 0; i < x; ++i) big[i & 255] += (char)sink(big + 1, i);
  return sink(big, x);
}
int split_a(int x) { return split_me(x) + 1; }
int split_b(int x) { return split_me(x) + 2; }
