/* zlib's memory from a fixed region instead of malloc: the soundness suite
 * builds zlib with Z_SOLO, which has no default allocator, so every stream
 * is given these through zlib_arena_attach. Allocation moves a cursor up;
 * freeing is a no-op, and a region is reused by initialising it again once
 * its streams have ended. */
#ifndef SOUNDNESS_ZLIB_ARENA_H
#define SOUNDNESS_ZLIB_ARENA_H

#include <stddef.h>

#include "zlib.h"

/* Enough for one stream of either kind at zlib's defaults (windowBits 15,
 * memLevel 8) on 64-bit targets: deflate takes its 5952-byte state and four
 * 64 KiB arrays (window, prev, head, pending_buf), 268096 bytes; inflate its
 * 7160-byte state and a 32 KiB window. A multiple of 16, so arrays of
 * regions stay aligned. */
#define ZLIB_ARENA_BYTES (288 * 1024)

struct zlib_arena {
  unsigned char* base;
  size_t size;
  size_t used;
};

/* memory: size bytes, 16-byte aligned, that the arena hands out. */
void zlib_arena_init(struct zlib_arena* arena, void* memory, size_t size);

/* Makes stream allocate from arena (zalloc, zfree and opaque), as zlib
 * requires before deflateInit or inflateInit. */
void zlib_arena_attach(z_stream* stream, struct zlib_arena* arena);

#endif
