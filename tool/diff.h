// `kstack diff OLD NEW`: what changed in the stack between two budget tables
// written by `kstack report --format=json` — the stack counterpart of the
// Linux kernel's scripts/bloat-o-meter. Three tables, each sorted by delta
// (largest growth first, largest shrink last, ties by name then file):
// entry points by worst-case depth, functions by frame, functions by
// worst-case depth.
//
// A function or entry is keyed by its name and the source file of its
// definition, so same-named statics of different files stay apart. Several
// records of one key (a static inline function of a header, one copy per
// unit; COMDAT copies; a file compiled into two units) are merged into one
// row: the largest frame and the largest depth, and a depth is complete only
// when every copy's is. That is the worst case over the copies, which is what
// a budget cares about, and it does not depend on the order of the inputs.
// GCC's clone numbers are not part of the name (foo.constprop.0 is keyed and
// shown as foo.constprop), since any change in a unit may renumber them.
//
// A depth that is a lower bound ("complete": false) stays one: it is shown
// as ">= N", and a row whose bound changes completeness is listed even when
// the figure did not move.
#ifndef KSTACK_TOOL_DIFF_H
#define KSTACK_TOOL_DIFF_H

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "json_reader.h"

namespace kstack {

// A figure from a report: a frame (always complete) or a depth.
struct Bytes {
  std::uint64_t bytes = 0;
  bool complete = true;
};

// What diff reads of one entry or function of a report.
struct DiffRecord {
  std::string function;
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;  // 0 for functions: the report does not give it
  Bytes frame;               // functions only
  Bytes depth;
};

// What diff reads of a report; records may repeat a key.
struct DiffInput {
  std::vector<DiffRecord> entries;
  std::vector<DiffRecord> functions;
};

// Frames and depths above this (2^53 - 1, the integers every JSON reader
// keeps exactly) are refused, so deltas and totals cannot overflow.
inline constexpr std::uint64_t kDiffMaxBytes = (std::uint64_t{1} << 53) - 1;

// Reads DOCUMENT, a "kstack-report" of version 1. Throws InputError at the
// offending value for another schema, a newer version, or a missing or
// mistyped member; members this version does not need are ignored.
DiffInput read_diff_input(const JsonValue& document);

// Members of a report that read_diff_input never looks at, to pass to
// parse_json: the worst paths alone are most of a report.
inline const std::vector<std::string_view> kDiffIgnoredMembers = {
    "path", "reasons", "cycles", "unknown_callees", "duplicates", "unused_annotations"};

// One key in one table. `line` and `column` locate it in the new report if
// it is there, else in the old one.
struct DiffRow {
  std::string function;
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::optional<Bytes> old_value;  // nullopt: not in the old report
  std::optional<Bytes> new_value;  // nullopt: not in the new report
  // NEW - OLD, a missing side counting as 0.
  std::int64_t delta() const;
  bool completeness_changed() const {
    return old_value && new_value && old_value->complete != new_value->complete;
  }
  bool changed() const {
    return !old_value || !new_value || delta() != 0 || completeness_changed();
  }
};

// bloat-o-meter's summary: "add/remove: A/R grow/shrink: G/S up/down: U/-D (U-D)".
// Rows that keep their figure but change completeness count in neither grow
// nor shrink; they are counted apart.
struct DiffCounts {
  std::size_t added = 0, removed = 0, grown = 0, shrunk = 0;
  std::size_t now_incomplete = 0, now_complete = 0;
  std::uint64_t up = 0, down = 0;  // bytes; saturate at INT64_MAX
  std::size_t unchanged = 0;
  std::int64_t net() const {
    return static_cast<std::int64_t>(up) - static_cast<std::int64_t>(down);
  }
};

struct DiffTable {
  std::vector<DiffRow> rows;  // the changed rows (every row with keep_unchanged), sorted
  DiffCounts counts;
  // Each side's largest figure and whose it is (ties: the first by name,
  // then file), and the sum of its figures: the deepest entry, the total
  // of the frames.
  std::optional<Bytes> old_max, new_max;
  std::string old_max_function, new_max_function;
  std::uint64_t old_total = 0, new_total = 0;  // saturate at INT64_MAX
  std::size_t old_keys = 0, new_keys = 0;      // rows on each side, changed or not

  std::int64_t max_delta() const { return figure(new_max) - figure(old_max); }
  std::int64_t total_delta() const {
    return static_cast<std::int64_t>(new_total) - static_cast<std::int64_t>(old_total);
  }
  std::int64_t keys_delta() const {
    return static_cast<std::int64_t>(new_keys) - static_cast<std::int64_t>(old_keys);
  }

 private:
  static std::int64_t figure(const std::optional<Bytes>& value) {
    return value ? static_cast<std::int64_t>(value->bytes) : 0;
  }
};

struct ReportDiff {
  DiffTable entries;  // worst-case depth of each entry point
  DiffTable frames;   // frame of each function
  DiffTable depths;   // worst-case depth of each function
};

// The three tables. KEEP_UNCHANGED keeps rows whose figure did not change
// (`--all`).
ReportDiff diff_reports(const DiffInput& old_report, const DiffInput& new_report,
                        bool keep_unchanged);

// Entries present on both sides whose depth grew by more than LIMIT bytes,
// largest growth first (`--fail-above`).
std::vector<const DiffRow*> entries_grown_above(const ReportDiff& diff, std::uint64_t limit);

// Printers: no logic, every figure comes from the ReportDiff. TOP limits the
// rows of each table (0: all).
struct DiffPrintOptions {
  std::size_t top = 0;
};
void print_diff_text(std::ostream& out, const ReportDiff& diff, const DiffPrintOptions& options);
void print_diff_markdown(std::ostream& out, const ReportDiff& diff,
                         const DiffPrintOptions& options);

// The command: `kstack diff [options] OLD NEW`; returns the exit status.
int run_diff(const std::vector<std::string>& args);

}  // namespace kstack

#endif  // KSTACK_TOOL_DIFF_H
