// Reading a whole text input: annotation files, @LIST files, JSON reports.
#ifndef KSTACK_TOOL_TEXT_FILE_H
#define KSTACK_TOOL_TEXT_FILE_H

#include <optional>
#include <string>

#include "diagnostics.h"

namespace kstack {

// The contents of the file at PATH, or nullopt after reporting to
// DIAGNOSTICS why not ("cannot open: ..."; a directory cannot be read).
std::optional<std::string> read_text_file(const std::string& path, Diagnostics& diagnostics);

}  // namespace kstack

#endif  // KSTACK_TOOL_TEXT_FILE_H
