// Worst-case stack depth of every function of a resolved program, and the
// worst depth at which each function can be entered from the entry points.
//
// The depth of F is the most stack in use, counted from F's entry, at any
// point while F runs: its frame alone, or its frame plus the depth of a
// callee, or — for a tail call, made after F has released its frame — the
// callee's depth alone. This holds on every supported target: on x86 GCC's
// frame includes the return address the call pushed, which a tail callee
// reuses; on aarch64 and arm the return address is a register saved inside
// the frame. Profiler hooks and asm calls count as ordinary calls made at
// the full frame, the conservative choice.
//
// F's frame is GCC's `-fstack-usage` figure, and F's own stack is that plus
// its red zone: on x86_64 a leaf function may keep up to 120 bytes below the
// stack pointer, which GCC leaves out of the figure. A call would overwrite
// them, so they are live only while F calls nothing: calls are made at the
// frame alone, and F's depth is the larger of frame + red zone and frame +
// the deepest callee. (GCC keeps a red zone only where nothing is called, so
// in practice a leaf's red zone is simply added to its frame.)
//
// A bound is complete only if nothing below F is unknown. What is not known
// is never counted as 0 silently: calls to symbols with no record (assembly,
// libraries built without the plugin), indirect calls that resolve to no
// candidate (indirect.h), asm branches kstack could not name, frames GCC
// could not compute or bound (unbounded alloca), and recursion each make the
// bound a lower bound and are named as reasons, on every function above
// them. A symbol with no record may be given an assumed depth (exact name or
// glob), which then counts as known. A resolved indirect call is a call to
// each of its candidates: the deepest counts.
//
// Recursion: a recursive component (a strongly connected set of functions)
// has no finite depth unless the user bounds it: "at most N activations of
// the component's functions are live at once". Then every member's depth is
// (N - 1) × the component's largest frame, plus the deepest way the last
// activation can go: its own frame, or its frame and a call leaving the
// component. Without a bound, the depth is a lower bound that names one
// cycle: the component's calls through pointers are left out, and so are
// its named calls that are recursion among named calls alone; its other
// named calls (real call chains through the component) are followed.
#ifndef KSTACK_TOOL_DEPTH_H
#define KSTACK_TOOL_DEPTH_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "graph.h"

namespace kstack {

inline constexpr std::uint32_t kNoIndex = UINT32_MAX;

// Stack sizes add and multiply saturating: a bound that would wrap (an
// absurd annotation, a corrupt frame) stays the largest number, never small.
inline std::uint64_t add_bytes(std::uint64_t a, std::uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}
inline std::uint64_t multiply_bytes(std::uint64_t a, std::uint64_t b) {
  return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}
// What the other activations of a bounded recursive component add.
inline std::uint64_t other_activations_bytes(std::uint64_t activations, std::uint64_t max_frame) {
  return multiply_bytes(activations - 1, max_frame);
}

// Where a user-given number comes from, to show it beside the figure.
struct Source {
  std::string file;  // empty for a command-line option
  std::uint32_t line = 0;
};

struct AssumedDepth {
  std::string glob;  // symbols with no record that it applies to
  std::uint64_t bytes;
  Source source;
};

struct RecursionBound {
  std::string glob;           // applies to the component of any function it matches
  std::uint64_t activations;  // at most this many live at once, >= 1
  Source source;
};

struct DepthOptions {
  std::vector<AssumedDepth> assumed;  // the first matching one wins
  std::vector<RecursionBound> recursion;
};

// Why a bound is a lower bound.
struct Reason {
  enum Kind {
    kUnknownCallee,
    kIndirectCall,
    kUnknownAsmTarget,
    kUnknownFrame,
    kUnboundedAlloca,
    kRecursion
  } kind;
  std::uint32_t node;          // the function where it happens
  std::string detail;          // the callee, the call's file:line, or the cycle
  const Call* call = nullptr;  // the call it is about, if any
};

const char* reason_kind_name(Reason::Kind kind);

struct Depth {
  std::uint64_t bytes = 0;  // a lower bound unless `complete`
  bool complete = true;
  std::uint32_t next = kNoFunction;       // callee on the worst path
  const Call* via = nullptr;              // the call on the worst path
  const AssumedDepth* assumed = nullptr;  // `via` reaches a symbol of assumed depth
  std::uint32_t cycle = kNoIndex;         // member of DepthAnalysis::cycles[cycle]
  std::vector<std::uint32_t> reasons;  // indexes into DepthAnalysis::reasons, at most kMaxReasons
  bool more_reasons = false;           // more than kMaxReasons apply
};

struct Cycle {
  std::vector<std::uint32_t> members;
  std::string description;          // one shortest cycle, "a -> b -> a (one cycle of N ...)"
  std::uint32_t reason = kNoIndex;  // the kRecursion reason, when not bounded
  const RecursionBound* bound = nullptr;
  std::uint64_t max_frame = 0;
  // With a bound: the member whose last activation goes deepest; every
  // member's `next` and `via` are that member's.
  std::uint32_t deepest = kNoFunction;
};

struct DepthAnalysis {
  static constexpr std::size_t kMaxReasons = 8;
  std::vector<Depth> depth;  // per node
  std::vector<Reason> reasons;
  std::vector<Cycle> cycles;       // recursive components
  std::vector<bool> assumed_used;  // per DepthOptions::assumed: applied to some call
  // Every strongly connected component, callees before callers: component c
  // is component_members[component_start[c] .. component_start[c + 1]).
  std::vector<std::uint32_t> component_of;  // per node
  std::vector<std::uint32_t> component_start;
  std::vector<std::uint32_t> component_members;
};

DepthAnalysis analyse_depth(const CallGraph& graph, const DepthOptions& options);

// The worst path from NODE: NODE, then each `next`. Inside a bounded
// recursive component the path jumps from the entered member to the callee of
// the component's deepest member (Cycle::deepest).
std::vector<std::uint32_t> worst_path(const DepthAnalysis& analysis, std::uint32_t node);

// The stack in use when a function is entered: the largest sum of the frames
// still live above it, over every path from the chosen entry points.
struct EntryDepth {
  bool reached = false;                // from some entry point
  std::uint64_t bytes = 0;             // a lower bound unless `complete`
  bool complete = true;                // false when a path to it passes unbounded recursion
  std::uint32_t entry = kNoFunction;   // the entry point of the deepest way in
  std::uint32_t caller = kNoFunction;  // its last step
  // The last step is not a call but a way through the recursive component
  // both belong to: CALLER is the member entered first.
  bool through_cycle = false;
};

std::vector<EntryDepth> analyse_entry_depths(const CallGraph& graph, const DepthAnalysis& analysis,
                                             const std::vector<std::uint32_t>& entries);

// The deepest way into NODE: the entry point first, NODE last.
std::vector<std::uint32_t> way_in(const std::vector<EntryDepth>& entered, std::uint32_t node);

}  // namespace kstack

#endif  // KSTACK_TOOL_DEPTH_H
