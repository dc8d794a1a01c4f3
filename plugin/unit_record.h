// What kstack.so gathers about one translation unit before it writes the note:
// plain data, filled by the recording pass and the end-of-unit walk, consumed
// by note_writer. Field meanings are those of include/kstack/note_format.h.
#ifndef KSTACK_PLUGIN_UNIT_RECORD_H
#define KSTACK_PLUGIN_UNIT_RECORD_H

#include <cstdint>
#include <string>
#include <vector>

#include "kstack/note_format.h"

namespace kstack {

struct CallRecord {
  note::CallKind kind = note::CallKind::kDirect;
  std::uint32_t flags = 0;  // note::CallFlag bits
  std::string callee;       // "" for indirect calls and unknown asm targets
  std::uint32_t count = 1;
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

struct FunctionRecord {
  std::string name;
  std::string su_name;
  std::string origin;
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t flags = 0;  // note::Binding | note::FunctionFlag bits
  note::FrameKind frame_kind = note::FrameKind::kStatic;
  std::uint64_t frame_size = 0;
  std::uint64_t static_size = 0;
  std::uint64_t pushed_size = 0;
  std::uint64_t dynamic_size = 0;
  std::string cold_name;
  std::vector<CallRecord> calls;
};

struct AliasRecord {
  std::string name;
  std::string target;
  std::uint32_t flags = 0;  // note::Binding
};

struct UnitRecord {
  std::string main_input;
  std::string output_base;
  std::string producer;
  std::string target;
  std::uint32_t return_address_in_frame = 0;
  std::uint32_t flags = 0;  // note::UnitFlag bits
  std::vector<FunctionRecord> functions;
  std::vector<AliasRecord> aliases;
};

}  // namespace kstack

#endif  // KSTACK_PLUGIN_UNIT_RECORD_H
