// `kstack explain NAME INPUT...`: what fills a function's frame, from the
// frame parts the plugin records with -fplugin-arg-kstack-explain (note
// table kind 7): each variable's slot with its type, declaration and the
// inlined function it came from, slots shared by variables whose lifetimes do
// not overlap, spill slots, saved registers, outgoing arguments, the return
// address, padding, and what no slot accounts for. The rows add up to GCC's
// static frame; the function's pushed and dynamic sizes follow it, so the
// last line is the `.su` figure.
//
// Explaining is analysis with no I/O: it finds the functions NAME names (a
// symbol, the name `.su` prints, or a glob of either) and orders their parts,
// largest first; the printers below format that.
#ifndef KSTACK_TOOL_EXPLAIN_H
#define KSTACK_TOOL_EXPLAIN_H

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "frame_parts.h"
#include "kstack/records.h"

namespace kstack {

struct FrameExplanation {
  const Unit* unit = nullptr;
  const Function* function = nullptr;
  bool explained = false;          // the unit carries frame parts
  std::vector<ExplainedRow> rows;  // largest first, the red zone last
  std::uint64_t sum = 0;           // what the rows add up to (frame_parts_sum)
  bool exact() const { return sum == function->static_size; }
};

// The functions of UNITS that NAME names, each explained, in input order.
// NAME matches a function's symbol or its `.su` name, as a glob if it has
// glob characters.
std::vector<FrameExplanation> explain_frames(const std::vector<Unit>& units,
                                             const std::string& name);

// For people: per function a heading, the rows (a shared slot's members
// under it), and the sum set against GCC's figures.
void print_explanation_text(std::ostream& out, const std::vector<FrameExplanation>& explanations);

// Schema "kstack-explain" version 1 (docs/explain-json.md).
void print_explanation_json(std::ostream& out, const std::vector<FrameExplanation>& explanations,
                            const std::string& producer);

}  // namespace kstack

#endif  // KSTACK_TOOL_EXPLAIN_H
