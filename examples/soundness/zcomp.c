/* zcomp: compresses standard input with zlib's deflate at the level given
 * (0 to 9, default 6), inflates the result again, checks that it is the
 * input, and prints one line: the sizes and the input's Adler-32.
 *
 *   zcomp [LEVEL] < FILE
 *
 * Exit status 0 when the round trip gives the input back, 1 on any error,
 * 2 on bad usage. zlib is the real one (GCC's copy, built with Z_SOLO); its
 * memory comes from a static arena, and the program calls nothing in the C
 * library but read and write, so kstack can bound main completely. */
#include <stddef.h>
#include <string.h>

#include "common/io.h"
#include "common/zlib_arena.h"
#include "zlib.h"

#define ZCOMP_MAX_INPUT (1024 * 1024)
/* At zlib's default window and memLevel, deflateBound is n + n/4096 +
 * n/16384 + 13 bytes for n bytes of input (n < 32 MiB): room to spare for
 * ZCOMP_MAX_INPUT. compress_input checks it. */
#define ZCOMP_MAX_OUTPUT (ZCOMP_MAX_INPUT + ZCOMP_MAX_INPUT / 1024 + 1024)

static unsigned char input[ZCOMP_MAX_INPUT];
static unsigned char compressed[ZCOMP_MAX_OUTPUT];
static unsigned char restored[ZCOMP_MAX_INPUT];
static _Alignas(16) unsigned char arena_memory[ZLIB_ARENA_BYTES];

static struct writer out = WRITER_INIT(1);
static struct writer err = WRITER_INIT(2);

/* Reports "zcomp: error: WHAT[: zlib's message]" and returns 1, the exit
 * status. */
static int fail(const char* what, const z_stream* stream) {
  writer_put_text(&err, "zcomp: error: ");
  writer_put_text(&err, what);
  if (stream != NULL && stream->msg != NULL) {
    writer_put_text(&err, ": ");
    writer_put_text(&err, stream->msg);
  }
  writer_put_char(&err, '\n');
  writer_flush(&err);
  return 1;
}

/* Compresses input[0, length) into compressed; *compressed_length is the
 * size. 0 on success, else the exit status after an error message. */
static int compress_input(int level, size_t length, size_t* compressed_length) {
  struct zlib_arena arena;
  z_stream stream = {0};
  zlib_arena_init(&arena, arena_memory, sizeof arena_memory);
  zlib_arena_attach(&stream, &arena);
  if (deflateInit(&stream, level) != Z_OK) return fail("deflateInit failed", &stream);
  if (deflateBound(&stream, length) > sizeof compressed) {
    deflateEnd(&stream);
    return fail("the compressed buffer is too small", NULL);
  }
  stream.next_in = input;
  stream.avail_in = (uInt)length;
  stream.next_out = compressed;
  stream.avail_out = sizeof compressed;
  int status = deflate(&stream, Z_FINISH);
  *compressed_length = stream.total_out;
  deflateEnd(&stream);
  return status == Z_STREAM_END ? 0 : fail("deflate failed", &stream);
}

/* Inflates compressed[0, compressed_length) into restored and checks that
 * it is input[0, length). 0 on success, else the exit status after an error
 * message. */
static int check_round_trip(size_t compressed_length, size_t length) {
  struct zlib_arena arena;
  z_stream stream = {0};
  zlib_arena_init(&arena, arena_memory, sizeof arena_memory);
  zlib_arena_attach(&stream, &arena);
  if (inflateInit(&stream) != Z_OK) return fail("inflateInit failed", &stream);
  stream.next_in = compressed;
  stream.avail_in = (uInt)compressed_length;
  stream.next_out = restored;
  stream.avail_out = sizeof restored;
  int status = inflate(&stream, Z_FINISH);
  size_t restored_length = stream.total_out;
  inflateEnd(&stream);
  if (status != Z_STREAM_END) return fail("inflate failed", &stream);
  if (restored_length != length || memcmp(restored, input, length) != 0) {
    return fail("the inflated data differs from the input", NULL);
  }
  return 0;
}

int main(int argc, char** argv) {
  unsigned long level = 6;
  if (argc > 2 || (argc == 2 && parse_uint(argv[1], 9, &level) != 0)) {
    writer_put_text(&err, "usage: zcomp [LEVEL] < FILE   (LEVEL 0 to 9, default 6)\n");
    writer_flush(&err);
    return 2;
  }

  size_t length;
  const char* problem = read_standard_input(input, sizeof input, &length);
  if (problem) return fail(problem, NULL);

  size_t compressed_length = 0;
  int status = compress_input((int)level, length, &compressed_length);
  if (status == 0) status = check_round_trip(compressed_length, length);
  if (status != 0) return status;

  writer_put_text(&out, "zcomp: level ");
  writer_put_uint(&out, level);
  writer_put_text(&out, ", ");
  writer_put_uint(&out, length);
  writer_put_text(&out, " -> ");
  writer_put_uint(&out, compressed_length);
  writer_put_text(&out, " bytes, adler32 ");
  writer_put_hex(&out, adler32(1, input, (uInt)length), 8);
  writer_put_text(&out, ", round trip ok\n");
  return writer_flush(&out) == 0 ? 0 : 1;
}
