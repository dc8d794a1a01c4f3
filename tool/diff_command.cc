// `kstack diff OLD NEW`: the command line of the diff. It reads and parses
// both reports (every problem is one `kstack: error:` line naming the file,
// with the byte offset for a malformed document; both files are checked
// before giving up), hands them to the analysis and the chosen printer, and
// decides the exit status: 0 for a diff (it is a report, not a verdict), 1
// when --fail-above is given and an entry point grew by more, 2 for bad
// usage or input.
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checked.h"
#include "command_line.h"
#include "diagnostics.h"
#include "diff.h"
#include "report.h"
#include "report_printers.h"
#include "text_file.h"

namespace kstack {
namespace {

constexpr int kExitGrewTooMuch = 1;

constexpr char kDiffUsage[] =
    "usage: kstack diff [--format=text|markdown] [--all] [--top=N] [--fail-above=BYTES] OLD NEW\n"
    "\n"
    "Compares two budget tables written by 'kstack report --format=json', the\n"
    "way the kernel's bloat-o-meter compares sizes: entry points by worst-case\n"
    "depth, functions by frame and by worst-case depth, largest growth first.\n"
    "Functions and entry points are matched by name and source file; several\n"
    "copies of one (a static inline function of a header) count as their worst\n"
    "(docs/diff.md).\n"
    "\n"
    "options:\n"
    "  --format=text       aligned tables (the default)\n"
    "  --format=markdown   GitHub Markdown, for a pull-request comment\n"
    "  --all               list unchanged rows too\n"
    "  --top=N             rows per table (default 0: all)\n"
    "  --fail-above=BYTES  exit 1 if an entry point in both reports got more than\n"
    "                      BYTES deeper (16K is 16384)\n"
    "  --help              print this help\n";

std::optional<DiffInput> load_report(const std::string& path) {
  StderrDiagnostics diagnostics;
  const std::optional<std::string> text = read_text_file(path, diagnostics);
  if (!text) return std::nullopt;
  try {
    return read_diff_input(parse_json(*text, kDiffIgnoredMembers));
  } catch (const InputError& error) {
    diagnostics.error(path, error.offset, error.what());
    return std::nullopt;
  }
}

// One GCC-style line per entry point that grew too much, on standard error.
void print_grown_entries(const std::vector<const DiffRow*>& grown, std::uint64_t limit) {
  for (const DiffRow* row : grown) {
    if (row->file.empty())
      std::cerr << "kstack";
    else
      std::cerr << describe_location(row->file, row->line, row->column);
    std::cerr << ": error: worst-case stack of '" << row->function << "' grew by " << row->delta()
              << " bytes, from " << describe_bytes(row->old_value->bytes, row->old_value->complete)
              << " to " << describe_bytes(row->new_value->bytes, row->new_value->complete)
              << ", more than --fail-above=" << limit << '\n';
  }
}

}  // namespace

int run_diff(const std::vector<std::string>& args) {
  enum class Format { kText, kMarkdown } format = Format::kText;
  bool all = false;
  std::optional<std::uint64_t> fail_above;
  DiffPrintOptions print;
  std::vector<std::string> files;
  bool options_done = false;
  for (const std::string& arg : args) {
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      files.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kDiffUsage;
      return kExitOk;
    } else if (auto name = option_value(arg, "--format")) {
      if (*name == "text")
        format = Format::kText;
      else if (*name == "markdown")
        format = Format::kMarkdown;
      else
        return usage_error("unknown output format '" + *name + "'", kDiffUsage);
    } else if (arg == "--all") {
      all = true;
    } else if (auto top = option_value(arg, "--top")) {
      const std::optional<std::size_t> n = parse_count(*top);
      if (!n) return usage_error("--top '" + *top + "' is not a count", kDiffUsage);
      print.top = *n;
    } else if (auto bytes = option_value(arg, "--fail-above")) {
      fail_above = parse_bytes(*bytes);
      if (!fail_above)
        return usage_error("--fail-above '" + *bytes + "' is not a number of bytes", kDiffUsage);
    } else {
      return usage_error("unknown option '" + arg + "'", kDiffUsage);
    }
  }
  if (files.size() != 2)
    return usage_error(
        files.empty() ? "no input files"
                      : "expected two reports, OLD and NEW, not " + std::to_string(files.size()),
        kDiffUsage);

  const std::optional<DiffInput> old_report = load_report(files[0]);
  const std::optional<DiffInput> new_report = load_report(files[1]);
  if (!old_report || !new_report) return kExitBadInput;

  const ReportDiff diff = diff_reports(*old_report, *new_report, all);
  if (format == Format::kMarkdown)
    print_diff_markdown(std::cout, diff, print);
  else
    print_diff_text(std::cout, diff, print);
  std::cout.flush();
  if (!fail_above) return kExitOk;
  const std::vector<const DiffRow*> grown = entries_grown_above(diff, *fail_above);
  print_grown_entries(grown, *fail_above);
  return grown.empty() ? kExitOk : kExitGrewTooMuch;
}

}  // namespace kstack
