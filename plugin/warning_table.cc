// Reading the warnings' whole-program table (warning_table.h).
#include "warning_table.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "checked.h"
#include "diagnostics.h"
#include "report_reader.h"

namespace kstack {
namespace {

// The members of a report the warnings never look at; the parser checks
// their syntax but keeps none of them.
const std::vector<std::string_view> kUnusedMembers = {
    "path",           "reasons", "cycles",   "unknown_callees", "duplicates", "unused_annotations",
    "indirect_calls", "summary", "accepted", "outgrown",        "unit",       "frame_kind",
    "red_zone"};

constexpr std::uint64_t kMaxBytes = UINT64_MAX;

std::uint32_t optional_id(const JsonValue& object, const char* key, const char* what,
                          std::size_t count) {
  const JsonValue& value = member(object, key, what);
  if (value.is_null()) return kNoTableFunction;
  const std::optional<std::uint64_t> id = value.as_uint64();
  if (!id || *id >= count)
    fail_at(value,
            std::string("'") + key + "' is not a function id below " + std::to_string(count));
  return static_cast<std::uint32_t>(*id);
}

TableFunction read_function(const JsonValue& object, std::size_t index, std::size_t count) {
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
  f.depth = uint_member(object, "depth", what, kMaxBytes);
  f.complete = bool_member(object, "complete", what);
  f.next = optional_id(object, "next", what, count);
  const JsonValue& entered = member(object, "entered", what);
  if (entered.is_null()) return f;
  if (!entered.as_object()) fail_at(entered, "'entered' is not an object or null");
  f.reached = true;
  f.entered = uint_member(entered, "bytes", "'entered'", kMaxBytes);
  f.entered_complete = bool_member(entered, "complete", "'entered'");
  f.entry = optional_id(entered, "entry", "'entered'", count);
  f.caller = optional_id(entered, "caller", "'entered'", count);
  f.through_cycle = bool_member(entered, "through_cycle", "'entered'");
  return f;
}

}  // namespace

WarningTable WarningTable::parse(std::string_view text) {
  const JsonValue document = parse_json(text, kUnusedMembers);
  check_report_schema(document);
  WarningTable table;
  const JsonArray& functions = array_member(document, "functions", "the report");
  table.functions_.reserve(functions.size());
  for (std::size_t i = 0; i < functions.size(); ++i)
    table.functions_.push_back(read_function(functions[i], i, functions.size()));
  for (std::uint32_t id = 0; id < table.functions_.size(); ++id)
    table.by_name_.emplace(table.functions_[id].name, id);
  for (const JsonValue& entry : array_member(document, "entries", "the report")) {
    if (!entry.as_object()) fail_at(entry, "an entry is not an object");
    const std::uint32_t id = optional_id(entry, "id", "an entry", functions.size());
    if (id == kNoTableFunction) fail_at(member(entry, "id", "an entry"), "an entry has no id");
    const JsonValue& budget = member(entry, "budget", "an entry");
    if (!budget.is_null()) table.budgets_[id] = uint_member(entry, "budget", "an entry", kMaxBytes);
  }
  return table;
}

std::optional<WarningTable> WarningTable::read(const std::string& path, std::string& error) {
  // Mapped, not read: the compiler is a fresh process each time, and copying
  // tens of megabytes into new memory would fault in every page twice.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat status;
  int failure = fd < 0 ? errno : fstat(fd, &status) < 0 ? errno : 0;
  if (!failure && S_ISDIR(status.st_mode)) failure = EISDIR;
  void* mapped = MAP_FAILED;
  if (!failure && status.st_size > 0) {
    mapped = mmap(nullptr, status.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapped == MAP_FAILED) failure = errno;
  }
  if (fd >= 0) close(fd);
  if (failure) {
    error = "'" + path + "': cannot open: " + strerror(failure);
    return std::nullopt;
  }
  std::string_view text;
  if (mapped != MAP_FAILED)
    text = std::string_view(static_cast<const char*>(mapped), status.st_size);
  std::optional<WarningTable> table;
  try {
    table = parse(text);
  } catch (const InputError& e) {
    error = "'" + path + "': offset " + format_hex(e.offset) + ": " + e.what();
  } catch (const std::exception& e) {  // std::bad_alloc
    error = "'" + path + "': " + e.what();
  }
  if (mapped != MAP_FAILED) munmap(mapped, status.st_size);
  return table;
}

// Whether TABLE_FILE, as the report printed it, names SOURCE_FILE, as GCC
// does: the same path, or its end after `kstack report --strip-prefix`.
static bool same_source(std::string_view table_file, std::string_view source_file) {
  if (table_file == source_file) return true;
  return !table_file.empty() && source_file.size() > table_file.size() &&
         source_file.substr(source_file.size() - table_file.size()) == table_file &&
         source_file[source_file.size() - table_file.size() - 1] == '/';
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
