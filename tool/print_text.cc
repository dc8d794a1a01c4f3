// The text printer, for people (and FileCheck): one line per unit, then an
// indented line per function with its calls under it, then the aliases:
//   x.o: unit x.c (GCC 12.2.0, x86_64-linux-gnu; frames include an 8-byte return address)
//     foo  global  x.c:3:5  frame 48 static
//     leaf  global  x.c:9:5  frame 200 static  red zone 120
//       part local 'buf' (char[256])  256 at -272  x.c:5  inlined from fill  slot 1
//       tail call baz  x.c:9:10
//     alias foo_alias -> foo  global
// Fields are separated by two spaces; a field with nothing to say is left out.
#include <string>

#include "printers.h"

namespace kstack {
namespace {

// Appends `field` to `line`, two spaces after what is there.
void add_field(std::string& line, const std::string& field) {
  if (field.empty()) return;
  if (!line.empty()) line += "  ";
  line += field;
}

std::string location(const std::string& file, std::uint32_t line, std::uint32_t column) {
  if (file.empty()) return "";
  std::string text = file + ":" + std::to_string(line);
  return column ? text + ":" + std::to_string(column) : text;
}

// "a" or "an" before the number `value` read aloud ("an 8-byte", "an 11-byte").
const char* article_for(std::uint64_t value) {
  std::string digits = std::to_string(value);
  bool vowel = digits[0] == '8' || ((digits.size() % 3 == 2) &&
                                    (digits.rfind("11", 0) == 0 || digits.rfind("18", 0) == 0));
  return vowel ? "an" : "a";
}

std::string unit_line(const Unit& unit) {
  std::string about = unit.producer + ", " + unit.target;
  if (unit.flags & note::kUnitLto) about += ", lto";
  if (unit.flags & note::kUnitExplained) about += ", frames explained";
  about += unit.return_address_in_frame
               ? std::string("; frames include ") + article_for(unit.return_address_in_frame) +
                     " " + std::to_string(unit.return_address_in_frame) + "-byte return address"
               : "; frames include no return address";
  return unit.input + ": unit " + unit.main_input + " (" + about + ")";
}

std::string symbol_kind(const Function& function) {
  std::string kind = binding_name(function.binding);
  if (function.comdat) kind += " comdat";
  if (!function.origin.empty())
    kind += " clone of " + function.origin;
  else if (function.clone)
    kind += " clone";
  if (function.nested) kind += " nested";
  if (function.thunk) kind += " thunk";
  if (function.artificial) kind += " artificial";
  return kind;
}

std::string function_line(const Function& function) {
  std::string line = "  " + function.name;
  add_field(line, symbol_kind(function));
  add_field(line, location(function.file, function.line, function.column));
  add_field(line, function.frame_unknown ? "frame unknown"
                                         : "frame " + std::to_string(function.frame_size) + " " +
                                               frame_kind_name(function.frame_kind));
  if (function.red_zone) add_field(line, "red zone " + std::to_string(function.red_zone));
  if (function.pushed_size || function.pushed_variable)
    add_field(line, std::string("pushed ") + (function.pushed_variable ? ">=" : "") +
                        std::to_string(function.pushed_size));
  if (function.dynamic_alloc)
    add_field(line, "alloca " + (function.unbounded_alloc ? std::string("unbounded")
                                                          : std::to_string(function.dynamic_size)));
  if (function.no_su_line) add_field(line, "no su line");
  if (!function.cold_name.empty()) add_field(line, "cold part " + function.cold_name);
  return line;
}

std::string call_line(const Unit& unit, const Call& call) {
  std::string what;
  if (call.cold) what += "cold ";
  if (call.tail) what += "tail ";
  if (call.kind != CallKind::kDirect) what += std::string(call_kind_name(call.kind)) + " ";
  what += "call";
  // Only an indirect call has no callee by nature; an asm call may jump
  // through a register.
  if (call.kind != CallKind::kIndirect)
    what += " " + (call.callee.empty() ? std::string("<unknown target>") : call.callee);
  std::string line = "    " + what;
  add_field(line, location(call.file, call.line, call.column));
  if (call.count != 1) add_field(line, "(x" + std::to_string(call.count) + ")");
  if (call.site < unit.indirect_calls.size()) {
    const IndirectCall& site = unit.indirect_calls[call.site];
    if (!site.type.empty()) add_field(line, "type '" + site.type + "' " + site.signature);
    add_field(line, site.unmatched ? std::string("origin unmatched")
                                   : "from " + slot_description(site.origin));
  }
  return line;
}

// One part of a frame (an explained unit's): kind, the variable or the
// registers and its type, bytes and where they start from the CFA.
std::string frame_part_line(const FramePart& part) {
  std::string line = std::string("    part ") + frame_part_kind_name(part.kind);
  if (!part.name.empty()) line += " '" + part.name + "'";
  if (!part.type.empty()) line += " (" + part.type + ")";
  std::string bytes = std::to_string(part.bytes);
  if (part.has_offset) bytes += " at " + std::to_string(part.offset);
  add_field(line, bytes);
  add_field(line, location(part.file, part.line, 0));
  if (!part.inlined_from.empty()) add_field(line, "inlined from " + part.inlined_from);
  if (part.artificial) add_field(line, "artificial");
  if (part.slot) add_field(line, "slot " + std::to_string(part.slot));
  return line;
}

std::string reference_line(const Reference& reference) {
  std::string line = std::string("  ") + reference_kind_name(reference.kind);
  if (!reference.function.empty()) line += " " + reference.function;
  if (!reference.value_signature.empty()) line += " as " + reference.value_signature;
  if (reference.kind == ReferenceKind::kEscape && reference.function.empty())
    line += " value of " + slot_description(reference.source);
  if (reference.kind == ReferenceKind::kStore && reference.function.empty())
    line += reference.source.kind == SlotKind::kNone
                ? " unknown value"
                : " value of " + slot_description(reference.source);
  if (reference.slot.kind != SlotKind::kNone) line += " -> " + slot_description(reference.slot);
  add_field(line, location(reference.file, reference.line, 0));
  return line;
}

}  // namespace

void print_text(std::ostream& out, const std::vector<Unit>& units) {
  for (const Unit& unit : units) {
    out << unit_line(unit) << '\n';
    for (const Function& function : unit.functions) {
      out << function_line(function) << '\n';
      for (const FramePart& part : function.frame_parts) out << frame_part_line(part) << '\n';
      for (const Call& call : function.calls) out << call_line(unit, call) << '\n';
    }
    for (const Alias& alias : unit.aliases)
      out << "  alias " << alias.name << " -> " << alias.target << "  "
          << binding_name(alias.binding) << '\n';
    for (const Reference& reference : unit.references) out << reference_line(reference) << '\n';
  }
}

}  // namespace kstack
