// Test-only encoders: the inverse of the reader, so that unit tests can make
// every input kstack reads in memory. encode_descriptor writes a Unit as a
// kstack note descriptor (with knobs to make it newer or odd but valid);
// build_elf writes a minimal ELF file of either class and byte order with the
// given sections; build_archive writes GNU, BSD and thin ar archives. The
// layouts come from note_format.h and <elf.h>, never from retyped numbers.
#ifndef KSTACK_TESTS_NOTE_BUILDER_H
#define KSTACK_TESTS_NOTE_BUILDER_H

#include <elf.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "checked.h"
#include "diagnostics.h"
#include "kstack/note_format.h"
#include "kstack/records.h"

namespace kstack::test {

using Bytes = std::vector<std::uint8_t>;

// Appends integers in one byte order and patches them later.
class ByteWriter {
 public:
  explicit ByteWriter(Endian endian) : endian_(endian) {}
  void u8(std::uint8_t value) { bytes_.push_back(value); }
  void u16(std::uint16_t value) { put(value, 2); }
  void u32(std::uint32_t value) { put(value, 4); }
  void u64(std::uint64_t value) { put(value, 8); }
  void word(bool is_64, std::uint64_t value) { is_64 ? u64(value) : u32(value); }
  void append(const Bytes& bytes) { bytes_.insert(bytes_.end(), bytes.begin(), bytes.end()); }
  void append(const std::string& text) { bytes_.insert(bytes_.end(), text.begin(), text.end()); }
  void pad_to(std::uint64_t align) {
    while (bytes_.size() % align) bytes_.push_back(0);
  }
  void set_u32(std::uint64_t offset, std::uint32_t value);
  std::uint64_t size() const { return bytes_.size(); }
  Bytes& bytes() { return bytes_; }

 private:
  void put(std::uint64_t value, unsigned width);
  Endian endian_;
  Bytes bytes_;
};

// Writes `value` as a u32 at `offset` of `bytes`, in byte order `endian`.
void set_u32(Bytes& bytes, Endian endian, std::uint64_t offset, std::uint32_t value);

// A Unit in which every field has a value that differs from its default.
Unit sample_unit();

struct DescriptorOptions {
  std::uint32_t version = note::kNoteVersion;
  std::uint32_t header_padding = 0;   // extra header bytes (header_size grows)
  std::uint32_t entsize_padding = 0;  // extra bytes per function, call and alias record
  bool unknown_table = false;         // add a table of a kind no reader knows
  // Function records as the first version-1 writer laid them out
  // (FunctionLayout::kMinSize, no red_zone): a note from an older writer.
  bool first_function_record = false;
};

// An encoded descriptor and where its parts are, for tests that corrupt it.
struct Descriptor {
  Bytes bytes;
  std::uint32_t directory = 0;  // offset of the table directory
  std::uint32_t strings = 0;    // table offsets
  std::uint32_t functions = 0;
  std::uint32_t calls = 0;
  std::uint32_t aliases = 0;
  std::uint32_t indirect_calls = 0;  // 0: no such table
  std::uint32_t references = 0;
  std::uint32_t frame_parts = 0;  // 0: not explained
  std::uint32_t strings_size = 0;
  std::uint32_t function_entsize = 0;
  std::uint32_t call_entsize = 0;
  // Offset of the directory entry of table `index` (0 strings, 1 functions,
  // 2 calls, 3 aliases, 4 the unknown table).
  std::uint32_t directory_entry(std::uint32_t index) const {
    return directory + index * note::TableEntryLayout::kSize;
  }
};

// Tables are laid out after the directory in the order strings, functions,
// calls, [unknown,] aliases, so the descriptor ends with the last alias.
Descriptor encode_descriptor(const Unit& unit, Endian endian,
                             const DescriptorOptions& options = {});

// Appends one ELF note (header, padded owner name, padded desc) to `section`.
// `owner` excludes the NUL, which is written and counted in n_namesz.
void append_note(Bytes& section, Endian endian, const std::string& owner, std::uint32_t type,
                 const Bytes& desc, std::uint32_t align = note::kNoteAlign);
void append_kstack_note(Bytes& section, Endian endian, const Bytes& desc);

struct Section {
  std::string name;
  std::uint32_t type;
  std::uint64_t align;
  Bytes bytes;
};

struct ElfOptions {
  bool is_64 = true;
  Endian endian = Endian::kLittle;
  std::uint16_t type = ET_REL;
  bool extended_numbering = false;  // e_shnum = 0, e_shstrndx = SHN_XINDEX
};

// An ELF file with a null section, `sections`, and .shstrtab; the section
// header table comes last, so cutting any byte off the end breaks it.
Bytes build_elf(const ElfOptions& options, const std::vector<Section>& sections);

// An ELF file with one .discard.kstack note section holding `descriptors`.
Bytes build_kstack_elf(const ElfOptions& options, const std::vector<Bytes>& descriptors);

struct Member {
  std::string name;
  Bytes data;
};

enum class ArchiveFlavor { kGnu, kBsd, kThin };

// A GNU archive has a symbol table "/" and a long-name table "//" for names
// of 16 characters or more; a BSD archive a "__.SYMDEF SORTED" table and
// "#1/N" names; a thin archive GNU headers without member data.
Bytes build_archive(ArchiveFlavor flavor, const std::vector<Member>& members);

// Collects what the reader reports.
class CollectingDiagnostics : public Diagnostics {
 public:
  void report(const Diagnostic& diagnostic) override {
    lines.push_back(format_diagnostic(diagnostic));
    if (diagnostic.severity == Severity::kError) ++errors;
  }
  std::vector<std::string> lines;
  int errors = 0;
};

// Everything the reader makes of `bytes` read as file `path`.
struct ReadResult {
  std::vector<Unit> units;
  std::vector<std::string> diagnostics;
  int errors = 0;
};
ReadResult read_bytes(const std::string& path, const Bytes& bytes);
ReadResult read_file(const std::string& path);

// Field-by-field equality, printed as JSON when a test fails.
bool operator==(const Call& a, const Call& b);
bool operator==(const FramePart& a, const FramePart& b);
bool operator==(const Function& a, const Function& b);
bool operator==(const Alias& a, const Alias& b);
bool operator==(const IndirectCall& a, const IndirectCall& b);
bool operator==(const Reference& a, const Reference& b);
bool operator==(const Unit& a, const Unit& b);
void PrintTo(const Unit& unit, std::ostream* out);

}  // namespace kstack::test

namespace kstack {
// gtest finds these by argument-dependent lookup in the records' namespace.
using test::operator==;
using test::PrintTo;
}  // namespace kstack

#endif  // KSTACK_TESTS_NOTE_BUILDER_H
