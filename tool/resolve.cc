// Builds the symbol table described in resolve.h in two passes over the
// units: functions first, then aliases (whose targets must already be
// known); then a node whose global name now resolves elsewhere in its group
// is superseded. Names are views into the units' strings, which outlive the
// table.
#include "resolve.h"

#include <algorithm>

namespace kstack {

SymbolTable::SymbolTable(const std::vector<Unit>& units,
                         const std::vector<std::uint32_t>& link_groups)
    : units_(units), link_groups_(link_groups), locals_(units.size()) {
  std::size_t functions = 0;
  std::uint32_t groups = 1;
  for (std::uint32_t u = 0; u < units.size(); ++u) {
    functions += units[u].functions.size();
    groups = std::max(groups, group_of(u) + 1);
  }
  nodes_.reserve(functions);
  globals_.resize(groups);
  globals_[0].reserve(functions);
  first_node_.reserve(units.size());
  for (std::uint32_t u = 0; u < units.size(); ++u) {
    const Unit& unit = units[u];
    first_node_.push_back(static_cast<std::uint32_t>(nodes_.size()));
    for (std::uint32_t i = 0; i < unit.functions.size(); ++i) {
      const Function& f = unit.functions[i];
      const std::uint32_t node = static_cast<std::uint32_t>(nodes_.size());
      nodes_.push_back({u, i});
      if (f.binding == Binding::kLocal)
        locals_[u].emplace(f.name, node);
      else
        define_global(group_of(u), f.name, {node, f.binding == Binding::kWeak, f.comdat});
      if (!f.cold_name.empty()) locals_[u].emplace(f.cold_name, node);
    }
  }
  for (std::uint32_t u = 0; u < units.size(); ++u) {
    for (const Alias& alias : units[u].aliases) {
      const std::uint32_t target = resolve(u, alias.target);
      if (target == kNoFunction) continue;
      if (alias.binding == Binding::kLocal)
        locals_[u].emplace(alias.name, target);
      else
        define_global(group_of(u), alias.name, {target, alias.binding == Binding::kWeak, false});
    }
  }
  for (std::uint32_t group = 1; group < globals_.size(); ++group)
    for (const auto& [name, definition] : globals_[group])
      other_groups_.emplace(name, definition.node);
  superseded_.assign(nodes_.size(), false);
  for (std::uint32_t node = 0; node < nodes_.size(); ++node) {
    const Function& f = function(node);
    if (f.binding == Binding::kLocal) continue;
    const Globals& globals = globals_[group_of(nodes_[node].unit)];
    auto it = globals.find(f.name);
    superseded_[node] = it != globals.end() && it->second.node != node;
  }
}

void SymbolTable::define_global(std::uint32_t group, std::string_view name, Definition definition) {
  auto [it, inserted] = globals_[group].emplace(name, definition);
  if (inserted) return;
  Definition& kept = it->second;
  if (kept.weak && !definition.weak) {
    kept = definition;  // strong beats weak
  } else if (!kept.weak && !definition.weak && !(kept.comdat && definition.comdat) &&
             kept.node != definition.node) {
    duplicates_.push_back({std::string(name), kept.node, definition.node});
  }
}

std::uint32_t SymbolTable::resolve(std::uint32_t unit, std::string_view symbol) const {
  if (unit < locals_.size()) {
    auto local = locals_[unit].find(symbol);
    if (local != locals_[unit].end()) return local->second;
  }
  const std::uint32_t group = group_of(unit);
  for (const Globals* globals : {&globals_[group], &globals_[0]}) {
    auto global = globals->find(symbol);
    if (global != globals->end()) return global->second.node;
  }
  auto other = other_groups_.find(symbol);
  return other == other_groups_.end() ? kNoFunction : other->second;
}

}  // namespace kstack
