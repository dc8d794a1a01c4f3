/* read_standard_input, the buffered writer and parse_uint: see io.h. */
#include "io.h"

#include <string.h>
#include <unistd.h>

const char* read_standard_input(unsigned char* buffer, size_t capacity, size_t* length) {
  static const char cannot_read[] = "cannot read standard input";
  size_t used = 0;
  for (;;) {
    if (used == capacity) {
      /* Full: one more byte tells a file of exactly capacity bytes from a
       * longer one. */
      unsigned char extra;
      ssize_t count = read(0, &extra, 1);
      *length = used;
      if (count < 0) return cannot_read;
      return count == 0 ? NULL : "standard input is larger than the program's buffer";
    }
    ssize_t count = read(0, buffer + used, capacity - used);
    if (count <= 0) {
      *length = used;
      return count < 0 ? cannot_read : NULL;
    }
    used += (size_t)count;
  }
}

/* Writes all of bytes, as many write calls as it takes; 0 on success. */
static int write_fully(int fd, const char* bytes, size_t size) {
  while (size > 0) {
    ssize_t count = write(fd, bytes, size);
    if (count <= 0) return -1;
    bytes += count;
    size -= (size_t)count;
  }
  return 0;
}

int writer_flush(struct writer* out) {
  if (!out->failed && out->used > 0 && write_fully(out->fd, out->buffer, out->used) != 0) {
    out->failed = 1;
  }
  out->used = 0;
  return out->failed ? -1 : 0;
}

void writer_put_bytes(struct writer* out, const void* bytes, size_t size) {
  const char* from = bytes;
  while (size > 0) {
    if (out->used == sizeof out->buffer) writer_flush(out);
    size_t room = sizeof out->buffer - out->used;
    size_t chunk = size < room ? size : room;
    memcpy(out->buffer + out->used, from, chunk);
    out->used += chunk;
    from += chunk;
    size -= chunk;
  }
}

void writer_put_char(struct writer* out, char c) {
  if (out->used == sizeof out->buffer) writer_flush(out);
  out->buffer[out->used++] = c;
}

void writer_put_text(struct writer* out, const char* text) {
  writer_put_bytes(out, text, strlen(text));
}

void writer_put_uint(struct writer* out, unsigned long value) {
  char digits[20]; /* 18446744073709551615 */
  size_t first = sizeof digits;
  do {
    digits[--first] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  writer_put_bytes(out, digits + first, sizeof digits - first);
}

void writer_put_hex(struct writer* out, unsigned long value, int digits) {
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
    writer_put_char(out, "0123456789abcdef"[(value >> shift) & 0xf]);
  }
}

int parse_uint(const char* text, unsigned long max, unsigned long* value) {
  unsigned long result = 0;
  if (*text == '\0') return -1;
  for (; *text != '\0'; text++) {
    if (*text < '0' || *text > '9') return -1;
    unsigned digit = (unsigned)(*text - '0');
    if (digit > max || result > (max - digit) / 10) return -1;
    result = result * 10 + digit;
  }
  *value = result;
  return 0;
}
