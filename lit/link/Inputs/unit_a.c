extern int shared_entry(int);
static __attribute__((noinline)) int helper(int x) { volatile char pad[40]; pad[0] = (char)x; return pad[0] + 1; }
int from_a(int x) { return helper(x) + shared_entry(x); }
