// Worst-case stack depth of every function of a resolved program.
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
// A bound is complete only if nothing below F is unknown. What is not known
// is never counted as 0 silently: calls to symbols with no record (assembly,
// libraries built without the plugin), indirect calls, asm branches kstack
// could not name, frames GCC could not compute or bound (unbounded alloca),
// and recursion each make the bound a lower bound and are named as reasons,
// on every function above them. A symbol with no record may be given an
// assumed depth (exact name or glob), which then counts as known.
#ifndef KSTACK_TOOL_DEPTH_H
#define KSTACK_TOOL_DEPTH_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "resolve.h"

namespace kstack {

struct DepthOptions {
  // (glob, bytes): the depth assumed for a callee with no record. The first
  // matching pattern wins.
  std::vector<std::pair<std::string, std::uint64_t>> assumed;
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
  std::uint32_t node;  // the function where it happens
  std::string detail;  // the callee, the call's file:line, or the cycle
};

struct Depth {
  std::uint64_t bytes = 0;  // a lower bound unless `complete`
  bool complete = true;
  std::uint32_t next = kNoFunction;    // callee on the worst path
  const Call* via = nullptr;           // the call on the worst path
  std::vector<std::uint32_t> reasons;  // indexes into DepthAnalysis::reasons, at most kMaxReasons
  bool more_reasons = false;           // more than kMaxReasons apply
};

struct DepthAnalysis {
  static constexpr std::size_t kMaxReasons = 8;
  std::vector<Depth> depth;  // per node
  std::vector<Reason> reasons;
  std::vector<std::vector<std::uint32_t>> cycles;  // recursive components, as node lists
};

DepthAnalysis analyse_depth(const SymbolTable& symbols, const DepthOptions& options);

// The worst path from NODE: NODE, then each `next`.
std::vector<std::uint32_t> worst_path(const DepthAnalysis& analysis, std::uint32_t node);

}  // namespace kstack

#endif  // KSTACK_TOOL_DEPTH_H
