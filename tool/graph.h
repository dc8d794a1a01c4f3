// The call graph of a resolved program: vertices are functions (the nodes of
// the SymbolTable), edges are calls. Each recorded call becomes one edge to
// the node it resolves to, or to no node (kNoFunction) when the callee has no
// record, is an unresolved indirect call, or is an asm branch kstack could
// not name. An indirect call resolved to candidates (indirect.h) becomes one
// edge per candidate, all made by the recorded call itself: a candidate with
// a record is an edge to its node, one without is an edge to no node by a
// call made to name it. What a user knows and the compiler does not comes in
// as additions (from an annotations file): extra call edges, the targets of
// a function's indirect calls, which then replace any resolution, and
// trampolines: a call to a symbol with no record that only jumps on becomes
// a call to each place it can jump to.
//
// Edges are stored flat, in caller order (compressed sparse rows), because a
// kernel or a synthetic 10^6-function program has millions of them.
#ifndef KSTACK_TOOL_GRAPH_H
#define KSTACK_TOOL_GRAPH_H

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "indirect.h"
#include "resolve.h"

namespace kstack {

// Calls a user adds: CALLER (a glob over function names) calls CALLEES (symbol
// names, resolved from the caller's unit). With `indirect`, the callees are
// the only targets of the caller's indirect calls, each made at the indirect
// call's own site and convention; without, they are extra direct calls.
struct AddedCalls {
  std::string caller;
  std::vector<std::string> callees;
  bool indirect = false;
  std::string file;  // where the user said so, for the output
  std::uint32_t line = 0;
};

// A trampoline a user names (`jumps`): a called symbol matching SYMBOL (a
// glob) that has no record only jumps to one of TARGETS (names resolved from
// the calling unit), like the kernel's static_call trampolines. A call to it
// becomes a call to each target, at the same site and convention; the
// trampoline itself uses no stack. Targets are not trampolines in turn: one
// with no record is an unknown callee.
struct Trampoline {
  std::string symbol;
  std::vector<std::string> targets;
  std::string file;  // where the user said so, for the output
  std::uint32_t line = 0;
};

struct Edge {
  std::uint32_t target;  // kNoFunction: see `call` for why
  // The recorded call (an indirect one for each of its candidates), or one
  // made from an AddedCalls, a Trampoline or a candidate with no record.
  const Call* call;
};

// How one indirect call site was resolved.
struct IndirectSite {
  const Call* call;             // the recorded indirect call
  std::uint32_t caller;         // node
  const IndirectCall* info;     // what the compiler knew of it; null: nothing
  Resolution resolution;        // kAnnotation: an `indirect` annotation named its targets
  std::uint32_t targets;        // its edges (candidates, or callees the annotations name)
  const std::string* slot;      // kField, kGlobal: the slot the pointer was loaded from
  const std::string* fallback;  // why its slot did not decide it, or null
};

class CallGraph {
 public:
  // Precondition: SYMBOLS (and the units it reads), ADDITIONS and TRAMPOLINES
  // outlive the graph. The first trampoline that matches a symbol wins.
  // INDIRECT says how indirect calls without an annotation are resolved.
  CallGraph(const SymbolTable& symbols, const std::vector<AddedCalls>& additions = {},
            const std::vector<Trampoline>& trampolines = {},
            IndirectMode indirect = IndirectMode::kField);

  std::size_t size() const { return offsets_.size() - 1; }
  const Edge* begin(std::uint32_t node) const { return edges_.data() + offsets_[node]; }
  const Edge* end(std::uint32_t node) const { return edges_.data() + offsets_[node + 1]; }
  std::size_t edge_count() const { return edges_.size(); }
  // Whether another function calls NODE (a resolved edge from another node).
  bool called(std::uint32_t node) const { return called_[node]; }
  const SymbolTable& symbols() const { return symbols_; }

  // Additions whose caller pattern matched no function: probably a typo or a
  // function that no longer exists, which the user wants to hear about.
  const std::vector<const AddedCalls*>& unmatched() const { return unmatched_; }
  // Trampolines that matched no called symbol without a record, likewise.
  const std::vector<const Trampoline*>& unmatched_trampolines() const {
    return unmatched_trampolines_;
  }
  // The call to a trampoline that CALL (an edge's call) stands for, or null
  // when CALL went through no trampoline.
  const Call* trampoline_call(const Call* call) const;

  // Every indirect call, in caller order.
  const std::vector<IndirectSite>& indirect_sites() const { return indirect_sites_; }
  // The indirect call site CALL (an edge's call) was made at, or null when
  // CALL is no indirect call.
  const IndirectSite* indirect_site(const Call* call) const;

 private:
  const SymbolTable& symbols_;
  IndirectResolver resolver_;  // owns the strings and target sets sites point to
  std::vector<std::uint64_t> offsets_;
  std::vector<Edge> edges_;
  std::vector<bool> called_;
  std::deque<Call> added_;  // the calls made from additions; stable addresses
  std::unordered_map<const Call*, const Call*> through_trampoline_;  // made call -> its call
  std::vector<const AddedCalls*> unmatched_;
  std::vector<const Trampoline*> unmatched_trampolines_;
  std::vector<IndirectSite> indirect_sites_;
  std::unordered_map<const Call*, std::uint32_t> site_of_;  // recorded or made call -> site
};

// Whether TEXT has a character that makes it a glob rather than a name.
bool has_glob_characters(const std::string& text);

// A shell-style pattern (*, ?, [...]) whose kind is worked out once: most
// annotation globs are plain names, which match by comparison. Matching a
// kernel profile's hundreds of globs against every function made the pattern
// scan the bulk of the report's time. Precondition: PATTERN outlives it.
class Glob {
 public:
  explicit Glob(const std::string& pattern)
      : pattern_(&pattern), literal_(!has_glob_characters(pattern)) {}
  bool matches(const std::string& name) const;

 private:
  const std::string* pattern_;
  bool literal_;
};

// Whether NAME matches the shell-style GLOB (one match; loops use Glob).
inline bool glob_match(const std::string& glob, const std::string& name) {
  return Glob(glob).matches(name);
}

}  // namespace kstack

#endif  // KSTACK_TOOL_GRAPH_H
