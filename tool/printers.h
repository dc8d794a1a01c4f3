// The output formats of `kstack dump`. Each printer formats the units it is
// given and nothing else: the reader has already decided what they hold.
#ifndef KSTACK_TOOL_PRINTERS_H
#define KSTACK_TOOL_PRINTERS_H

#include <ostream>
#include <vector>

#include "kstack/records.h"

namespace kstack {

// Readable, llvm-readobj-like: a line per unit, function, call and alias.
void print_text(std::ostream& out, const std::vector<Unit>& units);

// GCC's -fstack-usage lines, one per function GCC gives one to.
void print_su(std::ostream& out, const std::vector<Unit>& units);

// One JSON document, schema "kstack-dump" version 1.
void print_json(std::ostream& out, const std::vector<Unit>& units);

class JsonWriter;
// One frame part as a JSON object, as the dump and `kstack explain` write it.
void write_frame_part(JsonWriter& json, const FramePart& part);

}  // namespace kstack

#endif  // KSTACK_TOOL_PRINTERS_H
