// -fplugin-arg-kstack-guard=BYTES puts a call to __kstack_guard, with the
// function's symbol and BYTES, first in each function in which the stack can
// grow past BYTES: every function without a table, only those whose deepest
// way in (plus their frame) may cross BYTES with one. A no_instrument_function
// or naked function never gets it; without the argument nothing does.
// main -> big (4 KiB) -> deep and main -> shallow: with a limit of 2048, the
// stack crosses it only in big and deep (and maybe in the recursive count).
extern void sink(volatile char *);
__attribute__((noinline)) void deep(void) { volatile char d[16]; sink(d); }
__attribute__((noinline)) void big(void) { volatile char b[4096]; sink(b); deep(); }
__attribute__((noinline)) void shallow(void) { volatile char s[16]; sink(s); }
__attribute__((noinline, no_instrument_function)) void untraced(void) { volatile char u[4096]; sink(u); deep(); }
// Recursion: a way in through it is a lower bound in the table.
__attribute__((noinline)) int count(int n) { volatile char c[16]; sink(c); return n > 0 ? count(n - 1) + c[1] : 0; }
// IPA-CP compiles a copy for the constant argument under its own name.
static __attribute__((noinline)) int scaled(int n, int by) { volatile char v[16]; sink(v); return v[1] * by + n; }
#ifdef __x86_64__
__attribute__((naked)) void raw(void) { __asm__("ret"); }
#endif
#ifdef NEWER
// Not in the table: nothing is known about it.
__attribute__((noinline)) void newer(void) { volatile char w[16]; sink(w); }
#endif
int main(void)
{
	big();
	shallow();
	untraced();
#ifdef NEWER
	newer();
#endif
	return count(3) + scaled(1, 3) + scaled(2, 3);
}

// RUN: rm -rf %t && mkdir -p %t/all %t/table && cd %t

// Without a table: the call comes first in every function, with the
// function's symbol (the clone's own) and the limit. The GIMPLE the pass
// leaves (only -fdump-tree-all dumps a plugin's pass) is listed as each
// function's first statement, by function; -fchecking=2 runs GCC's verifiers
// over what the pass changed.
// RUN: cd %t/all && %cc -O2 -fchecking=2 -c %s -o all.o -fplugin=%plugin -fplugin-arg-kstack-guard=2048 -fdump-tree-all
// RUN: awk '/^;; Function / { name = $4; gsub(/[(,]/, "", name) } /^  <bb 2>/ { getline; print name ":" $0 }' *.kstack_guard | sort > first.txt
// RUN: FileCheck %s --match-full-lines --check-prefixes=ALL,ALL-%target_arch --allow-unused-prefixes < first.txt
// ALL:           big: __kstack_guard (&"big"[0], 2048);
// ALL-NEXT:      count: __kstack_guard (&"count"[0], 2048);
// ALL-NEXT:      deep: __kstack_guard (&"deep"[0], 2048);
// ALL-NEXT:      main: __kstack_guard (&"main"[0], 2048);
// ALL-x86_64-NEXT: raw: __asm__ __volatile__("ret");
// ALL-NEXT:      [[SCALED:scaled\.constprop\.[0-9]+]]: __kstack_guard (&"[[SCALED]]"[0], 2048);
// ALL-NEXT:      shallow: __kstack_guard (&"shallow"[0], 2048);
// ALL-NEXT:      untraced: sink (&u);
// ALL-EMPTY:

// In the object, the note records the call as each function's first
// (listed by function as well), made where the function is declared.
// RUN: %kstack dump all.o | awk '/^  [^ ]/ { name = $1 } /^    call / && name { print name ": " $2; name = "" }' | sort > calls.txt
// RUN: FileCheck %s --match-full-lines --check-prefix=CALLS < calls.txt
// CALLS:      big: __kstack_guard
// CALLS-NEXT: count: __kstack_guard
// CALLS-NEXT: deep: __kstack_guard
// CALLS-NEXT: main: __kstack_guard
// CALLS-NEXT: [[SCALED:scaled\.constprop\.[0-9]+]]: __kstack_guard
// CALLS-NEXT: shallow: __kstack_guard
// CALLS-NEXT: untraced: sink
// CALLS-EMPTY:
// RUN: %kstack dump all.o | FileCheck %s --check-prefix=AT
// AT:      deep  global  {{.*}}guard.c:9:32  frame {{.*}}
// AT-NEXT:   call __kstack_guard  {{.*}}guard.c:9:32

// With a table of the program built without the guard: big and deep, in
// which the stack crosses 2048 bytes, and count, whose way in through its
// recursion has no bound; not main, shallow and the clone, which stay below.
// RUN: cd %t/table && %cc -O2 -c %s -o plain.o -fplugin=%plugin
// RUN: %kstack report --format=json plain.o -o table.json
// RUN: %cc -O2 -fchecking=2 -c %s -o guarded.o -fplugin=%plugin -fplugin-arg-kstack-guard=2048 -fplugin-arg-kstack-table=table.json -fdump-tree-all 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET
// QUIET-NOT: {{.}}
// RUN: awk '/^;; Function / { name = $4; gsub(/[(,]/, "", name) } /^  <bb 2>/ { getline; print name ":" $0 }' *.kstack_guard | sort > first.txt
// RUN: FileCheck %s --match-full-lines --check-prefixes=TABLE,TABLE-%target_arch --allow-unused-prefixes < first.txt
// TABLE:           big: __kstack_guard (&"big"[0], 2048);
// TABLE-NEXT:      count: __kstack_guard (&"count"[0], 2048);
// TABLE-NEXT:      deep: __kstack_guard (&"deep"[0], 2048);
// TABLE-NEXT:      main: big ();
// TABLE-x86_64-NEXT: raw: __asm__ __volatile__("ret");
// TABLE-NEXT:      scaled.constprop.{{[0-9]+}}: sink (&v);
// TABLE-NEXT:      shallow: sink (&s);
// TABLE-NEXT:      untraced: sink (&u);
// TABLE-EMPTY:

// A function the table does not have is guarded.
// RUN: %cc -O2 -c %s -o newer.o -DNEWER -fplugin=%plugin -fplugin-arg-kstack-guard=2048 -fplugin-arg-kstack-table=table.json
// RUN: %kstack dump newer.o | awk '/^  [^ ]/ { name = $1 } /^    call / && name { print name ": " $2; name = "" }' | sort > calls.txt
// RUN: FileCheck %s --match-full-lines --check-prefix=NEWER < calls.txt
// NEWER:      big: __kstack_guard
// NEWER-NEXT: count: __kstack_guard
// NEWER-NEXT: deep: __kstack_guard
// NEWER-NEXT: main: big
// NEWER-NEXT: newer: __kstack_guard
// NEWER-NEXT: scaled.constprop.{{[0-9]+}}: sink
// NEWER-NEXT: shallow: sink
// NEWER-NEXT: untraced: sink
// NEWER-EMPTY:

// A table that cannot be read is one warning, and every function is guarded.
// RUN: %cc -O2 -c %s -o missing.o -fplugin=%plugin -fplugin-arg-kstack-guard=2048 -fplugin-arg-kstack-table=missing.json 2>&1 | FileCheck %s --match-full-lines --check-prefix=MISSING
// MISSING:     cc1: warning: '-fplugin-arg-kstack-table=missing.json': cannot use the table: 'missing.json': cannot open: No such file or directory; '-fplugin-arg-kstack-guard' checks every function
// MISSING-NOT: {{.}}
// RUN: %kstack dump missing.o | grep -c 'call __kstack_guard' | FileCheck %s --match-full-lines --check-prefix=MISSING-CALLS
// MISSING-CALLS: 6

// Without the argument, nothing refers to the guard.
// RUN: %cc -O2 -S %s -o plain.s -fplugin=%plugin -fplugin-arg-kstack-table=table.json
// RUN: not grep __kstack_guard plain.s
