// Formatting diagnostics the way every kstack message reads:
//   kstack: SEVERITY: 'INPUT': [offset 0xHEX: ]MESSAGE
#include "diagnostics.h"

#include <cinttypes>
#include <cstdio>

namespace kstack {

std::string format_hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%" PRIx64, value);
  return text;
}

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string line =
      diagnostic.severity == Severity::kError ? "kstack: error: " : "kstack: warning: ";
  line += "'" + diagnostic.input + "': ";
  if (diagnostic.offset) line += "offset " + format_hex(*diagnostic.offset) + ": ";
  return line + diagnostic.message;
}

}  // namespace kstack
