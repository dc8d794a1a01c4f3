// The in-memory model of kstack notes, shared by both ends: the plugin fills
// it and encodes it (plugin/note_writer.cc); the tool decodes notes into it
// (tool/note_reader.cc) and every printer formats it. One Unit per kstack note
// (one translation unit); a linked or `ld -r` input yields several. Strings
// are copied out of the note so records outlive the input bytes. Enumerations
// are the note format's own, range-checked by the reader.
#ifndef KSTACK_RECORDS_H
#define KSTACK_RECORDS_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kstack/note_format.h"

namespace kstack {

using note::Binding;
using note::CallKind;
using note::FrameKind;
using note::FramePartKind;
using note::ReferenceKind;
using note::SlotKind;

inline constexpr std::uint32_t kNoSite = UINT32_MAX;

// Where a function pointer is kept (note::SlotKind): a struct field, a global
// variable, a parameter, a C++ vtable slot.
struct Slot {
  SlotKind kind = SlotKind::kNone;
  std::string scope;
  std::string member;
  std::uint32_t index = 0;
  friend bool operator==(const Slot& a, const Slot& b) {
    return a.kind == b.kind && a.scope == b.scope && a.member == b.member && a.index == b.index;
  }
};

// What the compiler knew of an indirect call.
struct IndirectCall {
  bool unmatched = false;  // no GIMPLE call found for the insn: origin unknown
  std::string type;        // C-like: "int (struct file *, char *)"
  std::string signature;   // canonical: "i32(*{struct file},*i8)"
  Slot origin;             // where the called pointer was loaded from
};

// Where a function's address goes (note::ReferenceKind).
struct Reference {
  ReferenceKind kind = ReferenceKind::kStore;
  std::string function;            // the function's symbol, or "" (a stored value from `source`)
  std::string function_signature;  // its own signature
  std::string value_signature;  // the signature it is stored or cast as ("" if not a function type)
  Slot slot;                    // the destination
  Slot source;                  // where a stored value was loaded from
  std::string file;
  std::uint32_t line = 0;
};

// One part of a function's static frame (note::FramePartKind): a variable's
// slot, the saved registers, the spill slots, padding. A function's parts
// add up to its static_size (frame_parts_sum).
struct FramePart {
  FramePartKind kind = FramePartKind::kUnattributed;
  bool artificial = false;
  std::uint32_t slot = 0;  // parts with one nonzero slot share their bytes
  std::string name;        // the variable, or the registers ("rbx r12 rbp")
  std::string type;        // as GCC prints it
  std::string file;        // where it is declared
  std::uint32_t line = 0;
  std::string inlined_from;  // the inlined function it belongs to
  std::uint64_t bytes = 0;
  bool has_offset = false;
  std::int64_t offset = 0;  // its lowest byte, from the CFA (negative: below it)
};

struct Call {
  CallKind kind = CallKind::kDirect;
  bool tail = false;
  bool cold = false;
  std::string callee;  // empty for indirect calls
  std::uint32_t count = 1;
  std::string file;  // location of the first merged site; empty if unknown
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t site = kNoSite;  // an indirect call's index in Unit::indirect_calls
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
  // Bytes used below the stack pointer and left out of frame_size (the x86_64
  // red zone of a leaf function); depths add them, frame_size stays GCC's.
  std::uint64_t red_zone = 0;
  std::string cold_name;  // symbol of the .cold part, else empty
  std::vector<Call> calls;
  std::vector<FramePart> frame_parts;  // empty unless the unit is explained
};

// What a function's parts add up to: each part once, a shared slot once at
// its largest member, the red zone subtracted. Equals static_size for every
// function of an explained unit (a wrapping sum on a corrupt note).
inline std::uint64_t frame_parts_sum(const std::vector<FramePart>& parts) {
  std::uint64_t sum = 0, red_zone = 0;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> slots;  // slot, largest member
  for (const FramePart& part : parts) {
    if (part.kind == FramePartKind::kRedZone) {
      red_zone += part.bytes;
    } else if (part.slot == 0) {
      sum += part.bytes;
    } else {
      auto it = slots.begin();
      while (it != slots.end() && it->first != part.slot) ++it;
      if (it == slots.end())
        slots.emplace_back(part.slot, part.bytes);
      else if (part.bytes > it->second)
        it->second = part.bytes;
    }
  }
  for (const auto& slot : slots) sum += slot.second;
  return sum - red_zone;
}

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
  std::vector<IndirectCall> indirect_calls;  // by Call::site
  std::vector<Reference> references;
};

// The flag words of the note format for a record, and back: the one mapping
// between note_format.h's bits and the fields above. Bindings are encoded with
// the function flags but decoded by the reader, which range-checks them.
namespace flags {

inline std::uint32_t bit(bool set, std::uint32_t flag) { return set ? flag : 0u; }

inline std::uint32_t encode(const Function& f) {
  using namespace note;
  return static_cast<std::uint32_t>(f.binding) | bit(f.comdat, kFunctionComdat) |
         bit(f.clone, kFunctionClone) | bit(f.nested, kFunctionNested) |
         bit(f.thunk, kFunctionThunk) | bit(f.no_su_line, kFunctionNoSuLine) |
         bit(f.frame_unknown, kFunctionFrameUnknown) | bit(f.dynamic_alloc, kFunctionDynamicAlloc) |
         bit(f.unbounded_alloc, kFunctionUnboundedAlloc) |
         bit(f.pushed_variable, kFunctionPushedVariable) | bit(f.artificial, kFunctionArtificial);
}

inline void decode(std::uint32_t word, Function& f) {
  using namespace note;
  f.comdat = word & kFunctionComdat;
  f.clone = word & kFunctionClone;
  f.nested = word & kFunctionNested;
  f.thunk = word & kFunctionThunk;
  f.no_su_line = word & kFunctionNoSuLine;
  f.frame_unknown = word & kFunctionFrameUnknown;
  f.dynamic_alloc = word & kFunctionDynamicAlloc;
  f.unbounded_alloc = word & kFunctionUnboundedAlloc;
  f.pushed_variable = word & kFunctionPushedVariable;
  f.artificial = word & kFunctionArtificial;
}

inline std::uint32_t encode(const Call& c) {
  return bit(c.tail, note::kCallTail) | bit(c.cold, note::kCallCold);
}

inline void decode(std::uint32_t word, Call& c) {
  c.tail = word & note::kCallTail;
  c.cold = word & note::kCallCold;
}

}  // namespace flags

// How every output spells the enumerations; frame kinds as GCC's x.su does.
inline const char* slot_kind_name(SlotKind kind) {
  switch (kind) {
    case SlotKind::kNone:
      return "none";
    case SlotKind::kField:
      return "field";
    case SlotKind::kGlobal:
      return "global";
    case SlotKind::kParameter:
      return "parameter";
    case SlotKind::kVirtual:
      return "virtual";
  }
  return "?";
}

// "field struct ops.read", "global handlers", "parameter 0 of f",
// "virtual Shape slot 2", "none": how every output names a slot.
inline std::string slot_description(const Slot& slot) {
  switch (slot.kind) {
    case SlotKind::kNone:
      return "none";
    case SlotKind::kField:
      return "field " + slot.scope + (slot.member.empty() ? "" : "." + slot.member);
    case SlotKind::kGlobal:
      return "global " + slot.scope;
    case SlotKind::kParameter:
      return "parameter " + std::to_string(slot.index) +
             (slot.scope.empty() ? "" : " of " + slot.scope);
    case SlotKind::kVirtual:
      return "virtual " + slot.scope + " slot " + std::to_string(slot.index);
  }
  return "?";
}

inline const char* reference_kind_name(ReferenceKind kind) {
  switch (kind) {
    case ReferenceKind::kStore:
      return "store";
    case ReferenceKind::kEscape:
      return "escape";
    case ReferenceKind::kOverwrite:
      return "overwrite";
  }
  return "?";
}

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

inline const char* frame_part_kind_name(FramePartKind kind) {
  switch (kind) {
    case FramePartKind::kReturnAddress:
      return "return-address";
    case FramePartKind::kSavedRegisters:
      return "saved-registers";
    case FramePartKind::kLocal:
      return "local";
    case FramePartKind::kParameter:
      return "parameter";
    case FramePartKind::kTemporary:
      return "temporary";
    case FramePartKind::kSpill:
      return "spill";
    case FramePartKind::kOutgoingArguments:
      return "outgoing-arguments";
    case FramePartKind::kVarargs:
      return "varargs";
    case FramePartKind::kPadding:
      return "padding";
    case FramePartKind::kUnattributed:
      return "unattributed";
    case FramePartKind::kRedZone:
      return "red-zone";
    case FramePartKind::kOther:
      return "other";
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

#endif  // KSTACK_RECORDS_H
