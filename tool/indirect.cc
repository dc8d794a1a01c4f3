// Resolves indirect calls to candidate targets (see indirect.h for the
// rules). One pass over every unit's references builds the indexes: a
// candidate id per function named (its node, or a symbol with no record),
// the candidates of each signature, the escaped candidates, the vtable
// entries, and per slot the functions stored into it, the slots copied into
// it and whether it takes unknown values. Then, once: the parameter slots
// whose function may be called where no store is recorded are opened (which
// needs every reference read, to know which addresses are taken, and one
// pass over the direct calls), and the contents of escaping slots join the
// escaped candidates, in one breadth-first walk over copies from all of them
// (a store adds no copy, so no fixpoint is needed). Sites then ask for a
// slot's or a signature's candidates, each computed on first use and kept.
#include "indirect.h"

#include <algorithm>
#include <functional>

namespace kstack {
namespace {

std::string_view return_part(std::string_view signature) {
  return signature.substr(0, signature.find('('));
}

bool unprototyped(std::string_view signature) {
  const std::size_t open = signature.find('(');
  return open != std::string_view::npos && signature.substr(open) == "(?)";
}

void sort_unique(std::vector<std::uint32_t>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

}  // namespace

const char* indirect_mode_name(IndirectMode mode) {
  switch (mode) {
    case IndirectMode::kField:
      return "field";
    case IndirectMode::kType:
      return "type";
    case IndirectMode::kNone:
      return "none";
  }
  return "?";
}

const char* resolution_name(Resolution resolution) {
  switch (resolution) {
    case Resolution::kAnnotation:
      return "annotation";
    case Resolution::kField:
      return "field";
    case Resolution::kGlobal:
      return "global";
    case Resolution::kParameter:
      return "parameter";
    case Resolution::kType:
      return "type";
    case Resolution::kUnresolved:
      return "unresolved";
  }
  return "?";
}

bool signatures_compatible(std::string_view a, std::string_view b) {
  if (a == b) return true;
  return (unprototyped(a) || unprototyped(b)) && return_part(a) == return_part(b);
}

std::size_t IndirectResolver::SlotKeyHash::operator()(const SlotKey& k) const {
  const std::hash<std::string_view> hash;
  return hash(k.scope) * 31 + hash(k.member) * 7 + std::size_t{k.index} * 131 +
         std::size_t{k.node} * 17 + static_cast<std::size_t>(k.kind);
}

IndirectResolver::IndirectResolver(const SymbolTable& symbols, IndirectMode mode)
    : symbols_(symbols), mode_(mode) {
  if (mode == IndirectMode::kNone) return;
  const std::vector<Unit>& units = symbols.units();
  std::vector<bool> address_taken(symbols.size(), false);  // per node
  std::vector<std::uint32_t> escaping;                     // slots whose contents escape
  for (std::uint32_t u = 0; u < units.size(); ++u) {
    for (const Reference& r : units[u].references) {
      if (r.kind == ReferenceKind::kOverwrite) {
        overwritten_.insert(r.slot.scope);
        continue;
      }
      std::uint32_t function = kNoFunction;
      if (!r.function.empty()) {
        function = candidate(u, r.function);
        if (function < symbols.size()) address_taken[function] = true;
        for (const std::string* signature : {&r.function_signature, &r.value_signature})
          if (!signature->empty()) by_signature_[*signature].push_back(function);
        if (r.kind == ReferenceKind::kEscape) escaped_.insert(function);
      }
      if (r.kind == ReferenceKind::kEscape && function == kNoFunction) {
        const std::uint32_t contents = slot(u, r.source);
        if (contents != kNoSlot) escaping.push_back(contents);
        continue;
      }
      if (r.kind != ReferenceKind::kStore) continue;
      const std::uint32_t into = slot(u, r.slot);
      if (into == kNoSlot) continue;
      const std::uint32_t from = function == kNoFunction ? slot(u, r.source) : kNoSlot;
      if (function != kNoFunction) {
        slots_[into].stored.push_back(function);
        if (r.slot.kind == SlotKind::kGlobal && r.slot.scope.rfind("_ZTV", 0) == 0)
          vtable_entries_.insert(function);
      } else if (from != kNoSlot) {
        slots_[into].copies.push_back(from);
      } else {
        slots_[into].unknown = true;
      }
    }
  }
  // Every origin gets its slot now, so that a parameter no store names is
  // opened too.
  for (std::uint32_t u = 0; u < units.size(); ++u)
    for (const IndirectCall& site : units[u].indirect_calls)
      if (!site.unmatched) slot(u, site.origin);
  open_parameter_slots(address_taken);
  for (std::uint32_t s = 0; s < slots_.size(); ++s)
    if (slots_[s].key.kind == SlotKind::kParameter && slots_[s].key.node == kNoFunction)
      escaping.push_back(s);
  escape_slot_contents(escaping);
  for (auto& [signature, candidates] : by_signature_) {
    sort_unique(candidates);
    by_return_[return_part(signature)].push_back(signature);
  }
}

std::uint32_t IndirectResolver::candidate(std::uint32_t unit, const std::string& symbol) {
  const std::uint32_t node = symbols_.resolve(unit, symbol);
  if (node != kNoFunction) return node;
  auto [it, added] = unknown_ids_.try_emplace(
      symbol, static_cast<std::uint32_t>(symbols_.size() + unknown_.size()));
  if (added) unknown_.push_back(symbol);
  return it->second;
}

std::uint32_t IndirectResolver::slot(std::uint32_t unit, const Slot& slot) {
  SlotKey key{slot.kind, slot.scope, slot.member};
  if (slot.kind == SlotKind::kParameter) {
    // Notes written before parameters were slots name no function.
    if (slot.scope.empty()) return kNoSlot;
    key.member = {};
    key.index = slot.index;
    key.node = symbols_.resolve(unit, slot.scope);
    if (key.node != kNoFunction) key.scope = symbols_.function(key.node).name;
  } else if (slot.kind != SlotKind::kField && slot.kind != SlotKind::kGlobal) {
    return kNoSlot;
  }
  auto [it, added] = slot_ids_.try_emplace(key, static_cast<std::uint32_t>(slots_.size()));
  if (added) slots_.push_back({key, {}, {}, false, nullptr});
  return it->second;
}

// A parameter takes unknown values when its function may be called where
// no store into it is recorded; an external one (no record) always does.
void IndirectResolver::open_parameter_slots(const std::vector<bool>& address_taken) {
  bool any = false;
  for (const SlotInfo& info : slots_) any |= info.key.kind == SlotKind::kParameter;
  if (!any) return;
  // Per node: called directly from a C function's body, whose GIMPLE
  // records what each call passes; called where nothing is recorded.
  std::vector<bool> called(symbols_.size(), false), called_blind(symbols_.size(), false);
  for (std::uint32_t n = 0; n < symbols_.size(); ++n) {
    if (symbols_.superseded(n)) continue;
    const Function& caller = symbols_.function(n);
    for (const Call& call : caller.calls) {
      if (call.callee.empty() || call.kind == CallKind::kIndirect) continue;
      const std::uint32_t callee = symbols_.resolve(symbols_.id(n).unit, call.callee);
      if (callee == kNoFunction) continue;
      if (call.kind == CallKind::kDirect && !caller.thunk)
        called[callee] = true;
      else
        called_blind[callee] = true;
    }
  }
  for (SlotInfo& info : slots_) {
    if (info.key.kind != SlotKind::kParameter) continue;
    const std::uint32_t node = info.key.node;
    if (node == kNoFunction)
      info.why_unknown = " has no record";
    else if (address_taken[node])
      info.why_unknown = "'s address is taken";
    else if (called_blind[node])
      info.why_unknown = " is called by an asm call or a thunk";
    else if (!called[node])
      info.why_unknown = " has no recorded direct caller";
    if (info.why_unknown) info.unknown = true;
  }
}

// Every function stored into reach(S) of an escaping slot S escapes, even
// where reach(S) also takes unknown values: those come from elsewhere.
void IndirectResolver::escape_slot_contents(const std::vector<std::uint32_t>& escaping) {
  std::vector<std::uint32_t> reach;
  std::unordered_set<std::uint32_t> seen;
  for (std::uint32_t s : escaping)
    if (seen.insert(s).second) reach.push_back(s);
  for (std::size_t i = 0; i < reach.size(); ++i) {
    const SlotInfo& info = slots_[reach[i]];
    escaped_.insert(info.stored.begin(), info.stored.end());
    for (std::uint32_t from : info.copies)
      if (seen.insert(from).second) reach.push_back(from);
  }
}

std::uint32_t IndirectResolver::signature_id(std::string_view signature) {
  return signature_ids_.try_emplace(signature, static_cast<std::uint32_t>(signature_ids_.size()))
      .first->second;
}

const std::string* IndirectResolver::keep(std::string text) {
  return &strings_.emplace_back(std::move(text));
}

std::string IndirectResolver::describe(const SlotKey& key) {
  Slot slot;
  slot.kind = key.kind;
  slot.scope = key.scope;
  slot.member = key.member;
  slot.index = key.index;
  return slot_description(slot);
}

std::string IndirectResolver::describe_unknown(const SlotInfo& info) const {
  std::string text = describe(info.key) + " takes unknown values";
  if (info.why_unknown) text += ": " + std::string(info.key.scope) + info.why_unknown;
  return text;
}

// reach(K), breadth-first over copies; stops at the first slot that takes
// unknown values.
const IndirectResolver::SlotTargets& IndirectResolver::slot_targets(std::uint32_t slot) {
  auto found = slot_targets_.find(slot);
  if (found != slot_targets_.end()) return found->second;
  SlotTargets targets;
  targets.slot = keep(describe(slots_[slot].key));
  std::vector<std::uint32_t> reach{slot};
  std::unordered_set<std::uint32_t> seen{slot};
  for (std::size_t i = 0; i < reach.size(); ++i) {
    const SlotInfo& info = slots_[reach[i]];
    if (info.unknown) {
      targets.fallback = keep(describe_unknown(info));
      break;
    }
    if (info.key.kind == SlotKind::kField && overwritten_.count(info.key.scope)) {
      targets.fallback =
          keep(std::string(info.key.scope) + " is overwritten from another type, so " +
               describe(info.key) + " takes unknown values");
      break;
    }
    targets.candidates.insert(targets.candidates.end(), info.stored.begin(), info.stored.end());
    for (std::uint32_t from : info.copies)
      if (seen.insert(from).second) reach.push_back(from);
  }
  if (targets.fallback)
    targets.candidates.clear();
  else
    sort_unique(targets.candidates);
  return slot_targets_.emplace(slot, std::move(targets)).first->second;
}

const IndirectResolver::Candidates& IndirectResolver::type_candidates(std::string_view signature) {
  auto found = type_candidates_.find(signature);
  if (found != type_candidates_.end()) return found->second;
  Candidates candidates;
  auto add = [&](std::string_view of) {
    auto it = by_signature_.find(of);
    if (it != by_signature_.end())
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
  };
  if (signature.empty()) {
    // No type known: no candidate by type.
  } else if (unprototyped(signature)) {
    auto same_return = by_return_.find(return_part(signature));
    if (same_return != by_return_.end())
      for (std::string_view other : same_return->second) add(other);
  } else {
    add(signature);
    add(std::string(return_part(signature)) + "(?)");
  }
  sort_unique(candidates);
  return type_candidates_.emplace(signature, std::move(candidates)).first->second;
}

const IndirectResolver::Candidates& IndirectResolver::escaped_candidates(
    std::string_view signature) {
  auto found = escaped_candidates_.find(signature);
  if (found != escaped_candidates_.end()) return found->second;
  Candidates candidates;
  for (std::uint32_t c : type_candidates(signature))
    if (escaped_.count(c)) candidates.push_back(c);
  return escaped_candidates_.emplace(signature, std::move(candidates)).first->second;
}

const TargetSet* IndirectResolver::make_targets(const Candidates& candidates) {
  if (candidates.empty()) return nullptr;
  TargetSet& targets = target_sets_.emplace_back();
  for (std::uint32_t c : candidates) {
    if (c < symbols_.size())
      targets.nodes.push_back(c);
    else
      targets.unknown.push_back(unknown_[c - symbols_.size()]);
  }
  std::sort(targets.unknown.begin(), targets.unknown.end());
  return &targets;
}

const TargetSet* IndirectResolver::type_targets(std::string_view signature) {
  auto found = type_targets_.find(signature);
  if (found != type_targets_.end()) return found->second;
  const TargetSet* targets = make_targets(type_candidates(signature));
  type_targets_.emplace(signature, targets);
  return targets;
}

// A virtual call reaches vtable entries only: no destructor called directly,
// no free function of the same signature.
const TargetSet* IndirectResolver::virtual_targets(std::string_view signature) {
  auto found = virtual_targets_.find(signature);
  if (found != virtual_targets_.end()) return found->second;
  Candidates entries;
  for (std::uint32_t c : type_candidates(signature))
    if (vtable_entries_.count(c)) entries.push_back(c);
  const TargetSet* targets = make_targets(entries);
  virtual_targets_.emplace(signature, targets);
  return targets;
}

SiteResolution IndirectResolver::resolve(std::uint32_t unit, const Call& call) {
  SiteResolution resolution;
  if (mode_ == IndirectMode::kNone) return resolution;
  const std::vector<IndirectCall>& sites = symbols_.units()[unit].indirect_calls;
  if (call.site >= sites.size()) return resolution;  // unmatched, no signature
  const IndirectCall& site = sites[call.site];
  const std::string_view signature = site.signature;
  const std::uint32_t origin =
      mode_ == IndirectMode::kField && !site.unmatched ? slot(unit, site.origin) : kNoSlot;
  if (origin != kNoSlot) {
    const std::uint64_t key = static_cast<std::uint64_t>(origin) << 32 | signature_id(signature);
    auto found = slot_site_.find(key);
    if (found != slot_site_.end()) return found->second;
    const SlotTargets& held = slot_targets(origin);
    resolution.fallback = held.fallback;
    if (!held.fallback) {
      Candidates candidates = held.candidates;
      const Candidates& escaped = escaped_candidates(signature);
      candidates.insert(candidates.end(), escaped.begin(), escaped.end());
      sort_unique(candidates);
      if (candidates.empty()) {
        resolution.fallback = keep("no function is stored into " + *held.slot);
      } else {
        resolution.kind = site.origin.kind == SlotKind::kField    ? Resolution::kField
                          : site.origin.kind == SlotKind::kGlobal ? Resolution::kGlobal
                                                                  : Resolution::kParameter;
        resolution.targets = make_targets(candidates);
        resolution.slot = held.slot;
      }
    }
    if (!resolution.targets) {
      resolution.targets = type_targets(signature);
      resolution.kind = resolution.targets ? Resolution::kType : Resolution::kUnresolved;
    }
    slot_site_.emplace(key, resolution);
    return resolution;
  }
  if (mode_ == IndirectMode::kField && site.origin.kind == SlotKind::kVirtual &&
      !vtable_entries_.empty())
    resolution.targets = virtual_targets(signature);
  else
    resolution.targets = type_targets(signature);
  resolution.kind = resolution.targets ? Resolution::kType : Resolution::kUnresolved;
  return resolution;
}

}  // namespace kstack
