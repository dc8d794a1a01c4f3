/* Seed source for the reader's fuzzer: one of everything the note records
   (direct, tail, indirect, asm and profiler calls, alloca and VLA frames,
   clones, a cold part, aliases, a nested function, weak and local binding). */
#include <alloca.h>
#include <string.h>

extern void sink(void *p, int n);
extern int (*handler)(int);

static __attribute__((noinline)) int scale(int x, int factor) { return x * factor + 1; }

int __attribute__((cold, noinline)) report_failure(int code) {
  sink(0, code);
  return -code;
}

int work(int n) {
  char *buffer = alloca(n);
  memset(buffer, 0, n);
  sink(buffer, scale(n, 3));
  if (__builtin_expect(n > 4096, 0)) return report_failure(n);
  return handler(n);
}

int vla(int n) {
  char buffer[n];
  sink(buffer, n);
  return scale(n, 3);
}

int tail(int n) { return handler(n + 1); }

void uses_asm(int *p) { __asm__ volatile("call __put_user_4" : : "a"(p) : "memory"); }

int outer(int n) {
  int nested(int k) { return k + n; }
  int (*f)(int) = nested;
  sink(&f, 0);
  return f(n);
}

__attribute__((weak)) int weak_hook(int n) { return n; }
int work_alias(int n) __attribute__((alias("work")));
