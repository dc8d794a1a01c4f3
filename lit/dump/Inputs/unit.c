/* One unit with every kind of record the text listing shows: a static
   function kept out of line, a direct call, a tail call, an indirect call
   and an alias. */
extern int sink(char *buf, int n);
extern int (*hook)(int);

__attribute__((noipa)) static int fill(int x) {
  char buf[64];
  buf[0] = (char)x;
  return sink(buf, x) + 1;
}

int entry(int x) { return fill(x) * 2; }
int forward(int x) { return sink(0, x); }
int dispatch(int x) { return hook(x) + 1; }
int entry_alias(int) __attribute__((alias("entry")));
