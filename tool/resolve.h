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
  // Precondition: UNITS outlives the table.
  explicit SymbolTable(const std::vector<Unit>& units);

  // The node a call from UNIT to SYMBOL reaches, or kNoFunction.
  std::uint32_t resolve(std::uint32_t unit, std::string_view symbol) const;

  std::size_t size() const { return nodes_.size(); }
  const FunctionId& id(std::uint32_t node) const { return nodes_[node]; }
  const Function& function(std::uint32_t node) const {
    return units_[nodes_[node].unit].functions[nodes_[node].index];
  }
  const Unit& unit_of(std::uint32_t node) const { return units_[nodes_[node].unit]; }
  const std::vector<DuplicateDefinition>& duplicates() const { return duplicates_; }

 private:
  using Names = std::unordered_map<std::string_view, std::uint32_t>;
  struct Definition {
    std::uint32_t node;
    bool weak;
    bool comdat;
  };
  void define_global(std::string_view name, Definition definition);

  const std::vector<Unit>& units_;
  std::vector<FunctionId> nodes_;
  std::vector<Names> locals_;  // per unit
  std::unordered_map<std::string_view, Definition> globals_;
  std::vector<DuplicateDefinition> duplicates_;
};

}  // namespace kstack

#endif  // KSTACK_TOOL_RESOLVE_H
