// The plugin never changes generated code: with the note section removed,
// the object is byte for byte the object compiled without the plugin (code,
// data, relocations, symbols, section layout). objcopy rewrites both files the
// same way, so `cmp` compares everything at once. With -g, GCC records its
// command line (-fplugin=... included) in DW_AT_producer, as for any flag, so
// that variant drops the record with -gno-record-gcc-switches. kstack taking
// -Wframe-larger-than over from GCC (frame_warnings.h) changes no code either.
// RUN: %python %lit_src/plugin/Inputs/same_code.py %cc %plugin %s -O0
// RUN: %python %lit_src/plugin/Inputs/same_code.py %cc %plugin %s -O2
// RUN: %python %lit_src/plugin/Inputs/same_code.py %cc %plugin %s -O2 -Wframe-larger-than=16
// RUN: %python %lit_src/plugin/Inputs/same_code.py %cc %plugin %s -Os -ffunction-sections
// RUN: %python %lit_src/plugin/Inputs/same_code.py %cc %plugin %s -O2 -freorder-blocks-and-partition -g -gno-record-gcc-switches
// RUN: %python %lit_src/plugin/Inputs/same_code.py %cc %plugin %lit_src/oracle/features.c -O2
#include <string.h>
extern int sink(const void *p, int n);
extern int (*hook)(int);
static int helper(int x) { char buf[64]; memset(buf, x, sizeof buf); return sink(buf, x); }
int vla(int n) { char b[n]; b[0] = 1; return sink(b, n); }
int ind(int x) { return hook(x) + helper(x); }
int tail(int x) { return helper(x + 1); }
