// ELF header and section header parsing. Field offsets come from <elf.h>'s
// structures via offsetof, so neither class nor byte order is retyped here;
// every load goes through ByteSpan in the file's byte order.
#include "elf_file.h"

#include <elf.h>

#include <cstddef>
#include <cstring>

namespace kstack {
namespace {

// Where ELF32 and ELF64 place the fields this reader needs.
struct ElfLayout {
  bool is_64;
  std::uint64_t header_size;
  std::uint64_t shoff, shentsize, shnum, shstrndx;  // in the ELF header
  std::uint64_t section_size;                       // sizeof(Elf*_Shdr)
  std::uint64_t sh_name, sh_type, sh_offset, sh_size, sh_link, sh_addralign;

  std::uint64_t word(ByteSpan bytes, std::uint64_t offset) const {
    return is_64 ? bytes.u64(offset) : bytes.u32(offset);
  }
};

#define KSTACK_ELF_LAYOUT(is_64, Ehdr, Shdr)                                           \
  ElfLayout {                                                                          \
    is_64, sizeof(Ehdr), offsetof(Ehdr, e_shoff), offsetof(Ehdr, e_shentsize),         \
        offsetof(Ehdr, e_shnum), offsetof(Ehdr, e_shstrndx), sizeof(Shdr),             \
        offsetof(Shdr, sh_name), offsetof(Shdr, sh_type), offsetof(Shdr, sh_offset),   \
        offsetof(Shdr, sh_size), offsetof(Shdr, sh_link), offsetof(Shdr, sh_addralign) \
  }

constexpr ElfLayout kElf32 = KSTACK_ELF_LAYOUT(false, Elf32_Ehdr, Elf32_Shdr);
constexpr ElfLayout kElf64 = KSTACK_ELF_LAYOUT(true, Elf64_Ehdr, Elf64_Shdr);

struct SectionHeader {
  std::uint32_t name, type, link;
  std::uint64_t offset, size, align;
};

SectionHeader read_section_header(const ElfLayout& layout, ByteSpan header) {
  return {header.u32(layout.sh_name),          header.u32(layout.sh_type),
          header.u32(layout.sh_link),          layout.word(header, layout.sh_offset),
          layout.word(header, layout.sh_size), layout.word(header, layout.sh_addralign)};
}

std::string_view section_name(ByteSpan names, std::uint32_t offset) {
  if (offset >= names.size())
    names.fail(0, "section name offset " + std::to_string(offset) + " is out of range");
  const char* start = reinterpret_cast<const char*>(names.data()) + offset;
  std::uint64_t length = strnlen(start, names.size() - offset);
  if (length == names.size() - offset) names.fail(offset, "section name is not NUL-terminated");
  return std::string_view(start, length);
}

}  // namespace

bool is_elf(ByteSpan file) {
  return file.size() >= SELFMAG && std::memcmp(file.data(), ELFMAG, SELFMAG) == 0;
}

ElfFile read_elf(ByteSpan file) {
  ByteSpan ident = file.renamed("ELF header").sub(0, EI_NIDENT);
  ElfFile elf;
  switch (ident.u8(EI_CLASS)) {
    case ELFCLASS32:
      elf.is_64 = false;
      break;
    case ELFCLASS64:
      elf.is_64 = true;
      break;
    default:
      ident.fail(EI_CLASS, "unsupported ELF class " + std::to_string(ident.u8(EI_CLASS)));
  }
  switch (ident.u8(EI_DATA)) {
    case ELFDATA2LSB:
      elf.endian = Endian::kLittle;
      break;
    case ELFDATA2MSB:
      elf.endian = Endian::kBig;
      break;
    default:
      ident.fail(EI_DATA, "unsupported ELF data encoding " + std::to_string(ident.u8(EI_DATA)));
  }
  const ElfLayout& layout = elf.is_64 ? kElf64 : kElf32;
  file = file.with_endian(elf.endian);
  ByteSpan header = file.renamed("ELF header").sub(0, layout.header_size);
  elf.type = header.u16(offsetof(Elf32_Ehdr, e_type));  // same offset in both classes
  if (elf.type != ET_REL && elf.type != ET_EXEC && elf.type != ET_DYN)
    header.fail(offsetof(Elf32_Ehdr, e_type), "unsupported ELF type " + std::to_string(elf.type));

  std::uint64_t shoff = layout.word(header, layout.shoff);
  if (shoff == 0) return elf;  // no section header table: no notes
  std::uint64_t shentsize = header.u16(layout.shentsize);
  if (shentsize < layout.section_size)
    header.fail(layout.shentsize,
                "section header size " + std::to_string(shentsize) + " is too small");
  ByteSpan sections = file.renamed("section header table");
  // Extended numbering: section 0 holds the real count and string table index.
  SectionHeader first = read_section_header(layout, sections.sub(shoff, shentsize));
  std::uint64_t shnum = header.u16(layout.shnum);
  if (shnum == 0) shnum = first.size;
  std::uint32_t shstrndx = header.u16(layout.shstrndx);
  if (shstrndx == SHN_XINDEX) shstrndx = first.link;
  ByteSpan table = sections.table(shoff, shnum, shentsize);

  ByteSpan names;  // empty if there is no section name string table
  if (shstrndx != SHN_UNDEF) {
    if (shstrndx >= shnum)
      header.fail(layout.shstrndx,
                  "section name table index " + std::to_string(shstrndx) + " is out of range");
    SectionHeader strtab = read_section_header(layout, table.sub(shstrndx * shentsize, shentsize));
    names = file.renamed("section name table").sub(strtab.offset, strtab.size);
  }

  std::uint64_t note_bytes = 0;  // in the note sections so far
  for (std::uint64_t index = 1; index < shnum; ++index) {
    ByteSpan entry = table.sub(index * shentsize, shentsize);
    SectionHeader section = read_section_header(layout, entry);
    if (section.type != SHT_NOTE) continue;
    std::string_view name = names.size() ? section_name(names, section.name) : std::string_view();
    ByteSpan bytes = file.renamed("note section").sub(section.offset, section.size);
    // Note sections must not overlap, so that the notes read stay within the
    // file: otherwise every 40 or 64 bytes of section headers could make the
    // reader decode the same notes once more.
    note_bytes += section.size;  // <= 2 * file.size(): no overflow
    if (note_bytes > file.size())
      entry.fail(layout.sh_offset,
                 "note section " + std::to_string(index) + " overlaps another note section");
    elf.note_sections.push_back(
        {static_cast<std::uint32_t>(index), name, section.align == 8 ? 8u : 4u, bytes});
  }
  return elf;
}

}  // namespace kstack
