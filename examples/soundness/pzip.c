/* pzip: compresses standard input in CHUNKS parts at once (default 4, at
 * most 16), one thread per part, each deflating its part into a zlib stream
 * of its own at the default level; prints one line per part and a total.
 *
 *   pzip [CHUNKS] < FILE
 *
 * Exit status 0 when every part was compressed, 1 on any error, 2 on bad
 * usage. Like zcomp, it calls nothing in the C library but read and write,
 * and pthread_create and pthread_join in main. The threads' start routine,
 * compress_chunk, calls neither: its stack bound is complete, while main's
 * is not (kstack has no record of the two pthread functions). */
#include <pthread.h>
#include <stddef.h>

#include "common/io.h"
#include "common/zlib_arena.h"
#include "zlib.h"

#define PZIP_MAX_INPUT (1024 * 1024)
#define PZIP_MAX_CHUNKS 16
#define PZIP_DEFAULT_CHUNKS 4
/* The sum of every chunk's output_bound, with room to spare. */
#define PZIP_MAX_OUTPUT (PZIP_MAX_INPUT + PZIP_MAX_INPUT / 2048 + PZIP_MAX_CHUNKS * 16)

/* One part of the input and what its thread made of it. */
struct chunk {
  unsigned char* input;
  size_t input_length;
  unsigned char* output; /* output_capacity bytes of the output buffer */
  size_t output_capacity;
  struct zlib_arena arena; /* the thread's own region of arena_memory */
  /* Set by compress_chunk: */
  size_t output_length;
  unsigned long adler; /* of the input, as deflate computes it */
  const char* error;   /* NULL on success */
};

static unsigned char input[PZIP_MAX_INPUT];
static unsigned char output[PZIP_MAX_OUTPUT];
static _Alignas(16) unsigned char arena_memory[PZIP_MAX_CHUNKS][ZLIB_ARENA_BYTES];
static struct chunk chunks[PZIP_MAX_CHUNKS];

static struct writer out = WRITER_INIT(1);
static struct writer err = WRITER_INIT(2);

/* deflateBound at zlib's default window and memLevel, for length < 32 MiB. */
static size_t output_bound(size_t length) { return length + (length >> 12) + (length >> 14) + 13; }

/* The threads' start routine: deflates one chunk (a struct chunk). */
void* compress_chunk(void* argument) {
  struct chunk* chunk = argument;
  z_stream stream = {0};
  zlib_arena_attach(&stream, &chunk->arena);
  if (deflateInit(&stream, Z_DEFAULT_COMPRESSION) != Z_OK) {
    chunk->error = "deflateInit failed";
    return NULL;
  }
  if (deflateBound(&stream, chunk->input_length) > chunk->output_capacity) {
    chunk->error = "the output region is too small";
  } else {
    stream.next_in = chunk->input;
    stream.avail_in = (uInt)chunk->input_length;
    stream.next_out = chunk->output;
    stream.avail_out = (uInt)chunk->output_capacity;
    if (deflate(&stream, Z_FINISH) != Z_STREAM_END) chunk->error = "deflate failed";
    chunk->output_length = stream.total_out;
    chunk->adler = stream.adler;
  }
  deflateEnd(&stream);
  return NULL;
}

/* Reports "pzip: error: [chunk I: ]MESSAGE" (the chunk when index < count)
 * and returns 1, the exit status. */
static int report_error(size_t index, const char* message) {
  writer_put_text(&err, "pzip: error: ");
  if (index < PZIP_MAX_CHUNKS) {
    writer_put_text(&err, "chunk ");
    writer_put_uint(&err, index);
    writer_put_text(&err, ": ");
  }
  writer_put_text(&err, message);
  writer_put_char(&err, '\n');
  writer_flush(&err);
  return 1;
}

/* "chunk I: offset FIRST, IN -> OUT bytes, adler32 HEX" */
static void print_chunk(size_t index, const struct chunk* chunk) {
  writer_put_text(&out, "chunk ");
  writer_put_uint(&out, index);
  writer_put_text(&out, ": offset ");
  writer_put_uint(&out, (size_t)(chunk->input - input));
  writer_put_text(&out, ", ");
  writer_put_uint(&out, chunk->input_length);
  writer_put_text(&out, " -> ");
  writer_put_uint(&out, chunk->output_length);
  writer_put_text(&out, " bytes, adler32 ");
  writer_put_hex(&out, chunk->adler, 8);
  writer_put_char(&out, '\n');
}

int main(int argc, char** argv) {
  unsigned long count = PZIP_DEFAULT_CHUNKS;
  if (argc > 2 ||
      (argc == 2 && (parse_uint(argv[1], PZIP_MAX_CHUNKS, &count) != 0 || count == 0))) {
    writer_put_text(&err, "usage: pzip [CHUNKS] < FILE   (CHUNKS 1 to 16, default 4)\n");
    writer_flush(&err);
    return 2;
  }
  size_t length;
  const char* problem = read_standard_input(input, sizeof input, &length);
  if (problem) return report_error(PZIP_MAX_CHUNKS, problem);

  /* Chunk i is input[length * i / count, length * (i + 1) / count). */
  size_t output_used = 0;
  for (size_t i = 0; i < count; i++) {
    struct chunk* chunk = &chunks[i];
    size_t first = length * i / count;
    chunk->input = input + first;
    chunk->input_length = length * (i + 1) / count - first;
    chunk->output = output + output_used;
    chunk->output_capacity = output_bound(chunk->input_length);
    output_used += chunk->output_capacity;
    zlib_arena_init(&chunk->arena, arena_memory[i], sizeof arena_memory[i]);
  }

  pthread_t threads[PZIP_MAX_CHUNKS];
  size_t started = 0;
  while (started < count &&
         pthread_create(&threads[started], NULL, compress_chunk, &chunks[started]) == 0) {
    started++;
  }
  for (size_t i = 0; i < started; i++) pthread_join(threads[i], NULL);
  if (started < count) return report_error(PZIP_MAX_CHUNKS, "cannot start a thread");

  size_t total = 0;
  for (size_t i = 0; i < count; i++) {
    if (chunks[i].error != NULL) {
      return report_error(i, chunks[i].error);
    }
    print_chunk(i, &chunks[i]);
    total += chunks[i].output_length;
  }
  writer_put_text(&out, "total: ");
  writer_put_uint(&out, count);
  writer_put_text(&out, " chunks, ");
  writer_put_uint(&out, length);
  writer_put_text(&out, " -> ");
  writer_put_uint(&out, total);
  writer_put_text(&out, " bytes\n");
  return writer_flush(&out) == 0 ? 0 : 1;
}
