// The candidate targets of indirect calls, from what the plugin recorded of
// function pointers: where each indirect call loaded its pointer from
// (Unit::indirect_calls) and where function addresses go (Unit::references).
//
// A slot is a named place a pointer is kept: a struct field (kind, struct,
// member), a global variable (kind, symbol, member) or a parameter of a
// function (kind, function, index). Fields and globals are compared by name
// across units, so two struct types of the same name in different files are
// one slot: an over-approximation, which is sound. A parameter's function
// symbol resolves from the unit naming it, so the key of a parameter slot is
// (node, index): an alias and its target, or a static's name in its own
// unit, are one slot. A parameter whose function resolves to no record
// (assembly, a library) is an external parameter slot; one with no function
// (notes written before parameters were slots) is not followed. References
// say what a slot can hold:
//   - a store of function F into slot K: K may hold F (`g(f)` stores f into
//     g's parameter);
//   - a store with no function whose source is a slot J (a copy): K may
//     hold whatever J holds;
//   - any other store with no function (a call's result): K takes unknown
//     values;
//   - a parameter of function G is open, it takes unknown values, when G
//     may be called where no store is recorded: G's address is taken (G, or
//     an alias of it, is the function of any reference), G has no recorded
//     direct caller (it is called from assembly or not at all), or an asm
//     call or a thunk calls it (neither records what it passes);
//   - an external parameter slot takes unknown values, and whatever is
//     stored into it escapes: its function's body is not seen;
//   - an escape of F (its address passed on, cast, kept in a local): F may
//     reach any indirect call of a compatible signature;
//   - an escape with no function whose source is a slot S (a function uses
//     what its parameter holds in a way the plugin does not follow): every
//     function stored into reach(S) escapes;
//   - an overwrite of struct S (memcpy from another type): every field of S
//     takes unknown values.
// A function symbol in a reference resolves from the unit holding the
// reference (a static function is its own unit's); one with no record stays
// a named candidate without a node, which the call graph makes an unknown
// callee, as it does a direct call to a symbol with no record.
//
// Signatures are the plugin's canonical types ("i32(*{struct file},i64)",
// "v(*v,...)"; "i32(?)" unprototyped). Two are compatible if equal, or if either has
// "(?)" as its parameter list and their return parts (before the '(') are
// equal. A function's signatures are its own (function_signature) and every
// type it was stored or cast as (value_signature), over all its references.
// The type candidates of signature S are the functions of any reference with
// a signature compatible with S; the escaped candidates of S are those of
// them with an escape.
//
// An indirect call site resolves, in this order:
//   1. (graph.cc) an `indirect` annotation on its caller names its targets;
//   2. its pointer was loaded from a field, global or parameter K (and the
//      plugin matched the call): reach(K) is K and, transitively, the
//      sources of copies into a slot of reach(K). If a slot of reach(K)
//      takes unknown values, or is a field of an overwritten struct, go to
//      3; else the candidates are the functions stored into reach(K) and the
//      escaped candidates of the site's signature, and if there are none, go
//      to 3;
//   3. the type candidates of its signature; for a C++ virtual call, when
//      the inputs store functions into vtables (globals whose symbol starts
//      with "_ZTV"), only those of them stored into a vtable; none (or no
//      signature): unresolved, the call stays an unknown as before.
// IndirectMode::kType starts every site at 3 (the figures without slots, so
// no vtable restriction either); kNone leaves every site unresolved (kstack
// before slots).
//
// The indexes (slots, signatures) are built once; the escaped set is
// complete before any site resolves, since escapes through parameters come
// from reach, which stores into escaping slots do not change. Each distinct
// slot's and each distinct signature's candidates are computed once and
// shared by every site that asks, since a kernel has some 20,000 sites and a
// common type can have hundreds of candidates.
#ifndef KSTACK_TOOL_INDIRECT_H
#define KSTACK_TOOL_INDIRECT_H

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "resolve.h"

namespace kstack {

enum class IndirectMode { kField, kType, kNone };
// "field", "type", "none": as --indirect spells them.
const char* indirect_mode_name(IndirectMode mode);

enum class Resolution { kAnnotation, kField, kGlobal, kParameter, kType, kUnresolved };
inline constexpr std::size_t kResolutionCount = 6;
// "annotation", "field", "global", "parameter", "type", "unresolved".
const char* resolution_name(Resolution resolution);

// Whether an indirect call of signature A may call a function of signature B.
bool signatures_compatible(std::string_view a, std::string_view b);

// The functions an indirect call may reach.
struct TargetSet {
  std::vector<std::uint32_t> nodes;       // sorted, unique
  std::vector<std::string_view> unknown;  // symbols with no record, sorted, unique
  std::size_t size() const { return nodes.size() + unknown.size(); }
};

struct SiteResolution {
  Resolution kind = Resolution::kUnresolved;
  const TargetSet* targets = nullptr;     // null when unresolved
  const std::string* slot = nullptr;      // kField, kGlobal, kParameter: "field struct ops.read"
  const std::string* fallback = nullptr;  // why the site's slot did not decide it
};

class IndirectResolver {
 public:
  // Precondition: SYMBOLS (and its units) outlive the resolver; so do the
  // strings its results point to, which the resolver owns.
  IndirectResolver(const SymbolTable& symbols, IndirectMode mode);

  // Steps 2 and 3 for CALL, an indirect call of units[UNIT].
  SiteResolution resolve(std::uint32_t unit, const Call& call);

 private:
  // A parameter slot's scope is its function's name, and node that
  // function's node (kNoFunction: an external parameter slot).
  struct SlotKey {
    SlotKind kind;
    std::string_view scope, member;
    std::uint32_t index = 0;
    std::uint32_t node = kNoFunction;
    friend bool operator==(const SlotKey& a, const SlotKey& b) {
      return a.kind == b.kind && a.scope == b.scope && a.member == b.member && a.index == b.index &&
             a.node == b.node;
    }
  };
  struct SlotKeyHash {
    std::size_t operator()(const SlotKey& k) const;
  };
  struct SlotInfo {
    SlotKey key;
    std::vector<std::uint32_t> stored;  // candidates
    std::vector<std::uint32_t> copies;  // slots copied in
    bool unknown = false;
    const char* why_unknown = nullptr;  // a parameter's: "run_cb's address is taken"
  };
  // What reach(K) of one slot holds: candidates, or why it cannot be known.
  struct SlotTargets {
    std::vector<std::uint32_t> candidates;  // sorted, unique
    const std::string* slot = nullptr;
    const std::string* fallback = nullptr;
  };
  using Candidates = std::vector<std::uint32_t>;  // sorted, unique candidate ids
  static constexpr std::uint32_t kNoSlot = UINT32_MAX;

  std::uint32_t candidate(std::uint32_t unit, const std::string& symbol);
  // The slot SLOT names from UNIT, or kNoSlot when it is not followed.
  std::uint32_t slot(std::uint32_t unit, const Slot& slot);
  void open_parameter_slots(const std::vector<bool>& address_taken);
  void escape_slot_contents(const std::vector<std::uint32_t>& escaping);
  std::uint32_t signature_id(std::string_view signature);
  const SlotTargets& slot_targets(std::uint32_t slot);
  const Candidates& type_candidates(std::string_view signature);
  const Candidates& escaped_candidates(std::string_view signature);
  const TargetSet* type_targets(std::string_view signature);
  const TargetSet* virtual_targets(std::string_view signature);
  const TargetSet* make_targets(const Candidates& candidates);
  static std::string describe(const SlotKey& key);
  std::string describe_unknown(const SlotInfo& info) const;
  const std::string* keep(std::string text);

  const SymbolTable& symbols_;
  IndirectMode mode_;
  // Candidates are numbered: node ids first, then symbols with no record
  // (id = size of the table + index into unknown_).
  std::vector<std::string_view> unknown_;
  std::unordered_map<std::string_view, std::uint32_t> unknown_ids_;
  std::unordered_set<std::uint32_t> escaped_;  // candidate ids
  std::unordered_map<std::string_view, Candidates> by_signature_;
  std::unordered_map<std::string_view, std::vector<std::string_view>> by_return_;
  std::vector<SlotInfo> slots_;
  std::unordered_map<SlotKey, std::uint32_t, SlotKeyHash> slot_ids_;
  std::unordered_set<std::string_view> overwritten_;  // struct types
  std::unordered_set<std::uint32_t> vtable_entries_;  // candidates stored into a vtable
  // Memoized results.
  std::unordered_map<std::uint32_t, SlotTargets> slot_targets_;
  std::unordered_map<std::string_view, Candidates> type_candidates_;
  std::unordered_map<std::string_view, Candidates> escaped_candidates_;
  std::unordered_map<std::string_view, const TargetSet*> type_targets_;
  std::unordered_map<std::string_view, const TargetSet*> virtual_targets_;
  std::unordered_map<std::uint64_t, SiteResolution> slot_site_;  // (slot, signature) -> result
  std::unordered_map<std::string_view, std::uint32_t> signature_ids_;
  std::deque<TargetSet> target_sets_;
  std::deque<std::string> strings_;
};

}  // namespace kstack

#endif  // KSTACK_TOOL_INDIRECT_H
