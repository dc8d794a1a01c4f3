// The ELF layer: both classes and byte orders, extended section numbering,
// and malformed headers, each giving one error with the offset of the bad
// field. Cutting a file at any length must give one error, never a crash.
#include <gtest/gtest.h>

#include "elf_file.h"
#include "note_builder.h"

namespace kstack::test {
namespace {

Bytes sample_elf(const ElfOptions& options) {
  return build_kstack_elf(options, {encode_descriptor(sample_unit(), options.endian).bytes});
}

TEST(ElfFile, ReadsExtendedSectionNumbering) {
  for (bool is_64 : {false, true})
    for (Endian endian : {Endian::kLittle, Endian::kBig}) {
      ReadResult result = read_bytes("vmlinux.o", sample_elf({is_64, endian, ET_REL, true}));
      EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
      EXPECT_EQ(result.units.size(), 1u);
    }
}

TEST(ElfFile, ReadsExecutablesAndSharedObjects) {
  for (std::uint16_t type : {ET_EXEC, ET_DYN}) {
    ReadResult result = read_bytes("x", sample_elf({true, Endian::kLittle, type}));
    EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
    EXPECT_EQ(result.units.size(), 1u);
  }
}

TEST(ElfFile, EveryTruncatedFileGivesOneError) {
  for (bool is_64 : {false, true}) {
    Bytes full = sample_elf({is_64, Endian::kBig});
    for (std::size_t size = 0; size < full.size(); ++size) {
      SCOPED_TRACE(testing::Message() << "file cut to " << size << " bytes");
      ReadResult result = read_bytes("x.o", Bytes(full.begin(), full.begin() + size));
      EXPECT_EQ(result.errors, 1);
      EXPECT_EQ(result.diagnostics.size(), 1u);
      EXPECT_EQ(result.units.size(), 0u);
    }
  }
}

// A damaged n_descsz can cost two errors: the note it cuts short, and the
// walk that then finds no note header where the next note should start.
TEST(ElfFile, EveryCorruptedByteGivesAtMostTwoErrors) {
  for (bool is_64 : {false, true}) {
    Bytes full = sample_elf({is_64, Endian::kLittle});
    for (std::size_t offset = 0; offset < full.size(); ++offset)
      for (std::uint8_t value : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
        SCOPED_TRACE(testing::Message() << "byte " << offset << " set to " << int{value});
        Bytes bytes = full;
        bytes[offset] = value;
        ReadResult result = read_bytes("x.o", bytes);
        EXPECT_LE(result.errors, 2);
        EXPECT_LE(result.units.size(), 1u);
      }
  }
}

// The one diagnostic for `bytes` after `patch` changed them.
template <typename Patch>
std::string error_after(Patch patch) {
  Bytes bytes = sample_elf({});
  patch(bytes);
  ReadResult result = read_bytes("x.o", bytes);
  EXPECT_EQ(result.errors, 1);
  return result.diagnostics.size() == 1 ? result.diagnostics[0] : "(none or several)";
}

TEST(ElfFile, RejectsBadIdentification) {
  EXPECT_EQ(error_after([](Bytes& bytes) { bytes[EI_CLASS] = 3; }),
            "kstack: error: 'x.o': offset 0x4: unsupported ELF class 3");
  EXPECT_EQ(error_after([](Bytes& bytes) { bytes[EI_DATA] = 0; }),
            "kstack: error: 'x.o': offset 0x5: unsupported ELF data encoding 0");
  EXPECT_EQ(error_after([](Bytes& bytes) { bytes[offsetof(Elf64_Ehdr, e_type)] = ET_CORE; }),
            "kstack: error: 'x.o': offset 0x10: unsupported ELF type 4");
}

TEST(ElfFile, RejectsBadSectionHeaders) {
  EXPECT_EQ(error_after([](Bytes& bytes) { bytes[offsetof(Elf64_Ehdr, e_shentsize)] = 8; }),
            "kstack: error: 'x.o': offset 0x3a: section header size 8 is too small");
  EXPECT_EQ(error_after([](Bytes& bytes) { bytes[offsetof(Elf64_Ehdr, e_shstrndx)] = 9; }),
            "kstack: error: 'x.o': offset 0x3e: section name table index 9 is out of range");
  EXPECT_NE(error_after([](Bytes& bytes) {
              bytes[offsetof(Elf64_Ehdr, e_shoff) + 5] = 1;
            }).find("section header table is truncated"),
            std::string::npos);
}

TEST(ElfFile, RejectsNoteSectionOutsideFile) {
  Bytes bytes = sample_elf({});
  std::uint64_t shoff = bytes.size() - 3 * sizeof(Elf64_Shdr);
  bytes[shoff + sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_size) + 4] = 1;  // size += 4 GiB
  ReadResult result = read_bytes("x.o", bytes);
  EXPECT_EQ(result.diagnostics,
            std::vector<std::string>{"kstack: error: 'x.o': offset 0x40: note section is "
                                     "truncated"});
}

// Section headers that all point at the same notes would make the reader
// decode them once per header: 40 or 64 bytes of input for a whole note.
TEST(ElfFile, RejectsOverlappingNoteSections) {
  Bytes notes;
  append_kstack_note(notes, Endian::kLittle,
                     encode_descriptor(sample_unit(), Endian::kLittle).bytes);
  std::vector<Section> sections = {{note::kNoteSection, SHT_NOTE, note::kNoteAlign, notes}};
  sections.resize(4, {"", SHT_NOTE, note::kNoteAlign, {}});
  Bytes bytes = build_elf({}, sections);
  // Sections 2 to 4 take section 1's offset and size.
  std::uint64_t shoff = bytes.size() - 6 * sizeof(Elf64_Shdr);
  auto field = [&](std::uint64_t index, std::size_t offset) {
    return bytes.begin() + shoff + index * sizeof(Elf64_Shdr) + offset;
  };
  for (std::uint64_t index = 2; index <= 4; ++index) {
    std::copy_n(field(1, offsetof(Elf64_Shdr, sh_offset)), 8,
                field(index, offsetof(Elf64_Shdr, sh_offset)));
    std::copy_n(field(1, offsetof(Elf64_Shdr, sh_size)), 8,
                field(index, offsetof(Elf64_Shdr, sh_size)));
  }
  ReadResult result = read_bytes("x.o", bytes);
  std::uint64_t sh_offset_of_2 = shoff + 2 * sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_offset);
  EXPECT_EQ(result.diagnostics,
            std::vector<std::string>{"kstack: error: 'x.o': offset " + format_hex(sh_offset_of_2) +
                                     ": note section 2 overlaps another note section"});
  EXPECT_EQ(result.units.size(), 0u);
}

// Section names are views of the file, not copies: a 512 KB file whose
// 4,000 empty note sections all bear one 256 KB name took 1 GB with copies.
TEST(ElfFile, NoteSectionNamesAreViewsOfTheFile) {
  Bytes bytes = build_elf({}, {{std::string(1000, 'n'), SHT_NOTE, note::kNoteAlign, {}},
                               {"", SHT_NOTE, note::kNoteAlign, {}}});
  std::uint64_t shoff = bytes.size() - 4 * sizeof(Elf64_Shdr);
  auto sh_name = [&](std::uint64_t index) {
    return bytes.begin() + shoff + index * sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_name);
  };
  std::copy_n(sh_name(1), 4, sh_name(2));  // section 2 takes section 1's name
  ElfFile elf = read_elf(ByteSpan(bytes.data(), bytes.size(), 0, Endian::kLittle, "file"));
  ASSERT_EQ(elf.note_sections.size(), 2u);
  for (const NoteSection& section : elf.note_sections) {
    EXPECT_EQ(section.name, std::string(1000, 'n'));
    EXPECT_GE(section.name.data(), reinterpret_cast<const char*>(bytes.data()));
    EXPECT_LE(section.name.data() + section.name.size(),
              reinterpret_cast<const char*>(bytes.data() + bytes.size()));
  }
}

TEST(ElfFile, NoSectionHeadersMeansNoNotes) {
  Bytes bytes = sample_elf({});
  std::fill_n(bytes.begin() + offsetof(Elf64_Ehdr, e_shoff), 8, 0);
  ReadResult result = read_bytes("x.o", bytes);
  EXPECT_EQ(result.errors, 0);
  EXPECT_EQ(result.diagnostics.size(), 1u);  // the no-notes warning
}

TEST(ElfFile, RejectsOtherFiles) {
  std::string text = "int main;\n";
  ReadResult result = read_bytes("notelf.txt", Bytes(text.begin(), text.end()));
  EXPECT_EQ(result.diagnostics,
            std::vector<std::string>{"kstack: error: 'notelf.txt': not an ELF file or archive"});
}

}  // namespace
}  // namespace kstack::test
