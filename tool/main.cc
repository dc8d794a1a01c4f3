// The kstack command line. It parses arguments, expands @listfiles, runs the
// reader over every input and hands the units to the chosen printer; it is
// the only place that prints diagnostics and decides the exit status:
// 0 when every input was read cleanly, 2 for bad usage or any input error.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"
#include "input_reader.h"
#include "printers.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitBadInput = 2;

constexpr char kUsage[] =
    "usage: kstack <command> [options]\n"
    "\n"
    "commands:\n"
    "  dump     print the kstack notes of objects, archives and linked files\n"
    "  help     print this help\n"
    "\n"
    "options:\n"
    "  --help     print this help\n"
    "  --version  print the kstack version\n"
    "\n"
    "Run 'kstack dump --help' for the options of dump.\n";

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

// Prints diagnostics as they come and remembers whether any was an error.
class StderrDiagnostics : public kstack::Diagnostics {
 public:
  void report(const kstack::Diagnostic& diagnostic) override {
    std::cerr << kstack::format_diagnostic(diagnostic) << '\n';
    if (diagnostic.severity == kstack::Severity::kError) had_error_ = true;
  }
  bool had_error() const { return had_error_; }

 private:
  bool had_error_ = false;
};

// Reports bad usage with the first line of `usage` as the hint.
int usage_error(const std::string& message, const char* usage) {
  std::string_view text(usage);
  std::cerr << "kstack: error: " << message << '\n' << text.substr(0, text.find('\n') + 1);
  return kExitBadInput;
}

// Appends the paths listed in `list` (whitespace-separated) to `paths`.
bool expand_list_file(const std::string& list, kstack::Diagnostics& diagnostics,
                      std::vector<std::string>& paths) {
  std::ifstream in(list);
  if (!in) {
    diagnostics.error(list, std::nullopt, std::string("cannot open: ") + strerror(errno));
    return false;
  }
  for (std::string path; in >> path;) paths.push_back(path);
  return true;
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
  std::vector<std::string> paths;
  for (const std::string& file : files)
    if (file[0] == '@')
      expand_list_file(file.substr(1), diagnostics, paths);
    else
      paths.push_back(file);
  std::vector<kstack::Unit> units;
  for (const std::string& path : paths) kstack::read_input_file(path, diagnostics, units);

  if (output.empty()) {
    printer(std::cout, units);
    std::cout.flush();
  } else {
    std::ofstream out(output, std::ios::binary | std::ios::trunc);
    if (out) printer(out, units);
    if (!out || !out.flush()) {
      diagnostics.error(output, std::nullopt,
                        std::string("cannot write: ") + strerror(errno ? errno : EIO));
    }
  }
  return diagnostics.had_error() ? kExitBadInput : kExitOk;
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
    } else {
      std::cout << kUsage;
    }
    return kExitOk;
  }
  if (command == "dump") return run_dump({args.begin() + 1, args.end()});
  if (command[0] == '-') return usage_error("unknown option '" + command + "'", kUsage);
  return usage_error("unknown command '" + command + "'", kUsage);
}
