// The depth pass (see depth.h for what is computed).
//
// Vertices are functions, edges are resolved calls. Strongly connected
// components (recursion) are found with Tarjan's algorithm, iteratively so a
// call chain of any length cannot overflow kstack's own stack. Tarjan emits
// each component after every component it reaches, so depths are final in
// emission order: one pass, linear in functions plus calls. Edges inside a
// component are the recursion itself: with a bound the component is costed
// as a whole. Without one, the depth becomes a lower bound, reported with
// the cycle, and the component's calls are skipped except the named ones
// (not through a pointer) that are no recursion of their own: Tarjan's
// algorithm again, over the named calls between the members, orders their
// smaller components callees first. Resolving a kernel's indirect calls
// joins most of its functions into one component; this keeps every direct
// call chain through it, so a bound is never below the one the named calls
// alone give (--indirect=none), and the over-approximated targets of
// pointers inside the component add no path no program may take.
//
// Entry depths run the other way: components in reverse emission order are
// callers before callees, so one more linear pass pushes the stack in use
// from the entry points down every edge.
#include "depth.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "strongly_connected.h"

namespace kstack {
namespace {

class DepthPass {
  // A node's calls, and where a call goes, for StronglyConnected::search
  // (first in the class: a deduced return type must be seen before its use).
  auto calls_of() const {
    return
        [this](std::uint32_t node) { return std::make_pair(graph_.begin(node), graph_.end(node)); };
  }
  static std::uint32_t target_of(const Edge& edge) {
    return edge.target == kNoFunction ? kNoSuccessor : edge.target;
  }

 public:
  DepthPass(const CallGraph& graph, const DepthOptions& options)
      : graph_(graph), symbols_(graph.symbols()), options_(options) {
    const std::size_t n = graph.size();
    result_.depth.resize(n);
    result_.assumed_used.assign(options.assumed.size(), false);
    result_.component_of.assign(n, kNoIndex);
    result_.component_members.reserve(n);
    result_.component_start.push_back(0);
  }

  DepthAnalysis run() {
    const std::uint32_t n = static_cast<std::uint32_t>(graph_.size());
    StronglyConnected components(n);
    for (std::uint32_t root = 0; root < n; ++root)
      if (!components.visited(root))
        components.search(root, calls_of(), target_of, [&](std::uint32_t head, const auto& popped) {
          emit_component(head, popped);
        });
    return std::move(result_);
  }

 private:
  // POPPED: the component's members as Tarjan's stack gave them, HEAD last;
  // they are kept in the order they were found, HEAD first.
  void emit_component(std::uint32_t head, const std::vector<std::uint32_t>& popped) {
    const std::uint32_t component = static_cast<std::uint32_t>(result_.component_start.size() - 1);
    const std::size_t first = result_.component_members.size();
    for (auto member = popped.rbegin(); member != popped.rend(); ++member) {
      result_.component_of[*member] = component;
      result_.component_members.push_back(*member);
    }
    result_.component_start.push_back(static_cast<std::uint32_t>(result_.component_members.size()));

    bool recursive = result_.component_members.size() - first > 1;
    for (const Edge* e = graph_.begin(head); e != graph_.end(head); ++e)
      recursive |= e->target == head;
    if (!recursive) {
      compute(head);
      return;
    }
    // Copied only for a recursive component: most components are one
    // function, and this runs once per component.
    const std::vector<std::uint32_t> members(result_.component_members.begin() + first,
                                             result_.component_members.end());
    const std::uint32_t cycle_index = static_cast<std::uint32_t>(result_.cycles.size());
    Cycle& cycle = result_.cycles.emplace_back();
    cycle.members = members;
    cycle.description = describe_cycle(head, members.size());
    for (std::uint32_t m : members) {
      result_.depth[m].cycle = cycle_index;
      cycle.max_frame = std::max(cycle.max_frame, symbols_.function(m).frame_size);
      if (!cycle.bound) cycle.bound = recursion_bound(symbols_.function(m).name);
    }
    if (!cycle.bound)
      cycle.reason = add_reason({Reason::kRecursion, head, cycle.description, nullptr});
    if (cycle.bound) {
      for (std::uint32_t m : members) compute(m);
      cost_bounded_cycle(result_.cycles[cycle_index]);
      return;
    }
    // Unbounded: the named calls (not through pointers) between members
    // that are no recursion of their own are real call chains, and are
    // followed: the members' components over named calls alone, costed
    // callees first, each member taking its named calls into other such
    // components. Calls through pointers inside the component, and named
    // calls inside one of those components, are left out.
    for (std::uint32_t m : named_components(members)) {
      compute(m);
      costed_[m] = true;
    }
  }

  // A call that names its callee, not one through a pointer.
  static bool named_call(const Edge& edge) { return edge.call->kind != CallKind::kIndirect; }

  // MEMBERS (one component) in the emission order of Tarjan's algorithm run
  // again over the named calls between them: callees' components first.
  // Sets named_component_ of each member.
  std::vector<std::uint32_t> named_components(const std::vector<std::uint32_t>& members) {
    if (costed_.size() != graph_.size()) {
      costed_.assign(graph_.size(), false);
      named_component_.assign(graph_.size(), kNoIndex);
      named_search_.emplace(graph_.size());
    }
    const std::uint32_t component = result_.component_of[members.front()];
    auto inside = [&](const Edge& e) {
      return e.target != kNoFunction && result_.component_of[e.target] == component && named_call(e)
                 ? e.target
                 : kNoSuccessor;
    };
    std::vector<std::uint32_t> order;
    std::uint32_t next_component = 0;
    for (std::uint32_t root : members) {
      if (named_search_->visited(root)) continue;
      named_search_->search(root, calls_of(), inside, [&](std::uint32_t, const auto& popped) {
        for (std::uint32_t m : popped) named_component_[m] = next_component;
        order.insert(order.end(), popped.begin(), popped.end());
        ++next_component;
      });
    }
    return order;
  }

  // Every member's depth is (N - 1) activations of the largest frame, plus
  // the deepest last activation, which compute() gave each member.
  void cost_bounded_cycle(Cycle& cycle) {
    std::uint32_t deepest = cycle.members.front();
    for (std::uint32_t m : cycle.members)
      if (result_.depth[m].bytes > result_.depth[deepest].bytes) deepest = m;
    cycle.deepest = deepest;
    const Depth last = result_.depth[deepest];
    Depth whole = last;
    whole.bytes =
        add_bytes(whole.bytes, other_activations_bytes(cycle.bound->activations, cycle.max_frame));
    for (std::uint32_t m : cycle.members) {
      for (std::uint32_t reason : result_.depth[m].reasons) note_reason(whole, reason);
      whole.complete &= result_.depth[m].complete;
      whole.more_reasons |= result_.depth[m].more_reasons;
    }
    for (std::uint32_t m : cycle.members) result_.depth[m] = whole;
  }

  const RecursionBound* recursion_bound(const std::string& name) const {
    for (const RecursionBound& bound : options_.recursion)
      if (glob_match(bound.glob, name)) return &bound;
    return nullptr;
  }

  // One shortest cycle through HEAD inside its component ("a -> b -> a"),
  // found breadth-first; a component can hold far more functions than any
  // one of its cycles, so their number follows.
  std::string describe_cycle(std::uint32_t head, std::size_t component_size) const {
    const auto& component_of = result_.component_of;
    std::unordered_map<std::uint32_t, std::uint32_t> parent{{head, head}};
    std::vector<std::uint32_t> queue{head};
    for (std::size_t i = 0; i < queue.size(); ++i) {
      const std::uint32_t node = queue[i];
      for (const Edge* e = graph_.begin(node); e != graph_.end(node); ++e) {
        if (e->target == kNoFunction || component_of[e->target] != component_of[head]) continue;
        if (e->target == head) {
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
        if (parent.emplace(e->target, node).second) queue.push_back(e->target);
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

  const AssumedDepth* assumed_depth(const std::string& symbol) {
    for (std::size_t i = 0; i < options_.assumed.size(); ++i) {
      if (!glob_match(options_.assumed[i].glob, symbol)) continue;
      result_.assumed_used[i] = true;
      return &options_.assumed[i];
    }
    return nullptr;
  }

  static void consider(Depth& d, std::uint64_t bytes, std::uint32_t next, const Call* via,
                       const AssumedDepth* assumed) {
    // Ties keep the first call, so a path is named even when the frame alone
    // is as deep.
    if (bytes > d.bytes || (d.via == nullptr && bytes == d.bytes)) {
      d.bytes = bytes;
      d.next = next;
      d.via = via;
      d.assumed = assumed;
    }
  }

  // Depth of NODE, whose callees outside its component are final.
  void compute(std::uint32_t node) {
    const Function& f = symbols_.function(node);
    Depth& d = result_.depth[node];
    const std::uint64_t frame = f.frame_size;
    d.bytes = add_bytes(frame, f.red_zone);  // calls below are made at `frame` alone (depth.h)
    if (f.frame_unknown) note_reason(d, add_reason({Reason::kUnknownFrame, node, f.name, nullptr}));
    if (f.unbounded_alloc)
      note_reason(d, add_reason({Reason::kUnboundedAlloca, node, f.name, nullptr}));
    if (d.cycle != kNoIndex && result_.cycles[d.cycle].reason != kNoIndex)
      note_reason(d, result_.cycles[d.cycle].reason);
    const std::uint32_t component = result_.component_of[node];
    for (const Edge* edge = graph_.begin(node); edge != graph_.end(node); ++edge) {
      const Call& call = *edge->call;
      const std::uint32_t target = edge->target;
      const std::uint64_t below = call.tail ? 0 : frame;
      if (target == kNoFunction) {
        // A resolved indirect call names no callee but has a target: the
        // target decides, the name only where there is none.
        if (call.callee.empty()) {
          const Reason::Kind kind =
              call.kind == CallKind::kIndirect ? Reason::kIndirectCall : Reason::kUnknownAsmTarget;
          note_reason(d, add_reason({kind, node, location(call), &call}));
        } else if (const AssumedDepth* assumed = assumed_depth(call.callee)) {
          consider(d, add_bytes(below, assumed->bytes), kNoFunction, &call, assumed);
        } else {
          note_reason(d, add_reason({Reason::kUnknownCallee, node, call.callee, &call}));
        }
        continue;
      }
      // The recursion itself; but see named_components.
      if (result_.component_of[target] == component &&
          !(target < costed_.size() && costed_[target] && named_call(*edge) &&
            named_component_[target] != named_component_[node]))
        continue;
      const Depth& callee = result_.depth[target];
      consider(d, add_bytes(below, callee.bytes), target, &call, nullptr);
      if (!callee.complete) d.complete = false;
      if (d.more_reasons)
        continue;  // full: nothing more to name, and most of a
                   // big program's functions get here fast
      for (std::uint32_t reason : callee.reasons) note_reason(d, reason);
      if (callee.more_reasons) d.more_reasons = true;
    }
  }

  const CallGraph& graph_;
  const SymbolTable& symbols_;
  const DepthOptions& options_;
  DepthAnalysis result_;
  // Members of unbounded recursive components: costed yet, their component
  // over named calls alone, and that second search's bookkeeping.
  std::vector<bool> costed_;
  std::vector<std::uint32_t> named_component_;
  std::optional<StronglyConnected> named_search_;
};

}  // namespace

const char* reason_kind_name(Reason::Kind kind) {
  switch (kind) {
    case Reason::kUnknownCallee:
      return "unknown-callee";
    case Reason::kIndirectCall:
      return "indirect-call";
    case Reason::kUnknownAsmTarget:
      return "unknown-asm-target";
    case Reason::kUnknownFrame:
      return "unknown-frame";
    case Reason::kUnboundedAlloca:
      return "unbounded-alloca";
    case Reason::kRecursion:
      return "recursion";
  }
  return "?";
}

DepthAnalysis analyse_depth(const CallGraph& graph, const DepthOptions& options) {
  return DepthPass(graph, options).run();
}

std::vector<std::uint32_t> worst_path(const DepthAnalysis& analysis, std::uint32_t node) {
  std::vector<std::uint32_t> path;
  while (node != kNoFunction && path.size() <= analysis.depth.size()) {
    path.push_back(node);
    node = analysis.depth[node].next;
  }
  return path;
}

std::vector<EntryDepth> analyse_entry_depths(const CallGraph& graph, const DepthAnalysis& analysis,
                                             const std::vector<std::uint32_t>& entries) {
  const SymbolTable& symbols = graph.symbols();
  std::vector<EntryDepth> entered(graph.size());
  for (std::uint32_t e : entries) {
    entered[e].reached = true;
    entered[e].entry = e;
  }
  const std::size_t components = analysis.component_start.size() - 1;
  for (std::size_t c = components; c-- > 0;) {
    const std::uint32_t* first = analysis.component_members.data() + analysis.component_start[c];
    const std::uint32_t* last = analysis.component_members.data() + analysis.component_start[c + 1];
    const std::uint32_t cycle = analysis.depth[*first].cycle;
    if (cycle != kNoIndex) {
      // Inside a component every member can be entered from any other: all
      // take the deepest way in, plus the other activations a bound allows.
      const Cycle& info = analysis.cycles[cycle];
      EntryDepth in;
      std::uint32_t in_member = kNoFunction;
      for (const std::uint32_t* m = first; m != last; ++m) {
        if (entered[*m].reached && (!in.reached || entered[*m].bytes > in.bytes)) {
          in = entered[*m];
          in_member = *m;
        }
      }
      if (!in.reached) continue;
      for (const std::uint32_t* m = first; m != last; ++m)
        in.complete &= entered[*m].complete || !entered[*m].reached;
      if (info.bound)
        in.bytes =
            add_bytes(in.bytes, other_activations_bytes(info.bound->activations, info.max_frame));
      else
        in.complete = false;
      // The deepest way into another member goes through IN_MEMBER and the
      // cycle; way_in() shows that step as a call from IN_MEMBER.
      for (const std::uint32_t* m = first; m != last; ++m) {
        const std::uint32_t caller = *m == in_member ? in.caller : in_member;
        entered[*m] = in;
        entered[*m].caller = caller;
        entered[*m].through_cycle = *m != in_member;
      }
    }
    for (const std::uint32_t* m = first; m != last; ++m) {
      const EntryDepth& from = entered[*m];
      if (!from.reached) continue;
      const std::uint64_t frame = symbols.function(*m).frame_size;
      for (const Edge* e = graph.begin(*m); e != graph.end(*m); ++e) {
        if (e->target == kNoFunction || analysis.component_of[e->target] == c) continue;
        EntryDepth& to = entered[e->target];
        const std::uint64_t bytes = add_bytes(from.bytes, e->call->tail ? 0 : frame);
        if (!to.reached || bytes > to.bytes) {
          const bool complete = to.reached ? to.complete && from.complete : from.complete;
          to = {true, bytes, complete, from.entry, *m, false};
        } else {
          to.complete &= from.complete;
        }
      }
    }
  }
  return entered;
}

std::vector<std::uint32_t> way_in(const std::vector<EntryDepth>& entered, std::uint32_t node) {
  std::vector<std::uint32_t> path;
  while (node != kNoFunction && entered[node].reached && path.size() <= entered.size()) {
    path.push_back(node);
    if (node == entered[node].entry && entered[node].caller == kNoFunction) break;
    node = entered[node].caller;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace kstack
