// The in-memory model of kstack notes: what the reader produces from the bytes
// and what every printer formats. One Unit per kstack note (one translation
// unit); a linked or `ld -r` input yields several. Strings are copied out of
// the note so records outlive the input bytes. Enumerations are the note
// format's own, already range-checked by the reader.
#ifndef KSTACK_TOOL_RECORDS_H
#define KSTACK_TOOL_RECORDS_H

#include <cstdint>
#include <string>
#include <vector>

#include "kstack/note_format.h"

namespace kstack {

using note::Binding;
using note::CallKind;
using note::FrameKind;

struct Call {
  CallKind kind = CallKind::kDirect;
  bool tail = false;
  bool cold = false;
  std::string callee;  // empty for indirect calls
  std::uint32_t count = 1;
  std::string file;  // location of the first merged site; empty if unknown
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

struct Function {
  std::string name;
  std::string su_name;
  std::string origin;  // a clone's source function, else empty
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  Binding binding = Binding::kLocal;
  bool comdat = false;
  bool clone = false;
  bool nested = false;
  bool thunk = false;
  bool no_su_line = false;
  bool frame_unknown = false;
  bool dynamic_alloc = false;
  bool unbounded_alloc = false;
  bool pushed_variable = false;
  bool artificial = false;
  FrameKind frame_kind = FrameKind::kStatic;
  std::uint64_t frame_size = 0;
  std::uint64_t static_size = 0;
  std::uint64_t pushed_size = 0;
  std::uint64_t dynamic_size = 0;
  std::string cold_name;  // symbol of the .cold part, else empty
  std::vector<Call> calls;
};

struct Alias {
  std::string name;
  std::string target;
  Binding binding = Binding::kGlobal;
};

struct Unit {
  std::string input;  // display name of the file or member: "x.o", "lib.a(m.o)"
  std::string main_input;
  std::string output_base;
  std::string producer;
  std::string target;
  std::uint32_t return_address_in_frame = 0;
  std::uint32_t flags = 0;  // note::UnitFlag bits
  std::vector<Function> functions;
  std::vector<Alias> aliases;
};

// How every output spells the enumerations; frame kinds as GCC's x.su does.
inline const char* binding_name(Binding binding) {
  switch (binding) {
    case Binding::kLocal:
      return "local";
    case Binding::kGlobal:
      return "global";
    case Binding::kWeak:
      return "weak";
  }
  return "?";
}

inline const char* frame_kind_name(FrameKind kind) {
  switch (kind) {
    case FrameKind::kStatic:
      return "static";
    case FrameKind::kDynamic:
      return "dynamic";
    case FrameKind::kDynamicBounded:
      return "dynamic,bounded";
  }
  return "?";
}

inline const char* call_kind_name(CallKind kind) {
  switch (kind) {
    case CallKind::kDirect:
      return "direct";
    case CallKind::kIndirect:
      return "indirect";
    case CallKind::kAsm:
      return "asm";
    case CallKind::kProfiler:
      return "profiler";
  }
  return "?";
}

}  // namespace kstack

#endif  // KSTACK_TOOL_RECORDS_H
