static __attribute__((noinline)) int helper(int x) { volatile char pad[200]; pad[0] = (char)x; return pad[0] + 2; }
int shared_entry(int x) { return helper(x); }
int main(void) { return shared_entry(1) == 3 ? 0 : 1; }
