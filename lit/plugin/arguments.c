// Plugin arguments follow GCC's convention; a bad one is a GCC error that
// names the full flag, and the compile fails.
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-bogus 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: '-fplugin-arg-kstack-bogus': unknown kstack argument 'bogus' (known: 'disable', 'exclude', 'explain', 'frame-warn', 'guard', 'path-warn', 'table')
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-bogus=3 2>&1 | FileCheck %s --check-prefix=UNKNOWN-VALUE
// UNKNOWN-VALUE: error: '-fplugin-arg-kstack-bogus=3': unknown kstack argument 'bogus' (known: 'disable', 'exclude', 'explain', 'frame-warn', 'guard', 'path-warn', 'table')
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-disable=yes 2>&1 | FileCheck %s --check-prefix=VALUE
// VALUE: error: '-fplugin-arg-kstack-disable=yes': 'disable' takes no value
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-exclude=1 2>&1 | FileCheck %s --check-prefix=EXCLUDE-VALUE
// EXCLUDE-VALUE: error: '-fplugin-arg-kstack-exclude=1': 'exclude' takes no value
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-explain=yes 2>&1 | FileCheck %s --check-prefix=EXPLAIN-VALUE
// EXPLAIN-VALUE: error: '-fplugin-arg-kstack-explain=yes': 'explain' takes no value
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-frame-warn=2k 2>&1 | FileCheck %s --check-prefix=FRAME-WARN
// FRAME-WARN: error: '-fplugin-arg-kstack-frame-warn=2k': 'frame-warn' takes a number of bytes ('frame-warn=BYTES')
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-path-warn 2>&1 | FileCheck %s --check-prefix=PATH-WARN
// PATH-WARN: error: '-fplugin-arg-kstack-path-warn': 'path-warn' takes a number of bytes ('path-warn=BYTES')
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-path-warn=99999999999999999999 2>&1 | FileCheck %s --check-prefix=PATH-WARN-BIG
// PATH-WARN-BIG: error: '-fplugin-arg-kstack-path-warn=99999999999999999999': 'path-warn' takes a number of bytes ('path-warn=BYTES')
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-guard 2>&1 | FileCheck %s --check-prefix=GUARD
// GUARD: error: '-fplugin-arg-kstack-guard': 'guard' takes a number of bytes ('guard=BYTES')
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-guard=-1 2>&1 | FileCheck %s --check-prefix=GUARD-NEGATIVE
// GUARD-NEGATIVE: error: '-fplugin-arg-kstack-guard=-1': 'guard' takes a number of bytes ('guard=BYTES')
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-guard=8KiB 2>&1 | FileCheck %s --check-prefix=GUARD-UNIT
// GUARD-UNIT: error: '-fplugin-arg-kstack-guard=8KiB': 'guard' takes a number of bytes ('guard=BYTES')
// RUN: not %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-table 2>&1 | FileCheck %s --check-prefix=TABLE
// TABLE: error: '-fplugin-arg-kstack-table': 'table' takes a file ('table=FILE', a 'kstack report --format=json')

// `disable` loads the plugin and records nothing.
// RUN: %cc -c %s -o %t.o -fplugin=%plugin -fplugin-arg-kstack-disable
// RUN: %readelf -SW %t.o | FileCheck %s --check-prefix=DISABLED
// DISABLED-NOT: .discard.kstack
// RUN: %cc -c %s -o %t.o -fplugin=%plugin
// RUN: %readelf -SW %t.o | FileCheck %s --check-prefix=ENABLED
// ENABLED: .discard.kstack NOTE

// The note in the assembler output is annotated field by field.
// RUN: %cc -S %s -o - -fplugin=%plugin | FileCheck %s --check-prefix=ASM
// ASM: .section .discard.kstack,"",{{[@%]}}note
// ASM: .4byte 7 {{.*}} n_namesz
// ASM: .asciz "kstack"
// ASM: .4byte 1 {{.*}} version
// ASM: .4byte {{[0-9]+}} {{.*}} name "plain_function"
int plain_function(int x) { return x + 1; }
