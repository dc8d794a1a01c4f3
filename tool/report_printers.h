// The outputs of `kstack report` and `kstack check`: printers over one
// Report. They choose what to show and how; every figure comes from Report.
#ifndef KSTACK_TOOL_REPORT_PRINTERS_H
#define KSTACK_TOOL_REPORT_PRINTERS_H

#include <cstddef>
#include <ostream>
#include <string>

#include "report.h"

namespace kstack {

struct ReportPrintOptions {
  std::string producer;     // "kstack 0.1.0"
  std::size_t top = 20;     // rows of the entry and function tables; 0: all
  std::size_t paths = 3;    // worst paths printed, deepest entries first
  std::string title;        // what the HTML page is the table of: "vmlinux.o and 9 modules"
  std::string source_link;  // the HTML page's link to FILE:LINE, "{file}" and "{line}"
                            // replaced; empty: the file itself
};

// The budget table for people: summary, entries by depth, functions by
// frame, worst paths frame by frame, then what makes bounds incomplete.
void print_report_text(std::ostream& out, const Report& report, const ReportPrintOptions& options);

// Schema "kstack-report" version 1 (docs/report-json.md): everything.
void print_report_json(std::ostream& out, const Report& report, const ReportPrintOptions& options);

// Folded stacks ("main;run;parse 264"), one line per step of every entry's
// worst path, weighted so that each path's weights add up to its depth: for
// flamegraph.pl and speedscope.
void print_report_folded(std::ostream& out, const Report& report);

// One self-contained HTML page: entries with budget bars, the worst path
// of each as an icicle and as steps linked to their sources, search by
// function or file (tool/html/, docs in the README).
void print_report_html(std::ostream& out, const Report& report, const ReportPrintOptions& options);

// Graphviz: the worst paths of the entries the text report shows.
void print_report_dot(std::ostream& out, const Report& report, const ReportPrintOptions& options);

// SARIF 2.1.0 for code scanning: entries over budget and incomplete bounds,
// each with its worst path as a code flow.
void print_report_sarif(std::ostream& out, const Report& report, const ReportPrintOptions& options);

// What `kstack check` makes of an unaccepted incomplete bound.
enum class IncompleteBounds { kError, kWarning, kIgnore };

// `kstack check`: GCC-style diagnostics for each failing entry, its worst
// path as notes; incomplete bounds as INCOMPLETE says (kIgnore: no
// diagnostic at all). Returns whether any error was printed.
bool print_check(std::ostream& out, const Report& report, IncompleteBounds incomplete);

// Accept lines for every failing entry, at its current depth: a baseline.
void print_accepts(std::ostream& out, const Report& report, const std::string& reason);

// Shared spellings.
std::string describe_location(const std::string& file, std::uint32_t line, std::uint32_t column);
std::string describe_reason(const Report& report, const Reason& reason);
// How an indirect call site was resolved: "field struct ops.read, 37 targets",
// "parameter 0 of run_cb, 2 targets", "type i32(*{struct inode},*{struct file}),
// 212 targets", "annotation, 2 targets".
std::string describe_indirect_site(const IndirectSite& site);
// How a path step's call was made: "tail call, via field struct ops.read,
// 2 targets, via __x86_indirect_thunk_rax"; empty for a plain direct call.
std::string describe_step_call(const PathStep& step);
// The note of a step with a red zone, and of one that starts a bounded
// recursive component ("recursive: 7 more activations of at most 96 bytes
// each, +672 (at most 8 live: app.ann:3)").
std::string describe_red_zone(const PathStep& step);
std::string describe_recursion(const PathStep& step);
// What makes a path step's frame big, when its unit was compiled with
// -fplugin-arg-kstack-explain: "frame: 'buf' (char[512], 512 bytes)
// declared at x.c:4"; empty otherwise.
std::string describe_step_frame(const Report& report, const PathStep& step);
// "1 unit", "3 units".
std::string describe_count(std::size_t n, const char* noun);
// "616" for a complete bound, ">= 616" for a lower bound.
std::string describe_bytes(std::uint64_t bytes, bool complete);

}  // namespace kstack

#endif  // KSTACK_TOOL_REPORT_PRINTERS_H
