// The shared command-line pieces (see command_line.h).
#include "command_line.h"

#include <iostream>

#include "report.h"

namespace kstack {

void StderrDiagnostics::report(const Diagnostic& diagnostic) {
  std::cerr << format_diagnostic(diagnostic) << '\n';
  if (diagnostic.severity == Severity::kError) had_error_ = true;
}

int usage_error(const std::string& message, std::string_view usage) {
  std::cerr << "kstack: error: " << message << '\n' << usage.substr(0, usage.find('\n') + 1);
  return kExitBadInput;
}

std::optional<std::string> option_value(const std::string& arg, std::string_view name) {
  if (arg.size() <= name.size() || arg.compare(0, name.size(), name) != 0 ||
      arg[name.size()] != '=')
    return std::nullopt;
  return arg.substr(name.size() + 1);
}

std::optional<std::size_t> parse_count(const std::string& text) {
  const std::optional<std::uint64_t> value = parse_bytes(text);
  if (!value || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return static_cast<std::size_t>(*value);
}

}  // namespace kstack
