// The text budget table (`kstack report`, the default format):
//
//   kstack report: 7 functions in 3 units, 9 calls, 2 entry points (0 over budget, 1 incomplete)
//   largest frame: 264 bytes, parse_line (parse.c:12:6)
//   deepest entry: main, 616 bytes (complete)
//
// then, when the program makes indirect calls, how they were resolved (the
// counts and the targets per resolved site are one line, cut here):
//
//   Indirect calls:
//     3 indirect call sites: 1 by field, 0 by global, 0 by parameter, 1 by type,
//       0 by annotation, 1 unresolved; targets per site: median 2, 90th percentile 5
//     unresolved:
//       x.c:7 in 'dispatch': int (struct file *)
//
// then the tables, each with a header line, columns two spaces apart,
// numbers right-aligned, and a blank line between sections.
#include <algorithm>
#include <string>
#include <vector>

#include "explain.h"
#include "report_printers.h"
#include "text_table.h"

namespace kstack {
namespace {

std::string function_location(const Function& f) {
  return describe_location(f.file, f.line, f.column);
}

std::string call_location(const Call* call) {
  if (!call) return "";
  return describe_location(call->file, call->line, call->column);
}

std::string status_text(const EntryReport& entry) {
  std::string text = entry_status_name(entry.status);
  if (entry.accepted) text += " (accepted)";
  return text;
}

std::string budget_text(const EntryReport& entry) {
  return entry.budget ? std::to_string(*entry.budget) : "-";
}

std::string headroom_text(const Report& report, const EntryReport& entry) {
  if (!entry.budget) return "-";
  const Depth& d = report.depth_of(entry.node);
  if (d.bytes > *entry.budget) return "-" + std::to_string(d.bytes - *entry.budget);
  const std::string left = std::to_string(*entry.budget - d.bytes);
  return d.complete ? left : "<= " + left;
}

// Which rows a table of N rows shows: the first TOP, and any failing entry.
bool shown(std::size_t index, std::size_t top) { return top == 0 || index < top; }

void print_summary(std::ostream& out, const Report& report) {
  out << "kstack report: " << describe_count(report.symbols().size(), "function") << " in "
      << describe_count(report.unit_count(), "unit") << ", "
      << describe_count(report.call_count(), "call") << ", "
      << describe_count(report.entries().size(), "entry point");
  const Report::EntryCounts counts = report.entry_counts();
  out << " (" << counts.over_budget << " over budget, " << counts.incomplete << " incomplete";
  if (counts.accepted) out << ", " << counts.accepted << " of them accepted";
  out << ")\n";
  if (const std::vector<std::uint32_t> largest = report.by_frame(1); !largest.empty()) {
    const Function& f = report.function(largest.front());
    out << "largest frame: " << f.frame_size << " bytes, " << f.name;
    if (!f.file.empty()) out << " (" << function_location(f) << ")";
    out << '\n';
  }
  if (!report.entries().empty()) {
    const EntryReport& e = report.entries().front();
    const Depth& d = report.depth_of(e.node);
    out << "deepest entry: " << report.function(e.node).name << ", "
        << describe_bytes(d.bytes, d.complete) << " bytes ("
        << (d.complete ? "complete" : "lower bound") << ")\n";
  }
}

void print_indirect_calls(std::ostream& out, const Report& report, std::size_t top) {
  const IndirectStatistics& stats = report.indirect_calls();
  if (stats.sites == 0) return;
  auto count = [&](Resolution r) { return stats.by_resolution[static_cast<std::size_t>(r)]; };
  out << "\nIndirect calls:\n  " << describe_count(stats.sites, "indirect call site") << ": "
      << count(Resolution::kField) << " by field, " << count(Resolution::kGlobal) << " by global, "
      << count(Resolution::kParameter) << " by parameter, " << count(Resolution::kType)
      << " by type, " << count(Resolution::kAnnotation) << " by annotation, "
      << count(Resolution::kUnresolved) << " unresolved";
  if (stats.targets.median)
    out << "; targets per site: median " << *stats.targets.median << ", 90th percentile "
        << *stats.targets.p90;
  out << '\n';
  if (stats.unresolved.empty()) return;
  out << "  unresolved:\n";
  for (std::size_t i = 0; i < stats.unresolved.size() && shown(i, top); ++i) {
    const IndirectSite& site = *stats.unresolved[i];
    out << "    " << describe_location(site.call->file, site.call->line, 0) << " in '"
        << report.function(site.caller).name
        << "': " << (site.info && !site.info->type.empty() ? site.info->type : "unknown type")
        << '\n';
  }
  if (top && stats.unresolved.size() > top)
    out << "    ... and " << stats.unresolved.size() - top << " more\n";
}

void print_entries(std::ostream& out, const Report& report, std::size_t top) {
  const auto& entries = report.entries();
  out << "\nEntry points by worst-case depth";
  if (top && entries.size() > top)
    out << " (deepest " << top << " of " << entries.size() << ", and every one over budget)";
  out << ":\n";
  TextTable table({"depth", "budget", "headroom", "status", "entry", "location"},
                  {true, true, true, false, false, false});
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const EntryReport& e = entries[i];
    if (!shown(i, top) && !e.over_budget()) continue;
    const Depth& d = report.depth_of(e.node);
    const Function& f = report.function(e.node);
    table.add({describe_bytes(d.bytes, d.complete), budget_text(e), headroom_text(report, e),
               status_text(e), f.name, function_location(f)});
  }
  table.print(out, "  ");
}

void print_functions(std::ostream& out, const Report& report, std::size_t top) {
  const std::vector<std::uint32_t> nodes = report.by_frame(top);
  out << "\nFunctions by frame";
  if (top && nodes.size() > top) out << " (largest " << top << " of " << nodes.size() << ")";
  out << ":\n";
  TextTable table({"frame", "kind", "depth", "entered", "function", "location"},
                  {true, false, true, true, false, false});
  for (std::size_t i = 0; i < nodes.size() && shown(i, top); ++i) {
    const Function& f = report.function(nodes[i]);
    const Depth& d = report.depth_of(nodes[i]);
    const EntryDepth& in = report.entered()[nodes[i]];
    table.add({std::to_string(f.frame_size), frame_kind_name(f.frame_kind),
               describe_bytes(d.bytes, d.complete),
               in.reached ? describe_bytes(in.bytes, in.complete) : "-", f.name,
               function_location(f)});
  }
  table.print(out, "  ");
}

void print_path(std::ostream& out, const Report& report, const EntryReport& entry) {
  const Depth& d = report.depth_of(entry.node);
  out << "\nWorst path of " << report.function(entry.node).name << ": "
      << (d.complete ? "" : "at least ") << d.bytes << " bytes"
      << (d.complete ? ", complete" : " (incomplete)");
  if (entry.budget) {
    out << "; budget " << *entry.budget;
    if (entry.budget_source)
      out << " (" << entry.budget_source->source.file << ":" << entry.budget_source->source.line
          << ")";
    if (d.bytes > *entry.budget)
      out << ", " << d.bytes - *entry.budget << " over";
    else
      out << ", " << (d.complete ? "" : "at most ") << *entry.budget - d.bytes << " left";
  }
  out << '\n';
  TextTable table({"frame", "stack", "function", "location", "called at"},
                  {true, true, false, false, false});
  for (const PathStep& step : report.worst_path_steps(entry.node)) {
    std::string where;
    if (step.assumed) {
      where = "assumed";
      if (!step.assumed->source.file.empty())
        where += " (" + step.assumed->source.file + ":" +
                 std::to_string(step.assumed->source.line) + ")";
    } else {
      where = function_location(report.function(step.node));
    }
    std::string called = call_location(step.call);
    if (const std::string how = describe_step_call(step); !how.empty()) called += " (" + how + ")";
    if (!step.call && !step.assumed && step.before != 0) called = "(inside the cycle)";
    table.add(
        {std::to_string(step.frame), std::to_string(step.stack()), step.symbol, where, called});
    if (step.red_zone) table.note(describe_red_zone(step));
    if (step.recursion) table.note(describe_recursion(step));
    if (const std::string frame = describe_step_frame(report, step); !frame.empty())
      table.note(frame);
  }
  table.print(out, "  ");
  if (!d.complete) {
    out << "  a lower bound, because of:\n";
    for (std::uint32_t r : d.reasons)
      out << "    " << describe_reason(report, report.depth().reasons[r]) << '\n';
    if (d.more_reasons) out << "    and more\n";
  }
  if (entry.accepted)
    out << "  accepted up to " << entry.accepted->max_bytes << " bytes ("
        << entry.accepted->source.file << ":" << entry.accepted->source.line
        << "): " << entry.accepted->reason << '\n';
  if (entry.outgrown)
    out << "  no longer accepted: " << entry.outgrown->source.file << ":"
        << entry.outgrown->source.line << " accepts up to " << entry.outgrown->max_bytes
        << " bytes\n";
}

void print_unknowns(std::ostream& out, const Report& report, std::size_t top) {
  const auto& unknown = report.unknown_callees();
  if (!unknown.empty()) {
    out << "\nCalled but not recorded (assembly, or built without kstack; give them a depth "
           "with 'assume'): "
        << unknown.size() << '\n';
    TextTable table({"sites", "symbol", "first caller"}, {true, false, false});
    for (std::size_t i = 0; i < unknown.size() && shown(i, top); ++i)
      table.add({std::to_string(unknown[i].call_sites), unknown[i].symbol,
                 report.function(unknown[i].first_caller).name});
    table.print(out, "  ");
  }
  const auto& cycles = report.depth().cycles;
  if (!cycles.empty()) {
    out << "\nRecursion: " << cycles.size() << " recursive component"
        << (cycles.size() == 1 ? "" : "s") << '\n';
    for (std::size_t i = 0; i < cycles.size() && shown(i, top); ++i) {
      out << "  " << cycles[i].description;
      if (cycles[i].bound)
        out << "  bounded to " << cycles[i].bound->activations << " activations ("
            << cycles[i].bound->source.file << ":" << cycles[i].bound->source.line << ")";
      else
        out << "  unbounded";
      out << '\n';
    }
  }
  const auto& duplicates = report.symbols().duplicates();
  if (!duplicates.empty()) {
    out << "\nDefined more than once (the first definition is used):\n";
    for (const DuplicateDefinition& d : duplicates)
      out << "  " << d.symbol << "  in " << report.unit_of(d.kept).input << " and "
          << report.unit_of(d.ignored).input << '\n';
  }
  const auto& unused = report.unused_annotations();
  if (!unused.empty()) {
    out << "\nAnnotations that apply to nothing:\n";
    for (const UnusedAnnotation& u : unused)
      out << "  "
          << (u.source.file.empty() ? "command line"
                                    : u.source.file + ":" + std::to_string(u.source.line))
          << ": " << u.what << '\n';
  }
}

}  // namespace

std::string describe_location(const std::string& file, std::uint32_t line, std::uint32_t column) {
  if (file.empty()) return "-";
  std::string text = file + ":" + std::to_string(line);
  if (column) text += ":" + std::to_string(column);
  return text;
}

std::string describe_indirect_site(const IndirectSite& site) {
  std::string text = resolution_name(site.resolution);
  if (site.slot)
    text = *site.slot;
  else if (site.resolution == Resolution::kType && site.info)
    text += " " + site.info->signature;
  return text + ", " + describe_count(site.targets, "target");
}

std::string describe_step_call(const PathStep& step) {
  std::string how;
  auto also = [&](const std::string& part) { how += (how.empty() ? "" : ", ") + part; };
  if (step.call && step.call->tail) also("tail call");
  if (step.indirect) also("via " + describe_indirect_site(*step.indirect));
  if (!step.via.empty()) also("via " + step.via);
  return how;
}

std::string describe_red_zone(const PathStep& step) {
  return "red zone " + std::to_string(step.red_zone) +
         ": bytes used below the stack pointer, not in the frame GCC reports";
}

std::string describe_recursion(const PathStep& step) {
  const RecursionBound& bound = *step.recursion->bound;
  return "recursive: " + std::to_string(bound.activations - 1) + " more activations of at most " +
         std::to_string(step.recursion->max_frame) + " bytes each, +" +
         std::to_string(other_activations_bytes(bound.activations, step.recursion->max_frame)) +
         " (at most " + std::to_string(bound.activations) + " live: " + bound.source.file + ":" +
         std::to_string(bound.source.line) + ")";
}

std::string describe_step_frame(const Report& report, const PathStep& step) {
  if (step.node == kNoFunction) return "";
  // The two largest data parts of 64 bytes or more: what a reader would
  // look at first.
  std::string text;
  for (const std::string& part : largest_frame_parts(report.function(step.node), 2, 64))
    text += (text.empty() ? "frame: " : "; ") + part;
  return text;
}

std::string describe_count(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string describe_bytes(std::uint64_t bytes, bool complete) {
  return complete ? std::to_string(bytes) : ">= " + std::to_string(bytes);
}

std::string describe_reason(const Report& report, const Reason& reason) {
  const std::string& in = report.function(reason.node).name;
  switch (reason.kind) {
    case Reason::kUnknownCallee:
      return "'" + reason.detail + "', called from '" + in + "', has no record";
    case Reason::kIndirectCall:
      return "indirect call in '" + in + "' at " + reason.detail;
    case Reason::kUnknownAsmTarget:
      return "asm branch in '" + in + "' at " + reason.detail + " to a target kstack cannot name";
    case Reason::kUnknownFrame:
      return "the frame of '" + in + "' is unknown to GCC";
    case Reason::kUnboundedAlloca:
      return "'" + in + "' allocates stack without a bound (alloca or a variable-length array)";
    case Reason::kRecursion:
      return "recursion: " + reason.detail;
  }
  return reason.detail;
}

void print_report_text(std::ostream& out, const Report& report, const ReportPrintOptions& options) {
  print_summary(out, report);
  print_indirect_calls(out, report, options.top);
  print_entries(out, report, options.top);
  print_functions(out, report, options.top);
  const auto& entries = report.entries();
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (i < options.paths || entries[i].over_budget()) print_path(out, report, entries[i]);
  print_unknowns(out, report, options.top);
}

}  // namespace kstack
