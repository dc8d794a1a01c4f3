// REQUIRES: target-x86_64
// The kernel's way: CONFIG_FRAME_WARN's -Wframe-larger-than=2048 with the
// x86_64 code generation flags and CONFIG_WERROR's -Werror, then a file's
// own CFLAGS_x.o appended after them. kstack's diagnostics are GCC's, plus
// the notes, and the compile fails the same way.
// RUN: rm -rf %t && mkdir %t && cd %t
// RUN: not %cc -O2 %kernel_x86_flags -Wframe-larger-than=2048 -Werror -Wframe-larger-than=512 -c %S/frame-warnings.c -o plain.o -fdiagnostics-plain-output 2> gcc.txt
// RUN: not %cc -O2 %kernel_x86_flags -Wframe-larger-than=2048 -Werror -Wframe-larger-than=512 -c %S/frame-warnings.c -o noted.o -fdiagnostics-plain-output -fplugin=%plugin 2> kstack.txt
// RUN: FileCheck %s < kstack.txt
// CHECK: frame-warnings.c:15:1: error: the frame size of {{[0-9]+}} bytes is larger than 512 bytes ('-fstack-usage': {{[0-9]+}} bytes, static) [-Werror=frame-larger-than=]
// CHECK: frame-warnings.c:40:1: error: the frame size of {{[0-9]+}} bytes is larger than 512 bytes ('-fstack-usage': {{[0-9]+}} bytes, static) [-Werror=frame-larger-than=]
// RUN: grep -v note: gcc.txt > gcc-lines.txt
// RUN: grep -v note: kstack.txt | sed -e 's/ ([^)]*-fstack-usage[^)]*)//' > kstack-lines.txt
// RUN: diff gcc-lines.txt kstack-lines.txt
// With the file's threshold raised instead, both compile cleanly.
// RUN: %cc -O2 %kernel_x86_flags -Wframe-larger-than=2048 -Werror -c %S/frame-warnings.c -o ok.o -fdiagnostics-plain-output -fplugin=%plugin 2>&1 | FileCheck %s --check-prefix=CLEAN --allow-empty
// CLEAN-NOT: {{.}}
