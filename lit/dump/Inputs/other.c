/* A second unit, for archives and links: it has a static function of the
   same name as unit.c's. */
extern int sink(char *buf, int n);

__attribute__((noipa)) static int fill(int x) {
  char buf[16];
  buf[0] = (char)x;
  return sink(buf, x) + 2;
}

int other(int x) { return fill(x) - 1; }
