// The JSON printer of `kstack dump`: one document, schema "kstack-dump"
// version 1 (see `kstack dump --help`), written by JsonWriter.

#include "json_writer.h"
#include "printers.h"

namespace kstack {
namespace {

// The "version" of the JSON schema; bumped when a consumer would misread.
constexpr std::uint64_t kJsonSchemaVersion = 1;

void write_slot(JsonWriter& json, const Slot& slot) {
  json.begin_object();
  json.field("kind", slot_kind_name(slot.kind));
  json.field("scope", slot.scope);
  json.field("member", slot.member);
  json.field("index", std::uint64_t{slot.index});
  json.end_object();
}

void write_call(JsonWriter& json, const Unit& unit, const Call& call) {
  json.begin_object();
  json.field("kind", call_kind_name(call.kind));
  json.key("callee");
  json.string_or_null(call.callee);
  json.field("tail", call.tail);
  json.field("cold", call.cold);
  json.field("count", std::uint64_t{call.count});
  json.field("file", call.file);
  json.field("line", std::uint64_t{call.line});
  json.field("column", std::uint64_t{call.column});
  if (call.site < unit.indirect_calls.size()) {
    const IndirectCall& site = unit.indirect_calls[call.site];
    json.key("indirect");
    json.begin_object();
    json.field("matched", !site.unmatched);
    json.field("type", site.type);
    json.field("signature", site.signature);
    json.key("origin");
    write_slot(json, site.origin);
    json.end_object();
  }
  json.end_object();
}

void write_reference(JsonWriter& json, const Reference& reference) {
  json.begin_object();
  json.field("kind", reference_kind_name(reference.kind));
  json.key("function");
  json.string_or_null(reference.function);
  json.field("function_signature", reference.function_signature);
  json.field("value_signature", reference.value_signature);
  json.key("slot");
  write_slot(json, reference.slot);
  json.key("source");
  write_slot(json, reference.source);
  json.field("file", reference.file);
  json.field("line", std::uint64_t{reference.line});
  json.end_object();
}

void write_frame(JsonWriter& json, const Function& function) {
  json.begin_object();
  json.field("size", function.frame_size);
  json.field("kind", frame_kind_name(function.frame_kind));
  json.field("static", function.static_size);
  json.field("pushed", function.pushed_size);
  json.field("dynamic", function.dynamic_size);
  json.field("red_zone", function.red_zone);
  json.field("known", !function.frame_unknown);
  json.field("dynamic_alloc", function.dynamic_alloc);
  json.field("unbounded_alloc", function.unbounded_alloc);
  json.field("pushed_variable", function.pushed_variable);
  json.end_object();
}

void write_function(JsonWriter& json, const Unit& unit, const Function& function) {
  json.begin_object();
  json.field("name", function.name);
  json.field("su_name", function.su_name);
  json.key("origin");
  json.string_or_null(function.origin);
  json.field("file", function.file);
  json.field("line", std::uint64_t{function.line});
  json.field("column", std::uint64_t{function.column});
  json.field("binding", binding_name(function.binding));
  json.field("comdat", function.comdat);
  json.field("clone", function.clone);
  json.field("nested", function.nested);
  json.field("thunk", function.thunk);
  json.field("artificial", function.artificial);
  json.field("su_line", !function.no_su_line);
  json.key("frame");
  write_frame(json, function);
  json.key("cold");
  json.string_or_null(function.cold_name);
  if (unit.flags & note::kUnitExplained) {
    json.key("frame_parts");
    json.begin_array();
    for (const FramePart& part : function.frame_parts) write_frame_part(json, part);
    json.end_array();
  }
  json.key("calls");
  json.begin_array();
  for (const Call& call : function.calls) write_call(json, unit, call);
  json.end_array();
  json.end_object();
}

void write_unit(JsonWriter& json, const Unit& unit) {
  json.begin_object();
  json.field("input", unit.input);
  json.field("main_input", unit.main_input);
  json.field("output_base", unit.output_base);
  json.field("producer", unit.producer);
  json.field("target", unit.target);
  json.field("return_address_in_frame", std::uint64_t{unit.return_address_in_frame});
  json.field("lto", (unit.flags & note::kUnitLto) != 0);
  json.field("explained", (unit.flags & note::kUnitExplained) != 0);
  json.key("functions");
  json.begin_array();
  for (const Function& function : unit.functions) write_function(json, unit, function);
  json.end_array();
  json.key("aliases");
  json.begin_array();
  for (const Alias& alias : unit.aliases) {
    json.begin_object();
    json.field("name", alias.name);
    json.field("target", alias.target);
    json.field("binding", binding_name(alias.binding));
    json.end_object();
  }
  json.end_array();
  json.key("references");
  json.begin_array();
  for (const Reference& reference : unit.references) write_reference(json, reference);
  json.end_array();
  json.end_object();
}

}  // namespace

void write_frame_part(JsonWriter& json, const FramePart& part) {
  json.begin_object();
  json.field("kind", frame_part_kind_name(part.kind));
  json.key("name");
  json.string_or_null(part.name);
  json.key("type");
  json.string_or_null(part.type);
  json.key("file");
  json.string_or_null(part.file);
  json.field("line", std::uint64_t{part.line});
  json.key("inlined_from");
  json.string_or_null(part.inlined_from);
  json.field("bytes", part.bytes);
  json.key("offset");
  json.value_or_null(part.has_offset ? std::optional(part.offset) : std::nullopt);
  json.field("slot", std::uint64_t{part.slot});
  json.field("artificial", part.artificial);
  json.end_object();
}

void print_json(std::ostream& out, const std::vector<Unit>& units) {
  JsonWriter json(out);
  json.begin_object();
  json.field("format", "kstack-dump");
  json.field("version", kJsonSchemaVersion);
  json.key("units");
  json.begin_array();
  for (const Unit& unit : units) write_unit(json, unit);
  json.end_array();
  json.end_object();
}

}  // namespace kstack
