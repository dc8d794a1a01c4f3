// Writes a Unit as the kstack ELF note, in assembler syntax.
//
// Like annobin, the note is emitted as directives into GCC's own assembler
// output rather than patched into the object afterwards: the assembler then
// lays it out in the target's byte order, it travels through -S, ccache and
// distcc like any other section, and every field carries a comment so a test
// (or a person) can read the note in the .s file.
#ifndef KSTACK_PLUGIN_NOTE_WRITER_H
#define KSTACK_PLUGIN_NOTE_WRITER_H

#include <cstdio>

#include "kstack/records.h"

namespace kstack {

// Writes the note for UNIT to OUT. The caller has already switched OUT to the
// note section; COMMENT is the target assembler's comment leader.
void write_note(const Unit& unit, const char* comment, std::FILE* out);

}  // namespace kstack

#endif  // KSTACK_PLUGIN_NOTE_WRITER_H
