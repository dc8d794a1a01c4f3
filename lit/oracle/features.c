// Frames equal GCC's .su and call pairs its .ci, at -O0, -O2 and -Os, for the
// shapes of C that matter to stack depth: statics, clones, nested functions,
// VLAs and alloca, pushed arguments, indirect and tail calls, recursion,
// aliases, weak symbols, setjmp, hot/cold partitioning.
// RUN: %oracle check %s -- -O0 | FileCheck %s
// RUN: %oracle check %s -- -O2 | FileCheck %s
// RUN: %oracle check %s -- -Os | FileCheck %s
// RUN: %oracle check %s -- -O2 -freorder-blocks-and-partition | FileCheck %s
// RUN: %oracle check %s -- -O2 -ffunction-sections -fdata-sections | FileCheck %s
// RUN: %oracle check %s -- -O3 -fno-inline | FileCheck %s
// CHECK: oracle features.c: 1 sources (0 not compilable, skipped): frames [[N:[1-9][0-9]*]]/[[N]] match .su, call sets {{.*}}, 0 mismatching sources, 0 crashes, 0 read errors
#include <alloca.h>
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

extern int sink(const void *p, int n);
extern void (*hook)(int);
struct ops { int (*read)(char *buf, int n); void (*release)(void *); };
extern const struct ops *current_ops;

struct big { char bytes[200]; };
extern int take_big(struct big b, int tag);

static int leaf(int x) { return x * 3 + 1; }

static __attribute__((noinline)) int helper(const char *s, int n) {
  char buf[128];
  memcpy(buf, s, n < 128 ? n : 128);
  return sink(buf, n) + leaf(n);
}

int with_vla(int n) {
  char v[n];
  memset(v, 0, n);
  return sink(v, n);
}

int with_bounded_alloca(int small) {
  char *p = alloca(small ? 32 : 64);
  return sink(p, 1);
}

int with_alloca(int n) {
  char *p = alloca(n);
  return sink(p, n);
}

int pass_big(int tag) {
  struct big b;
  memset(&b, tag, sizeof b);
  return take_big(b, tag) + take_big(b, tag + 1);
}

int tail_caller(int x) { return helper("abc", x); }

void via_hook(int x) { hook(x); }

int via_ops(char *buf, int n) {
  int r = current_ops->read(buf, n);
  current_ops->release(buf);
  return r;
}

int recurse(int n) {
  char pad[48];
  pad[n & 31] = (char)n;
  return n <= 0 ? sink(pad, 48) : recurse(n - 1) + pad[3];
}

int variadic(int count, ...) {
  va_list ap;
  int sum = 0;
  va_start(ap, count);
  for (int i = 0; i < count; ++i) sum += va_arg(ap, int);
  va_end(ap);
  return sink(&sum, sum);
}

int nested_outer(int x) {
  int base = x;
  int nested_inner(int y) { return sink(&base, y) + base; }
  return nested_inner(x) + nested_inner(x + 1);
}

static __attribute__((noinline)) int constant_arg(int mode, int x) {
  char buf[64];
  memset(buf, mode, sizeof buf);
  return sink(buf, x + mode);
}
int use_constant_arg(int x) { return constant_arg(7, x) + constant_arg(7, x + 2); }

jmp_buf env;
int uses_setjmp(int x) {
  if (setjmp(env)) return sink(&x, 1);
  return sink(&x, 2);
}

__attribute__((cold, noinline)) void report_error(int code) { sink(&code, code); }

int mostly_hot(int x) {
  if (__builtin_expect(x > 1000, 0)) {
    report_error(x);
    sink(&x, -1);
    return -1;
  }
  return leaf(x) + sink(&x, x);
}

__attribute__((weak)) int weak_default(int x) { return sink(&x, x); }
int alias_of_helper(int x) __attribute__((alias("tail_caller")));
