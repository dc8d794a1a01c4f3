// Annotation files: what a user knows about a program that its notes cannot
// say. One directive per line, words separated by blanks, `#` starts a
// comment (docs/annotations.md is the reference):
//
//   calls     CALLER CALLEE...      CALLER (glob) also calls CALLEE...
//   indirect  CALLER CALLEE...      CALLER's indirect calls reach only CALLEE...
//   jumps     SYMBOL TARGET...      a call to SYMBOL (glob, no record) is one
//                                   to each TARGET, same site (a trampoline)
//   stub      SYMBOL BYTES [TARGET...]
//                                   SYMBOL (one name, no record: assembly)
//                                   uses BYTES itself and calls each TARGET:
//                                   a function of the call graph
//   assume    SYMBOL BYTES          depth of a symbol with no record (glob)
//   recursion FUNCTION N            at most N live activations of its cycle
//   entry     FUNCTION              an entry point (glob)
//   budget    ENTRY BYTES           the stack budget of matching entries
//   accept    ENTRY BYTES REASON... ENTRY may fail while its depth <= BYTES
//
// Every problem is reported as FILE:LINE and the rest of the file is still
// read, so one run lists every mistake.
#ifndef KSTACK_TOOL_ANNOTATIONS_H
#define KSTACK_TOOL_ANNOTATIONS_H

#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"
#include "report.h"

namespace kstack {

// Adds the directives of TEXT, the contents of FILE, to OPTIONS. Returns
// false if any line was in error.
bool parse_annotations(const std::string& file, std::string_view text, Diagnostics& diagnostics,
                       ReportOptions& options);

// Reads the file at PATH and parses it.
bool read_annotations(const std::string& path, Diagnostics& diagnostics, ReportOptions& options);

// Makes every stub of OPTIONS a function of the program, appended to UNITS:
// one unit per annotation file, named after it, holding its stubs in order.
// A stub is a weak global definition with a static frame of BYTES and one
// direct call per TARGET, each at the stub's FILE:LINE. Its calls resolve
// from a unit with no statics, so a TARGET is a global name; and a record
// of the same name, strong or read before it, wins. Records where each stub
// went (Stub::function). Call once, after the last input and annotation file.
void append_stub_units(ReportOptions& options, std::vector<Unit>& units);

}  // namespace kstack

#endif  // KSTACK_TOOL_ANNOTATIONS_H
