// -Wframe-larger-than= with kstack loaded: kstack warns in place of GCC, about
// exactly the functions GCC flags, under the same option, with the call-depth
// context of this file and, given a table, of the whole program.
// -fdiagnostics-plain-output drops carets and source lines.
// The tests follow the code, so that its line numbers stay put.

extern void ext(char *);
extern int (*hook)(int);

static __attribute__((noinline)) void leaf(char *p)
{
	char buf[600];
	ext(buf);
	ext(p);
}

static __attribute__((noinline)) void mid(char *p)
{
	char small[100];
	small[0] = *p;
	leaf(small);
	hook(small[1]);
}

void top(char *p)
{
	char x[40];
	x[0] = *p;
	mid(x);
	ext(x);
}

void big(char *p)
{
	char y[700];
	y[0] = *p;
	ext(y);
	leaf(y);
	ext(p);
}

// A pragma silences kstack's warning as it silenced GCC's.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wframe-larger-than="
void quiet(void)
{
	char z[900];
	ext(z);
}
#pragma GCC diagnostic pop

__attribute__((noinline)) int count(int n)
{
	char w[200];
	w[0] = n;
	ext(w);
	return n > 0 ? count(n - 1) + w[1] : 0;
}

// RUN: rm -rf %t && mkdir %t && cd %t

// The same functions, locations and figures as GCC's own warning, once each.
// RUN: %cc -O2 -c %s -o plain.o -Wframe-larger-than=512 -fdiagnostics-plain-output 2> gcc.txt
// RUN: %cc -O2 -c %s -o noted.o -Wframe-larger-than=512 -fdiagnostics-plain-output -fplugin=%plugin 2> kstack.txt
// RUN: FileCheck %s --check-prefix=GCC < gcc.txt
// GCC-COUNT-2: warning: the frame size of {{[0-9]+}} bytes is larger than 512 bytes [-Wframe-larger-than=]
// GCC-NOT: warning
// RUN: grep warning: gcc.txt > gcc-warnings.txt
// RUN: grep warning: kstack.txt | sed -e 's/ ([^)]*-fstack-usage[^)]*)//' > kstack-warnings.txt
// RUN: diff gcc-warnings.txt kstack-warnings.txt
// With -fplugin-arg-kstack-disable, GCC warns as it always did.
// RUN: %cc -O2 -c %s -o disabled.o -Wframe-larger-than=512 -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-disable 2> disabled.txt
// RUN: diff gcc.txt disabled.txt
// RUN: %cc -O0 -c %s -o plain.o -Wframe-larger-than=256 -fdiagnostics-plain-output 2>&1 | grep warning: > gcc0.txt
// RUN: %cc -O0 -c %s -o noted.o -Wframe-larger-than=256 -fdiagnostics-plain-output -fplugin=%plugin 2>&1 | grep warning: | sed -e 's/ ([^)]*-fstack-usage[^)]*)//' > kstack0.txt
// RUN: diff gcc0.txt kstack0.txt
// RUN: %cc -O2 -c %s -o su.o -fstack-usage
// RUN: FileCheck %s --check-prefix=SU < su.su
// SU: frame-warnings.c:10:{{[0-9]+}}:leaf	[[#LEAF:]]	static

// The warnings and their notes, in the order GCC would print the warnings:
// what fills the frame (its largest data parts, frame_parts.h), then where
// the function sits in this file's call graph.
// RUN: FileCheck %s --input-file=kstack.txt --check-prefix=UNIT --implicit-check-not=warning: --implicit-check-not=note:
// UNIT:      frame-warnings.c: In function 'leaf':
// UNIT-NEXT: frame-warnings.c:15:1: warning: the frame size of {{[0-9]+}} bytes is larger than 512 bytes ('-fstack-usage': [[#LEAF:]] bytes, static) [-Wframe-larger-than=]
// UNIT-NEXT: frame-warnings.c:10:{{[0-9]+}}: note: 'buf' (char[600], 600 bytes) declared at {{.*}}frame-warnings.c:12
// UNIT-NEXT: frame-warnings.c:10:{{[0-9]+}}: note: 'leaf' uses [[#LEAF]] bytes of stack and calls nothing in this file that goes deeper
// UNIT-NEXT: frame-warnings.c:10:{{[0-9]+}}: note: not counted, so the depth in this file is a lower bound: 'ext', which this file does not define
// UNIT-NEXT: frame-warnings.c:21:{{[0-9]+}}: note: 'leaf' is called by 'mid{{(\.isra\.0)?}}'
// UNIT-NEXT: frame-warnings.c:38:{{[0-9]+}}: note: 'leaf' is called by 'big'
// UNIT-NEXT: frame-warnings.c:10:{{[0-9]+}}: note: the deepest way in from this file is 'big' -> 'leaf', with [[#BIG:]] bytes in use when 'leaf' is entered and [[#]] through it
// UNIT-NEXT: frame-warnings.c: In function 'big':
// UNIT-NEXT: frame-warnings.c:40:1: warning: the frame size of {{[0-9]+}} bytes is larger than 512 bytes ('-fstack-usage': [[#BIG]] bytes, static) [-Wframe-larger-than=]
// UNIT-NEXT: frame-warnings.c:33:{{[0-9]+}}: note: 'y' (char[700], 700 bytes) declared at {{.*}}frame-warnings.c:35
// UNIT-NEXT: frame-warnings.c:33:{{[0-9]+}}: note: 'big' uses [[#BIG]] bytes of stack; the deepest call chain from it in this file uses at least [[#BIG+LEAF]]
// UNIT-NEXT: frame-warnings.c:38:{{[0-9]+}}: note: 'big' calls 'leaf' ([[#LEAF]] bytes), [[#BIG+LEAF]] bytes in use
// UNIT-NEXT: frame-warnings.c:33:{{[0-9]+}}: note: not counted, so the depth in this file is a lower bound: 'ext', which this file does not define
// UNIT-NEXT: frame-warnings.c:33:{{[0-9]+}}: note: no function of this file calls 'big'

// What a chain leaves out is named: calls through pointers, recursion.
// RUN: %cc -O2 -c %s -o low.o -Wframe-larger-than=100 -fdiagnostics-plain-output -fplugin=%plugin 2>&1 | FileCheck %s --check-prefix=LOW
// LOW:      In function 'mid{{(\.isra)?}}':
// LOW:      note: not counted, so the depth in this file is a lower bound: 'ext', which this file does not define; 1 call through a pointer
// LOW:      In function 'count':
// LOW:      note: 'count' uses [[#]] bytes of stack and calls nothing in this file that goes deeper
// LOW-NEXT: note: not counted, so the depth in this file is a lower bound: 'ext', which this file does not define; recursive calls to 'count'
// LOW-NEXT: note: 'count' is called by 'count'
// LOW-NOT:  note:

// -Werror makes them errors, as it made GCC's, and no object is written;
// -Wno-error=frame-larger-than= keeps them warnings.
// RUN: not %cc -O2 -c %s -o err.o -Wframe-larger-than=512 -Werror -fdiagnostics-plain-output -fplugin=%plugin 2>&1 | FileCheck %s --check-prefix=WERROR
// WERROR: frame-warnings.c:15:1: error: the frame size of {{[0-9]+}} bytes is larger than 512 bytes ('-fstack-usage': {{[0-9]+}} bytes, static) [-Werror=frame-larger-than=]
// WERROR-NEXT: note: 'buf' (char[600], 600 bytes)
// WERROR-NEXT: note: 'leaf' uses
// RUN: not test -e err.o
// RUN: %cc -O2 -c %s -o ok.o -Wframe-larger-than=512 -Werror -Wno-error=frame-larger-than= -fdiagnostics-plain-output -fplugin=%plugin 2>&1 | FileCheck %s --check-prefix=NOERROR
// NOERROR: frame-warnings.c:15:1: warning: the frame size of {{[0-9]+}} bytes is larger than 512 bytes
// RUN: test -e ok.o

// -Wno-frame-larger-than silences every kstack warning, whatever kstack's
// own arguments say.
// RUN: %cc -O2 -c %s -o off.o -Wframe-larger-than=512 -Wno-frame-larger-than -fplugin=%plugin -fplugin-arg-kstack-frame-warn=100 -fplugin-arg-kstack-path-warn=100 2>&1 | FileCheck %s --check-prefix=NONE --allow-empty
// NONE-NOT: {{.}}

// Without GCC's option, -fplugin-arg-kstack-frame-warn=N is the threshold;
// with it, GCC's wins. The last -Wframe-larger-than= counts, as in GCC (the
// kernel appends a file's own CFLAGS_x.o after CONFIG_FRAME_WARN's).
// RUN: %cc -O2 -c %s -o fw.o -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-frame-warn=512 2>&1 | grep warning: | sed -e 's/ ([^)]*-fstack-usage[^)]*)//' > fw.txt
// RUN: diff gcc-warnings.txt fw.txt
// RUN: %cc -O2 -c %s -o last.o -Wframe-larger-than=2048 -Wframe-larger-than=650 -fdiagnostics-plain-output 2>&1 | grep warning: > gcc-last.txt
// RUN: %cc -O2 -c %s -o last.o -Wframe-larger-than=2048 -Wframe-larger-than=650 -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-frame-warn=100 2>&1 | grep warning: | sed -e 's/ ([^)]*-fstack-usage[^)]*)//' > kstack-last.txt
// RUN: diff gcc-last.txt kstack-last.txt
// RUN: FileCheck %s --check-prefix=LAST < kstack-last.txt
// LAST: frame-warnings.c:40:1: warning: the frame size of {{[0-9]+}} bytes is larger than 650 bytes [-Wframe-larger-than=]
// LAST-NOT: warning

// A pragma can set the value too; kstack reads it when GCC would.
// RUN: %cc -O2 -c %S/Inputs/frame-warnings-pragma.c -o pragma.o -Wframe-larger-than=1000 -fdiagnostics-plain-output 2>&1 | grep warning: > gcc-pragma.txt
// RUN: %cc -O2 -c %S/Inputs/frame-warnings-pragma.c -o pragma.o -Wframe-larger-than=1000 -fdiagnostics-plain-output -fplugin=%plugin 2>&1 | grep warning: | sed -e 's/ ([^)]*-fstack-usage[^)]*)//' > kstack-pragma.txt
// RUN: diff gcc-pragma.txt kstack-pragma.txt
// RUN: FileCheck %s --check-prefix=PRAGMA < kstack-pragma.txt
// PRAGMA-COUNT-2: warning: the frame size of {{[0-9]+}} bytes is larger than 200 bytes

// A deep path in this file: one warning per path, on the function that
// starts it ('leaf' is on the path from 'big', so it is not repeated).
// RUN: %cc -O2 -c %s -o pw.o -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-path-warn=1000 2>&1 | FileCheck %s --check-prefix=PATH --implicit-check-not=warning:
// PATH:      frame-warnings.c: In function 'big':
// PATH-NEXT: frame-warnings.c:33:6: warning: the deepest path through 'big' in this file uses at least [[#BIG:]] bytes of stack, more than 1000 bytes [-Wframe-larger-than=]
// PATH-NEXT: frame-warnings.c:33:6: note: 'big' uses [[#]] bytes of stack; the deepest call chain from it in this file uses at least [[#BIG]]
// PATH-NEXT: frame-warnings.c:38:{{[0-9]+}}: note: 'big' calls 'leaf'

// The whole program: a table from `kstack report` over every object gives
// the worst path through the function from its entry point, against the
// entry's budget.
// RUN: %cc -O2 -c %s -o unit.o -fplugin=%plugin
// RUN: %cc -O2 -c %S/Inputs/frame-warnings-main.c -o main.o -fplugin=%plugin
// RUN: %kstack report --format=json --budget=100000 unit.o main.o -o table.json
// RUN: %cc -O2 -c %s -o t.o -Wframe-larger-than=512 -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-table=table.json 2>&1 | FileCheck %s --check-prefix=TABLE
// TABLE:      frame-warnings.c: In function 'leaf':
// TABLE:      frame-warnings.c:10:{{[0-9]+}}: note: in the whole program ('table.json'), the worst path through 'leaf' starts at 'main' and uses [[#]] bytes of its budget of 100000: [[#]] bytes left
// TABLE-NEXT: frame-warnings.c:10:{{[0-9]+}}: note: step 1: 'main' ([[#]] bytes) at {{.*}}frame-warnings-main.c:17
// TABLE-NEXT: frame-warnings.c:10:{{[0-9]+}}: note: step 2: 'big' ([[#]] bytes) at {{.*}}frame-warnings.c:33
// TABLE-NEXT: frame-warnings.c:10:{{[0-9]+}}: note: step 3: 'leaf' ([[#]] bytes), this function, at {{.*}}frame-warnings.c:10
// TABLE-NEXT: frame-warnings.c:10:{{[0-9]+}}: note: step 4: 'ext' ([[#]] bytes) at {{.*}}frame-warnings-main.c:9
// TABLE:      frame-warnings.c: In function 'big':

// With the table, -fplugin-arg-kstack-path-warn compares whole-program
// paths: 'top' starts the path to the 1500-byte hook of the other file.
// RUN: %cc -O2 -c %s -o t.o -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-table=table.json -fplugin-arg-kstack-path-warn=1500 2>&1 | FileCheck %s --check-prefix=WHOLE --implicit-check-not=warning:
// WHOLE:      frame-warnings.c: In function 'top':
// WHOLE-NEXT: frame-warnings.c:25:6: warning: the worst path through 'top' uses {{(at least )?}}{{[0-9]+}} bytes of stack, more than 1500 bytes [-Wframe-larger-than=]
// WHOLE:      note: in the whole program ('table.json'), the worst path through 'top' starts at 'main'
// WHOLE:      note: step 2: 'top' ([[#]] bytes), this function, at
// WHOLE-NEXT: note: step 3: 'mid{{(\.isra\.0)?}}'
// WHOLE-NEXT: note: step 4: 'deep_hook'

// A table of another build says so; a function it lacks is named; a
// table that cannot be read is one warning per compile, and the warnings
// still come, with what this file shows.
// RUN: %python -c "import json; d = json.load(open('table.json')); [f.update(frame=f['frame'] + 64) for f in d['functions'] if f['function'] == 'leaf']; json.dump(d, open('old.json', 'w'))"
// RUN: %cc -O2 -c %s -o t.o -Wframe-larger-than=512 -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-table=old.json 2>&1 | FileCheck %s --check-prefix=STALE
// STALE: ('-fstack-usage': [[#LEAF:]] bytes
// STALE: note: the table 'old.json' is older: it has a frame of [[#LEAF+64]] bytes for 'leaf'
// RUN: %kstack report --format=json main.o -o other.json
// RUN: %cc -O2 -c %s -o t.o -Wframe-larger-than=512 -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-table=other.json 2>&1 | FileCheck %s --check-prefix=ABSENT
// ABSENT: note: 'leaf' is not in the table 'other.json': it is newer than the table
// RUN: echo '{"schema": "kstack-report", "version": 1, "entries": [], "functions": []}' > empty.json
// RUN: not %cc -O2 -c %s -o t.o -Wframe-larger-than=512 -Werror -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-table=empty.json -fplugin-arg-kstack-path-warn=100000 2>&1 | FileCheck %s --check-prefix=EMPTY --implicit-check-not=warning:
// EMPTY: error: the frame size of
// EMPTY: note: 'leaf' is not in the table 'empty.json': it is newer than the table
// RUN: head -c 3000 table.json > truncated.json
// RUN: %cc -O2 -c %s -o t.o -Wframe-larger-than=512 -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-table=truncated.json 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED-COUNT-1: cc1: warning: '-fplugin-arg-kstack-table=truncated.json': cannot use the table: 'truncated.json': offset 0xbb8: {{.*}}; the warnings say what this file alone shows [-Wframe-larger-than=]
// TRUNCATED-NOT: cannot use
// TRUNCATED: frame-warnings.c:40:1: warning: the frame size of
// RUN: echo '{"schema": "kstack-report", "version": 2}' > v2.json
// RUN: %cc -O2 -c %s -o t.o -Wframe-larger-than=512 -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-table=v2.json 2>&1 | FileCheck %s --check-prefix=V2
// V2: cc1: warning: '-fplugin-arg-kstack-table=v2.json': cannot use the table: 'v2.json': offset {{0x[0-9a-f]+}}: kstack-report version 2 is newer than this kstack supports (1); the warnings say what this file alone shows [-Wframe-larger-than=]
// RUN: %cc -O2 -c %s -o t.o -Wframe-larger-than=512 -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-table=missing.json 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: cc1: warning: '-fplugin-arg-kstack-table=missing.json': cannot use the table: 'missing.json': cannot open: No such file or directory; the warnings say what this file alone shows [-Wframe-larger-than=]
// RUN: %kstack dump --format=json unit.o > dump.json
// RUN: %cc -O2 -c %s -o t.o -Wframe-larger-than=512 -fdiagnostics-plain-output -fplugin=%plugin -fplugin-arg-kstack-table=dump.json 2>&1 | FileCheck %s --check-prefix=DUMP
// DUMP: cc1: warning: '-fplugin-arg-kstack-table=dump.json': cannot use the table: 'dump.json': offset {{.*}}: a 'kstack dump' document, not a report: write one with 'kstack report --format=json'; the warnings say what this file alone shows [-Wframe-larger-than=]
