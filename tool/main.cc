// The kstack command line. It parses arguments, expands @listfiles, runs the
// reader over every input and hands the units to the chosen printer or to the
// analysis; it is the only place that prints diagnostics and decides the exit
// status: 0 when every input was read cleanly (and, for check, every entry
// fits its budget), 1 when check finds an entry over budget, 2 for bad usage
// or any input error.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "annotations.h"
#include "checked.h"
#include "command_line.h"
#include "diagnostics.h"
#include "diff.h"
#include "explain.h"
#include "input_reader.h"
#include "paths.h"
#include "printers.h"
#include "report.h"
#include "report_printers.h"
#include "text_file.h"
#include "verify.h"

namespace {

using kstack::kExitBadInput;
using kstack::kExitOk;
using kstack::option_value;
using kstack::parse_count;
using kstack::StderrDiagnostics;
using kstack::usage_error;

constexpr int kExitOverBudget = 1;

constexpr char kUsage[] =
    "usage: kstack <command> [options]\n"
    "\n"
    "commands:\n"
    "  report   the stack budget table: worst-case depth and path of every entry point\n"
    "  check    fail (exit 1) when an entry point's worst-case stack exceeds its budget\n"
    "  diff     compare two 'report --format=json' tables: what got deeper, by how much\n"
    "  verify   compare stack peaks measured at run time (runtime/) with the bounds\n"
    "  explain  what fills a function's frame: variables, spills, saved registers\n"
    "  dump     print the kstack notes of objects, archives and linked files\n"
    "  help     print this help\n"
    "\n"
    "options:\n"
    "  --help     print this help\n"
    "  --version  print the kstack version\n"
    "\n"
    "Run 'kstack COMMAND --help' for the options of a command.\n";

#define KSTACK_ANALYSIS_OPTIONS                                                             \
  "  --entry=GLOB          an entry point (repeatable); default: the functions nothing\n"   \
  "                        calls\n"                                                         \
  "  --budget=BYTES        the stack budget of every entry point (16384, 16K)\n"            \
  "  --annotations=FILE    calls, trampolines, stubs, assumed depths, recursion bounds,\n"  \
  "                        entries, budgets and accepted offenders\n"                       \
  "                        (docs/annotations.md); repeatable\n"                             \
  "  --assume=GLOB=BYTES   the depth of symbols with no record, e.g. memcpy=64\n"           \
  "  --indirect=field      resolve an indirect call by the field or global its pointer\n"   \
  "                        was loaded from, else by its type (the default)\n"               \
  "  --indirect=type       resolve every indirect call by its type alone\n"                 \
  "  --indirect=none       leave indirect calls unresolved, each an unknown\n"              \
  "  --module=FILE         FILE is linked on its own (a kernel module, a shared object):\n" \
  "                        its calls reach its own globals first, then the other\n"         \
  "                        inputs'; @LIST: each file listed is one module; repeatable\n"    \
  "  --strip-prefix=DIR    print source paths under DIR relative to it (the kernel\n"       \
  "                        source tree of an O= build); repeatable, first match wins\n"     \
  "  -o FILE               write the output to FILE instead of standard output\n"           \
  "  --help                print this help\n"

constexpr char kReportUsage[] =
    "usage: kstack report [options] FILE...\n"
    "\n"
    "Merges the kstack notes of a whole program (objects, archives, executables,\n"
    "shared objects, vmlinux.o; @LIST reads more FILEs from LIST) into its stack\n"
    "budget table: every function's frame and worst-case depth, every entry\n"
    "point's worst path and headroom, and what makes a bound incomplete.\n"
    "\n"
    "options:\n"
    "  --format=text         the table for people (the default)\n"
    "  --format=json         schema \"kstack-report\" version 1 (docs/report-json.md)\n"
    "  --format=folded       worst paths as folded stacks weighted by bytes\n"
    "  --format=dot          worst paths as a Graphviz graph\n"
    "  --format=sarif        SARIF 2.1.0: entries over budget and incomplete bounds\n"
    "  --format=html         one self-contained page: budget bars, worst paths as\n"
    "                        icicles, search by function or file\n"
    "  --source-link=URL     in HTML, link each FILE:LINE to URL with {file} and {line}\n"
    "                        replaced (e.g. vscode://file/src/{file}:{line}); by\n"
    "                        default to the file itself\n"
    "  --top=N               rows in the text tables (default 20, 0 for all)\n"
    "  --paths=N             worst paths printed in text (default 3; failing ones "
    "always)\n" KSTACK_ANALYSIS_OPTIONS;

constexpr char kCheckUsage[] =
    "usage: kstack check [--budget=BYTES] [--annotations=FILE] [options] FILE...\n"
    "\n"
    "Exits 0 when every entry point fits its budget, 1 with GCC-style errors when\n"
    "one does not, 2 on bad usage or input. An incomplete bound (something below\n"
    "the entry is unknown) is an error unless accepted by an annotation.\n"
    "\n"
    "options:\n"
    "  --allow-incomplete    report incomplete bounds as warnings, not errors\n"
    "  --ignore-incomplete   say nothing about incomplete bounds but their count (a\n"
    "                        lower bound over budget is still an error)\n"
    "  --write-accepts=FILE  write 'accept' lines for today's failing entries: a\n"
    "                        baseline to pass with --annotations\n" KSTACK_ANALYSIS_OPTIONS;

constexpr char kExplainUsage[] =
    "usage: kstack explain [options] NAME FILE...\n"
    "\n"
    "Prints what fills the stack frame of each function NAME names (its symbol,\n"
    "the name -fstack-usage prints, or a glob of either) in FILE... (objects,\n"
    "archives, linked files; @LIST reads more): every variable's slot with its\n"
    "type, where it is declared and the inlined function it came from, slots\n"
    "shared by variables whose lifetimes do not overlap, spill slots, saved\n"
    "registers, outgoing arguments, the return address and padding, largest\n"
    "first, adding up to GCC's frame. The objects must be compiled with\n"
    "-fplugin-arg-kstack-explain. Exits 2 when NAME names no function, or one\n"
    "without frame parts.\n"
    "\n"
    "options:\n"
    "  --format=text         the table for people (the default)\n"
    "  --format=json         schema \"kstack-explain\" version 1 (docs/explain-json.md)\n"
    "  --strip-prefix=DIR    print source paths under DIR relative to it; repeatable\n"
    "  -o FILE               write the output to FILE instead of standard output\n"
    "  --help                print this help\n";

constexpr char kVerifyUsage[] =
    "usage: kstack verify [options] RESULTS FILE...\n"
    "\n"
    "Sets the stack peaks that kstack's runtime measured (RESULTS, written by\n"
    "libkstack-runtime: docs/runtime.md) against the worst-case depths of the\n"
    "same entry functions in the program FILE... (as for report). Prints, per\n"
    "entry, its largest peak, its bound and the tightness (bound / peak). Exits 1\n"
    "when a peak is above a complete bound, which would make the analysis\n"
    "unsound; 2 on bad usage or input.\n"
    "\n"
    "options:\n"
    "  --format=text         the table for people (the default)\n"
    "  --format=json         schema \"kstack-verify\" version 1 "
    "(docs/runtime.md)\n" KSTACK_ANALYSIS_OPTIONS;

constexpr char kDumpUsage[] =
    "usage: kstack dump [--format=text|su|json] [-o FILE] FILE...\n"
    "\n"
    "Prints the kstack notes that kstack.so (-fplugin=kstack.so) records: each\n"
    "function's stack frame and calls. FILE may be a relocatable object, an\n"
    "archive (thin too), an executable, a shared object or vmlinux.o; @LIST\n"
    "reads more FILEs, separated by whitespace, from the file LIST.\n"
    "\n"
    "options:\n"
    "  --format=text  readable listing (the default)\n"
    "  --format=su    GCC -fstack-usage lines: FILE:LINE:COL:NAME<TAB>SIZE<TAB>KIND\n"
    "  --format=json  one JSON document, schema \"kstack-dump\" version 1\n"
    "  -o FILE        write the output to FILE instead of standard output\n"
    "  --help         print this help\n";

// Appends the paths listed in `list` (whitespace-separated) to `paths`.
bool expand_list_file(const std::string& list, kstack::Diagnostics& diagnostics,
                      std::vector<std::string>& paths) {
  const std::optional<std::string> text = kstack::read_text_file(list, diagnostics);
  if (!text) return false;
  std::istringstream in(*text);
  for (std::string path; in >> path;) paths.push_back(path);
  return true;
}

// FILES with every @LIST replaced by the paths it lists.
std::vector<std::string> expand_inputs(const std::vector<std::string>& files,
                                       kstack::Diagnostics& diagnostics) {
  std::vector<std::string> paths;
  for (const std::string& file : files)
    if (file[0] == '@')
      expand_list_file(file.substr(1), diagnostics, paths);
    else
      paths.push_back(file);
  return paths;
}

// Reads every FILE (after expanding @LISTs) into UNITS.
void read_inputs(const std::vector<std::string>& files, StderrDiagnostics& diagnostics,
                 std::vector<kstack::Unit>& units) {
  for (const std::string& path : expand_inputs(files, diagnostics))
    kstack::read_input_file(path, diagnostics, units);
}

// Writes what PRINT prints to OUTPUT, or to standard output if it is empty.
template <typename Print>
void write_output(const std::string& output, StderrDiagnostics& diagnostics, Print print) {
  if (output.empty()) {
    print(std::cout);
    std::cout.flush();
    return;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (out) print(out);
  if (!out || !out.flush())
    diagnostics.error(output, std::nullopt,
                      std::string("cannot write: ") + strerror(errno ? errno : EIO));
}

using Printer = void (*)(std::ostream&, const std::vector<kstack::Unit>&);

int run_dump(const std::vector<std::string>& args) {
  Printer printer = kstack::print_text;
  std::string output;
  std::vector<std::string> files;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      files.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kDumpUsage;
      return kExitOk;
    } else if (arg == "--format=text") {
      printer = kstack::print_text;
    } else if (arg == "--format=su") {
      printer = kstack::print_su;
    } else if (arg == "--format=json") {
      printer = kstack::print_json;
    } else if (arg.rfind("--format=", 0) == 0) {
      return usage_error("unknown output format '" + arg.substr(9) + "'", kDumpUsage);
    } else if (arg == "-o") {
      if (++i == args.size()) return usage_error("-o needs a FILE", kDumpUsage);
      output = args[i];
    } else {
      return usage_error("unknown option '" + arg + "'", kDumpUsage);
    }
  }
  if (files.empty()) return usage_error("no input files", kDumpUsage);

  StderrDiagnostics diagnostics;
  std::vector<kstack::Unit> units;
  read_inputs(files, diagnostics, units);
  write_output(output, diagnostics, [&](std::ostream& out) { printer(out, units); });
  return diagnostics.had_error() ? kExitBadInput : kExitOk;
}

// What report and check share: the options of the analysis and the inputs.
struct AnalysisArguments {
  kstack::ReportOptions options;
  std::vector<std::string> annotation_files;
  std::vector<std::string> files;
  std::vector<std::string> modules;  // each linked on its own (@LIST: each file listed)
  std::vector<std::string> strip_prefixes;
  std::string output;
  bool options_done = false;  // after "--", everything is a file
};

// What parse_analysis_argument made of an argument.
enum class Parsed { kTaken, kNotShared, kHelp, kError };

// Parses an argument report and check share (an input file, "--", --help,
// an analysis option) into ANALYSIS; a usage error is reported with USAGE.
Parsed parse_analysis_argument(const std::vector<std::string>& args, std::size_t& i,
                               AnalysisArguments& analysis, const char* usage) {
  const std::string& arg = args[i];
  if (analysis.options_done || arg.empty() || arg[0] != '-' || arg == "-") {
    analysis.files.push_back(arg);
  } else if (arg == "--") {
    analysis.options_done = true;
  } else if (arg == "--help" || arg == "-h") {
    std::cout << usage;
    return Parsed::kHelp;
  } else if (auto glob = option_value(arg, "--entry")) {
    if (glob->empty()) return usage_error("--entry needs a GLOB", usage), Parsed::kError;
    analysis.options.entries.push_back({*glob, {}});
  } else if (auto bytes = option_value(arg, "--budget")) {
    analysis.options.budget = kstack::parse_bytes(*bytes);
    if (!analysis.options.budget)
      return usage_error("--budget '" + *bytes + "' is not a number of bytes", usage),
             Parsed::kError;
  } else if (auto file = option_value(arg, "--annotations")) {
    analysis.annotation_files.push_back(*file);
  } else if (auto prefix = option_value(arg, "--strip-prefix")) {
    if (prefix->empty()) return usage_error("--strip-prefix needs a DIR", usage), Parsed::kError;
    analysis.strip_prefixes.push_back(*prefix);
  } else if (auto module = option_value(arg, "--module")) {
    if (module->empty()) return usage_error("--module needs a FILE", usage), Parsed::kError;
    analysis.modules.push_back(*module);
  } else if (auto assume = option_value(arg, "--assume")) {
    const std::size_t equals = assume->rfind('=');
    const auto bytes = equals == std::string::npos
                           ? std::nullopt
                           : kstack::parse_bytes(assume->substr(equals + 1));
    if (!bytes || equals == 0)
      return usage_error("--assume needs GLOB=BYTES, not '" + *assume + "'", usage), Parsed::kError;
    analysis.options.depth.assumed.push_back({assume->substr(0, equals), *bytes, {}});
  } else if (auto how = option_value(arg, "--indirect")) {
    if (*how == "field")
      analysis.options.indirect = kstack::IndirectMode::kField;
    else if (*how == "type")
      analysis.options.indirect = kstack::IndirectMode::kType;
    else if (*how == "none")
      analysis.options.indirect = kstack::IndirectMode::kNone;
    else
      return usage_error("--indirect '" + *how + "' is not field, type or none", usage),
             Parsed::kError;
  } else if (arg == "-o") {
    if (++i == args.size()) return usage_error("-o needs a FILE", usage), Parsed::kError;
    analysis.output = args[i];
  } else {
    return Parsed::kNotShared;
  }
  return Parsed::kTaken;
}

// Reads the annotation files and the inputs; false after an input error.
bool load_program(AnalysisArguments& analysis, StderrDiagnostics& diagnostics,
                  std::vector<kstack::Unit>& units) {
  for (const std::string& file : analysis.annotation_files)
    kstack::read_annotations(file, diagnostics, analysis.options);
  read_inputs(analysis.files, diagnostics, units);
  // Each module is its own link group, numbered from 1 in order.
  std::uint32_t group = 0;
  for (const std::string& path : expand_inputs(analysis.modules, diagnostics)) {
    const std::size_t first = units.size();
    kstack::read_input_file(path, diagnostics, units);
    analysis.options.link_groups.resize(first, 0);
    analysis.options.link_groups.resize(units.size(), ++group);
  }
  kstack::strip_source_prefixes(units, analysis.strip_prefixes);
  kstack::append_stub_units(analysis.options, units);
  return !diagnostics.had_error();
}

void warn_unused_annotations(const kstack::Report& report) {
  for (const kstack::UnusedAnnotation& unused : report.unused_annotations()) {
    std::cerr << "kstack: warning: ";
    if (!unused.source.file.empty())
      std::cerr << unused.source.file << ":" << unused.source.line << ": ";
    std::cerr << unused.what << '\n';
  }
}

// What a report is of, as a title: "vmlinux.o and 9 modules", "app, libx.a".
std::string describe_inputs(const AnalysisArguments& analysis) {
  std::string title;
  for (const std::string& file : analysis.files)
    title += (title.empty() ? "" : ", ") + std::string(kstack::file_name(file));
  const auto& groups = analysis.options.link_groups;
  if (const std::uint32_t modules =
          groups.empty() ? 0 : *std::max_element(groups.begin(), groups.end()))
    title += (title.empty() ? "" : " and ") + kstack::describe_count(modules, "module");
  return title;
}

int run_report(const std::vector<std::string>& args) {
  enum class Format { kText, kJson, kFolded, kDot, kSarif, kHtml } format = Format::kText;
  AnalysisArguments analysis;
  kstack::ReportPrintOptions print;
  print.producer = "kstack " KSTACK_VERSION;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Parsed parsed = parse_analysis_argument(args, i, analysis, kReportUsage);
    if (parsed == Parsed::kError) return kExitBadInput;
    if (parsed == Parsed::kHelp) return kExitOk;
    if (parsed == Parsed::kTaken) continue;
    const std::string& arg = args[i];
    if (auto name = option_value(arg, "--format")) {
      if (*name == "text")
        format = Format::kText;
      else if (*name == "json")
        format = Format::kJson;
      else if (*name == "folded")
        format = Format::kFolded;
      else if (*name == "dot")
        format = Format::kDot;
      else if (*name == "sarif")
        format = Format::kSarif;
      else if (*name == "html")
        format = Format::kHtml;
      else
        return usage_error("unknown output format '" + *name + "'", kReportUsage);
    } else if (auto link = option_value(arg, "--source-link")) {
      if (link->find("{file}") == std::string::npos)
        return usage_error("--source-link '" + *link + "' has no {file}", kReportUsage);
      print.source_link = *link;
    } else if (auto top = option_value(arg, "--top")) {
      const auto n = parse_count(*top);
      if (!n) return usage_error("--top '" + *top + "' is not a count", kReportUsage);
      print.top = *n;
    } else if (auto paths = option_value(arg, "--paths")) {
      const auto n = parse_count(*paths);
      if (!n) return usage_error("--paths '" + *paths + "' is not a count", kReportUsage);
      print.paths = *n;
    } else {
      return usage_error("unknown option '" + arg + "'", kReportUsage);
    }
  }
  if (analysis.files.empty() && analysis.modules.empty())
    return usage_error("no input files", kReportUsage);

  StderrDiagnostics diagnostics;
  std::vector<kstack::Unit> units;
  if (!load_program(analysis, diagnostics, units)) return kExitBadInput;
  const kstack::Report report(units, analysis.options);
  warn_unused_annotations(report);
  print.title = describe_inputs(analysis);
  write_output(analysis.output, diagnostics, [&](std::ostream& out) {
    switch (format) {
      case Format::kText:
        return kstack::print_report_text(out, report, print);
      case Format::kJson:
        return kstack::print_report_json(out, report, print);
      case Format::kFolded:
        return kstack::print_report_folded(out, report);
      case Format::kDot:
        return kstack::print_report_dot(out, report, print);
      case Format::kSarif:
        return kstack::print_report_sarif(out, report, print);
      case Format::kHtml:
        return kstack::print_report_html(out, report, print);
    }
  });
  return diagnostics.had_error() ? kExitBadInput : kExitOk;
}

int run_check(const std::vector<std::string>& args) {
  AnalysisArguments analysis;
  auto incomplete_bounds = kstack::IncompleteBounds::kError;
  std::string accepts_file;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Parsed parsed = parse_analysis_argument(args, i, analysis, kCheckUsage);
    if (parsed == Parsed::kError) return kExitBadInput;
    if (parsed == Parsed::kHelp) return kExitOk;
    if (parsed == Parsed::kTaken) continue;
    const std::string& arg = args[i];
    if (arg == "--allow-incomplete") {
      incomplete_bounds = kstack::IncompleteBounds::kWarning;
    } else if (arg == "--ignore-incomplete") {
      incomplete_bounds = kstack::IncompleteBounds::kIgnore;
    } else if (auto file = option_value(arg, "--write-accepts")) {
      if (file->empty()) return usage_error("--write-accepts needs a FILE", kCheckUsage);
      accepts_file = *file;
    } else {
      return usage_error("unknown option '" + arg + "'", kCheckUsage);
    }
  }
  if (analysis.files.empty() && analysis.modules.empty())
    return usage_error("no input files", kCheckUsage);

  StderrDiagnostics diagnostics;
  std::vector<kstack::Unit> units;
  if (!load_program(analysis, diagnostics, units)) return kExitBadInput;
  if (!analysis.options.budget && analysis.options.budgets.empty()) {
    std::cerr << "kstack: error: no budget: give --budget=BYTES or 'budget' annotations\n";
    return kExitBadInput;
  }
  const kstack::Report report(units, analysis.options);
  warn_unused_annotations(report);
  const bool over = kstack::print_check(std::cerr, report, incomplete_bounds);
  if (!accepts_file.empty()) {
    write_output(accepts_file, diagnostics, [&](std::ostream& out) {
      out << "# kstack baseline: entry points failing today, accepted up to their current depth\n";
      kstack::print_accepts(out, report, "baseline");
    });
  }
  std::size_t over_budget = 0, incomplete = 0, accepted = 0;
  for (const kstack::EntryReport& e : report.entries()) {
    if (e.accepted) ++accepted;
    if (!e.fails()) continue;
    ++(e.status == kstack::EntryStatus::kOverBudget ? over_budget : incomplete);
  }
  std::ostream& summary = over ? std::cerr : std::cout;
  summary << "kstack check: " << kstack::describe_count(report.entries().size(), "entry point")
          << ", " << over_budget << " over budget, " << incomplete << " incomplete, " << accepted
          << " accepted\n";
  if (diagnostics.had_error()) return kExitBadInput;
  return over ? kExitOverBudget : kExitOk;
}

int run_verify(const std::vector<std::string>& args) {
  AnalysisArguments analysis;
  bool json = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Parsed parsed = parse_analysis_argument(args, i, analysis, kVerifyUsage);
    if (parsed == Parsed::kError) return kExitBadInput;
    if (parsed == Parsed::kHelp) return kExitOk;
    if (parsed == Parsed::kTaken) continue;
    if (auto name = option_value(args[i], "--format")) {
      if (*name != "text" && *name != "json")
        return usage_error("unknown output format '" + *name + "'", kVerifyUsage);
      json = *name == "json";
    } else {
      return usage_error("unknown option '" + args[i] + "'", kVerifyUsage);
    }
  }
  if (analysis.files.empty()) return usage_error("no results file", kVerifyUsage);
  const std::string results = analysis.files.front();
  analysis.files.erase(analysis.files.begin());
  if (analysis.files.empty() && analysis.modules.empty())
    return usage_error("no input files", kVerifyUsage);

  StderrDiagnostics diagnostics;
  std::vector<kstack::Measurement> measurements;
  if (const auto text = kstack::read_text_file(results, diagnostics)) {
    try {
      measurements = kstack::parse_measurements(*text);
    } catch (const kstack::InputError& e) {
      diagnostics.error(results, e.offset, e.what());
    }
  }
  std::vector<kstack::Unit> units;
  if (!load_program(analysis, diagnostics, units) || diagnostics.had_error()) return kExitBadInput;
  const kstack::Report report(units, analysis.options);
  warn_unused_annotations(report);
  const kstack::Verification verification =
      kstack::verify_measurements(report, measurements, analysis.files);
  write_output(analysis.output, diagnostics, [&](std::ostream& out) {
    if (json)
      kstack::print_verification_json(out, std::cerr, report, verification,
                                      "kstack " KSTACK_VERSION);
    else
      kstack::print_verification(out, std::cerr, report, verification);
  });
  if (diagnostics.had_error()) return kExitBadInput;
  return verification.above_bound ? kExitOverBudget : kExitOk;
}

int run_explain(const std::vector<std::string>& args) {
  bool json = false;
  std::string output;
  std::vector<std::string> positional, strip_prefixes;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      positional.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kExplainUsage;
      return kExitOk;
    } else if (auto name = option_value(arg, "--format")) {
      if (*name != "text" && *name != "json")
        return usage_error("unknown output format '" + *name + "'", kExplainUsage);
      json = *name == "json";
    } else if (auto dir = option_value(arg, "--strip-prefix")) {
      if (dir->empty()) return usage_error("--strip-prefix needs a DIR", kExplainUsage);
      strip_prefixes.push_back(*dir);
    } else if (arg == "-o") {
      if (++i == args.size()) return usage_error("-o needs a FILE", kExplainUsage);
      output = args[i];
    } else {
      return usage_error("unknown option '" + arg + "'", kExplainUsage);
    }
  }
  if (positional.empty()) return usage_error("no function NAME", kExplainUsage);
  if (positional.size() == 1) return usage_error("no input files", kExplainUsage);
  const std::string name = positional.front();
  positional.erase(positional.begin());

  StderrDiagnostics diagnostics;
  std::vector<kstack::Unit> units;
  read_inputs(positional, diagnostics, units);
  kstack::strip_source_prefixes(units, strip_prefixes);
  const std::vector<kstack::FrameExplanation> explanations = kstack::explain_frames(units, name);
  if (explanations.empty()) {
    std::cerr << "kstack: error: no function named '" << name << "' in the inputs\n";
    return kExitBadInput;
  }
  write_output(output, diagnostics, [&](std::ostream& out) {
    if (json)
      kstack::print_explanation_json(out, explanations, "kstack " KSTACK_VERSION);
    else
      kstack::print_explanation_text(out, explanations);
  });
  bool complete = true;
  for (const kstack::FrameExplanation& e : explanations) {
    if (e.function->frame_unknown) continue;
    if (!e.explained) {
      std::cerr << "kstack: error: '" << e.function->name << "' (" << e.unit->input
                << "): no frame parts: compile with -fplugin-arg-kstack-explain\n";
      complete = false;
    } else if (!e.exact()) {
      std::cerr << "kstack: error: '" << e.function->name << "' (" << e.unit->input
                << "): its frame parts add up to " << e.sum << ", not to its static frame of "
                << e.function->static_size << "\n";
      complete = false;
    }
  }
  return diagnostics.had_error() || !complete ? kExitBadInput : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command", kUsage);
  const std::string& command = args[0];
  if (command == "--version") {
    std::cout << "kstack " KSTACK_VERSION "\n";
    return kExitOk;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    if (args.size() > 1 && args[1] == "dump") {
      std::cout << kDumpUsage;
    } else if (args.size() > 1 && args[1] == "report") {
      std::cout << kReportUsage;
    } else if (args.size() > 1 && args[1] == "check") {
      std::cout << kCheckUsage;
    } else if (args.size() > 1 && args[1] == "verify") {
      std::cout << kVerifyUsage;
    } else if (args.size() > 1 && args[1] == "explain") {
      std::cout << kExplainUsage;
    } else if (args.size() > 1 && args[1] == "diff") {
      return kstack::run_diff({"--help"});
    } else {
      std::cout << kUsage;
    }
    return kExitOk;
  }
  if (command == "dump") return run_dump({args.begin() + 1, args.end()});
  if (command == "report") return run_report({args.begin() + 1, args.end()});
  if (command == "check") return run_check({args.begin() + 1, args.end()});
  if (command == "verify") return run_verify({args.begin() + 1, args.end()});
  if (command == "explain") return run_explain({args.begin() + 1, args.end()});
  if (command == "diff") return kstack::run_diff({args.begin() + 1, args.end()});
  if (command[0] == '-') return usage_error("unknown option '" + command + "'", kUsage);
  return usage_error("unknown command '" + command + "'", kUsage);
}
