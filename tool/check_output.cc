// `kstack check` output: diagnostics in GCC's format, so editors, CI log
// parsers and people read them like compiler errors:
//
//   main.c:5:5: error: worst-case stack of 'main' is 1232 bytes, over its budget of 1024 bytes
//   main.c:7:3: note: 'main' (48 bytes, stack 48) calls 'run'
//   vfs.c:9:10: note: 'vfs_read' (48 bytes, stack 48) calls 'fs_read' through a pointer
//     (field struct file_operations.read, 3 targets)
//   parse.c:12:6: note: 'parse' (264 bytes, stack 1232) is the deepest frame
//
// and the accept lines that record the current offenders as a baseline.
#include "report_printers.h"

namespace kstack {
namespace {

std::string where_defined(const Report& report, std::uint32_t node) {
  const Function& f = report.function(node);
  if (f.file.empty()) return report.unit_of(node).input;
  return describe_location(f.file, f.line, f.column);
}

std::string where_called(const Report& report, std::uint32_t caller, const Call* call) {
  if (!call || call->file.empty()) return where_defined(report, caller);
  return describe_location(call->file, call->line, call->column);
}

void print_path_notes(std::ostream& out, const Report& report, std::uint32_t entry) {
  const std::vector<PathStep> steps = report.worst_path_steps(entry);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const PathStep& step = steps[i];
    const std::string red_zone =
        step.red_zone ? ", red zone " + std::to_string(step.red_zone) : std::string();
    const std::string size = " (" + std::to_string(step.frame) + " bytes" + red_zone + ", stack " +
                             std::to_string(step.stack()) + ")";
    if (step.assumed) {
      out << where_called(report, steps[i - 1].node, step.call) << ": note: '" << step.symbol
          << "' is assumed to use " << step.frame << " bytes, stack " << step.stack();
      if (!step.assumed->source.file.empty())
        out << " (" << step.assumed->source.file << ":" << step.assumed->source.line << ")";
      out << '\n';
      continue;
    }
    if (step.recursion)
      out << where_defined(report, step.node) << ": note: '" << step.symbol
          << "' is recursive: " << step.recursion->bound->activations - 1
          << " more activations of at most " << step.recursion->max_frame << " bytes each, +"
          << other_activations_bytes(step.recursion->bound->activations, step.recursion->max_frame)
          << " (at most " << step.recursion->bound->activations
          << " live: " << step.recursion->bound->source.file << ":"
          << step.recursion->bound->source.line << ")\n";
    if (i + 1 == steps.size()) {
      out << where_defined(report, step.node) << ": note: '" << step.symbol << "'" << size
          << " is the deepest frame\n";
      continue;
    }
    const PathStep& next = steps[i + 1];
    if (!next.call) continue;  // the next member of a bounded cycle
    out << where_called(report, step.node, next.call) << ": note: '" << step.symbol << "'" << size
        << (next.call->tail ? " tail-calls '" : " calls '") << next.symbol << "'";
    if (next.indirect)
      out << " through a pointer (" << describe_indirect_site(*next.indirect) << ")";
    if (!next.via.empty()) out << " via '" << next.via << "'";
    out << '\n';
  }
}

void print_reasons(std::ostream& out, const Report& report, const Depth& d) {
  for (std::uint32_t r : d.reasons) {
    const Reason& reason = report.depth().reasons[r];
    out << where_called(report, reason.node, reason.call)
        << ": note: lower bound: " << describe_reason(report, reason) << '\n';
  }
  if (d.more_reasons)
    out << where_defined(report, report.depth().reasons[d.reasons.back()].node)
        << ": note: and more reasons; see 'kstack report'\n";
}

}  // namespace

bool print_check(std::ostream& out, const Report& report, IncompleteBounds incomplete) {
  bool any_error = false;
  for (const EntryReport& entry : report.entries()) {
    if (!entry.fails()) continue;
    const std::string& name = report.function(entry.node).name;
    const Depth& d = report.depth_of(entry.node);
    const bool over = entry.status == EntryStatus::kOverBudget;
    if (!over && incomplete == IncompleteBounds::kIgnore) continue;
    const bool error = over || incomplete == IncompleteBounds::kError;
    any_error |= error;
    out << where_defined(report, entry.node) << (error ? ": error: " : ": warning: ");
    if (over) {
      out << "worst-case stack of '" << name << "' is " << (d.complete ? "" : "at least ")
          << d.bytes << " bytes, over its budget of " << *entry.budget << " bytes";
      if (entry.budget_source)
        out << " (" << entry.budget_source->source.file << ":" << entry.budget_source->source.line
            << ")";
    } else {
      out << "worst-case stack of '" << name << "' is unknown: at least " << d.bytes << " bytes";
    }
    out << '\n';
    if (entry.outgrown)
      out << entry.outgrown->source.file << ":" << entry.outgrown->source.line
          << ": note: accepted only up to " << entry.outgrown->max_bytes
          << " bytes: " << entry.outgrown->reason << '\n';
    if (!d.complete) print_reasons(out, report, d);
    print_path_notes(out, report, entry.node);
  }
  return any_error;
}

void print_accepts(std::ostream& out, const Report& report, const std::string& reason) {
  for (const EntryReport& entry : report.entries()) {
    if (!entry.fails()) continue;
    out << "accept " << report.function(entry.node).name << ' ' << report.depth_of(entry.node).bytes
        << ' ' << reason << '\n';
  }
}

}  // namespace kstack
