// The analysis of `kstack diff` (see diff.h): a report's JSON tree becomes
// records; each side's records are sorted by key (function name, file) and
// merged per key; one walk over the two sorted sides gives the rows in key
// order, and a stable sort by delta then leaves ties by key.
#include "diff.h"

#include <algorithm>
#include <utility>

#include "checked.h"
#include "report_reader.h"

namespace kstack {
namespace {

DiffRecord read_record(const JsonValue& object, const char* what, bool is_function) {
  if (!object.as_object()) fail_at(object, std::string(what) + " is not an object");
  DiffRecord record;
  record.function = string_member(object, "function", what);
  record.file = string_member(object, "file", what);
  record.line = uint_member(object, "line", what, UINT32_MAX);
  if (!is_function) record.column = uint_member(object, "column", what, UINT32_MAX);
  if (is_function) record.frame.bytes = uint_member(object, "frame", what, kDiffMaxBytes);
  record.depth.bytes = uint_member(object, "depth", what, kDiffMaxBytes);
  record.depth.complete = bool_member(object, "complete", what);
  return record;
}

// Sums stay below INT64_MAX so that DiffCounts::net() cannot overflow;
// every addend is at most kDiffMaxBytes, so the addition itself cannot.
void add_saturating(std::uint64_t& sum, std::uint64_t value) {
  sum = std::min<std::uint64_t>(sum + value, INT64_MAX);
}

// GCC numbers the clones of a unit in the order it makes them
// (foo.constprop.0, foo.isra.1), so an unrelated change renumbers them. As
// bloat-o-meter does, the numbers are dropped: "foo.constprop.0" is keyed and
// shown as "foo.constprop", and two numbered clones of one kind merge like
// copies.
std::string without_clone_numbers(const std::string& name) {
  std::string key;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t end = std::min(name.find('.', i + 1), name.size());
    const bool number =
        name[i] == '.' && end > i + 1 && name.find_first_not_of("0123456789", i + 1) >= end;
    if (!number || i == 0) key.append(name, i, end - i);
    i = end;
  }
  return key;
}

struct Key {
  std::string function;
  std::string file;
  bool operator<(const Key& other) const {
    const int by_name = function.compare(other.function);
    return by_name != 0 ? by_name < 0 : file < other.file;
  }
  bool operator==(const Key& other) const {
    return function == other.function && file == other.file;
  }
};

// Every copy of one key folded into one: the worst figures, a depth complete
// only if every copy's is, and the smallest line and column, so that nothing
// depends on the order of the records.
struct Merged {
  Bytes frame;
  Bytes depth;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// One report's records merged per key, sorted by key.
using Side = std::vector<std::pair<Key, Merged>>;

Side merge_copies(const std::vector<DiffRecord>& records) {
  Side copies;
  copies.reserve(records.size());
  for (const DiffRecord& r : records)
    copies.push_back({Key{without_clone_numbers(r.function), r.file},
                      Merged{r.frame, r.depth, r.line, r.column}});
  std::sort(copies.begin(), copies.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Side side;
  for (auto& [key, copy] : copies) {
    if (side.empty() || !(side.back().first == key)) {
      side.emplace_back(std::move(key), copy);
      continue;
    }
    Merged& merged = side.back().second;
    merged.frame.bytes = std::max(merged.frame.bytes, copy.frame.bytes);
    merged.depth.bytes = std::max(merged.depth.bytes, copy.depth.bytes);
    merged.depth.complete &= copy.depth.complete;
    if (std::pair(copy.line, copy.column) < std::pair(merged.line, merged.column)) {
      merged.line = copy.line;
      merged.column = copy.column;
    }
  }
  return side;
}

void count_row(const DiffRow& row, DiffCounts& counts) {
  if (!row.old_value) {
    ++counts.added;
    add_saturating(counts.up, row.new_value->bytes);
  } else if (!row.new_value) {
    ++counts.removed;
    add_saturating(counts.down, row.old_value->bytes);
  } else {
    const std::int64_t delta = row.delta();
    if (delta > 0) {
      ++counts.grown;
      add_saturating(counts.up, delta);
    } else if (delta < 0) {
      ++counts.shrunk;
      add_saturating(counts.down, -delta);
    }
    if (row.completeness_changed())
      ++(row.new_value->complete ? counts.now_complete : counts.now_incomplete);
    if (!row.changed()) ++counts.unchanged;
  }
}

// The side's largest figure; key order makes the first by key win a tie.
void note_extremes(const Side& side, Bytes Merged::*figure, std::optional<Bytes>& max,
                   std::string& max_function, std::uint64_t& total) {
  for (const auto& [key, merged] : side) {
    const Bytes& value = merged.*figure;
    add_saturating(total, value.bytes);
    if (max && value.bytes <= max->bytes) continue;
    max = value;
    max_function = key.function;
  }
}

// One walk over both sides in key order gives the rows in key order; the
// stable sort by delta then leaves ties by key.
DiffTable diff_table(const Side& old_side, const Side& new_side, Bytes Merged::*figure,
                     bool keep_unchanged) {
  DiffTable table;
  table.old_keys = old_side.size();
  table.new_keys = new_side.size();
  note_extremes(old_side, figure, table.old_max, table.old_max_function, table.old_total);
  note_extremes(new_side, figure, table.new_max, table.new_max_function, table.new_total);

  auto old_it = old_side.begin();
  auto new_it = new_side.begin();
  while (old_it != old_side.end() || new_it != new_side.end()) {
    const bool take_old =
        new_it == new_side.end() || (old_it != old_side.end() && !(new_it->first < old_it->first));
    const bool take_new =
        old_it == old_side.end() || (new_it != new_side.end() && !(old_it->first < new_it->first));
    const Key& key = take_old ? old_it->first : new_it->first;
    const Merged& where = take_new ? new_it->second : old_it->second;
    DiffRow row{key.function, key.file, where.line, where.column, std::nullopt, std::nullopt};
    if (take_old) row.old_value = (old_it++)->second.*figure;
    if (take_new) row.new_value = (new_it++)->second.*figure;
    count_row(row, table.counts);
    if (keep_unchanged || row.changed()) table.rows.push_back(std::move(row));
  }
  std::stable_sort(table.rows.begin(), table.rows.end(),
                   [](const DiffRow& a, const DiffRow& b) { return a.delta() > b.delta(); });
  return table;
}

}  // namespace

std::int64_t DiffRow::delta() const {
  const std::int64_t before = old_value ? static_cast<std::int64_t>(old_value->bytes) : 0;
  const std::int64_t after = new_value ? static_cast<std::int64_t>(new_value->bytes) : 0;
  return after - before;
}

DiffInput read_diff_input(const JsonValue& document) {
  check_report_schema(document);
  DiffInput input;
  for (const JsonValue& entry : array_member(document, "entries", "the report"))
    input.entries.push_back(read_record(entry, "entry", false));
  for (const JsonValue& function : array_member(document, "functions", "the report"))
    input.functions.push_back(read_record(function, "function", true));
  return input;
}

ReportDiff diff_reports(const DiffInput& old_report, const DiffInput& new_report,
                        bool keep_unchanged) {
  const Side old_entries = merge_copies(old_report.entries);
  const Side new_entries = merge_copies(new_report.entries);
  const Side old_functions = merge_copies(old_report.functions);
  const Side new_functions = merge_copies(new_report.functions);
  ReportDiff diff;
  diff.entries = diff_table(old_entries, new_entries, &Merged::depth, keep_unchanged);
  diff.frames = diff_table(old_functions, new_functions, &Merged::frame, keep_unchanged);
  diff.depths = diff_table(old_functions, new_functions, &Merged::depth, keep_unchanged);
  return diff;
}

std::vector<const DiffRow*> entries_grown_above(const ReportDiff& diff, std::uint64_t limit) {
  std::vector<const DiffRow*> grown;
  for (const DiffRow& row : diff.entries.rows)
    if (row.old_value && row.new_value && row.delta() > 0 &&
        static_cast<std::uint64_t>(row.delta()) > limit)
      grown.push_back(&row);
  return grown;
}

}  // namespace kstack
