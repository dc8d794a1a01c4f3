// The whole-program table the compile-time warnings and the guard read
// (-fplugin-arg-kstack-table=FILE): a JSON report written by an earlier
// `kstack report --format=json` (docs/report-json.md). From it a warning
// gives the worst path through a function, from the entry point whose
// deepest way in reaches it, against that entry's budget; the guard
// (guard.h) leaves out the functions in which the stack stays below its
// limit.
//
// Only what they use is kept: per function its identity, frame,
// depth, the next step down and the last step of its deepest way in; per
// entry its budget. Worst paths, indirect-call sites and the other large
// members are skipped while parsing. No GCC types: it is unit-tested, and the
// plugin compiles this file (with tool/json_reader.cc and
// tool/report_reader.cc) with exceptions on and lets none escape `read`.
#ifndef KSTACK_PLUGIN_WARNING_TABLE_H
#define KSTACK_PLUGIN_WARNING_TABLE_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kstack {

inline constexpr std::uint32_t kNoTableFunction = UINT32_MAX;

struct TableFunction {
  std::string name;
  std::string file;
  std::uint32_t line = 0;
  bool local = false;
  std::uint64_t frame = 0;
  std::uint64_t red_zone = 0;  // used below the stack pointer by a leaf (x86_64)
  std::uint64_t depth = 0;
  bool complete = true;
  std::uint32_t next = kNoTableFunction;
  // The deepest way in from an entry point; `reached` false: none.
  bool reached = false;
  std::uint64_t entered = 0;
  bool entered_complete = true;
  std::uint32_t entry = kNoTableFunction;
  std::uint32_t caller = kNoTableFunction;
  // The last step in is no call but a way through the recursive component
  // CALLER and this function belong to.
  bool through_cycle = false;
};

class WarningTable {
 public:
  // Parses a report. Throws InputError (tool/checked.h) at the offset of the
  // first thing that is not a readable kstack report.
  static WarningTable parse(std::string_view text);
  // Reads and parses PATH; on failure returns nullopt and puts in ERROR one
  // line naming the file and, for bad contents, the offset.
  static std::optional<WarningTable> read(const std::string& path, std::string& error);

  std::size_t size() const { return functions_.size(); }
  const TableFunction& function(std::uint32_t id) const { return functions_[id]; }
  // The function NAME defined in FILE: a local one only from that file (or
  // from its end, as `kstack report --strip-prefix` prints it); of several
  // (one source built into two objects), the deepest through it.
  const TableFunction* find(std::string_view name, std::string_view file) const;
  std::uint32_t id_of(const TableFunction& f) const {
    return static_cast<std::uint32_t>(&f - functions_.data());
  }
  // The budget of entry point ENTRY, if the report gave it one.
  std::optional<std::uint64_t> budget(std::uint32_t entry) const;
  // The worst stack through F: in use when entered, plus its depth.
  std::uint64_t through(const TableFunction& f) const;
  // The deepest way into F from its entry point, entry first, F last; and
  // the worst path down from F, F first. A path that loops (a report edited
  // by hand) stops before it repeats.
  std::vector<std::uint32_t> way_in(std::uint32_t f) const;
  std::vector<std::uint32_t> way_down(std::uint32_t f) const;

 private:
  // F, then each LINK (caller or next) until none, or until one repeats.
  std::vector<std::uint32_t> follow(std::uint32_t f, std::uint32_t TableFunction::*link) const;

  std::vector<TableFunction> functions_;
  std::unordered_multimap<std::string_view, std::uint32_t> by_name_;
  std::unordered_map<std::uint32_t, std::uint64_t> budgets_;  // entry id -> bytes
};

// The table of -fplugin-arg-kstack-table=FILE, read when a part of the
// plugin first asks for it and kept for the rest of the compile: the
// warnings and the guard (guard.h) share one read of a table that can hold
// every function of a kernel. Each part says itself what an unreadable
// table means for it.
class TableFile {
 public:
  TableFile() = default;
  explicit TableFile(std::string path) : path_(std::move(path)) {}
  bool given() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  // Null when no table was given or it cannot be read; then error() is
  // one line naming the file.
  const WarningTable* get() {
    if (given() && !read_) {
      read_ = true;
      table_ = WarningTable::read(path_, error_);
    }
    return table_ ? &*table_ : nullptr;
  }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  bool read_ = false;
  std::optional<WarningTable> table_;
  std::string error_;
};

}  // namespace kstack

#endif  // KSTACK_PLUGIN_WARNING_TABLE_H
