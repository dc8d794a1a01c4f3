// A function's frame parts (records.h, FramePart) as people read them:
// grouped into rows, largest first, and described in words. Shared by
// `kstack explain`, the worst paths of `kstack report` and the plugin's
// frame warnings, so no GCC or I/O here.
#ifndef KSTACK_TOOL_FRAME_PARTS_H
#define KSTACK_TOOL_FRAME_PARTS_H

#include <cstdint>
#include <string>
#include <vector>

#include "kstack/records.h"

namespace kstack {

// How names are quoted in the sentences: ASCII by default; the plugin
// passes GCC's own quotes (open_quote, close_quote: typographic ones in a
// UTF-8 locale), so its notes quote as GCC's diagnostics do.
struct Quotes {
  const char* open = "'";
  const char* close = "'";
};

// One row of an explanation: a part, or a slot several parts share.
struct ExplainedRow {
  FramePartKind kind;
  std::int64_t bytes;  // as counted: a shared slot's largest member; the red zone negative
  std::vector<const FramePart*> parts;  // one, or a shared slot's members, largest first
  bool shared() const { return parts.size() > 1; }
};

// The rows of one function's parts: largest first, the red zone last.
std::vector<ExplainedRow> explanation_rows(const std::vector<FramePart>& parts);

// "'table' (struct poll_wqueues, 888 bytes) declared at fs/select.c:976,
// inlined from 'helper'": one part in a sentence, for notes and warnings.
std::string describe_frame_part(const FramePart& part, const Quotes& quotes = {});

// What makes a frame big: up to LIMIT of its largest rows that are data
// (variables, temporaries, shared slots, spills, unattributed bytes) of at
// least MIN_BYTES each, described ("'buf' (char[512], 512 bytes) declared at
// x.c:4", "a slot of 200 bytes shared by 'a', 'b'"). Unnamed temporaries of
// one type and size count together ("27 temporaries (const u32[3], 12 bytes
// each, 324 bytes in all) declared at x.c:40-97"). None for a function
// without parts.
std::vector<std::string> largest_frame_parts(const Function& function, std::size_t limit,
                                             std::uint64_t min_bytes, const Quotes& quotes = {});

// "x.c:12", "x.c" without a line, "" without a file: where a part or a
// function is declared, as explanations print it.
std::string location_text(const std::string& file, std::uint32_t line);

// "saved registers" for FramePartKind::kSavedRegisters.
std::string frame_part_kind_text(FramePartKind kind);

}  // namespace kstack

#endif  // KSTACK_TOOL_FRAME_PARTS_H
