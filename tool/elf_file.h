// A minimal ELF reader: just enough to find the note sections of relocatable
// objects, executables and shared objects of either class and byte order. It
// reads the ELF header and the section header table (with the extended
// numbering that objects with 65280+ sections, such as vmlinux.o, use) and
// hands out the bytes of each SHT_NOTE section. It does not read program
// headers: kstack notes are not allocated, so no segment holds them.
#ifndef KSTACK_TOOL_ELF_FILE_H
#define KSTACK_TOOL_ELF_FILE_H

#include <cstdint>
#include <string_view>
#include <vector>

#include "checked.h"

namespace kstack {

// True if `file` starts with the ELF magic.
bool is_elf(ByteSpan file);

struct NoteSection {
  std::uint32_t index;  // section header index, for diagnostics
  // From the section name string table, a view of the file like `bytes`:
  // copies would cost the whole table once per section header.
  std::string_view name;
  std::uint64_t align;  // note padding: 8 for sh_addralign 8, else 4
  ByteSpan bytes;       // the section contents, in the file's byte order
};

struct ElfFile {
  bool is_64 = false;
  Endian endian = Endian::kLittle;
  std::uint16_t type = 0;  // ET_REL, ET_EXEC or ET_DYN
  std::vector<NoteSection> note_sections;
};

// Parses the headers of the ELF file `file` (the whole file or archive
// member). Throws InputError on malformed headers.
ElfFile read_elf(ByteSpan file);

}  // namespace kstack

#endif  // KSTACK_TOOL_ELF_FILE_H
