// Tarjan's strongly connected components, with an explicit stack of
// (node, next edge) so that a call chain of any length cannot overflow the
// stack of the process that runs it (kstack, or GCC with kstack.so: the
// plugin includes this header too). Header-only and independent of any
// graph type: the caller says how to list a node's edges and where an edge
// goes.
//
// Components are emitted as Tarjan finds them, every component after the
// components it reaches, so a caller can compute a bottom-up quantity (a
// depth) in the emit callback itself.
#ifndef KSTACK_TOOL_STRONGLY_CONNECTED_H
#define KSTACK_TOOL_STRONGLY_CONNECTED_H

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace kstack {

// An edge that leads nowhere the search should go.
inline constexpr std::uint32_t kNoSuccessor = UINT32_MAX;

// The search's bookkeeping for a graph of N nodes; it can run from several
// roots in turn, and each node is visited once over all of them.
class StronglyConnected {
 public:
  explicit StronglyConnected(std::size_t nodes)
      : index_(nodes, kUnvisited), low_(nodes, 0), on_stack_(nodes, false) {}

  bool visited(std::uint32_t node) const { return index_[node] != kUnvisited; }

  // Visits every node reachable from ROOT not visited yet. EDGES(node)
  // returns the node's edges as a pair of iterators; TARGET(edge) the node
  // it leads to, or kNoSuccessor to ignore it. EMIT(head, members) is called
  // for each component: MEMBERS in the order they leave the stack, HEAD
  // (the first visited) last.
  template <typename Edges, typename Target, typename Emit>
  void search(std::uint32_t root, Edges edges, Target target, Emit emit) {
    using Range = decltype(edges(root));
    std::vector<std::pair<std::uint32_t, Range>> frames;
    auto visit = [&](std::uint32_t node) {
      index_[node] = low_[node] = next_index_++;
      stack_.push_back(node);
      on_stack_[node] = true;
      frames.emplace_back(node, edges(node));
    };
    visit(root);
    while (!frames.empty()) {
      auto& [node, range] = frames.back();
      if (range.first != range.second) {
        const std::uint32_t to = target(*range.first++);
        if (to == kNoSuccessor) continue;
        if (index_[to] == kUnvisited)
          visit(to);  // NODE and RANGE are not used after this
        else if (on_stack_[to])
          low_[node] = std::min(low_[node], index_[to]);
        continue;
      }
      const std::uint32_t done = node;
      frames.pop_back();
      if (!frames.empty())
        low_[frames.back().first] = std::min(low_[frames.back().first], low_[done]);
      if (low_[done] != index_[done]) continue;
      members_.clear();
      std::uint32_t member;
      do {
        member = stack_.back();
        stack_.pop_back();
        on_stack_[member] = false;
        members_.push_back(member);
      } while (member != done);
      emit(done, members_);
    }
  }

 private:
  static constexpr std::uint32_t kUnvisited = UINT32_MAX;
  std::vector<std::uint32_t> index_, low_;
  std::vector<bool> on_stack_;
  std::vector<std::uint32_t> stack_, members_;
  std::uint32_t next_index_ = 0;
};

}  // namespace kstack

#endif  // KSTACK_TOOL_STRONGLY_CONNECTED_H
