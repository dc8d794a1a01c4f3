// The stack budget table of a whole program: everything `kstack report` and
// `kstack check` print, computed once from the units and the options, with no
// I/O. Printers format a Report and decide nothing.
//
// Entry points are the functions nothing else calls (the roots of the call
// graph: a component no other component calls), unless the user names them
// by glob. Either way a superseded definition (resolve.h: a weak function a
// strong one beat, a second COMDAT copy) is none: it is not in the linked
// program, and neither its frame nor its calls count in the tables.
//
// Each entry's worst-case depth is set against its budget: the first
// `budget` annotation that matches it, else the command line's --budget, else
// none. An entry is over budget when its bound exceeds the budget, and
// incomplete when its bound is only a lower bound; either can be accepted by
// an `accept` annotation, up to a recorded depth, so a baseline of known
// offenders fails only when one gets worse.
//
// Indirect calls are resolved to candidates (indirect.h, as --indirect
// says); the report counts the sites of the program's functions by how each
// was resolved, with the median and 90th percentile of their numbers of
// targets, and lists the sites left unresolved.
#ifndef KSTACK_TOOL_REPORT_H
#define KSTACK_TOOL_REPORT_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "depth.h"
#include "graph.h"
#include "resolve.h"

namespace kstack {

struct Budget {
  std::string glob;  // entries it applies to
  std::uint64_t bytes;
  Source source;
};

struct Accept {
  std::string glob;         // entries it applies to
  std::uint64_t max_bytes;  // accepted while the (lower) bound stays at most this
  std::string reason;
  Source source;
};

struct EntryGlob {
  std::string glob;
  Source source;
};

// Code with no record that the user describes (`stub`): SYMBOL uses BYTES of
// stack of its own, counted as a frame is, and calls each TARGET (none: a
// leaf). Unlike an assumed depth it is a function of the call graph:
// append_stub_units (annotations.h) makes it one, weak so that a record of
// the same name wins, and notes here where it put it.
struct Stub {
  std::string symbol;  // one name, no glob
  std::uint64_t bytes = 0;
  std::vector<std::string> targets;
  Source source;
  FunctionId function{kNoFunction, 0};  // kNoFunction unit: not appended
};

// Everything the user can say about a program, from options and from
// annotation files.
struct ReportOptions {
  DepthOptions depth;
  std::vector<AddedCalls> added_calls;
  std::vector<Trampoline> trampolines;  // the first matching one wins
  std::vector<Stub> stubs;              // functions of the units once appended
  std::vector<EntryGlob> entries;       // none: the roots of the call graph
  std::optional<std::uint64_t> budget;
  std::vector<Budget> budgets;
  std::vector<Accept> accepts;
  // The link group of each unit (resolve.h): 0 for the program, N for the
  // Nth separately linked file (--module). Empty: one program.
  std::vector<std::uint32_t> link_groups;
  IndirectMode indirect = IndirectMode::kField;  // --indirect
};

enum class EntryStatus { kOk, kOverBudget, kIncomplete };
const char* entry_status_name(EntryStatus status);

struct EntryReport {
  std::uint32_t node = kNoFunction;
  std::optional<std::uint64_t> budget;
  const Budget* budget_source = nullptr;  // nullptr: --budget, or none
  EntryStatus status = EntryStatus::kOk;
  const Accept* accepted = nullptr;  // set when status is not kOk and an accept covers it
  const Accept* outgrown = nullptr;  // an accept that matched, but below the bound now
  bool fails() const { return status != EntryStatus::kOk && accepted == nullptr; }
  // Over its budget and not accepted: every output shows it, however long
  // the list (an incomplete bound alone is shown among the deepest only).
  bool over_budget() const { return status == EntryStatus::kOverBudget && accepted == nullptr; }
};

// A symbol called but defined by no record and given no assumed depth; calls
// from superseded definitions are not counted.
struct UnknownCallee {
  std::string symbol;
  std::uint32_t call_sites;
  std::uint32_t first_caller;  // node
};

// Numbers of targets over a set of indirect call sites, nearest-rank: the
// smallest number at least half (90%) of the sites do not exceed. Unset for
// no sites.
struct TargetPercentiles {
  std::optional<std::uint32_t> median;
  std::optional<std::uint32_t> p90;
};

// The indirect call sites of the program's functions (superseded
// definitions left out).
struct IndirectStatistics {
  IndirectMode mode = IndirectMode::kField;
  std::size_t sites = 0;
  std::array<std::size_t, kResolutionCount> by_resolution{};  // by Resolution
  std::array<TargetPercentiles, kResolutionCount> targets_by_resolution;
  TargetPercentiles targets;                    // over the resolved sites
  std::vector<const IndirectSite*> unresolved;  // in caller order
  std::vector<const IndirectSite*> all;         // every counted site, in caller order
};

// Something the user said that applies to nothing: a typo or a stale line.
struct UnusedAnnotation {
  std::string what;  // "entry 'foo*'", "budget 'bar'"
  Source source;
};

// One step of a worst path, as every output shows it.
struct PathStep {
  std::uint32_t node = kNoFunction;  // kNoFunction: a symbol of assumed depth
  const AssumedDepth* assumed = nullptr;
  std::string symbol;                      // the function or the assumed symbol
  std::uint64_t frame = 0;                 // its frame (GCC's figure), or the assumed depth
  std::uint64_t red_zone = 0;              // used below the stack pointer, beyond the frame
  std::uint64_t before = 0;                // stack in use above it on this path
  const Call* call = nullptr;              // the call that reached it; null for the first step
                                           // and for a member reached inside a bounded cycle
  std::string via;                         // the trampoline `call` jumped through, if any
  const IndirectSite* indirect = nullptr;  // `call` is this indirect call site's
  const Cycle* recursion = nullptr;        // a bounded recursive component starts here
  std::uint64_t stack() const { return add_bytes(add_bytes(before, frame), red_zone); }
};

class Report {
 public:
  // Precondition: UNITS and OPTIONS outlive the report, and UNITS hold the
  // stubs of OPTIONS (append_stub_units) if it has any.
  Report(const std::vector<Unit>& units, const ReportOptions& options);

  const SymbolTable& symbols() const { return symbols_; }
  const CallGraph& graph() const { return graph_; }
  const DepthAnalysis& depth() const { return depth_; }
  const Depth& depth_of(std::uint32_t node) const { return depth_.depth[node]; }
  const std::vector<EntryDepth>& entered() const { return entered_; }
  const Function& function(std::uint32_t node) const { return symbols_.function(node); }
  const Unit& unit_of(std::uint32_t node) const { return symbols_.unit_of(node); }
  // The names NODE's aliases give it (an alias whose name another definition
  // took is none of them).
  const std::vector<const std::string*>& alias_names(std::uint32_t node) const {
    return alias_names_[node];
  }

  std::size_t unit_count() const { return unit_count_; }
  std::size_t call_count() const { return graph_.edge_count(); }
  // Entries by worst-case depth, deepest first; ties by name.
  const std::vector<EntryReport>& entries() const { return entries_; }
  // The LIMIT nodes with the largest frames (every node if 0), largest first;
  // ties by name. Superseded definitions are left out.
  std::vector<std::uint32_t> by_frame(std::size_t limit = 0) const;
  const std::vector<UnknownCallee>& unknown_callees() const { return unknown_callees_; }
  const std::vector<UnusedAnnotation>& unused_annotations() const { return unused_; }
  const IndirectStatistics& indirect_calls() const { return indirect_; }

  std::size_t failing_entries() const;
  // Entries by status, and how many an accept covers.
  struct EntryCounts {
    std::uint64_t over_budget = 0, incomplete = 0, accepted = 0;
  };
  EntryCounts entry_counts() const;

  // The symbols SITE's call may reach, in edge order: the functions of its
  // resolved targets, and the symbols without a record among them.
  std::vector<std::string_view> indirect_targets(const IndirectSite& site) const;

  // The worst path from NODE, step by step; the largest stack() of its steps
  // is NODE's depth.
  std::vector<PathStep> worst_path_steps(std::uint32_t node) const;

 private:
  void collect_alias_names();
  // Whether an entry, budget or accept GLOB names NODE: by its own name or
  // one of its aliases' (every kernel module's init function is aliased
  // init_module; on 32-bit arm, sys_read is an alias of __se_sys_read).
  bool glob_matches(const Glob& glob, std::uint32_t node) const;
  void choose_entries(const ReportOptions& options);
  void check_stubs(const ReportOptions& options);
  void judge_entries(const ReportOptions& options);
  void collect_unknown_callees();
  void count_indirect_calls(IndirectMode mode);

  std::size_t unit_count_;
  SymbolTable symbols_;
  CallGraph graph_;
  DepthAnalysis depth_;
  std::vector<EntryDepth> entered_;
  std::vector<EntryReport> entries_;
  std::vector<UnknownCallee> unknown_callees_;
  std::vector<UnusedAnnotation> unused_;
  IndirectStatistics indirect_;
  std::vector<std::vector<const std::string*>> alias_names_;  // by node
};

// "16384", "16K" (×1024), "2M" (×1024²): how budgets and sizes are written.
std::optional<std::uint64_t> parse_bytes(const std::string& text);

}  // namespace kstack

#endif  // KSTACK_TOOL_REPORT_H
