// Annotation files: what a user knows about a program that its notes cannot
// say. One directive per line, words separated by blanks, `#` starts a
// comment (docs/annotations.md is the reference):
//
//   calls     CALLER CALLEE...      CALLER (glob) also calls CALLEE...
//   indirect  CALLER CALLEE...      CALLER's indirect calls reach only CALLEE...
//   jumps     SYMBOL TARGET...      a call to SYMBOL (glob, no record) is one
//                                   to each TARGET, same site (a trampoline)
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

#include "diagnostics.h"
#include "report.h"

namespace kstack {

// Adds the directives of TEXT, the contents of FILE, to OPTIONS. Returns
// false if any line was in error.
bool parse_annotations(const std::string& file, std::string_view text, Diagnostics& diagnostics,
                       ReportOptions& options);

// Reads the file at PATH and parses it.
bool read_annotations(const std::string& path, Diagnostics& diagnostics, ReportOptions& options);

}  // namespace kstack

#endif  // KSTACK_TOOL_ANNOTATIONS_H
