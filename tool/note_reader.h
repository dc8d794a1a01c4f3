// Decoding kstack notes into records. A kstack note is an ELF note with owner
// note::kNoteOwner and type note::kNoteTypeUnit in any SHT_NOTE section; `ld
// -r` concatenates the notes of all linked units, so one section may hold
// many. Foreign notes (GNU build-id, properties, ...) are skipped. Every
// descriptor is validated completely before it becomes a Unit: a bad note is
// reported and skipped, and the following notes are still read.
#ifndef KSTACK_TOOL_NOTE_READER_H
#define KSTACK_TOOL_NOTE_READER_H

#include <cstddef>
#include <string>
#include <vector>

#include "checked.h"
#include "diagnostics.h"
#include "elf_file.h"
#include "kstack/records.h"

namespace kstack {

// Decodes one kstack note descriptor (the note's desc bytes, in the file's
// byte order). Unit::input is left empty. Throws InputError.
Unit decode_unit(ByteSpan descriptor);

struct NoteScan {
  std::size_t kstack_notes = 0;  // well-formed or not
  std::size_t errors = 0;        // reported to Diagnostics
};

// Appends a Unit for every well-formed kstack note in `elf`'s note sections
// and reports the others, and unreadable note sections, to `diagnostics` as
// errors of `input`.
NoteScan read_kstack_notes(const ElfFile& elf, const std::string& input, Diagnostics& diagnostics,
                           std::vector<Unit>& units);

}  // namespace kstack

#endif  // KSTACK_TOOL_NOTE_READER_H
