// Reading the kstack units of the inputs named on the command line: ELF files
// (objects, executables, shared objects, vmlinux.o) and archives, regular or
// thin. Every problem goes to Diagnostics and reading goes on with the next
// member or file. An ELF file without kstack notes is worth a warning (it
// was most likely compiled without the plugin); an empty archive is not.
#ifndef KSTACK_TOOL_INPUT_READER_H
#define KSTACK_TOOL_INPUT_READER_H

#include <cstdint>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "kstack/records.h"

namespace kstack {

// Appends the units of the file at `path`.
void read_input_file(const std::string& path, Diagnostics& diagnostics, std::vector<Unit>& units);

// Appends the units of `size` bytes at `data`, the contents of the file at
// `path` (used for diagnostics and to find a thin archive's members).
void read_input_bytes(const std::string& path, const std::uint8_t* data, std::uint64_t size,
                      Diagnostics& diagnostics, std::vector<Unit>& units);

// Shortens the source paths of UNITS (functions, calls, main inputs): the
// first of PREFIXES that a path starts with is removed, with the `/` after
// it, so that `/usr/src/linux/fs/select.c` prints as `fs/select.c`. A prefix
// matches whole directory names only, with or without its trailing `/`.
void strip_source_prefixes(std::vector<Unit>& units, const std::vector<std::string>& prefixes);

}  // namespace kstack

#endif  // KSTACK_TOOL_INPUT_READER_H
