// Stack depth within one translation unit, for the compile-time warnings
// (frame_warnings.cc): what the compiler can say about a function's call
// chains before anything is linked. No GCC types, so it is tested with
// GoogleTest on in-memory units.
//
// Vertices are the unit's recorded functions, edges its direct calls (and
// tail calls) to functions the unit defines, through the unit's aliases.
// Calls to anything else (another unit, a library, assembly) and calls
// through pointers are not followed: they make a figure a lower bound and
// are listed so the warning can name them. Recursion too: strongly connected
// components are found first (tool/strongly_connected.h, iteratively, so a
// long chain of generated functions cannot exhaust the compiler's stack),
// and calls inside a component are left out.
//
// The depth of F follows the whole-program rule of tool/depth.h: its frame
// plus red zone, its frame plus a callee's depth, or a tail callee's depth
// alone (F released its frame before the jump). The way in is the mirror
// image: the most stack in use when F is entered, over the chains of this
// unit's callers from a function no one in the unit calls.
#ifndef KSTACK_PLUGIN_UNIT_DEPTH_H
#define KSTACK_PLUGIN_UNIT_DEPTH_H

#include <cstdint>
#include <vector>

#include "kstack/records.h"

namespace kstack {

inline constexpr std::uint32_t kNoUnitFunction = UINT32_MAX;

// A call of one function to another of the same unit.
struct UnitEdge {
  std::uint32_t caller;
  std::uint32_t callee;
  std::uint32_t call;  // index in the caller's Function::calls
};

// A call the unit analysis does not follow.
struct UnfollowedCall {
  std::uint32_t caller;
  std::uint32_t call;  // index in the caller's Function::calls
  enum Why { kOutsideUnit, kThroughPointer, kRecursion } why;
};

struct UnitDepth {
  std::uint64_t bytes = 0;  // a lower bound unless `complete`
  bool complete = true;
  std::uint32_t next = kNoUnitFunction;  // the callee on the deepest chain
  std::uint32_t via = kNoUnitFunction;   // the call to it (index in calls)
};

struct UnitWayIn {
  std::uint64_t bytes = 0;                 // in use when the function is entered
  std::uint32_t caller = kNoUnitFunction;  // the last step of the deepest way in
  std::uint32_t via = kNoUnitFunction;     // the caller's call
};

class UnitCallGraph {
 public:
  // Precondition: UNIT outlives the graph.
  explicit UnitCallGraph(const Unit& unit);

  std::size_t size() const { return depth_.size(); }
  const Function& function(std::uint32_t f) const { return unit_.functions[f]; }
  const UnitDepth& depth(std::uint32_t f) const { return depth_[f]; }
  const UnitWayIn& way_in(std::uint32_t f) const { return way_in_[f]; }
  // The stack in use at worst while F runs, entered the deepest way.
  std::uint64_t through(std::uint32_t f) const { return way_in_[f].bytes + depth_[f].bytes; }
  // F's own stack: its frame and, if it calls nothing, its red zone.
  std::uint64_t own_stack(std::uint32_t f) const;

  // F, then each `next`.
  std::vector<std::uint32_t> deepest_chain(std::uint32_t f) const;
  // The first function of the deepest way into F, then each step to F.
  std::vector<std::uint32_t> deepest_way_in(std::uint32_t f) const;
  // The calls of the unit's functions to F, in function order.
  const std::vector<UnitEdge>& callers(std::uint32_t f) const { return callers_[f]; }
  // What the functions of CHAIN call that the analysis does not follow.
  std::vector<UnfollowedCall> unfollowed(const std::vector<std::uint32_t>& chain) const;

 private:
  void add_edges();
  std::vector<std::uint32_t> components();  // callees before callers
  void compute_depths(const std::vector<std::uint32_t>& order);
  void compute_ways_in(const std::vector<std::uint32_t>& order);

  const Unit& unit_;
  std::vector<std::vector<UnitEdge>> callees_;  // per function
  std::vector<std::vector<UnitEdge>> callers_;
  std::vector<std::uint32_t> component_;  // per function
  std::vector<UnitDepth> depth_;
  std::vector<UnitWayIn> way_in_;
};

}  // namespace kstack

#endif  // KSTACK_PLUGIN_UNIT_DEPTH_H
