// Worst paths for graph tools: folded stacks (flamegraph.pl, speedscope) and
// Graphviz dot.
//
// Folded weights: a step's weight is how much deeper the stack goes at that
// step than at any step before it, so the weights of one path add up to its
// depth even when a tail call reuses a frame (a 64-byte caller tail-calling
// a 16-byte callee weighs 64 and 0).
#include <set>
#include <string>

#include "report_printers.h"

namespace kstack {
namespace {

// Graphviz double-quoted string contents.
std::string dot_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Folded stack frames are separated by ';' and end at the last ' '.
std::string folded_name(const std::string& name) {
  std::string out = name;
  for (char& c : out)
    if (c == ';' || c == ' ') c = '_';
  return out;
}

}  // namespace

void print_report_folded(std::ostream& out, const Report& report) {
  for (const EntryReport& entry : report.entries()) {
    std::string stack;
    std::uint64_t deepest = 0;
    for (const PathStep& step : report.worst_path_steps(entry.node)) {
      if (!stack.empty()) stack += ';';
      stack += folded_name(step.symbol);
      if (step.recursion) stack += "[recursion]";
      const std::uint64_t weight = step.stack() > deepest ? step.stack() - deepest : 0;
      deepest = std::max(deepest, step.stack());
      out << stack << ' ' << weight << '\n';
    }
  }
}

void print_report_dot(std::ostream& out, const Report& report, const ReportPrintOptions& options) {
  out << "digraph kstack {\n"
         "  rankdir=LR;\n"
         "  node [shape=box, fontname=\"monospace\"];\n";
  std::set<std::string> nodes;
  std::set<std::string> edges;
  const auto& entries = report.entries();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const EntryReport& entry = entries[i];
    if (options.top && i >= options.top && !entry.over_budget()) continue;
    std::string previous;
    for (const PathStep& step : report.worst_path_steps(entry.node)) {
      const std::string id =
          step.node == kNoFunction ? "assumed:" + step.symbol : "n" + std::to_string(step.node);
      if (nodes.insert(id).second) {
        out << "  \"" << dot_escape(id) << "\" [label=\"" << dot_escape(step.symbol) << "\\n"
            << "frame " << step.frame;
        if (step.node != kNoFunction) {
          const Depth& d = report.depth_of(step.node);
          out << ", depth " << describe_bytes(d.bytes, d.complete);
        } else {
          out << " (assumed)";
        }
        out << "\"";
        if (step.node == entry.node && step.before == 0)
          out << (entry.fails() ? ", color=red, penwidth=2" : ", penwidth=2");
        if (step.assumed) out << ", style=dashed";
        out << "];\n";
      }
      if (!previous.empty() && edges.insert(previous + "->" + id).second) {
        out << "  \"" << dot_escape(previous) << "\" -> \"" << dot_escape(id) << "\"";
        if (step.call && step.call->tail)
          out << " [style=dashed, label=\"tail\"]";
        else if (!step.call)
          out << " [style=dotted, label=\"recursion\"]";
        out << ";\n";
      }
      previous = id;
    }
  }
  out << "}\n";
}

}  // namespace kstack
