// Reading the warnings' whole-program table (warning_table.h).
#include "warning_table.h"

#include <algorithm>

#include "checked.h"
#include "diagnostics.h"
#include "paths.h"
#include "report_reader.h"
#include "text_file.h"

namespace kstack {
namespace {

// The members of a report the warnings and the guard never look at; the parser checks
// their syntax but keeps none of them.
const std::vector<std::string_view> kUnusedMembers = {
    "path",           "reasons", "cycles",   "unknown_callees", "duplicates", "unused_annotations",
    "indirect_calls", "summary", "accepted", "outgrown",        "unit",       "frame_kind"};

constexpr std::uint64_t kMaxBytes = UINT64_MAX;

// A function id, or kNoTableFunction for null. Ids may point forward, so
// they are checked against the number of functions once all are read: AT
// keeps where each one was written.
std::uint32_t optional_id(const JsonValue& object, const char* key, const char* what,
                          std::uint64_t& at) {
  const JsonValue& value = member(object, key, what);
  at = value.offset();
  if (value.is_null()) return kNoTableFunction;
  const std::optional<std::uint64_t> id = value.as_uint64();
  if (!id || *id >= kNoTableFunction)
    fail_at(value, std::string("'") + key + "' is not a function id");
  return static_cast<std::uint32_t>(*id);
}

// Where a function's ids were written.
struct IdOffsets {
  std::uint64_t next = 0, entry = 0, caller = 0;
};

TableFunction read_function(const JsonValue& object, std::size_t index, IdOffsets& at) {
  const char* what = "a function";
  if (!object.as_object()) fail_at(object, "a function is not an object");
  if (uint_member(object, "id", what, UINT32_MAX) != index)
    fail_at(member(object, "id", what), "'id' is not the function's index");
  TableFunction f;
  f.name = string_member(object, "function", what);
  f.file = string_member(object, "file", what);
  f.line = static_cast<std::uint32_t>(uint_member(object, "line", what, UINT32_MAX));
  f.local = string_member(object, "binding", what) == "local";
  f.frame = uint_member(object, "frame", what, kMaxBytes);
  f.red_zone = uint_member(object, "red_zone", what, kMaxBytes);
  f.depth = uint_member(object, "depth", what, kMaxBytes);
  f.complete = bool_member(object, "complete", what);
  f.next = optional_id(object, "next", what, at.next);
  const JsonValue& entered = member(object, "entered", what);
  if (entered.is_null()) return f;
  if (!entered.as_object()) fail_at(entered, "'entered' is not an object or null");
  f.reached = true;
  f.entered = uint_member(entered, "bytes", "'entered'", kMaxBytes);
  f.entered_complete = bool_member(entered, "complete", "'entered'");
  f.entry = optional_id(entered, "entry", "'entered'", at.entry);
  f.caller = optional_id(entered, "caller", "'entered'", at.caller);
  f.through_cycle = bool_member(entered, "through_cycle", "'entered'");
  return f;
}

void check_id(std::uint32_t id, std::uint64_t at, const char* key, std::size_t count) {
  if (id != kNoTableFunction && id >= count)
    throw InputError(
        at, std::string("'") + key + "' is not a function id below " + std::to_string(count));
}

}  // namespace

// The functions are streamed (json_reader.h): no tree of 56,000 objects is
// built. A schema error in one is kept until the document is known to be a
// report, so that a document of another kind or version is named as such.
WarningTable WarningTable::parse(std::string_view text) {
  WarningTable table;
  std::vector<IdOffsets> id_offsets;
  std::optional<InputError> deferred;
  JsonStream functions{
      "functions", [&](const JsonValue& element) {
        if (deferred) return;
        try {
          IdOffsets at;
          table.functions_.push_back(read_function(element, table.functions_.size(), at));
          id_offsets.push_back(at);
        } catch (const InputError& error) {
          deferred = error;
        }
      }};
  const JsonValue document = parse_json(text, kUnusedMembers, functions);
  check_report_schema(document);
  if (deferred) throw *deferred;
  if (!member(document, "functions", "the report").is_null())
    fail_at(*document.find("functions"), "'functions' is not an array");
  const std::size_t count = table.functions_.size();
  for (std::size_t i = 0; i < count; ++i) {
    const TableFunction& f = table.functions_[i];
    check_id(f.next, id_offsets[i].next, "next", count);
    check_id(f.entry, id_offsets[i].entry, "entry", count);
    check_id(f.caller, id_offsets[i].caller, "caller", count);
  }
  for (std::uint32_t id = 0; id < count; ++id)
    table.by_name_.emplace(table.functions_[id].name, id);
  for (const JsonValue& entry : array_member(document, "entries", "the report")) {
    if (!entry.as_object()) fail_at(entry, "an entry is not an object");
    std::uint64_t at = 0;
    const std::uint32_t id = optional_id(entry, "id", "an entry", at);
    if (id == kNoTableFunction) fail_at(member(entry, "id", "an entry"), "an entry has no id");
    check_id(id, at, "id", count);
    const JsonValue& budget = member(entry, "budget", "an entry");
    if (!budget.is_null()) table.budgets_[id] = uint_member(entry, "budget", "an entry", kMaxBytes);
  }
  return table;
}

std::optional<WarningTable> WarningTable::read(const std::string& path, std::string& error) {
  // Collects the reader's one message instead of printing it.
  struct Collect : Diagnostics {
    std::string message;
    void report(const Diagnostic& d) override { message = d.message; }
  } diagnostics;
  try {
    const std::optional<MappedTextFile> file = MappedTextFile::map(path, diagnostics);
    if (!file) {
      error = "'" + path + "': " + diagnostics.message;
      return std::nullopt;
    }
    return parse(file->text());
  } catch (const InputError& e) {
    error = "'" + path + "': offset " + format_hex(e.offset) + ": " + e.what();
  } catch (const std::exception& e) {  // std::bad_alloc
    error = "'" + path + "': " + e.what();
  }
  return std::nullopt;
}

// Whether TABLE_FILE, as the report printed it, names SOURCE_FILE, as GCC
// does: the same path, or its end after `kstack report --strip-prefix`.
static bool same_source(std::string_view table_file, std::string_view source_file) {
  return table_file == source_file || path_ends_with(source_file, table_file);
}

const TableFunction* WarningTable::find(std::string_view name, std::string_view file) const {
  const TableFunction* best = nullptr;
  auto [begin, end] = by_name_.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    const TableFunction& f = functions_[it->second];
    if (f.local && !same_source(f.file, file)) continue;
    if (!best || through(f) > through(*best)) best = &f;
  }
  return best;
}

std::optional<std::uint64_t> WarningTable::budget(std::uint32_t entry) const {
  auto it = budgets_.find(entry);
  if (it == budgets_.end()) return std::nullopt;
  return it->second;
}

std::uint64_t WarningTable::through(const TableFunction& f) const {
  return f.entered > UINT64_MAX - f.depth ? UINT64_MAX : f.entered + f.depth;
}

std::vector<std::uint32_t> WarningTable::follow(std::uint32_t f,
                                                std::uint32_t TableFunction::*link) const {
  std::vector<std::uint32_t> way;
  std::vector<bool> seen(functions_.size(), false);
  for (std::uint32_t step = f; step != kNoTableFunction && !seen[step];
       step = functions_[step].*link) {
    seen[step] = true;
    way.push_back(step);
  }
  return way;
}

std::vector<std::uint32_t> WarningTable::way_in(std::uint32_t f) const {
  std::vector<std::uint32_t> way = follow(f, &TableFunction::caller);
  std::reverse(way.begin(), way.end());
  return way;
}

std::vector<std::uint32_t> WarningTable::way_down(std::uint32_t f) const {
  return follow(f, &TableFunction::next);
}

}  // namespace kstack
