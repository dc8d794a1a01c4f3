/* Input and output for the soundness suite's programs without stdio: all of
 * a file descriptor read into a buffer, and text written through a buffer,
 * with read(2) and write(2) the only calls into the C library (their stack
 * is stated in kstack.ann). Nothing here reads errno: that would be a call
 * to glibc's __errno_location, which has no record. */
#ifndef SOUNDNESS_IO_H
#define SOUNDNESS_IO_H

#include <stddef.h>

/* Reads standard input to its end into buffer; *length is the byte count.
 * Returns NULL, or what went wrong, for the program to print: the input
 * could not be read, or it is larger than capacity (the first capacity
 * bytes are read). */
const char* read_standard_input(unsigned char* buffer, size_t capacity, size_t* length);

/* Text on its way to a file descriptor, written out when the buffer is full
 * and on writer_flush. The first failed write makes the writer failed for
 * good: later output is dropped, and writer_flush reports it. Writers are
 * meant to be static (WRITER_INIT), so the buffer is not on the stack. */
struct writer {
  int fd;
  int failed;
  size_t used;
  char buffer[4096];
};
#define WRITER_INIT(descriptor) \
  { .fd = (descriptor) }

void writer_put_char(struct writer* out, char c);
void writer_put_bytes(struct writer* out, const void* bytes, size_t size);
void writer_put_text(struct writer* out, const char* text);
void writer_put_uint(struct writer* out, unsigned long value);
/* Exactly digits hexadecimal digits, the lowest of value's (digits <= 16). */
void writer_put_hex(struct writer* out, unsigned long value, int digits);
/* Writes out what is buffered; 0 when everything put so far was written. */
int writer_flush(struct writer* out);

/* The decimal number text, with no sign, at most max: 0 and *value set, or
 * -1 for anything else. */
int parse_uint(const char* text, unsigned long max, unsigned long* value);

#endif
