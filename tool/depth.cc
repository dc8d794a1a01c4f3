// The depth pass (see depth.h for what is computed).
//
// Vertices are functions, edges are resolved calls. Strongly connected
// components (recursion) are found with Tarjan's algorithm, iteratively so a
// call chain of any length cannot overflow kstack's own stack. Tarjan emits
// each component after every component it reaches, so depths are final in
// emission order: one pass, linear in functions plus calls. Edges inside a
// component are the recursion itself; they are skipped for the depth (which
// becomes a lower bound) and reported as the cycle.
#include "depth.h"

#include <fnmatch.h>

#include <algorithm>
#include <unordered_map>

namespace kstack {
namespace {

// A call and the node it reaches (kNoFunction: no record, or no callee).
struct Edge {
  std::uint32_t target;
  const Call* call;
};

class DepthPass {
 public:
  DepthPass(const SymbolTable& symbols, const DepthOptions& options)
      : symbols_(symbols), options_(options) {
    const std::size_t n = symbols.size();
    result_.depth.resize(n);
    edges_.resize(n);
    for (std::uint32_t node = 0; node < n; ++node) {
      const std::uint32_t unit = symbols.id(node).unit;
      for (const Call& call : symbols.function(node).calls) {
        const std::uint32_t target =
            call.callee.empty() ? kNoFunction : symbols.resolve(unit, call.callee);
        edges_[node].push_back({target, &call});
      }
    }
  }

  DepthAnalysis run() {
    const std::uint32_t n = static_cast<std::uint32_t>(symbols_.size());
    index_.assign(n, kUnvisited);
    low_.assign(n, 0);
    on_stack_.assign(n, false);
    component_.assign(n, kUnvisited);
    for (std::uint32_t root = 0; root < n; ++root)
      if (index_[root] == kUnvisited) strongconnect(root);
    return std::move(result_);
  }

 private:
  static constexpr std::uint32_t kUnvisited = UINT32_MAX;

  // Tarjan's algorithm with an explicit stack of (node, next edge).
  void strongconnect(std::uint32_t root) {
    std::vector<std::pair<std::uint32_t, std::size_t>> frames{{root, 0}};
    visit(root);
    while (!frames.empty()) {
      auto& [node, next_edge] = frames.back();
      if (next_edge < edges_[node].size()) {
        const std::uint32_t target = edges_[node][next_edge++].target;
        if (target == kNoFunction) continue;
        if (index_[target] == kUnvisited) {
          visit(target);
          frames.push_back({target, 0});
        } else if (on_stack_[target]) {
          low_[node] = std::min(low_[node], index_[target]);
        }
        continue;
      }
      const std::uint32_t done = node;
      frames.pop_back();
      if (!frames.empty())
        low_[frames.back().first] = std::min(low_[frames.back().first], low_[done]);
      if (low_[done] == index_[done]) emit_component(done);
    }
  }

  void visit(std::uint32_t node) {
    index_[node] = low_[node] = next_index_++;
    stack_.push_back(node);
    on_stack_[node] = true;
  }

  void emit_component(std::uint32_t head) {
    std::vector<std::uint32_t> members;
    std::uint32_t node;
    do {
      node = stack_.back();
      stack_.pop_back();
      on_stack_[node] = false;
      component_[node] = next_component_;
      members.push_back(node);
    } while (node != head);
    bool recursive = members.size() > 1;
    for (const Edge& e : edges_[head]) recursive |= e.target == head;  // kNoFunction != head
    std::uint32_t cycle_reason = UINT32_MAX;
    if (recursive) {
      std::reverse(members.begin(), members.end());
      cycle_reason = add_reason({Reason::kRecursion, head, describe_cycle(head, members.size())});
      result_.cycles.push_back(members);
    }
    for (std::uint32_t m : members) compute(m, cycle_reason);
    ++next_component_;
  }

  // One shortest cycle through HEAD inside its component ("a -> b -> a"),
  // found breadth-first; a component can hold far more functions than any
  // one of its cycles, so their number follows.
  std::string describe_cycle(std::uint32_t head, std::size_t component_size) const {
    std::unordered_map<std::uint32_t, std::uint32_t> parent{{head, head}};
    std::vector<std::uint32_t> queue{head};
    for (std::size_t i = 0; i < queue.size(); ++i) {
      const std::uint32_t node = queue[i];
      for (const Edge& e : edges_[node]) {
        if (e.target == kNoFunction || component_[e.target] != component_[head]) continue;
        if (e.target == head) {
          std::vector<std::uint32_t> cycle{head};
          for (std::uint32_t n = node; n != head; n = parent.at(n)) cycle.push_back(n);
          std::reverse(cycle.begin() + 1, cycle.end());
          std::string text;
          for (std::uint32_t n : cycle) text += symbols_.function(n).name + " -> ";
          text += symbols_.function(head).name;
          if (component_size > cycle.size())
            text += " (one cycle of " + std::to_string(component_size) +
                    " mutually recursive functions)";
          return text;
        }
        if (parent.emplace(e.target, node).second) queue.push_back(e.target);
      }
    }
    return symbols_.function(head).name;  // unreachable for a recursive component
  }

  std::uint32_t add_reason(Reason reason) {
    result_.reasons.push_back(std::move(reason));
    return static_cast<std::uint32_t>(result_.reasons.size() - 1);
  }

  static void note_reason(Depth& d, std::uint32_t reason) {
    d.complete = false;
    if (std::find(d.reasons.begin(), d.reasons.end(), reason) != d.reasons.end()) return;
    if (d.reasons.size() < DepthAnalysis::kMaxReasons)
      d.reasons.push_back(reason);
    else
      d.more_reasons = true;
  }

  static std::string location(const Call& call) {
    if (call.file.empty()) return "an unknown location";
    return call.file + ":" + std::to_string(call.line);
  }

  const std::uint64_t* assumed_depth(const std::string& symbol) const {
    for (const auto& [pattern, bytes] : options_.assumed)
      if (fnmatch(pattern.c_str(), symbol.c_str(), 0) == 0) return &bytes;
    return nullptr;
  }

  void consider(Depth& d, std::uint64_t bytes, std::uint32_t next, const Call* via) {
    // Ties keep the first call, so a path is named even when the frame alone
    // is as deep.
    if (bytes > d.bytes || (d.via == nullptr && bytes == d.bytes)) {
      d.bytes = bytes;
      d.next = next;
      d.via = via;
    }
  }

  // Depth of NODE, whose callees outside its component are final.
  void compute(std::uint32_t node, std::uint32_t cycle_reason) {
    const Function& f = symbols_.function(node);
    Depth& d = result_.depth[node];
    const std::uint64_t frame = f.frame_size;
    d.bytes = frame;
    if (f.frame_unknown) note_reason(d, add_reason({Reason::kUnknownFrame, node, f.name}));
    if (f.unbounded_alloc) note_reason(d, add_reason({Reason::kUnboundedAlloca, node, f.name}));
    if (cycle_reason != UINT32_MAX) note_reason(d, cycle_reason);
    for (const Edge& edge : edges_[node]) {
      const Call& call = *edge.call;
      const std::uint32_t target = edge.target;
      if (call.kind == CallKind::kIndirect) {
        note_reason(d, add_reason({Reason::kIndirectCall, node, location(call)}));
        continue;
      }
      if (call.callee.empty()) {
        note_reason(d, add_reason({Reason::kUnknownAsmTarget, node, location(call)}));
        continue;
      }
      if (target == kNoFunction) {
        if (const std::uint64_t* assumed = assumed_depth(call.callee)) {
          consider(d, (call.tail ? 0 : frame) + *assumed, kNoFunction, &call);
        } else {
          note_reason(d, add_reason({Reason::kUnknownCallee, node, call.callee}));
        }
        continue;
      }
      if (component_[target] == component_[node]) continue;  // the recursion itself
      const Depth& callee = result_.depth[target];
      consider(d, (call.tail ? 0 : frame) + callee.bytes, target, &call);
      for (std::uint32_t reason : callee.reasons) note_reason(d, reason);
      if (!callee.complete) d.complete = false;
      if (callee.more_reasons) d.more_reasons = true;
    }
  }

  const SymbolTable& symbols_;
  const DepthOptions& options_;
  DepthAnalysis result_;
  std::vector<std::vector<Edge>> edges_;
  std::vector<std::uint32_t> index_, low_;
  std::vector<bool> on_stack_;
  std::vector<std::uint32_t> stack_;
  std::vector<std::uint32_t> component_;
  std::uint32_t next_index_ = 0;
  std::uint32_t next_component_ = 0;
};

}  // namespace

DepthAnalysis analyse_depth(const SymbolTable& symbols, const DepthOptions& options) {
  return DepthPass(symbols, options).run();
}

std::vector<std::uint32_t> worst_path(const DepthAnalysis& analysis, std::uint32_t node) {
  std::vector<std::uint32_t> path;
  while (node != kNoFunction && path.size() <= analysis.depth.size()) {
    path.push_back(node);
    node = analysis.depth[node].next;
  }
  return path;
}

}  // namespace kstack
