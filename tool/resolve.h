// Symbol resolution for a whole program: which recorded function a call
// names.
//
// Every function of every unit becomes a node, numbered in input order. A
// call from unit U to symbol S reaches, in this order: a local (static)
// function or local alias of U named S, then the global definition of S. A
// global symbol defined in several units keeps one definition: a strong one
// beats a weak one; two strong non-COMDAT definitions are reported (the first
// is kept, as the linker would refuse the second); COMDAT copies are the same
// function and the first is kept. An alias resolves to its target in its own
// unit. A `.cold` part resolves to the function it belongs to.
//
// Separately linked files (kernel modules, shared objects) form link groups:
// group 0 is the program (vmlinux.o, an executable's objects), group N the
// Nth separately linked file. A call from a unit of group N reaches a local
// first, then a global of its own group, then a global of the program, then
// the first definition in another group (a module calling another module's
// export). Duplicate definitions are reported only within a group: two
// modules may both define init_module.
//
// A global function whose name resolves, in its own group, to another
// definition is superseded: a weak one a strong one beat, a COMDAT copy
// after the first, the second of two strong definitions. No call reaches it;
// it keeps its node (and its record) but is no function of the linked
// program, so it is neither an entry point nor a caller that counts.
#ifndef KSTACK_TOOL_RESOLVE_H
#define KSTACK_TOOL_RESOLVE_H

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kstack/records.h"

namespace kstack {

inline constexpr std::uint32_t kNoFunction = UINT32_MAX;

// Where a node's record lives: units[unit].functions[index].
struct FunctionId {
  std::uint32_t unit;
  std::uint32_t index;
};

struct DuplicateDefinition {
  std::string symbol;
  std::uint32_t kept;     // node id
  std::uint32_t ignored;  // node id
};

class SymbolTable {
 public:
  // LINK_GROUPS[u] is the link group of units[u]; empty (or shorter): group
  // 0. Precondition: UNITS outlives the table.
  explicit SymbolTable(const std::vector<Unit>& units,
                       const std::vector<std::uint32_t>& link_groups = {});

  // The node a call from UNIT to SYMBOL reaches, or kNoFunction.
  std::uint32_t resolve(std::uint32_t unit, std::string_view symbol) const;
  // Whether NODE lost its name to another definition of its link group.
  bool superseded(std::uint32_t node) const { return superseded_[node]; }

  std::size_t size() const { return nodes_.size(); }
  const FunctionId& id(std::uint32_t node) const { return nodes_[node]; }
  // The node of units[id.unit].functions[id.index]: nodes are numbered in
  // input order.
  std::uint32_t node(const FunctionId& id) const { return first_node_[id.unit] + id.index; }
  const Function& function(std::uint32_t node) const {
    return units_[nodes_[node].unit].functions[nodes_[node].index];
  }
  const Unit& unit_of(std::uint32_t node) const { return units_[nodes_[node].unit]; }
  const std::vector<Unit>& units() const { return units_; }
  const std::vector<DuplicateDefinition>& duplicates() const { return duplicates_; }

 private:
  using Names = std::unordered_map<std::string_view, std::uint32_t>;
  struct Definition {
    std::uint32_t node;
    bool weak;
    bool comdat;
  };
  using Globals = std::unordered_map<std::string_view, Definition>;
  void define_global(std::uint32_t group, std::string_view name, Definition definition);
  std::uint32_t group_of(std::uint32_t unit) const {
    return unit < link_groups_.size() ? link_groups_[unit] : 0;
  }

  const std::vector<Unit>& units_;
  std::vector<std::uint32_t> link_groups_;
  std::vector<FunctionId> nodes_;
  std::vector<Names> locals_;     // per unit
  std::vector<Globals> globals_;  // per link group
  Names other_groups_;            // the first definition of a name in groups 1..N
  std::vector<DuplicateDefinition> duplicates_;
  std::vector<bool> superseded_;           // per node
  std::vector<std::uint32_t> first_node_;  // per unit
};

}  // namespace kstack

#endif  // KSTACK_TOOL_RESOLVE_H
