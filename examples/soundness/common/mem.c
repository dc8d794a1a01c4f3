/* The memory and string functions of the C library that the suite's programs
 * and zlib call, or that GCC calls for them: struct copies and clears, and
 * loops it recognises as memcpy, memset or strlen. They are defined here, in
 * the program, so that every such call reaches a function the plugin has a
 * record of instead of glibc's (which has none); an executable's definition
 * wins over the shared library's.
 *
 * Precondition: this file is compiled with -fno-builtin and
 * -fno-tree-loop-distribute-patterns, or GCC turns each loop below into a
 * call to the very function it is in. The loops are plain byte loops: easy
 * to see correct, and fast enough for inputs of a few megabytes. <string.h>
 * is left out on purpose: the plugin records a function at its first
 * declaration, and these should read mem.c, not string.h. */
#include <stddef.h>
#include <stdint.h>

void* memcpy(void* restrict destination, const void* restrict source, size_t size) {
  unsigned char* to = destination;
  const unsigned char* from = source;
  for (size_t i = 0; i < size; i++) to[i] = from[i];
  return destination;
}

void* memmove(void* destination, const void* source, size_t size) {
  unsigned char* to = destination;
  const unsigned char* from = source;
  if ((uintptr_t)to < (uintptr_t)from) {
    for (size_t i = 0; i < size; i++) to[i] = from[i];
  } else {
    /* The destination starts inside or after the source: copy from the
     * end, so no byte is overwritten before it is read. */
    for (size_t i = size; i > 0; i--) to[i - 1] = from[i - 1];
  }
  return destination;
}

void* memset(void* destination, int value, size_t size) {
  unsigned char* to = destination;
  for (size_t i = 0; i < size; i++) to[i] = (unsigned char)value;
  return destination;
}

int memcmp(const void* left, const void* right, size_t size) {
  const unsigned char* a = left;
  const unsigned char* b = right;
  for (size_t i = 0; i < size; i++) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

size_t strlen(const char* text) {
  size_t length = 0;
  while (text[length] != '\0') length++;
  return length;
}
