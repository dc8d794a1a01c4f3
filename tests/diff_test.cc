// `kstack diff` on reports written in memory: what it reads of a report and
// what it refuses, how rows are keyed, merged, counted and sorted, and the
// two printers' exact output.
#include <gtest/gtest.h>

#include <sstream>

#include "checked.h"
#include "diff.h"
#include "json_writer.h"

namespace kstack::test {
namespace {

struct Fn {
  std::string name;
  std::uint64_t frame;  // functions only
  std::uint64_t depth;
  bool complete = true;
  std::string file = "a.c";
  std::uint32_t line = 1;
};

// A "kstack-report" with the members diff reads and a few it ignores.
std::string report_json(const std::vector<Fn>& entries, const std::vector<Fn>& functions) {
  std::ostringstream out;
  JsonWriter json(out);
  json.begin_object();
  json.field("schema", "kstack-report");
  json.field("version", std::uint64_t{1});
  json.field("producer", "test");
  json.key("entries");
  json.begin_array();
  for (const Fn& e : entries) {
    json.begin_object();
    json.field("function", std::string_view(e.name));
    json.field("unit", "a.o");
    json.field("file", std::string_view(e.file));
    json.field("line", e.line);
    json.field("column", std::uint32_t{5});
    json.field("depth", e.depth);
    json.field("complete", e.complete);
    json.key("path");
    json.begin_array();
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.key("functions");
  json.begin_array();
  for (const Fn& f : functions) {
    json.begin_object();
    json.field("id", std::uint32_t{0});
    json.field("function", std::string_view(f.name));
    json.field("file", std::string_view(f.file));
    json.field("line", f.line);
    json.field("frame", f.frame);
    json.field("depth", f.depth);
    json.field("complete", f.complete);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return out.str();
}

DiffInput input(const std::vector<Fn>& entries, const std::vector<Fn>& functions) {
  return read_diff_input(parse_json(report_json(entries, functions)));
}

// "offset 0xN: message" of the InputError that reading TEXT throws, or "ok".
std::string read_error(const std::string& text) {
  try {
    read_diff_input(parse_json(text));
  } catch (const InputError& error) {
    std::ostringstream out;
    out << "offset 0x" << std::hex << error.offset << ": " << error.what();
    return out.str();
  }
  return "ok";
}

// One line per row: "name old new delta", "-" for a missing side.
std::string rows(const DiffTable& table) {
  std::string text;
  for (const DiffRow& row : table.rows) {
    auto side = [](const std::optional<Bytes>& b) {
      return b ? (b->complete ? "" : ">=") + std::to_string(b->bytes) : std::string("-");
    };
    text += row.function + "@" + row.file + " " + side(row.old_value) + " " + side(row.new_value) +
            " " + std::to_string(row.delta()) + "\n";
  }
  return text;
}

TEST(DiffRead, Records) {
  const DiffInput in = input({{"main", 0, 616, false, "m.c", 7}}, {{"f", 48, 96}});
  ASSERT_EQ(in.entries.size(), 1u);
  EXPECT_EQ(in.entries[0].function, "main");
  EXPECT_EQ(in.entries[0].file, "m.c");
  EXPECT_EQ(in.entries[0].line, 7u);
  EXPECT_EQ(in.entries[0].column, 5u);
  EXPECT_EQ(in.entries[0].depth.bytes, 616u);
  EXPECT_FALSE(in.entries[0].depth.complete);
  ASSERT_EQ(in.functions.size(), 1u);
  EXPECT_EQ(in.functions[0].frame.bytes, 48u);
  EXPECT_EQ(in.functions[0].depth.bytes, 96u);
  EXPECT_TRUE(in.functions[0].depth.complete);
}

TEST(DiffRead, SchemaErrors) {
  EXPECT_EQ(read_error("[]"), "offset 0x0: not a kstack report: expected a JSON object");
  EXPECT_EQ(read_error("{}"), "offset 0x0: not a kstack report: no 'schema'");
  EXPECT_EQ(read_error(R"({"format": "kstack-dump", "version": 1, "units": []})"),
            "offset 0xb: a 'kstack dump' document, not a report: write one with 'kstack report "
            "--format=json'");
  EXPECT_EQ(read_error(R"({"schema": "kstack-dump"})"),
            "offset 0xb: not a kstack report: 'schema' is not \"kstack-report\"");
  EXPECT_EQ(read_error(R"({"schema": 1})"),
            "offset 0xb: not a kstack report: 'schema' is not \"kstack-report\"");
  EXPECT_EQ(read_error(R"({"schema": "kstack-report"})"),
            "offset 0x0: the report has no 'version'");
  EXPECT_EQ(read_error(R"({"schema": "kstack-report", "version": 2})"),
            "offset 0x27: kstack-report version 2 is newer than this kstack supports (1)");
  EXPECT_EQ(read_error(R"({"schema": "kstack-report", "version": 0})"),
            "offset 0x27: unsupported kstack-report version 0");
  EXPECT_EQ(read_error(R"({"schema": "kstack-report", "version": "1"})"),
            "offset 0x27: 'version' is not an unsigned integer");
  EXPECT_EQ(read_error(R"({"schema": "kstack-report", "version": 1})"),
            "offset 0x0: the report has no 'entries'");
  EXPECT_EQ(read_error(R"({"schema": "kstack-report", "version": 1, "entries": {}})"),
            "offset 0x35: 'entries' is not an array");
  EXPECT_EQ(
      read_error(R"({"schema": "kstack-report", "version": 1, "entries": [], "functions": [1]})"),
      "offset 0x47: function is not an object");
}

TEST(DiffRead, MemberErrors) {
  const std::string head =
      R"({"schema": "kstack-report", "version": 1, "functions": [], "entries": [)";
  const std::string entry =
      R"("function": "main", "file": "m.c", "line": 3, "column": 5, "complete": true)";
  auto error_in = [&](const std::string& members) {
    const std::string error = read_error(head + "{" + members + "}]}");
    return error == "ok" ? error : error.substr(error.find(": ") + 2);  // without the offset
  };
  EXPECT_EQ(error_in(entry + R"(, "depth": 616)"), "ok");
  EXPECT_EQ(error_in(entry), "entry has no 'depth'");
  EXPECT_EQ(error_in(entry + R"(, "depth": -1)"),
            "'depth' is not an integer from 0 to 9007199254740991");
  EXPECT_EQ(error_in(entry + R"(, "depth": 1.5)"),
            "'depth' is not an integer from 0 to 9007199254740991");
  EXPECT_EQ(error_in(entry + R"(, "depth": 9007199254740992)"),
            "'depth' is not an integer from 0 to 9007199254740991");
  EXPECT_EQ(
      error_in(
          R"("function": 1, "file": "m.c", "line": 3, "column": 5, "depth": 0, "complete": true)"),
      "'function' is not a string");
  EXPECT_EQ(
      error_in(
          R"("function": "m", "file": null, "line": 3, "column": 5, "depth": 0, "complete": true)"),
      "'file' is not a string");
  EXPECT_EQ(
      error_in(
          R"("function": "m", "file": "m.c", "line": 4294967296, "column": 5, "depth": 0, "complete": true)"),
      "'line' is not an integer from 0 to 4294967295");
  EXPECT_EQ(
      error_in(
          R"("function": "m", "file": "m.c", "line": 3, "column": 5, "depth": 0, "complete": 1)"),
      "'complete' is not a boolean");
  // The offset is the value's.
  EXPECT_EQ(read_error(head + "{" + entry + R"(, "depth": "616"}]})"),
            "offset 0x9e: 'depth' is not an integer from 0 to 9007199254740991");
}

TEST(Diff, CountsAndOrder) {
  const DiffInput before =
      input({}, {{"grows", 16, 16}, {"shrinks", 64, 64}, {"same", 8, 8}, {"removed", 32, 32}});
  const DiffInput after =
      input({}, {{"grows", 48, 48}, {"shrinks", 40, 40}, {"same", 8, 8}, {"added", 24, 24}});
  const ReportDiff diff = diff_reports(before, after, false);
  // Largest growth first, largest shrink last: an added row counts as all
  // growth, a removed one as all shrink.
  EXPECT_EQ(rows(diff.frames),
            "grows@a.c 16 48 32\n"
            "added@a.c - 24 24\n"
            "shrinks@a.c 64 40 -24\n"
            "removed@a.c 32 - -32\n");
  const DiffCounts& c = diff.frames.counts;
  EXPECT_EQ(c.added, 1u);
  EXPECT_EQ(c.removed, 1u);
  EXPECT_EQ(c.grown, 1u);
  EXPECT_EQ(c.shrunk, 1u);
  EXPECT_EQ(c.unchanged, 1u);
  EXPECT_EQ(c.up, 56u);
  EXPECT_EQ(c.down, 56u);
  EXPECT_EQ(c.net(), 0);
  EXPECT_EQ(diff.frames.old_total, 120u);
  EXPECT_EQ(diff.frames.new_total, 120u);
  EXPECT_EQ(diff.frames.old_keys, 4u);
  EXPECT_EQ(diff.frames.new_keys, 4u);
  EXPECT_EQ(diff.frames.old_max_function, "shrinks");
  EXPECT_EQ(diff.frames.new_max_function, "grows");
  EXPECT_EQ(diff.frames.max_delta(), -16);

  // --all keeps the unchanged row, among the zeros.
  EXPECT_EQ(rows(diff_reports(before, after, true).frames),
            "grows@a.c 16 48 32\n"
            "added@a.c - 24 24\n"
            "same@a.c 8 8 0\n"
            "shrinks@a.c 64 40 -24\n"
            "removed@a.c 32 - -32\n");
}

TEST(Diff, TiesByNameThenFile) {
  const DiffInput before = input({}, {});
  const DiffInput after =
      input({}, {{"b", 8, 8, true, "z.c"}, {"a", 8, 8, true, "y.c"}, {"b", 8, 8, true, "x.c"}});
  EXPECT_EQ(rows(diff_reports(before, after, false).frames),
            "a@y.c - 8 8\n"
            "b@x.c - 8 8\n"
            "b@z.c - 8 8\n");
}

TEST(Diff, SameStaticInTwoFilesIsTwoFunctions) {
  const DiffInput before =
      input({}, {{"helper", 8, 8, true, "a.c"}, {"helper", 8, 8, true, "b.c"}});
  const DiffInput after =
      input({}, {{"helper", 8, 8, true, "a.c"}, {"helper", 104, 104, true, "b.c"}});
  EXPECT_EQ(rows(diff_reports(before, after, false).frames), "helper@b.c 8 104 96\n");
}

TEST(Diff, CopiesOfOneKeyMergeIntoTheWorst) {
  // A static inline function of a header, one copy per unit: the largest
  // frame and depth stand for the key, complete only if every copy is.
  const DiffInput before = input({}, {{"get", 16, 16, true, "x.h"}, {"get", 32, 40, true, "x.h"}});
  const DiffInput after = input(
      {},
      {{"get", 16, 64, false, "x.h"}, {"get", 32, 40, true, "x.h"}, {"get", 8, 8, true, "x.h"}});
  const ReportDiff diff = diff_reports(before, after, true);
  EXPECT_EQ(rows(diff.frames), "get@x.h 32 32 0\n");
  EXPECT_EQ(rows(diff.depths), "get@x.h 40 >=64 24\n");
  EXPECT_EQ(diff.frames.old_keys, 1u);
  // The order of the records does not matter.
  const DiffInput reversed = input(
      {},
      {{"get", 8, 8, true, "x.h"}, {"get", 32, 40, true, "x.h"}, {"get", 16, 64, false, "x.h"}});
  EXPECT_EQ(rows(diff_reports(before, reversed, true).depths), rows(diff.depths));
}

TEST(Diff, CloneNumbersAreNotPartOfTheName) {
  const DiffInput before = input({}, {{"f.constprop.0", 16, 16}, {"g.isra.0", 8, 8}});
  const DiffInput after = input({}, {{"f.constprop.1", 24, 24},
                                     {"f.constprop.0", 8, 8},
                                     {"g.isra.0.cold", 8, 8},
                                     {"h.2x", 8, 8},
                                     {".5", 8, 8}});
  EXPECT_EQ(rows(diff_reports(before, after, false).frames),
            ".5@a.c - 8 8\n"
            "f.constprop@a.c 16 24 8\n"
            "g.isra.cold@a.c - 8 8\n"
            "h.2x@a.c - 8 8\n"
            "g.isra@a.c 8 - -8\n");
}

TEST(Diff, CompletenessChangeIsListedAndCounted) {
  const DiffInput before =
      input({{"main", 0, 120}, {"irq", 0, 64, false}, {"same", 0, 8, false}}, {});
  const DiffInput after =
      input({{"main", 0, 120, false}, {"irq", 0, 80}, {"same", 0, 8, false}}, {});
  const ReportDiff diff = diff_reports(before, after, false);
  EXPECT_EQ(rows(diff.entries), "irq@a.c >=64 80 16\nmain@a.c 120 >=120 0\n");
  EXPECT_TRUE(diff.entries.rows[1].completeness_changed());
  EXPECT_EQ(diff.entries.counts.now_incomplete, 1u);
  EXPECT_EQ(diff.entries.counts.now_complete, 1u);
  EXPECT_EQ(diff.entries.counts.grown, 1u);
  EXPECT_EQ(diff.entries.counts.unchanged, 1u);
}

TEST(Diff, FailAboveCountsOnlyEntriesInBoth) {
  const DiffInput before = input({{"a", 0, 100}, {"b", 0, 100}, {"c", 0, 100}}, {});
  const DiffInput after = input({{"a", 0, 164}, {"b", 0, 165}, {"new", 0, 4096}}, {});
  const ReportDiff diff = diff_reports(before, after, false);
  const std::vector<const DiffRow*> grown = entries_grown_above(diff, 64);
  ASSERT_EQ(grown.size(), 1u);
  EXPECT_EQ(grown[0]->function, "b");
  EXPECT_EQ(grown[0]->line, 1u);
  EXPECT_EQ(grown[0]->column, 5u);
  EXPECT_EQ(entries_grown_above(diff, 0).size(), 2u);
}

TEST(Diff, EmptyReports) {
  const ReportDiff diff = diff_reports(input({}, {}), input({}, {}), true);
  EXPECT_TRUE(diff.entries.rows.empty());
  EXPECT_FALSE(diff.entries.old_max);
  EXPECT_EQ(diff.entries.max_delta(), 0);
}

template <typename Printer>
std::string print(Printer printer, const ReportDiff& diff, std::size_t top = 0) {
  std::ostringstream out;
  printer(out, diff, DiffPrintOptions{top});
  return out.str();
}

ReportDiff sample_diff() {
  const DiffInput before = input(
      {{"main", 0, 120, true, "m.c", 3}, {"irq", 0, 64, true, "m.c", 9}},
      {{"main", 16, 120, true, "m.c"}, {"leaf", 8, 8, true, "m.c"}, {"irq", 64, 64, true, "m.c"}});
  const DiffInput after = input({{"main", 0, 216, true, "m.c", 3}, {"irq", 0, 64, false, "m.c", 9}},
                                {{"main", 16, 216, true, "m.c"},
                                 {"leaf", 104, 104, true, "m.c"},
                                 {"irq", 64, 64, false, "m.c"},
                                 {"a|b`c", 8, 8, true, ""}});
  return diff_reports(before, after, false);
}

TEST(DiffPrinters, Text) {
  EXPECT_EQ(print(print_diff_text, sample_diff()),
            "kstack diff: 2 -> 2 entry points, 3 -> 4 functions\n"
            "deepest entry: 120 (main) -> 216 (main), +96\n"
            "frames in total: 88 -> 192, +104\n"
            "\n"
            "Worst-case depth of entry points:\n"
            "add/remove: 0/0 grow/shrink: 1/0 up/down: 96/0 (96)\n"
            "now incomplete/complete: 1/0\n"
            "entry  old    new  delta  file\n"
            "main   120    216    +96  m.c\n"
            "irq     64  >= 64      0  m.c   now incomplete\n"
            "\n"
            "Function frames:\n"
            "add/remove: 1/0 grow/shrink: 1/0 up/down: 104/0 (104)\n"
            "function  old  new  delta  file\n"
            "leaf        8  104    +96  m.c\n"
            "a|b`c       -    8     +8\n"
            "\n"
            "Worst-case depth of functions:\n"
            "add/remove: 1/0 grow/shrink: 2/0 up/down: 200/0 (200)\n"
            "now incomplete/complete: 1/0\n"
            "function  old    new  delta  file\n"
            "leaf        8    104    +96  m.c\n"
            "main      120    216    +96  m.c\n"
            "a|b`c       -      8     +8\n"
            "irq        64  >= 64      0  m.c   now incomplete\n");
}

TEST(DiffPrinters, TextTopAndNoChange) {
  const std::string text = print(print_diff_text, sample_diff(), 1);
  EXPECT_NE(text.find("leaf        8  104    +96  m.c\n"
                      "... 3 more (--top=0 shows all)\n"),
            std::string::npos)
      << text;
  const DiffInput same = input({{"main", 0, 8}}, {{"main", 8, 8}});
  EXPECT_EQ(print(print_diff_text, diff_reports(same, same, false)),
            "kstack diff: 1 -> 1 entry points, 1 -> 1 functions\n"
            "deepest entry: 8 (main) -> 8 (main), 0\n"
            "frames in total: 8 -> 8, 0\n"
            "\n"
            "Worst-case depth of entry points:\n"
            "add/remove: 0/0 grow/shrink: 0/0 up/down: 0/0 (0)\n"
            "\n"
            "Function frames:\n"
            "add/remove: 0/0 grow/shrink: 0/0 up/down: 0/0 (0)\n"
            "\n"
            "Worst-case depth of functions:\n"
            "add/remove: 0/0 grow/shrink: 0/0 up/down: 0/0 (0)\n");
}

TEST(DiffPrinters, Markdown) {
  EXPECT_EQ(print(print_diff_markdown, sample_diff()),
            "### kstack diff\n"
            "\n"
            "| | old | new | delta |\n"
            "|---|--:|--:|--:|\n"
            "| entry points | 2 | 2 | 0 |\n"
            "| functions | 3 | 4 | +1 |\n"
            "| deepest entry | 120 `main` | 216 `main` | +96 |\n"
            "| frames in total | 88 | 192 | +104 |\n"
            "\n"
            "**Worst-case depth of entry points**: add/remove: 0/0 grow/shrink: 1/0 up/down: "
            "96/0 (96)\n"
            "\n"
            "now incomplete/complete: 1/0\n"
            "\n"
            "| entry | old | new | delta | file | |\n"
            "|---|--:|--:|--:|---|---|\n"
            "| `main` | 120 | 216 | +96 | `m.c` |  |\n"
            "| `irq` | 64 | >= 64 | 0 | `m.c` | now incomplete |\n"
            "\n"
            "<details><summary><b>Function frames</b>: add/remove: 1/0 grow/shrink: 1/0 "
            "up/down: 104/0 (104)</summary>\n"
            "\n"
            "| function | old | new | delta | file |\n"
            "|---|--:|--:|--:|---|\n"
            "| `leaf` | 8 | 104 | +96 | `m.c` |\n"
            "| ``a\\|b`c`` | - | 8 | +8 |  |\n"
            "\n"
            "</details>\n"
            "\n"
            "<details><summary><b>Worst-case depth of functions</b>: add/remove: 1/0 "
            "grow/shrink: 2/0 up/down: 200/0 (200)</summary>\n"
            "\n"
            "now incomplete/complete: 1/0\n"
            "\n"
            "| function | old | new | delta | file | |\n"
            "|---|--:|--:|--:|---|---|\n"
            "| `leaf` | 8 | 104 | +96 | `m.c` |  |\n"
            "| `main` | 120 | 216 | +96 | `m.c` |  |\n"
            "| ``a\\|b`c`` | - | 8 | +8 |  |  |\n"
            "| `irq` | 64 | >= 64 | 0 | `m.c` | now incomplete |\n"
            "\n"
            "</details>\n");
}

}  // namespace
}  // namespace kstack::test
