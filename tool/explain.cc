// `kstack explain`: a function's frame parts as rows, largest first.
//
// A row is one part, or one slot that several variables share (parts with
// one nonzero `slot`: cfgexpand gave variables whose lifetimes do not overlap
// the same bytes), counted once at its largest member. The red zone is the
// one negative row: those bytes of the locals lie below the stack pointer,
// where GCC's frame figure does not count them. The text is
//
//   do_sys_poll  fs/select.c:969:12  vmlinux.o
//     frame 1048 static, in 9 parts, largest first:
//       bytes  part             what                                declared at
//         888  local            'table' (struct poll_wqueues)       fs/select.c:976
//         200  shared slot      2 variables whose lifetimes do not overlap:
//                                 'a' (char[200]), 200              x.c:10
//                                 'b' (char[160]), 160              x.c:14
//          48  saved registers  rbx r12 r13 r14 r15 rbp
//           8  return address
//     sum 1048: GCC's static frame
#include "explain.h"

#include <algorithm>

#include "graph.h"
#include "json_writer.h"
#include "printers.h"
#include "text_table.h"

namespace kstack {
namespace {

constexpr std::uint64_t kExplainSchemaVersion = 1;

// A variable as a row names it: "'buf' (char[256])".
std::string variable_text(const FramePart& part) {
  std::string text = part.name.empty() ? "(no name)" : "'" + part.name + "'";
  if (!part.type.empty()) text += " (" + part.type + ")";
  if (!part.inlined_from.empty()) text += " in inlined '" + part.inlined_from + "'";
  return text;
}

// The "what" column of a row.
std::string what_text(const ExplainedRow& row) {
  if (row.shared())
    return std::to_string(row.parts.size()) + " variables whose lifetimes do not overlap:";
  const FramePart& part = *row.parts.front();
  switch (part.kind) {
    case FramePartKind::kLocal:
    case FramePartKind::kParameter:
    case FramePartKind::kTemporary:
      return variable_text(part);
    case FramePartKind::kSavedRegisters:
    case FramePartKind::kOther:
      return part.name;
    case FramePartKind::kSpill:
      return "the register allocator's spill slots";
    case FramePartKind::kOutgoingArguments:
      return "arguments of calls";
    case FramePartKind::kVarargs:
      return "a variadic function's register save area";
    case FramePartKind::kPadding:
      return "alignment";
    case FramePartKind::kUnattributed:
      return "locals no known slot accounts for";
    case FramePartKind::kRedZone:
      return "locals below the stack pointer, not in GCC's frame";
    case FramePartKind::kReturnAddress:
      return "";
  }
  return "";
}

bool names(const Function& f, const Glob& glob) {
  return glob.matches(f.name) || (!f.su_name.empty() && glob.matches(f.su_name));
}

}  // namespace

std::vector<FrameExplanation> explain_frames(const std::vector<Unit>& units,
                                             const std::string& name) {
  const Glob glob(name);
  std::vector<FrameExplanation> explanations;
  for (const Unit& unit : units) {
    for (const Function& function : unit.functions) {
      if (!names(function, glob)) continue;
      FrameExplanation e;
      e.unit = &unit;
      e.function = &function;
      e.explained = (unit.flags & note::kUnitExplained) && !function.frame_unknown;
      if (e.explained) {
        e.rows = explanation_rows(function.frame_parts);
        e.sum = frame_parts_sum(function.frame_parts);
      }
      explanations.push_back(std::move(e));
    }
  }
  return explanations;
}

void print_explanation_text(std::ostream& out, const std::vector<FrameExplanation>& explanations) {
  bool first = true;
  for (const FrameExplanation& e : explanations) {
    const Function& f = *e.function;
    if (!first) out << '\n';
    first = false;
    out << f.name;
    if (!f.file.empty())
      out << "  " << location_text(f.file, f.line)
          << (f.column ? ":" + std::to_string(f.column) : "");
    out << "  " << e.unit->input << '\n';
    if (f.frame_unknown) {
      out << "  frame unknown to GCC: nothing to explain\n";
      continue;
    }
    if (!e.explained) {
      out << "  frame " << f.static_size
          << " static: no parts, its unit was compiled without -fplugin-arg-kstack-explain\n";
      continue;
    }
    out << "  frame " << f.static_size << " static, in " << e.rows.size()
        << (e.rows.size() == 1 ? " part" : " parts") << ", largest first:\n";
    TextTable table({"bytes", "part", "what", "declared at"}, {true, false, false, false});
    for (const ExplainedRow& row : e.rows) {
      const FramePart& part = *row.parts.front();
      table.add({std::to_string(row.bytes),
                 row.shared() ? "shared slot" : frame_part_kind_text(row.kind), what_text(row),
                 row.shared() ? "" : location_text(part.file, part.line)});
      if (row.shared())
        for (const FramePart* member : row.parts)
          table.add({"", "", "  " + variable_text(*member) + ", " + std::to_string(member->bytes),
                     location_text(member->file, member->line)});
    }
    table.print(out, "    ");
    out << "  sum " << e.sum;
    if (e.exact())
      out << ": GCC's static frame\n";
    else
      out << ", but GCC's static frame is " << f.static_size << ": the parts do not add up\n";
    if (f.pushed_size || f.dynamic_size || f.frame_size != f.static_size)
      out << "  + " << f.pushed_size << " pushed for arguments, + " << f.dynamic_size
          << (f.unbounded_alloc ? " allocated at run time (unbounded)" : " allocated at run time")
          << ": frame " << f.frame_size << " " << frame_kind_name(f.frame_kind)
          << ", as -fstack-usage prints it\n";
  }
}

void print_explanation_json(std::ostream& out, const std::vector<FrameExplanation>& explanations,
                            const std::string& producer) {
  JsonWriter json(out);
  json.begin_object();
  json.field("schema", "kstack-explain");
  json.field("version", kExplainSchemaVersion);
  json.field("producer", std::string_view(producer));
  json.key("functions");
  json.begin_array();
  for (const FrameExplanation& e : explanations) {
    const Function& f = *e.function;
    json.begin_object();
    json.field("function", std::string_view(f.name));
    json.field("su_name", std::string_view(f.su_name));
    json.field("unit", std::string_view(e.unit->input));
    json.field("file", std::string_view(f.file));
    json.field("line", f.line);
    json.field("known", !f.frame_unknown);
    json.field("frame", f.frame_size);
    json.field("frame_kind", frame_kind_name(f.frame_kind));
    json.field("static", f.static_size);
    json.field("pushed", f.pushed_size);
    json.field("dynamic", f.dynamic_size);
    json.field("explained", e.explained);
    json.key("sum");
    json.value_or_null(e.explained ? std::optional(e.sum) : std::nullopt);
    json.key("rows");
    json.begin_array();
    for (const ExplainedRow& row : e.rows) {
      json.begin_object();
      json.field("kind", row.shared() ? "shared-slot" : frame_part_kind_name(row.kind));
      json.field("bytes", static_cast<std::int64_t>(row.bytes));
      json.key("parts");
      json.begin_array();
      for (const FramePart* part : row.parts) write_frame_part(json, *part);
      json.end_array();
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

}  // namespace kstack
