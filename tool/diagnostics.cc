// Formatting diagnostics the way every kstack message reads:
//   kstack: SEVERITY: 'INPUT': [offset 0xHEX: ]MESSAGE
// or, for a line of a text file, the way compilers name it:
//   kstack: SEVERITY: INPUT:LINE: MESSAGE
#include "diagnostics.h"

#include <cinttypes>
#include <cstdio>
#include <string>

namespace kstack {

std::string format_hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%" PRIx64, value);
  return text;
}

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string line =
      diagnostic.severity == Severity::kError ? "kstack: error: " : "kstack: warning: ";
  if (diagnostic.line != 0)
    return line + diagnostic.input + ":" + std::to_string(diagnostic.line) + ": " +
           diagnostic.message;
  line += "'" + diagnostic.input + "': ";
  if (diagnostic.offset) line += "offset " + format_hex(*diagnostic.offset) + ": ";
  return line + diagnostic.message;
}

}  // namespace kstack
