// What the kstack commands' command lines share: exit statuses, printing
// diagnostics, usage errors, and the spelling of options and counts. Only
// main.cc and the command files (diff_command.cc) include it.
#ifndef KSTACK_TOOL_COMMAND_LINE_H
#define KSTACK_TOOL_COMMAND_LINE_H

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "diagnostics.h"

namespace kstack {

// 0 ok, 2 bad usage or input; 1 is each command's own verdict (over budget,
// grew too much).
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 2;

// Prints diagnostics on standard error as they come and remembers whether
// any was an error.
class StderrDiagnostics : public Diagnostics {
 public:
  void report(const Diagnostic& diagnostic) override;
  bool had_error() const { return had_error_; }

 private:
  bool had_error_ = false;
};

// Reports bad usage, with the first line of USAGE as the hint; returns
// kExitBadInput.
int usage_error(const std::string& message, std::string_view usage);

// "--name=VALUE": VALUE if ARG is NAME=..., else nullopt.
std::optional<std::string> option_value(const std::string& arg, std::string_view name);

// A count option's value: decimal digits only.
std::optional<std::size_t> parse_count(const std::string& text);

}  // namespace kstack

#endif  // KSTACK_TOOL_COMMAND_LINE_H
