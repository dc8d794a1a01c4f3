// The one channel through which the reader reports problems with its inputs.
// The reader never prints and never decides exit codes: it calls Diagnostics
// and carries on with the next note or file. main() installs an
// implementation that prints `kstack: error: ...` lines and counts errors;
// the unit tests install one that collects them.
#ifndef KSTACK_TOOL_DIAGNOSTICS_H
#define KSTACK_TOOL_DIAGNOSTICS_H

#include <cstdint>
#include <optional>
#include <string>

namespace kstack {

enum class Severity { kWarning, kError };

struct Diagnostic {
  Severity severity;
  std::string input;                    // display name: "x.o", "lib.a(m.o)"
  std::optional<std::uint64_t> offset;  // byte offset in `input`, for malformed data
  std::string message;                  // lowercase, no final period
  std::uint32_t line = 0;               // line in `input`, for a text file
};

class Diagnostics {
 public:
  virtual ~Diagnostics() = default;
  virtual void report(const Diagnostic& diagnostic) = 0;

  void error(const std::string& input, std::optional<std::uint64_t> offset,
             const std::string& message) {
    report({Severity::kError, input, offset, message});
  }
  void warning(const std::string& input, const std::string& message) {
    report({Severity::kWarning, input, std::nullopt, message});
  }
  void error_at_line(const std::string& input, std::uint32_t line, const std::string& message) {
    report({Severity::kError, input, std::nullopt, message, line});
  }
};

// "0x1c4": how diagnostics print offsets and sizes.
std::string format_hex(std::uint64_t value);

// "kstack: error: 'x.o': offset 0x1c4: kstack note descriptor is truncated",
// or for a line of a text file "kstack: error: k.ann:3: unknown directive 'x'"
std::string format_diagnostic(const Diagnostic& diagnostic);

}  // namespace kstack

#endif  // KSTACK_TOOL_DIAGNOSTICS_H
