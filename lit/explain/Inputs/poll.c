/* A frame with a big struct, a buffer of an inlined helper, and two scopes
   whose arrays can share one slot with the helper's. */
struct poll_wqueues {
  char table[888];
  int n;
};
void consume(void *p);
static inline int helper(int x) {
  char hbuf[300];
  __builtin_memset(hbuf, x, sizeof hbuf);
  consume(hbuf);
  return hbuf[5];
}
int do_poll(int a, int b) {
  struct poll_wqueues table;
  __builtin_memset(&table, 0, sizeof table);
  consume(&table);
  if (a) {
    char x[200];
    __builtin_memset(x, a, sizeof x);
    consume(x);
  } else {
    char y[160];
    __builtin_memset(y, b, sizeof y);
    consume(y);
  }
  return helper(b) + table.n;
}
int main(void) { return do_poll(1, 2); }
