/* A vDSO-like unit: position-independent, nothing undefined. */
static __attribute__((noinline)) int scale(int x) { volatile int k = 3; return x * k; }
int vdso_entry(int x) { return scale(x) + 1; }
