// Builds the call graph described in graph.h. Additions are matched against
// every function first (a caller glob can match same-named statics of many
// units, and each resolves its callees from its own unit), then each node's
// recorded and added edges are laid out together. A callee that resolves to
// no record is looked up among the trampolines last, so a record always wins
// over a `jumps` line. An indirect call that no `indirect` annotation covers
// is resolved to candidates (indirect.h) and made once per candidate; only a
// candidate with no record needs a call of its own, to carry its name.
#include "graph.h"

#include <fnmatch.h>

#include <unordered_map>

namespace kstack {

bool has_glob_characters(const std::string& text) {
  return text.find_first_of("*?[") != std::string::npos;
}

bool Glob::matches(const std::string& name) const {
  if (literal_) return *pattern_ == name;
  return fnmatch(pattern_->c_str(), name.c_str(), 0) == 0;
}

CallGraph::CallGraph(const SymbolTable& symbols, const std::vector<AddedCalls>& additions,
                     const std::vector<Trampoline>& trampolines, IndirectMode indirect)
    : symbols_(symbols), resolver_(symbols, indirect) {
  const std::size_t n = symbols.size();
  std::unordered_map<std::uint32_t, std::vector<const AddedCalls*>> added_to;
  for (const AddedCalls& addition : additions) {
    bool matched = false;
    const Glob caller(addition.caller);
    for (std::uint32_t node = 0; node < n; ++node) {
      if (!caller.matches(symbols.function(node).name)) continue;
      added_to[node].push_back(&addition);
      matched = true;
    }
    if (!matched) unmatched_.push_back(&addition);
  }

  offsets_.reserve(n + 1);
  offsets_.push_back(0);
  called_.assign(n, false);
  std::vector<bool> trampoline_used(trampolines.size(), false);
  std::vector<Glob> trampoline_globs;
  for (const Trampoline& trampoline : trampolines) trampoline_globs.emplace_back(trampoline.symbol);
  auto trampoline_for = [&](const std::string& symbol) -> const Trampoline* {
    for (std::size_t t = 0; t < trampolines.size(); ++t) {
      if (!trampoline_globs[t].matches(symbol)) continue;
      trampoline_used[t] = true;
      return &trampolines[t];
    }
    return nullptr;
  };
  auto push_edge = [&](std::uint32_t from, std::uint32_t target, const Call& call) {
    edges_.push_back({target, &call});
    if (target != kNoFunction && target != from) called_[target] = true;
  };
  // TARGET is CALL's callee resolved from UNIT.
  auto add_resolved_edge = [&](std::uint32_t from, std::uint32_t unit, const Call& call,
                               std::uint32_t target) {
    const Trampoline* trampoline =
        target == kNoFunction && !call.callee.empty() && !trampolines.empty()
            ? trampoline_for(call.callee)
            : nullptr;
    if (!trampoline) return push_edge(from, target, call);
    // The trampoline's targets, from the same site; they are not looked up
    // as trampolines again.
    for (const std::string& callee : trampoline->targets) {
      Call& made = added_.emplace_back(call);
      made.callee = callee;
      through_trampoline_.emplace(&made, &call);
      push_edge(from, symbols.resolve(unit, callee), made);
    }
  };
  auto add_edge = [&](std::uint32_t from, std::uint32_t unit, const Call& call) {
    add_resolved_edge(from, unit, call,
                      call.callee.empty() ? kNoFunction : symbols.resolve(unit, call.callee));
  };
  const std::vector<Unit>& units = symbols.units();
  auto add_site = [&](std::uint32_t from, std::uint32_t unit, const Call& call,
                      const SiteResolution& resolution, std::uint32_t targets) {
    const std::vector<IndirectCall>& described = units[unit].indirect_calls;
    site_of_.emplace(&call, static_cast<std::uint32_t>(indirect_sites_.size()));
    indirect_sites_.push_back({&call, from,
                               call.site < described.size() ? &described[call.site] : nullptr,
                               resolution.kind, targets, resolution.slot, resolution.fallback});
  };
  // Each candidate with a record is an edge made by CALL itself: a kernel
  // has some 20,000 sites, and a type can have hundreds of candidates.
  auto add_indirect_edges = [&](std::uint32_t from, std::uint32_t unit, const Call& call) {
    const SiteResolution resolution = resolver_.resolve(unit, call);
    const TargetSet* targets = resolution.targets;
    add_site(from, unit, call, resolution,
             targets ? static_cast<std::uint32_t>(targets->size()) : 0);
    if (!targets) return push_edge(from, kNoFunction, call);
    for (std::uint32_t target : targets->nodes) push_edge(from, target, call);
    for (std::string_view symbol : targets->unknown) {
      Call& made = added_.emplace_back(call);
      made.callee = symbol;
      site_of_.emplace(&made, site_of_.at(&call));
      add_resolved_edge(from, unit, made, kNoFunction);
    }
  };
  for (std::uint32_t node = 0; node < n; ++node) {
    const std::uint32_t unit = symbols.id(node).unit;
    const Function& f = symbols.function(node);
    auto additions_here = added_to.find(node);
    bool indirect_known = false;
    if (additions_here != added_to.end())
      for (const AddedCalls* a : additions_here->second) indirect_known |= a->indirect;
    std::uint32_t annotated_targets = 0;
    if (indirect_known)
      for (const AddedCalls* a : additions_here->second)
        if (a->indirect) annotated_targets += static_cast<std::uint32_t>(a->callees.size());
    for (const Call& call : f.calls) {
      if (call.kind != CallKind::kIndirect)
        add_edge(node, unit, call);
      else if (indirect_known)
        add_site(node, unit, call, {Resolution::kAnnotation, nullptr, nullptr, nullptr},
                 annotated_targets);
      else
        add_indirect_edges(node, unit, call);
    }
    if (additions_here == added_to.end()) {
      offsets_.push_back(edges_.size());
      continue;
    }
    for (const AddedCalls* a : additions_here->second) {
      if (a->indirect) {
        // Each indirect call reaches each named target, from its own site.
        for (const Call& call : f.calls) {
          if (call.kind != CallKind::kIndirect) continue;
          for (const std::string& callee : a->callees) {
            Call& made = added_.emplace_back(call);
            made.callee = callee;
            site_of_.emplace(&made, site_of_.at(&call));
            add_edge(node, unit, made);
          }
        }
        continue;
      }
      for (const std::string& callee : a->callees) {
        Call& made = added_.emplace_back();
        made.callee = callee;
        made.file = a->file;
        made.line = a->line;
        add_edge(node, unit, made);
      }
    }
    offsets_.push_back(edges_.size());
  }
  for (std::size_t t = 0; t < trampolines.size(); ++t)
    if (!trampoline_used[t]) unmatched_trampolines_.push_back(&trampolines[t]);
}

const Call* CallGraph::trampoline_call(const Call* call) const {
  if (through_trampoline_.empty()) return nullptr;
  auto it = through_trampoline_.find(call);
  return it == through_trampoline_.end() ? nullptr : it->second;
}

const IndirectSite* CallGraph::indirect_site(const Call* call) const {
  if (site_of_.empty()) return nullptr;
  auto it = site_of_.find(call);
  if (it == site_of_.end()) {
    // A trampoline's target, called at the site of the call to it.
    const Call* jump = trampoline_call(call);
    if (!jump) return nullptr;
    it = site_of_.find(jump);
    if (it == site_of_.end()) return nullptr;
  }
  return &indirect_sites_[it->second];
}

}  // namespace kstack
