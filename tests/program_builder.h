// Hand-built programs for the analysis tests: records with only the fields
// resolution, the call graph and the depth pass read (names, frames, calls,
// bindings), so each test can state its program in a few lines and compute
// the answer by hand.
#ifndef KSTACK_TESTS_PROGRAM_BUILDER_H
#define KSTACK_TESTS_PROGRAM_BUILDER_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kstack/records.h"

namespace kstack::test {

inline Call call_to(const std::string& callee, bool tail = false) {
  Call c;
  c.callee = callee;
  c.tail = tail;
  return c;
}

// An indirect call site at x.c:LINE.
inline Call indirect_call(std::uint32_t line = 7, bool tail = false) {
  Call c;
  c.kind = CallKind::kIndirect;
  c.tail = tail;
  c.file = "x.c";
  c.line = line;
  return c;
}

inline Function function(const std::string& name, std::uint64_t frame, std::vector<Call> calls = {},
                         Binding binding = Binding::kGlobal) {
  Function f;
  f.name = name;
  f.frame_size = f.static_size = frame;
  f.calls = std::move(calls);
  f.binding = binding;
  return f;
}

inline Unit unit(std::vector<Function> functions, std::vector<Alias> aliases = {}) {
  Unit u;
  u.functions = std::move(functions);
  u.aliases = std::move(aliases);
  return u;
}

}  // namespace kstack::test

#endif  // KSTACK_TESTS_PROGRAM_BUILDER_H
