// Depth and ways in within one unit; the algorithm is in unit_depth.h.
#include "unit_depth.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "strongly_connected.h"

namespace kstack {

namespace {

bool frame_is_bound(const Function& f) {
  return !f.frame_unknown && !f.unbounded_alloc && !f.pushed_variable;
}

}  // namespace

UnitCallGraph::UnitCallGraph(const Unit& unit)
    : unit_(unit),
      callees_(unit.functions.size()),
      callers_(unit.functions.size()),
      component_(unit.functions.size()),
      depth_(unit.functions.size()),
      way_in_(unit.functions.size()) {
  add_edges();
  std::vector<std::uint32_t> order = components();
  compute_depths(order);
  compute_ways_in(order);
}

void UnitCallGraph::add_edges() {
  std::unordered_map<std::string_view, std::uint32_t> by_name;
  for (std::uint32_t f = 0; f < unit_.functions.size(); ++f)
    by_name.emplace(unit_.functions[f].name, f);
  for (const Alias& alias : unit_.aliases) {
    auto target = by_name.find(alias.target);
    if (target != by_name.end()) by_name.emplace(alias.name, target->second);
  }
  for (std::uint32_t f = 0; f < unit_.functions.size(); ++f) {
    const std::vector<Call>& calls = unit_.functions[f].calls;
    for (std::uint32_t c = 0; c < calls.size(); ++c) {
      if (calls[c].kind == note::CallKind::kIndirect) continue;
      auto callee = by_name.find(calls[c].callee);
      if (callee == by_name.end()) continue;
      UnitEdge edge{f, callee->second, c};
      callees_[f].push_back(edge);
      callers_[callee->second].push_back(edge);
    }
  }
}

// Every component after the components it calls.
std::vector<std::uint32_t> UnitCallGraph::components() {
  std::vector<std::uint32_t> order;
  std::uint32_t component = 0;
  StronglyConnected search(callees_.size());
  auto edges = [this](std::uint32_t f) {
    return std::make_pair(callees_[f].begin(), callees_[f].end());
  };
  auto target = [](const UnitEdge& edge) { return edge.callee; };
  for (std::uint32_t root = 0; root < callees_.size(); ++root) {
    if (search.visited(root)) continue;
    search.search(root, edges, target, [&](std::uint32_t, const auto& members) {
      for (std::uint32_t member : members) component_[member] = component;
      order.insert(order.end(), members.begin(), members.end());
      ++component;
    });
  }
  return order;
}

std::uint64_t UnitCallGraph::own_stack(std::uint32_t f) const {
  const Function& function = unit_.functions[f];
  return function.frame_size + function.red_zone;
}

void UnitCallGraph::compute_depths(const std::vector<std::uint32_t>& order) {
  for (std::uint32_t f : order) {
    const Function& function = unit_.functions[f];
    UnitDepth& d = depth_[f];
    d.bytes = own_stack(f);
    d.complete = frame_is_bound(function);
    std::size_t followed = 0;
    for (const UnitEdge& edge : callees_[f]) {
      if (component_[edge.callee] == component_[f]) continue;  // recursion
      ++followed;
      const UnitDepth& below = depth_[edge.callee];
      d.complete = d.complete && below.complete;
      std::uint64_t bytes =
          function.calls[edge.call].tail ? below.bytes : function.frame_size + below.bytes;
      // A callee as deep as the frame alone still shows on the chain.
      if (d.next == kNoUnitFunction ? bytes >= d.bytes : bytes > d.bytes) {
        d.bytes = bytes;
        d.next = edge.callee;
        d.via = edge.call;
      }
    }
    // Anything else it calls is unfollowed.
    if (followed != function.calls.size()) d.complete = false;
  }
}

void UnitCallGraph::compute_ways_in(const std::vector<std::uint32_t>& order) {
  // Callers before callees: the reverse of the component order.
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    std::uint32_t f = *it;
    for (const UnitEdge& edge : callers_[f]) {
      if (component_[edge.caller] == component_[f]) continue;
      const Function& caller = unit_.functions[edge.caller];
      std::uint64_t bytes = way_in_[edge.caller].bytes;
      if (!caller.calls[edge.call].tail) bytes += caller.frame_size;
      if (way_in_[f].caller == kNoUnitFunction || bytes > way_in_[f].bytes) {
        way_in_[f].bytes = bytes;
        way_in_[f].caller = edge.caller;
        way_in_[f].via = edge.call;
      }
    }
  }
}

std::vector<std::uint32_t> UnitCallGraph::deepest_chain(std::uint32_t f) const {
  std::vector<std::uint32_t> chain;
  for (; f != kNoUnitFunction; f = depth_[f].next) chain.push_back(f);
  return chain;
}

std::vector<std::uint32_t> UnitCallGraph::deepest_way_in(std::uint32_t f) const {
  std::vector<std::uint32_t> way;
  for (; f != kNoUnitFunction; f = way_in_[f].caller) way.push_back(f);
  std::reverse(way.begin(), way.end());
  return way;
}

std::vector<UnfollowedCall> UnitCallGraph::unfollowed(
    const std::vector<std::uint32_t>& chain) const {
  std::vector<UnfollowedCall> result;
  for (std::uint32_t f : chain) {
    const std::vector<Call>& calls = unit_.functions[f].calls;
    std::vector<bool> followed(calls.size(), false);
    for (const UnitEdge& edge : callees_[f])
      followed[edge.call] = component_[edge.callee] != component_[f];
    for (std::uint32_t c = 0; c < calls.size(); ++c) {
      if (followed[c]) continue;
      bool in_unit = std::any_of(callees_[f].begin(), callees_[f].end(),
                                 [&](const UnitEdge& e) { return e.call == c; });
      UnfollowedCall::Why why = calls[c].kind == note::CallKind::kIndirect
                                    ? UnfollowedCall::kThroughPointer
                                : in_unit ? UnfollowedCall::kRecursion
                                          : UnfollowedCall::kOutsideUnit;
      result.push_back({f, c, why});
    }
  }
  return result;
}

}  // namespace kstack
