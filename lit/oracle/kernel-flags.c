// The kernel's x86_64 code generation flags: -pg -mfentry (the hook is text,
// recorded as a profiler call), retpolines (indirect calls through
// __x86_indirect_thunk_*), return thunks, the stack protector, the kernel
// code model, and helpers called from inline asm templates.
// REQUIRES: target-x86_64
// RUN: %oracle check %s -- %kernel_x86_flags -O2 | FileCheck %s --check-prefix=ORACLE
// RUN: %oracle check %s -- %kernel_x86_flags -Os | FileCheck %s --check-prefix=ORACLE
// RUN: %oracle check %s -- %kernel_x86_flags -O2 -freorder-blocks-and-partition | FileCheck %s --check-prefix=ORACLE
// ORACLE: frames [[N:[1-9][0-9]*]]/[[N]] match .su, {{.*}} 0 mismatching sources, 0 crashes
// RUN: %cc %kernel_x86_flags -O2 -c %s -o %t.o -fplugin=%plugin
// RUN: %kstack dump %t.o | FileCheck %s

// CHECK-LABEL: {{^}}  put_size4  global
// CHECK-NEXT:    profiler call __fentry__
// CHECK-NEXT:    asm call __put_user_4
// CHECK-LABEL: {{^}}  call_through  global
// CHECK:         indirect call
// CHECK-LABEL: {{^}}  protected_buffer  global
// CHECK-DAG:     call fill
// CHECK-DAG:     call __stack_chk_fail
// CHECK-LABEL: {{^}}  asm_jump_and_indirect  global
// CHECK-DAG:     tail asm call fallback_path
// CHECK-DAG:     asm call <unknown target>
// CHECK-LABEL: {{^}}  notrace_fn  global
// CHECK-NOT:     profiler call
// CHECK:       {{^}}  alias

extern void fill(char *buf, int n);
extern int (*handler)(int);

int put_size4(int *uptr, int val) {
  int err;
  asm volatile("call __put_user_%c[size]" : "=a"(err) : "a"(uptr), "d"(val), [size] "i"(sizeof(*uptr)) : "memory");
  return err;
}

int call_through(int x) { return handler(x) + 1; }

int protected_buffer(int n) {
  char buf[64];
  fill(buf, n);
  return buf[n & 63];
}

void asm_jump_and_indirect(void (*f)(void)) {
  asm volatile("test %%eax, %%eax\n\tjnz fallback_path\n\tcall *%0\n1:\tjmp 1b" : : "r"(f) : "memory");
}

__attribute__((no_instrument_function)) int notrace_fn(int x) { return handler(x); }

int aliased(int x) __attribute__((alias("call_through")));
