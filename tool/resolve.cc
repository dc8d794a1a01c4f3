// Builds the symbol table described in resolve.h in two passes over the
// units: functions first, then aliases (whose targets must already be
// known). Names are views into the units' strings, which outlive the table.
#include "resolve.h"

namespace kstack {

SymbolTable::SymbolTable(const std::vector<Unit>& units) : units_(units), locals_(units.size()) {
  std::size_t functions = 0;
  for (const Unit& unit : units) functions += unit.functions.size();
  nodes_.reserve(functions);
  globals_.reserve(functions);
  for (std::uint32_t u = 0; u < units.size(); ++u) {
    const Unit& unit = units[u];
    for (std::uint32_t i = 0; i < unit.functions.size(); ++i) {
      const Function& f = unit.functions[i];
      const std::uint32_t node = static_cast<std::uint32_t>(nodes_.size());
      nodes_.push_back({u, i});
      if (f.binding == Binding::kLocal)
        locals_[u].emplace(f.name, node);
      else
        define_global(f.name, {node, f.binding == Binding::kWeak, f.comdat});
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
        define_global(alias.name, {target, alias.binding == Binding::kWeak, false});
    }
  }
}

void SymbolTable::define_global(std::string_view name, Definition definition) {
  auto [it, inserted] = globals_.emplace(name, definition);
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
  auto global = globals_.find(symbol);
  return global == globals_.end() ? kNoFunction : global->second.node;
}

}  // namespace kstack
