// Frame parts: how the reader takes them from a note (and what it refuses),
// how they add up, and what `kstack explain` makes of them.
#include <gtest/gtest.h>

#include <sstream>

#include "analysed.h"
#include "explain.h"
#include "note_builder.h"
#include "note_reader.h"
#include "program_builder.h"
#include "report_printers.h"

namespace kstack::test {
namespace {

FramePart part(FramePartKind kind, std::uint64_t bytes, std::string name = "",
               std::int64_t offset = 0, std::uint32_t slot = 0) {
  FramePart p;
  p.kind = kind;
  p.bytes = bytes;
  p.name = std::move(name);
  p.has_offset = offset != 0;
  p.offset = offset;
  p.slot = slot;
  return p;
}

FramePart variable(std::string name, std::string type, std::uint64_t bytes, std::int64_t offset,
                   std::uint32_t line, std::uint32_t slot = 0) {
  FramePart p = part(FramePartKind::kLocal, bytes, std::move(name), offset, slot);
  p.type = std::move(type);
  p.file = "poll.c";
  p.line = line;
  return p;
}

// do_poll: 8 return address + 48 saved registers + 888 table + a slot of
// 200 shared by a[200] and b[160] + 16 spills + 8 padding - 8 red zone
// (a leaf would have no saved registers; the sum rule does not care).
Function explained_function() {
  Function f;
  f.name = "do_poll";
  f.su_name = "do_poll";
  f.file = "poll.c";
  f.line = 10;
  f.static_size = 8 + 48 + 888 + 200 + 16 + 8 - 8;
  f.frame_size = f.static_size;
  FramePart table = variable("table", "struct poll_wqueues", 888, -944, 12);
  FramePart hbuf = variable("hbuf", "char[200]", 200, -1144, 5, 1);
  hbuf.inlined_from = "helper";
  f.frame_parts = {part(FramePartKind::kReturnAddress, 8, "", -8),
                   part(FramePartKind::kSavedRegisters, 48, "rbx r12 r13 r14 r15 rbp", -56),
                   table,
                   variable("b", "char[160]", 160, -1144, 20, 1),
                   hbuf,
                   part(FramePartKind::kSpill, 16),
                   part(FramePartKind::kPadding, 8),
                   part(FramePartKind::kRedZone, 8)};
  f.frame_parts.back().has_offset = false;
  return f;
}

Unit explained_unit() {
  Unit unit;
  unit.producer = "GCC 12.2.0";
  unit.target = "x86_64-linux-gnu";
  unit.return_address_in_frame = 8;
  unit.flags = note::kUnitExplained;
  Function empty;
  empty.name = "leaf";
  unit.functions = {empty, explained_function()};
  return unit;
}

TEST(FrameParts, SumCountsASharedSlotOnceAndSubtractsTheRedZone) {
  EXPECT_EQ(frame_parts_sum(explained_function().frame_parts), explained_function().static_size);
  EXPECT_EQ(frame_parts_sum({}), 0u);
}

TEST(FrameParts, SurviveTheNoteInEveryElfFlavor) {
  for (bool is_64 : {false, true}) {
    for (Endian endian : {Endian::kLittle, Endian::kBig}) {
      Unit unit = explained_unit();
      ElfOptions elf{is_64, endian};
      ReadResult result =
          read_bytes("x.o", build_kstack_elf(elf, {encode_descriptor(unit, endian).bytes}));
      EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
      unit.input = "x.o";
      ASSERT_EQ(result.units.size(), 1u);
      EXPECT_EQ(result.units[0], unit);
      EXPECT_EQ(result.units[0].functions[1].frame_parts.size(), 8u);
    }
  }
}

// The one error reading DESCRIPTOR gives.
std::string single_error(const Bytes& descriptor) {
  ReadResult result = read_bytes("x.o", build_kstack_elf({}, {descriptor}));
  EXPECT_EQ(result.errors, 1);
  EXPECT_EQ(result.units.size(), 0u);
  return result.diagnostics.size() == 1 ? result.diagnostics[0] : "(none or several)";
}

// Descriptor byte OFFSET's file offset in build_kstack_elf({}, ...).
std::string offset_of(std::uint32_t offset) {
  return format_hex(sizeof(Elf64_Ehdr) + 12 + 8 + offset);
}

TEST(FrameParts, APartOfNoFunctionIsAnError) {
  Descriptor d = encode_descriptor(explained_unit(), Endian::kLittle);
  const std::uint32_t field = d.frame_parts + note::FramePartLayout::kFunction;
  set_u32(d.bytes, Endian::kLittle, field, 2);
  EXPECT_EQ(single_error(d.bytes), "kstack: error: 'x.o': offset " + offset_of(field) +
                                       ": frame part of function 2, which is not in the "
                                       "functions table (2 records)");
}

TEST(FrameParts, PartsOutOfFunctionOrderAreAnError) {
  Unit unit = explained_unit();
  unit.functions[0].frame_parts = {part(FramePartKind::kReturnAddress, 8)};
  Descriptor d = encode_descriptor(unit, Endian::kLittle);
  // The first part names function 1, before the parts of function 1... and
  // then function 0's part follows: move it to function 1 and the next to 0.
  set_u32(d.bytes, Endian::kLittle, d.frame_parts + note::FramePartLayout::kFunction, 1);
  const std::uint32_t second = d.frame_parts + note::FramePartLayout::kSize;
  set_u32(d.bytes, Endian::kLittle, second + note::FramePartLayout::kFunction, 0);
  EXPECT_EQ(single_error(d.bytes), "kstack: error: 'x.o': offset " + offset_of(second) +
                                       ": frame part of function 0 after the parts of function 1");
}

TEST(FrameParts, AnUnknownKindIsAnError) {
  Descriptor d = encode_descriptor(explained_unit(), Endian::kLittle);
  const std::uint32_t field = d.frame_parts + note::FramePartLayout::kKind;
  set_u32(d.bytes, Endian::kLittle, field, 99);
  EXPECT_EQ(single_error(d.bytes),
            "kstack: error: 'x.o': offset " + offset_of(field) + ": unknown frame part kind 99");
}

TEST(Explain, RowsLargestFirstASharedSlotOnceTheRedZoneLast) {
  const Function f = explained_function();
  const std::vector<ExplainedRow> rows = explanation_rows(f.frame_parts);
  std::vector<std::pair<std::string, std::int64_t>> got;
  for (const ExplainedRow& row : rows)
    got.emplace_back(row.shared() ? "shared" : frame_part_kind_name(row.kind), row.bytes);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::int64_t>>{{"local", 888},
                                                                    {"shared", 200},
                                                                    {"saved-registers", 48},
                                                                    {"spill", 16},
                                                                    {"return-address", 8},
                                                                    {"padding", 8},
                                                                    {"red-zone", -8}}));
  // The slot's members, largest first.
  EXPECT_EQ(rows[1].parts[0]->name, "hbuf");
  EXPECT_EQ(rows[1].parts[1]->name, "b");
}

TEST(Explain, FindsFunctionsBySymbolSuNameOrGlob) {
  std::vector<Unit> units = {explained_unit()};
  units[0].functions[1].name = "do_poll.constprop.0";
  units[0].functions[1].su_name = "do_poll.constprop";
  EXPECT_EQ(explain_frames(units, "do_poll.constprop.0").size(), 1u);
  EXPECT_EQ(explain_frames(units, "do_poll.constprop").size(), 1u);
  EXPECT_EQ(explain_frames(units, "do_poll*").size(), 1u);
  EXPECT_EQ(explain_frames(units, "*").size(), 2u);
  EXPECT_EQ(explain_frames(units, "do_poll").size(), 0u);
}

TEST(Explain, AFunctionOfAnUnexplainedUnitHasNoRows) {
  std::vector<Unit> units = {explained_unit()};
  units[0].flags = 0;
  const std::vector<FrameExplanation> e = explain_frames(units, "do_poll");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_FALSE(e[0].explained);
  EXPECT_TRUE(e[0].rows.empty());
}

TEST(Explain, Text) {
  std::vector<Unit> units = {explained_unit()};
  units[0].input = "poll.o";
  std::ostringstream out;
  print_explanation_text(out, explain_frames(units, "do_poll"));
  EXPECT_EQ(out.str(),
            "do_poll  poll.c:10  poll.o\n"
            "  frame 1160 static, in 7 parts, largest first:\n"
            "    bytes  part             what                                                "
            "declared at\n"
            "      888  local            'table' (struct poll_wqueues)                       "
            "poll.c:12\n"
            "      200  shared slot      2 variables whose lifetimes do not overlap:\n"
            "                              'hbuf' (char[200]) in inlined 'helper', 200       "
            "poll.c:5\n"
            "                              'b' (char[160]), 160                              "
            "poll.c:20\n"
            "       48  saved registers  rbx r12 r13 r14 r15 rbp\n"
            "       16  spill            the register allocator's spill slots\n"
            "        8  return address\n"
            "        8  padding          alignment\n"
            "       -8  red zone         locals below the stack pointer, not in GCC's frame\n"
            "  sum 1160: GCC's static frame\n");
}

TEST(Explain, DescribesAPartInASentence) {
  FramePart table = variable("table", "struct poll_wqueues", 888, -944, 976);
  table.file = "fs/select.c";
  EXPECT_EQ(describe_frame_part(table),
            "'table' (struct poll_wqueues, 888 bytes) declared at fs/select.c:976");
  EXPECT_EQ(describe_frame_part(part(FramePartKind::kSpill, 1)), "spill (1 byte)");
  // The plugin quotes as GCC does in the locale (open_quote, close_quote).
  table.inlined_from = "do_poll";
  EXPECT_EQ(describe_frame_part(table, {"\u2018", "\u2019"}),
            "\u2018table\u2019 (struct poll_wqueues, 888 bytes) declared at fs/select.c:976, "
            "inlined from \u2018do_poll\u2019");
}

TEST(Explain, LargestPartsAreDataQuotedAsAsked) {
  Function f = explained_function();
  EXPECT_EQ(
      largest_frame_parts(f, 3, 16, {"<", ">"}),
      (std::vector<std::string>{"<table> (struct poll_wqueues, 888 bytes) declared at poll.c:12",
                                "a slot of 200 bytes shared by <hbuf>, <b>", "spill (16 bytes)"}));
  EXPECT_EQ(largest_frame_parts(f, 1, 16).size(), 1u);
  EXPECT_TRUE(largest_frame_parts(function("plain", 64, {}), 3, 16).empty());
}

TEST(Explain, SmallTemporariesOfOneTypeCountTogether) {
  // A macro's compound literals: 12 bytes each, too small to name one by
  // one, 36 bytes together; a slot two of them share; a named local.
  auto temporary = [](std::uint32_t line, std::int64_t offset, std::uint32_t slot = 0) {
    FramePart p = variable("", "const u32[3]", 12, offset, line, slot);
    p.kind = FramePartKind::kTemporary;
    return p;
  };
  Function f = function("pll_enable", 8 + 36 + 12 + 20, {});
  f.frame_parts = {part(FramePartKind::kReturnAddress, 8, "", -8),
                   temporary(40, -20),
                   temporary(97, -32),
                   temporary(52, -44),
                   temporary(60, -56, 1),
                   temporary(61, -56, 1),
                   variable("phy", "int", 20, -76, 30)};
  EXPECT_EQ(largest_frame_parts(f, 3, 16),
            (std::vector<std::string>{
                "3 temporaries (const u32[3], 12 bytes each, 36 bytes in all) declared at "
                "poll.c:40-97",
                "'phy' (int, 20 bytes) declared at poll.c:30"}));
  // At 12 bytes each is large enough to be named by itself.
  const std::vector<std::string> each = largest_frame_parts(f, 10, 12);
  EXPECT_EQ(each.size(), 5u);
  EXPECT_EQ(each.back(), "a slot of 12 bytes shared by 2 temporaries");
  // A temporary in another file leaves the group without a place.
  f.frame_parts[2].file = "poll.h";
  EXPECT_EQ(largest_frame_parts(f, 1, 16).front(),
            "3 temporaries (const u32[3], 12 bytes each, 36 bytes in all)");
}

TEST(Explain, TheWorstPathNamesWhatMakesEachFrameBig) {
  // main (32: a 16-byte buffer) -> do_poll (its 888-byte table, then the
  // slot of 200, and nothing under 64 bytes).
  Unit u = unit({function("main", 32, {call_to("do_poll")}), explained_function()});
  u.flags = note::kUnitExplained;
  u.functions[0].frame_parts = {variable("line", "char[16]", 16, -24, 3),
                                part(FramePartKind::kPadding, 16)};
  Analysed p({u});
  std::ostringstream out;
  print_report_text(out, p.report, {});
  const std::string text = out.str();
  EXPECT_NE(text.find("    frame: 'table' (struct poll_wqueues, 888 bytes) declared at "
                      "poll.c:12; a slot of 200 bytes shared by 'hbuf', 'b'\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("'line'"), std::string::npos) << text;
}

}  // namespace
}  // namespace kstack::test
