/* From gcc.c-torture/compile/complex-6.c: GCC records the call to bar in .ci
   at expand time, then deletes the unreachable setjmp receiver. buf is
   extern so that every target names it in a relocation. */
extern long buf[10];
extern void bar(void);
int foo(void) {
  __complex__ int i = 0;
  if (__builtin_setjmp(buf)) {
    i = 1;
    bar();
  }
  return i == 0;
}
