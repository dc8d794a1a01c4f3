/* jsonpp: checks that standard input is one JSON value (RFC 8259) and
 * pretty-prints it to standard output, two spaces an indentation level.
 *
 *   jsonpp < FILE.json
 *
 * Exit status 0 for valid JSON; 2 for invalid JSON, with a message on
 * standard error naming the byte offset (from 0) of the problem; 1 when the
 * input cannot be read or is larger than 1 MiB, or the output cannot be
 * written.
 *
 * The parser is iterative: open arrays and objects are kept on an explicit
 * stack of at most JSONPP_MAX_DEPTH entries, and deeper nesting is an error,
 * so the program's stack does not grow with the input and kstack's bound of
 * main is complete with no recursion annotation. It runs twice, first to
 * validate (nothing is printed for invalid input), then to print. Strings
 * are printed with their escapes in one canonical form: \uXXXX sequences,
 * surrogate pairs included, become UTF-8, control characters are printed as
 * \n, \t, ... or \u00XX, and \/ as /. Other bytes are copied as they are;
 * numbers are copied as written. */
#include <stddef.h>

#include "common/io.h"

#define JSONPP_MAX_INPUT (1024 * 1024)
#define JSONPP_MAX_DEPTH 64
#define JSONPP_INDENT 2

#define STRING(token) #token
#define EXPANDED_STRING(macro) STRING(macro)

static unsigned char input[JSONPP_MAX_INPUT];
static struct writer out = WRITER_INIT(1);
static struct writer err = WRITER_INIT(2);

/* One pass over the text. */
struct parser {
  const unsigned char* text;
  size_t length;
  size_t position;
  struct writer* out; /* NULL in the validating pass */
  const char* error;  /* what is wrong at error_offset; NULL while nothing is */
  size_t error_offset;
  size_t depth;                   /* open arrays and objects */
  char closers[JSONPP_MAX_DEPTH]; /* ']' or '}' for each, innermost last */
};

/* What begin_value parsed: a whole value, or the opening of an array or
 * object with members, which come next. */
enum value_step { VALUE_ERROR = -1, VALUE_DONE, VALUE_OPENED };

/* What finish_value found after a value: the next member (after a comma),
 * or the end of the document. */
enum finish_step { FINISH_ERROR = -1, FINISH_NEXT_MEMBER, FINISH_END };

static int fail(struct parser* p, size_t offset, const char* message) {
  if (p->error == NULL) {
    p->error = message;
    p->error_offset = offset;
  }
  return -1;
}

/* The byte at the current position, or -1 at the end of the text. */
static int peek(const struct parser* p) {
  return p->position < p->length ? p->text[p->position] : -1;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static void skip_whitespace(struct parser* p) {
  for (int c = peek(p); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = peek(p)) {
    p->position++;
  }
}

static void emit_bytes(struct parser* p, const void* bytes, size_t size) {
  if (p->out != NULL) writer_put_bytes(p->out, bytes, size);
}

static void emit_char(struct parser* p, char c) {
  if (p->out != NULL) writer_put_char(p->out, c);
}

/* A line break and the indentation of the current depth. */
static void emit_newline(struct parser* p) {
  emit_char(p, '\n');
  for (size_t i = 0; i < p->depth * JSONPP_INDENT; i++) emit_char(p, ' ');
}

/* One character of a string's contents, from an escape, in canonical form. */
static void emit_code_point(struct parser* p, unsigned long code) {
  static const char short_escapes[] = "\b\f\n\r\t\"\\";
  static const char short_names[] = "bfnrt\"\\";
  for (size_t i = 0; i < sizeof short_escapes - 1; i++) {
    if (code == (unsigned char)short_escapes[i]) {
      emit_char(p, '\\');
      emit_char(p, short_names[i]);
      return;
    }
  }
  if (code < 0x20) {
    emit_bytes(p, "\\u00", 4);
    if (p->out != NULL) writer_put_hex(p->out, code, 2);
    return;
  }
  char utf8[4];
  size_t size;
  if (code < 0x80) {
    utf8[0] = (char)code;
    size = 1;
  } else if (code < 0x800) {
    utf8[0] = (char)(0xc0 | code >> 6);
    size = 2;
  } else if (code < 0x10000) {
    utf8[0] = (char)(0xe0 | code >> 12);
    size = 3;
  } else {
    utf8[0] = (char)(0xf0 | code >> 18);
    size = 4;
  }
  for (size_t i = 1; i < size; i++) utf8[i] = (char)(0x80 | ((code >> 6 * (size - 1 - i)) & 0x3f));
  emit_bytes(p, utf8, size);
}

/* The four hexadecimal digits of a \u escape that starts at escape. */
static int parse_hex4(struct parser* p, size_t escape, unsigned long* value) {
  *value = 0;
  for (int i = 0; i < 4; i++) {
    int c = peek(p);
    unsigned long digit;
    if (is_digit(c)) {
      digit = (unsigned long)(c - '0');
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
      digit = (unsigned long)((c | 0x20) - 'a' + 10);
    } else {
      return fail(p, escape, "a \\u escape needs four hexadecimal digits");
    }
    *value = *value << 4 | digit;
    p->position++;
  }
  return 0;
}

/* The rest of a \u escape, after "\u": a character of the Basic
 * Multilingual Plane, or a surrogate pair written as two escapes. */
static int parse_unicode_escape(struct parser* p, size_t escape) {
  unsigned long code;
  if (parse_hex4(p, escape, &code) != 0) return -1;
  if (code >= 0xdc00 && code <= 0xdfff) return fail(p, escape, "unpaired low surrogate");
  if (code >= 0xd800 && code <= 0xdbff) {
    size_t second = p->position;
    unsigned long low;
    if (p->length - second < 2 || p->text[second] != '\\' || p->text[second + 1] != 'u') {
      return fail(p, escape, "unpaired high surrogate");
    }
    p->position += 2;
    if (parse_hex4(p, second, &low) != 0) return -1;
    if (low < 0xdc00 || low > 0xdfff) return fail(p, escape, "unpaired high surrogate");
    code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
  }
  emit_code_point(p, code);
  return 0;
}

/* A string, at its opening quote. */
static int parse_string(struct parser* p) {
  static const char escapes[] = "\"\\/bfnrt";
  static const char escaped[] = "\"\\/\b\f\n\r\t";
  size_t start = p->position++;
  emit_char(p, '"');
  for (;;) {
    int c = peek(p);
    if (c < 0) return fail(p, start, "unterminated string");
    if (c < 0x20) return fail(p, p->position, "control character in a string");
    if (c == '"') break;
    if (c != '\\') {
      emit_char(p, (char)c);
      p->position++;
      continue;
    }
    size_t escape = p->position++;
    c = peek(p);
    if (c == 'u') {
      p->position++;
      if (parse_unicode_escape(p, escape) != 0) return -1;
      continue;
    }
    size_t i = 0;
    while (escapes[i] != '\0' && escapes[i] != c) i++;
    if (c < 0 || escapes[i] == '\0') return fail(p, escape, "invalid escape");
    emit_code_point(p, (unsigned char)escaped[i]);
    p->position++;
  }
  p->position++;
  emit_char(p, '"');
  return 0;
}

/* A number, at its first character: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int parse_number(struct parser* p) {
  size_t start = p->position;
  if (peek(p) == '-') p->position++;
  if (peek(p) == '0') {
    p->position++;
  } else if (is_digit(peek(p))) {
    while (is_digit(peek(p))) p->position++;
  } else {
    return fail(p, p->position, "expected a digit");
  }
  if (peek(p) == '.') {
    p->position++;
    if (!is_digit(peek(p))) return fail(p, p->position, "expected a digit after '.'");
    while (is_digit(peek(p))) p->position++;
  }
  if (peek(p) == 'e' || peek(p) == 'E') {
    p->position++;
    if (peek(p) == '+' || peek(p) == '-') p->position++;
    if (!is_digit(peek(p))) return fail(p, p->position, "expected a digit in the exponent");
    while (is_digit(peek(p))) p->position++;
  }
  emit_bytes(p, p->text + start, p->position - start);
  return 0;
}

/* true, false or null, at its first letter. */
static int parse_literal(struct parser* p, const char* literal) {
  size_t start = p->position;
  for (const char* c = literal; *c != '\0'; c++, p->position++) {
    if (peek(p) != *c) return fail(p, start, "invalid literal (true, false and null are)");
  }
  emit_bytes(p, p->text + start, p->position - start);
  return 0;
}

/* An object member's name, its colon and the whitespace after it. */
static int parse_member_name(struct parser* p) {
  if (peek(p) != '"') return fail(p, p->position, "expected a string, the member's name");
  if (parse_string(p) != 0) return -1;
  skip_whitespace(p);
  if (peek(p) != ':') return fail(p, p->position, "expected ':'");
  p->position++;
  emit_bytes(p, ": ", 2);
  skip_whitespace(p);
  return 0;
}

/* An array or object, at its opening bracket. An empty one is printed on
 * one line and is a whole value; otherwise it goes on the stack. */
static enum value_step open_container(struct parser* p, char closer) {
  if (p->depth == JSONPP_MAX_DEPTH) {
    fail(p, p->position,
         "arrays and objects nested deeper than " EXPANDED_STRING(JSONPP_MAX_DEPTH) " levels");
    return VALUE_ERROR;
  }
  emit_char(p, (char)p->text[p->position++]);
  skip_whitespace(p);
  if (peek(p) == closer) {
    p->position++;
    emit_char(p, closer);
    return VALUE_DONE;
  }
  p->closers[p->depth++] = closer;
  emit_newline(p);
  if (closer == '}' && parse_member_name(p) != 0) return VALUE_ERROR;
  return VALUE_OPENED;
}

/* A value, at its first character. */
static enum value_step begin_value(struct parser* p) {
  int c = peek(p);
  int status;
  if (c == '[') return open_container(p, ']');
  if (c == '{') return open_container(p, '}');
  if (c == '"') {
    status = parse_string(p);
  } else if (c == '-' || is_digit(c)) {
    status = parse_number(p);
  } else if (c == 't') {
    status = parse_literal(p, "true");
  } else if (c == 'f') {
    status = parse_literal(p, "false");
  } else if (c == 'n') {
    status = parse_literal(p, "null");
  } else {
    status = fail(p, p->position, c < 0 ? "expected a value, found the end" : "expected a value");
  }
  return status == 0 ? VALUE_DONE : VALUE_ERROR;
}

/* After a value: closes the arrays and objects that end here, then takes
 * the comma before the next member, or the end of the text. */
static enum finish_step finish_value(struct parser* p) {
  for (;;) {
    skip_whitespace(p);
    if (p->depth == 0) {
      if (p->position != p->length) {
        fail(p, p->position, "text after the JSON value");
        return FINISH_ERROR;
      }
      emit_char(p, '\n');
      return FINISH_END;
    }
    char closer = p->closers[p->depth - 1];
    int c = peek(p);
    if (c == ',') {
      p->position++;
      emit_char(p, ',');
      emit_newline(p);
      skip_whitespace(p);
      if (closer == '}' && parse_member_name(p) != 0) return FINISH_ERROR;
      return FINISH_NEXT_MEMBER;
    }
    if (c != closer) {
      fail(p, p->position, closer == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
      return FINISH_ERROR;
    }
    p->position++;
    p->depth--;
    emit_newline(p);
    emit_char(p, closer);
  }
}

/* The whole text: one value, with whitespace around it. 0 when valid. */
static int parse_document(struct parser* p) {
  skip_whitespace(p);
  for (;;) {
    enum value_step step = begin_value(p);
    if (step == VALUE_ERROR) return -1;
    if (step == VALUE_OPENED) continue;
    enum finish_step finish = finish_value(p);
    if (finish != FINISH_NEXT_MEMBER) return finish == FINISH_END ? 0 : -1;
  }
}

static int report_error(const char* message) {
  writer_put_text(&err, "jsonpp: error: ");
  writer_put_text(&err, message);
  writer_put_char(&err, '\n');
  writer_flush(&err);
  return 1;
}

int main(int argc, char** argv) {
  (void)argv;
  if (argc != 1) {
    writer_put_text(&err, "usage: jsonpp < FILE.json\n");
    writer_flush(&err);
    return 2;
  }
  size_t length;
  const char* problem = read_standard_input(input, sizeof input, &length);
  if (problem) return report_error(problem);

  struct parser validate = {.text = input, .length = length};
  if (parse_document(&validate) != 0) {
    writer_put_text(&err, "jsonpp: error: offset ");
    writer_put_uint(&err, validate.error_offset);
    writer_put_text(&err, ": ");
    writer_put_text(&err, validate.error);
    writer_put_char(&err, '\n');
    writer_flush(&err);
    return 2;
  }
  struct parser print = {.text = input, .length = length, .out = &out};
  parse_document(&print);
  if (writer_flush(&out) != 0) return report_error("cannot write standard output");
  return 0;
}
