/* The arena allocator of zlib_arena.h. zlib calls these through the
 * z_stream's zalloc and zfree fields; zlib_arena_attach is the one place
 * that stores them, which is how kstack finds the target of those calls. */
#include "zlib_arena.h"

#include <stdint.h>

/* The alignment of every allocation: enough for any object zlib keeps. */
#define ARENA_ALIGNMENT 16

void zlib_arena_init(struct zlib_arena* arena, void* memory, size_t size) {
  arena->base = memory;
  /* A multiple of the alignment, as every allocation is: then an allocation
   * that fits before rounding still fits after it. */
  arena->size = size & ~(size_t)(ARENA_ALIGNMENT - 1);
  arena->used = 0;
}

static voidpf zlib_arena_alloc(voidpf opaque, uInt items, uInt size) {
  struct zlib_arena* arena = opaque;
  if (size != 0 && items > SIZE_MAX / size) return Z_NULL; /* zlib reports Z_MEM_ERROR */
  size_t bytes = (size_t)items * size;
  if (bytes > arena->size - arena->used) return Z_NULL;
  bytes = (bytes + ARENA_ALIGNMENT - 1) & ~(size_t)(ARENA_ALIGNMENT - 1);
  void* memory = arena->base + arena->used;
  arena->used += bytes;
  return memory;
}

static void zlib_arena_free(voidpf opaque, voidpf address) {
  (void)opaque;
  (void)address;
}

void zlib_arena_attach(z_stream* stream, struct zlib_arena* arena) {
  stream->zalloc = zlib_arena_alloc;
  stream->zfree = zlib_arena_free;
  stream->opaque = arena;
}
