// Decoding kstack notes: every field survives a round trip through the test
// encoder in all four ELF class/byte-order combinations, and every kind of
// damage to a descriptor gives exactly one error naming the file and offset,
// without stopping the notes after it.
#include <gtest/gtest.h>

#include "note_builder.h"

namespace kstack::test {
namespace {

using namespace note;

struct Flavor {
  bool is_64;
  Endian endian;
};

class NoteRoundTrip : public testing::TestWithParam<Flavor> {};

TEST_P(NoteRoundTrip, EveryFieldSurvives) {
  ElfOptions elf{GetParam().is_64, GetParam().endian};
  Unit unit = sample_unit();
  ReadResult result =
      read_bytes("x.o", build_kstack_elf(elf, {encode_descriptor(unit, elf.endian).bytes}));
  EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
  unit.input = "x.o";
  ASSERT_EQ(result.units.size(), 1u);
  EXPECT_EQ(result.units[0], unit);
}

INSTANTIATE_TEST_SUITE_P(AllElfFlavors, NoteRoundTrip,
                         testing::Values(Flavor{false, Endian::kLittle},
                                         Flavor{false, Endian::kBig}, Flavor{true, Endian::kLittle},
                                         Flavor{true, Endian::kBig}),
                         [](const testing::TestParamInfo<Flavor>& info) {
                           return std::string(info.param.is_64 ? "Elf64" : "Elf32") +
                                  (info.param.endian == Endian::kLittle ? "Le" : "Be");
                         });

// Builds x.o (ELF64 LE) with one kstack note and returns what is read.
ReadResult read_descriptor(const Bytes& descriptor) {
  return read_bytes("x.o", build_kstack_elf({}, {descriptor}));
}

// The file offset of descriptor byte `offset` in build_kstack_elf({}, ...):
// the note section follows the ELF header; the desc follows the note header
// and the padded owner name.
std::string offset_of(std::uint32_t offset) {
  return format_hex(sizeof(Elf64_Ehdr) + 12 + 8 + offset);
}

// The one error reading `descriptor` gives, which must leave no unit.
std::string single_error(const Bytes& descriptor) {
  ReadResult result = read_descriptor(descriptor);
  EXPECT_EQ(result.errors, 1);
  EXPECT_EQ(result.units.size(), 0u);
  return result.diagnostics.size() == 1 ? result.diagnostics[0] : "(none or several)";
}

TEST(NoteReader, ReadsSeveralNotesAndSkipsForeignOnes) {
  Unit first = sample_unit(), second = sample_unit();
  second.main_input = "drivers/y.c";
  second.functions.resize(1);
  Bytes notes;
  append_note(notes, Endian::kLittle, "GNU", NT_GNU_BUILD_ID, Bytes(20, 0xab));
  append_kstack_note(notes, Endian::kLittle, encode_descriptor(first, Endian::kLittle).bytes);
  append_note(notes, Endian::kLittle, "kstack", 99, Bytes(5, 0xff));  // a future note type
  append_note(notes, Endian::kLittle, "kstac", kNoteTypeUnit, Bytes(3, 0xff));
  append_kstack_note(notes, Endian::kLittle, encode_descriptor(second, Endian::kLittle).bytes);
  // ELF64 property notes are padded to 8 bytes.
  Bytes property;
  append_note(property, Endian::kLittle, "GNU", NT_GNU_PROPERTY_TYPE_0, Bytes(12, 0), 8);
  ReadResult result =
      read_bytes("x.o", build_elf({}, {{".note.gnu.property", SHT_NOTE, 8, property},
                                       {kNoteSection, SHT_NOTE, kNoteAlign, notes}}));
  EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
  first.input = second.input = "x.o";
  EXPECT_EQ(result.units, (std::vector<Unit>{first, second}));
}

TEST(NoteReader, BadNoteDoesNotStopTheOthers) {
  Unit unit = sample_unit();
  Descriptor bad = encode_descriptor(unit, Endian::kLittle);
  set_u32(bad.bytes, Endian::kLittle, HeaderLayout::kVersion, 0);
  Bytes good = encode_descriptor(unit, Endian::kLittle).bytes;
  ReadResult result = read_bytes("x.o", build_kstack_elf({}, {bad.bytes, good, bad.bytes, good}));
  EXPECT_EQ(result.errors, 2);
  EXPECT_EQ(result.units.size(), 2u);
}

TEST(NoteReader, WarnsAboutElfWithoutKstackNotes) {
  Bytes build_id;
  append_note(build_id, Endian::kLittle, "GNU", NT_GNU_BUILD_ID, Bytes(20, 0xab));
  ReadResult result =
      read_bytes("x.o", build_elf({}, {{".note.gnu.build-id", SHT_NOTE, 4, build_id}}));
  EXPECT_EQ(result.errors, 0);
  EXPECT_EQ(result.diagnostics,
            std::vector<std::string>{"kstack: warning: 'x.o': no kstack notes (not compiled with "
                                     "-fplugin=kstack.so?)"});
}

TEST(NoteReader, EveryTruncatedDescriptorGivesOneError) {
  for (Flavor flavor : {Flavor{true, Endian::kLittle}, Flavor{false, Endian::kBig}}) {
    Bytes full = encode_descriptor(sample_unit(), flavor.endian).bytes;
    for (std::size_t size = 0; size < full.size(); ++size) {
      SCOPED_TRACE(testing::Message() << "descriptor cut to " << size << " bytes");
      Bytes cut(full.begin(), full.begin() + size);
      ReadResult result = read_bytes("x.o", build_kstack_elf({flavor.is_64, flavor.endian}, {cut}));
      EXPECT_EQ(result.errors, 1);
      EXPECT_EQ(result.diagnostics.size(), 1u);
      EXPECT_EQ(result.units.size(), 0u);
    }
  }
}

TEST(NoteReader, EveryTruncatedNoteSectionGivesOneError) {
  Bytes notes;
  append_kstack_note(notes, Endian::kLittle,
                     encode_descriptor(sample_unit(), Endian::kLittle).bytes);
  for (std::size_t size = 1; size < notes.size(); ++size) {
    SCOPED_TRACE(testing::Message() << "section cut to " << size << " bytes");
    Bytes cut(notes.begin(), notes.begin() + size);
    ReadResult result = read_bytes("x.o", build_elf({}, {{kNoteSection, SHT_NOTE, 4, cut}}));
    EXPECT_EQ(result.diagnostics,
              std::vector<std::string>{"kstack: error: 'x.o': offset 0x40: note in section 1 "
                                       "is truncated"});
  }
}

TEST(NoteReader, TruncationErrorNamesTheOffset) {
  Bytes full = encode_descriptor(sample_unit(), Endian::kLittle).bytes;
  EXPECT_EQ(
      single_error(Bytes(full.begin(), full.begin() + 2)),
      "kstack: error: 'x.o': offset " + offset_of(0) + ": kstack note descriptor is truncated");
}

TEST(NoteReader, RejectsNewerVersion) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle, {/*version=*/7});
  EXPECT_EQ(single_error(descriptor.bytes),
            "kstack: error: 'x.o': offset 0x54: kstack note format version 7 is newer than this "
            "kstack supports (1)");
}

TEST(NoteReader, RejectsVersionZero) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle, {/*version=*/0});
  EXPECT_EQ(single_error(descriptor.bytes),
            "kstack: error: 'x.o': offset 0x54: unsupported kstack note format version 0");
}

TEST(NoteReader, RejectsSmallHeader) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
  set_u32(descriptor.bytes, Endian::kLittle, HeaderLayout::kHeaderSize, HeaderLayout::kSize - 4);
  EXPECT_EQ(single_error(descriptor.bytes), "kstack: error: 'x.o': offset " +
                                                offset_of(HeaderLayout::kHeaderSize) +
                                                ": kstack note header size 32 is too small");
}

TEST(NoteReader, AcceptsLargerHeaderRecordsAndUnknownTables) {
  Unit unit = sample_unit();
  Descriptor descriptor = encode_descriptor(
      unit, Endian::kBig, {kNoteVersion, /*header_padding=*/12, /*entsize_padding=*/8, true});
  ReadResult result =
      read_bytes("x.o", build_kstack_elf({false, Endian::kBig}, {descriptor.bytes}));
  EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
  unit.input = "x.o";
  ASSERT_EQ(result.units.size(), 1u);
  EXPECT_EQ(result.units[0], unit);
}

// A note from a writer that predates the red_zone field: the same version,
// 80-byte function records. It reads as before, with no red zone; so does a
// record whose extra bytes are too few to hold the field.
TEST(NoteReader, ReadsFunctionRecordsWrittenBeforeRedZone) {
  Unit unit = sample_unit();
  for (std::uint32_t padding : {0u, 4u}) {
    DescriptorOptions options;
    options.entsize_padding = padding;
    options.first_function_record = true;
    Descriptor descriptor = encode_descriptor(unit, Endian::kLittle, options);
    EXPECT_EQ(descriptor.function_entsize, FunctionLayout::kMinSize + padding);
    ReadResult result = read_descriptor(descriptor.bytes);
    EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
    Unit expected = unit;
    expected.input = "x.o";
    for (Function& function : expected.functions) function.red_zone = 0;
    ASSERT_EQ(result.units.size(), 1u);
    EXPECT_EQ(result.units[0], expected);
  }
}

TEST(NoteReader, RejectsStringOffsetOutsideTable) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
  set_u32(descriptor.bytes, Endian::kLittle, descriptor.functions + FunctionLayout::kName, 0xffff);
  EXPECT_EQ(single_error(descriptor.bytes),
            "kstack: error: 'x.o': offset " + offset_of(descriptor.functions) +
                ": string offset 0xffff is outside the string table (size " +
                format_hex(descriptor.strings_size) + ")");
}

TEST(NoteReader, RejectsStringWithoutNul) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
  // Drop the last string's NUL from the table: whoever names that string fails.
  std::uint32_t count = descriptor.directory_entry(0) + TableEntryLayout::kCount;
  set_u32(descriptor.bytes, Endian::kLittle, count, descriptor.strings_size - 1);
  EXPECT_NE(single_error(descriptor.bytes).find("is not NUL-terminated"), std::string::npos);
}

TEST(NoteReader, RejectsTooSmallEntsize) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
  std::uint32_t entsize = descriptor.directory_entry(1) + TableEntryLayout::kEntsize;
  set_u32(descriptor.bytes, Endian::kLittle, entsize, FunctionLayout::kMinSize - 1);
  EXPECT_EQ(single_error(descriptor.bytes),
            "kstack: error: 'x.o': offset " + offset_of(entsize) +
                ": kstack note table of kind 2 has entry size 79, expected at least 80");
}

TEST(NoteReader, RejectsStringTableEntsizeOtherThanOne) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
  set_u32(descriptor.bytes, Endian::kLittle,
          descriptor.directory_entry(0) + TableEntryLayout::kEntsize, 2);
  EXPECT_NE(single_error(descriptor.bytes).find("has entry size 2, expected 1"), std::string::npos);
}

TEST(NoteReader, RejectsHugeCounts) {
  for (std::uint32_t table = 0; table < 4; ++table) {
    Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
    std::uint32_t entry = descriptor.directory_entry(table);
    set_u32(descriptor.bytes, Endian::kLittle, entry + TableEntryLayout::kCount, 0xffffffff);
    EXPECT_NE(single_error(descriptor.bytes).find("extends past the end of the descriptor"),
              std::string::npos);
  }
}

TEST(NoteReader, RejectsHugeTableDirectory) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
  set_u32(descriptor.bytes, Endian::kLittle, HeaderLayout::kTableCount, 0xffffffff);
  EXPECT_EQ(single_error(descriptor.bytes), "kstack: error: 'x.o': offset " +
                                                offset_of(descriptor.directory) +
                                                ": kstack note descriptor is truncated");
}

TEST(NoteReader, RejectsDuplicateTable) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
  set_u32(descriptor.bytes, Endian::kLittle, descriptor.directory_entry(3),
          static_cast<std::uint32_t>(TableKind::kCalls));
  EXPECT_NE(single_error(descriptor.bytes).find("duplicate kstack note table of kind 3"),
            std::string::npos);
}

TEST(NoteReader, RejectsCallRangeOutsideCallsTable) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
  std::uint32_t first_call = descriptor.functions + FunctionLayout::kFirstCall;
  set_u32(descriptor.bytes, Endian::kLittle, first_call, 5);  // 6 calls from 5 of 7
  EXPECT_EQ(single_error(descriptor.bytes),
            "kstack: error: 'x.o': offset " + offset_of(first_call) +
                ": calls 5..11 are outside the calls table (7 records)");
  // first_call + call_count overflows 32 bits.
  set_u32(descriptor.bytes, Endian::kLittle, first_call, 0xffffffff);
  EXPECT_NE(single_error(descriptor.bytes).find("are outside the calls table"), std::string::npos);
}

// Overlapping call ranges would let a few bytes of function records make
// the reader decode the calls table once per function: 200 functions that
// claim the same 600 calls, in a 63 KB file, took the reader past 2 GB.
TEST(NoteReader, RejectsOverlappingCallRanges) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
  // weak_fn, which has no calls, claims all 7: 6 + 1 + 7 records in a table of 7.
  std::uint32_t weak = descriptor.functions + 2 * descriptor.function_entsize;
  set_u32(descriptor.bytes, Endian::kLittle, weak + FunctionLayout::kFirstCall, 0);
  set_u32(descriptor.bytes, Endian::kLittle, weak + FunctionLayout::kCallCount, 7);
  EXPECT_EQ(single_error(descriptor.bytes),
            "kstack: error: 'x.o': offset " + offset_of(weak + FunctionLayout::kFirstCall) +
                ": calls 0..7 overlap the calls of another function");
}

TEST(NoteReader, RejectsUnknownEnumerations) {
  Descriptor descriptor = encode_descriptor(sample_unit(), Endian::kLittle);
  auto error_with = [&](std::uint32_t offset, std::uint32_t value) {
    Bytes bytes = descriptor.bytes;
    set_u32(bytes, Endian::kLittle, offset, value);
    return single_error(bytes);
  };
  EXPECT_NE(
      error_with(descriptor.functions + FunctionLayout::kFrameKind, 3).find("unknown frame kind 3"),
      std::string::npos);
  EXPECT_NE(error_with(descriptor.functions + FunctionLayout::kFlags, kBindingMask)
                .find("unknown symbol binding 3"),
            std::string::npos);
  EXPECT_NE(error_with(descriptor.calls + CallLayout::kKind, 4).find("unknown call kind 4"),
            std::string::npos);
  EXPECT_NE(error_with(descriptor.aliases + AliasLayout::kFlags, kBindingMask)
                .find("unknown symbol binding 3"),
            std::string::npos);
  EXPECT_NE(error_with(descriptor.indirect_calls + IndirectCallLayout::kSlotKind, 5)
                .find("unknown slot kind 5"),
            std::string::npos);
  EXPECT_NE(error_with(descriptor.references + ReferenceLayout::kKind, 3)
                .find("unknown reference kind 3"),
            std::string::npos);
  EXPECT_NE(error_with(descriptor.references + ReferenceLayout::kSourceKind, 9)
                .find("unknown slot kind 9"),
            std::string::npos);
}

// An indirect call record names one indirect call of the calls table, once.
TEST(NoteReader, RejectsIndirectCallsThatNameNoIndirectCall) {
  Unit unit = sample_unit();
  unit.indirect_calls.push_back(unit.indirect_calls[0]);
  Descriptor descriptor = encode_descriptor(unit, Endian::kLittle);
  const std::uint32_t second = descriptor.indirect_calls + IndirectCallLayout::kSize;
  auto error_with = [&](std::uint32_t call) {
    Bytes bytes = descriptor.bytes;
    set_u32(bytes, Endian::kLittle, second + IndirectCallLayout::kCall, call);
    return single_error(bytes);
  };
  const std::string at = "kstack: error: 'x.o': offset " + offset_of(second) + ": ";
  // foo's calls are 0..5 (the indirect one is 2), bar.constprop.0's is 6.
  EXPECT_EQ(error_with(2), at + "indirect call 2 is described twice");
  EXPECT_EQ(error_with(0), at + "call 0 is not an indirect call");
  EXPECT_EQ(error_with(7), at + "indirect call 7 is not a call of any function");
}

}  // namespace
}  // namespace kstack::test
