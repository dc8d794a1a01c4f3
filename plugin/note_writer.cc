// Lays out and prints the kstack note (docs/note-format.md).
//
// Layout is computed first, in one pass over the records: the header, the
// table directory, then the function, call, alias, indirect-call, reference
// and (in an explained unit) frame-part tables, and the string
// table last, so every offset is known before the first directive is printed.
// Strings are interned once; offset 0 is the empty string.
#include "note_writer.h"

#include <map>
#include <string>

namespace kstack {
namespace {

using namespace note;

class StringTable {
 public:
  StringTable() { intern(""); }

  std::uint32_t intern(const std::string& s) {
    auto [it, inserted] = offsets_.emplace(s, size_);
    if (inserted) {
      order_.push_back(&it->first);
      size_ += static_cast<std::uint32_t>(s.size()) + 1;
    }
    return it->second;
  }

  std::uint32_t size() const { return size_; }
  const std::vector<const std::string*>& in_order() const { return order_; }

 private:
  std::map<std::string, std::uint32_t> offsets_;
  std::vector<const std::string*> order_;
  std::uint32_t size_ = 0;
};

// Prints directives with a running byte offset, so the note can check its own
// layout as it goes.
class Emitter {
 public:
  Emitter(std::FILE* out, const char* comment) : out_(out), comment_(comment) {}

  void u32(std::uint32_t value, const char* what) {
    std::fprintf(out_, "\t.4byte\t%u\t%s %s\n", value, comment_, what);
    offset_ += 4;
  }
  void u32(std::uint32_t value, const char* what, const std::string& text) {
    std::fprintf(out_, "\t.4byte\t%u\t%s %s \"%s\"\n", value, comment_, what,
                 printable(text).c_str());
    offset_ += 4;
  }
  void u64(std::uint64_t value, const char* what) {
    std::fprintf(out_, "\t.8byte\t%llu\t%s %s\n", static_cast<unsigned long long>(value), comment_,
                 what);
    offset_ += 8;
  }
  void i64(std::int64_t value, const char* what) {
    std::fprintf(out_, "\t.8byte\t%lld\t%s %s\n", static_cast<long long>(value), comment_, what);
    offset_ += 8;
  }
  void string(const std::string& s) {
    std::fprintf(out_, "\t.asciz\t\"%s\"\n", escaped(s).c_str());
    offset_ += static_cast<std::uint32_t>(s.size()) + 1;
  }
  void pad_to(std::uint32_t alignment) {
    while (offset_ % alignment != 0) {
      std::fprintf(out_, "\t.byte\t0\n");
      ++offset_;
    }
  }
  void comment(const std::string& text) {
    std::fprintf(out_, "%s %s\n", comment_, printable(text).c_str());
  }
  std::uint32_t offset() const { return offset_; }

 private:
  // For .asciz: the assembler's own escapes, octal for anything unusual.
  static std::string escaped(const std::string& s) {
    std::string r;
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        r += '\\';
        r += static_cast<char>(c);
      } else if (c >= 0x20 && c < 0x7f) {
        r += static_cast<char>(c);
      } else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\%03o", c);
        r += buf;
      }
    }
    return r;
  }
  // For comments: anything that could end the comment line is replaced.
  static std::string printable(const std::string& s) {
    std::string r;
    for (unsigned char c : s) r += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
    return r;
  }

  std::FILE* out_;
  const char* comment_;
  std::uint32_t offset_ = 0;
};

}  // namespace

void write_note(const Unit& unit, const char* comment, std::FILE* out) {
  StringTable strings;
  // Intern in the order the fields are printed, so the table reads naturally.
  strings.intern(unit.main_input);
  strings.intern(unit.output_base);
  strings.intern(unit.producer);
  strings.intern(unit.target);
  std::uint32_t call_total = 0;
  for (const Function& f : unit.functions) {
    for (const std::string* s : {&f.name, &f.su_name, &f.origin, &f.file, &f.cold_name})
      strings.intern(*s);
    for (const Call& c : f.calls) {
      strings.intern(c.callee);
      strings.intern(c.file);
    }
    call_total += static_cast<std::uint32_t>(f.calls.size());
  }
  // Frame parts only in an explained unit: without it the note is the one
  // written before the table existed.
  const bool explained = (unit.flags & kUnitExplained) != 0;
  std::uint32_t part_total = 0;
  for (const Function& f : unit.functions) {
    for (const FramePart& p : f.frame_parts)
      for (const std::string* s : {&p.name, &p.type, &p.file, &p.inlined_from}) strings.intern(*s);
    part_total += static_cast<std::uint32_t>(f.frame_parts.size());
  }
  for (const Alias& a : unit.aliases) {
    strings.intern(a.name);
    strings.intern(a.target);
  }
  for (const IndirectCall& i : unit.indirect_calls)
    for (const std::string* s : {&i.type, &i.signature, &i.origin.scope, &i.origin.member})
      strings.intern(*s);
  for (const Reference& r : unit.references)
    for (const std::string* s :
         {&r.function, &r.function_signature, &r.value_signature, &r.slot.scope, &r.slot.member,
          &r.source.scope, &r.source.member, &r.file})
      strings.intern(*s);

  const std::uint32_t table_count = explained ? 7 : 6;
  const std::uint32_t directory = HeaderLayout::kSize;
  std::uint32_t functions_at = directory + table_count * TableEntryLayout::kSize;
  functions_at = (functions_at + 7) & ~7u;  // u64 fields on 8-byte offsets
  const std::uint32_t function_count = static_cast<std::uint32_t>(unit.functions.size());
  const std::uint32_t calls_at = functions_at + function_count * FunctionLayout::kSize;
  const std::uint32_t aliases_at = calls_at + call_total * CallLayout::kSize;
  const std::uint32_t alias_count = static_cast<std::uint32_t>(unit.aliases.size());
  const std::uint32_t indirect_at = aliases_at + alias_count * AliasLayout::kSize;
  const std::uint32_t indirect_count = static_cast<std::uint32_t>(unit.indirect_calls.size());
  const std::uint32_t references_at = indirect_at + indirect_count * IndirectCallLayout::kSize;
  const std::uint32_t reference_count = static_cast<std::uint32_t>(unit.references.size());
  std::uint32_t parts_at = references_at + reference_count * ReferenceLayout::kSize;
  if (explained) parts_at = (parts_at + 7) & ~7u;  // u64 fields on 8-byte offsets
  const std::uint32_t strings_at = parts_at + part_total * FramePartLayout::kSize;
  const std::uint32_t desc_size = strings_at + strings.size();

  std::fprintf(out, "%s kstack note: %u functions, %u calls, %u aliases\n", comment, function_count,
               call_total, alias_count);
  std::fprintf(out, "\t.p2align\t2\n");
  Emitter e(out, comment);
  e.u32(sizeof kNoteOwner, "n_namesz");
  e.u32(desc_size, "n_descsz");
  e.u32(kNoteTypeUnit, "n_type: kstack unit");
  e.string(kNoteOwner);
  e.pad_to(kNoteAlign);

  Emitter d(out, comment);  // offsets below are relative to the descriptor
  d.u32(kNoteVersion, "version");
  d.u32(HeaderLayout::kSize, "header_size");
  d.u32(table_count, "table_count");
  d.u32(unit.flags, "unit_flags");
  d.u32(strings.intern(unit.main_input), "main_input", unit.main_input);
  d.u32(strings.intern(unit.output_base), "output_base", unit.output_base);
  d.u32(strings.intern(unit.producer), "producer", unit.producer);
  d.u32(strings.intern(unit.target), "target", unit.target);
  d.u32(unit.return_address_in_frame, "return_address_in_frame");

  auto table = [&](TableKind kind, std::uint32_t at, std::uint32_t count, std::uint32_t entsize,
                   const char* what) {
    d.comment(std::string("table: ") + what);
    d.u32(static_cast<std::uint32_t>(kind), "kind");
    d.u32(at, "offset");
    d.u32(count, "count");
    d.u32(entsize, "entsize");
  };
  table(TableKind::kFunctions, functions_at, function_count, FunctionLayout::kSize, "functions");
  table(TableKind::kCalls, calls_at, call_total, CallLayout::kSize, "calls");
  table(TableKind::kAliases, aliases_at, alias_count, AliasLayout::kSize, "aliases");
  table(TableKind::kIndirectCalls, indirect_at, indirect_count, IndirectCallLayout::kSize,
        "indirect calls");
  table(TableKind::kReferences, references_at, reference_count, ReferenceLayout::kSize,
        "references");
  if (explained)
    table(TableKind::kFrameParts, parts_at, part_total, FramePartLayout::kSize, "frame parts");
  table(TableKind::kStrings, strings_at, strings.size(), 1, "strings");
  d.pad_to(8);

  std::uint32_t first_call = 0;
  for (const Function& f : unit.functions) {
    d.comment("function " + f.name);
    d.u32(strings.intern(f.name), "name", f.name);
    d.u32(strings.intern(f.su_name), "su_name", f.su_name);
    d.u32(strings.intern(f.origin), "origin", f.origin);
    d.u32(strings.intern(f.file), "file", f.file);
    d.u32(f.line, "line");
    d.u32(f.column, "column");
    d.u32(flags::encode(f), "flags");
    d.u32(static_cast<std::uint32_t>(f.frame_kind), "frame_kind");
    d.u64(f.frame_size, "frame_size");
    d.u64(f.static_size, "static_size");
    d.u64(f.pushed_size, "pushed_size");
    d.u64(f.dynamic_size, "dynamic_size");
    d.u32(first_call, "first_call");
    d.u32(static_cast<std::uint32_t>(f.calls.size()), "call_count");
    d.u32(strings.intern(f.cold_name), "cold_name", f.cold_name);
    d.u32(0, "reserved");
    d.u64(f.red_zone, "red_zone");
    first_call += static_cast<std::uint32_t>(f.calls.size());
  }
  // The index in the calls table of each indirect call, by site.
  std::vector<std::uint32_t> site_call(unit.indirect_calls.size(), 0);
  std::uint32_t call_index = 0;
  for (const Function& f : unit.functions) {
    for (const Call& c : f.calls) {
      if (c.site < site_call.size()) site_call[c.site] = call_index;
      ++call_index;
      d.comment("call from " + f.name);
      d.u32(static_cast<std::uint32_t>(c.kind), "kind");
      d.u32(flags::encode(c), "flags");
      d.u32(strings.intern(c.callee), "callee", c.callee);
      d.u32(c.count, "count");
      d.u32(strings.intern(c.file), "file", c.file);
      d.u32(c.line, "line");
      d.u32(c.column, "column");
    }
  }
  for (const Alias& a : unit.aliases) {
    d.comment("alias " + a.name);
    d.u32(strings.intern(a.name), "name", a.name);
    d.u32(strings.intern(a.target), "target", a.target);
    d.u32(static_cast<std::uint32_t>(a.binding), "flags");
  }
  auto slot = [&](const Slot& s, const char* kind, const char* scope, const char* member) {
    d.u32(static_cast<std::uint32_t>(s.kind), kind);
    d.u32(strings.intern(s.scope), scope, s.scope);
    d.u32(strings.intern(s.member), member, s.member);
  };
  for (std::size_t site = 0; site < unit.indirect_calls.size(); ++site) {
    const IndirectCall& i = unit.indirect_calls[site];
    d.comment("indirect call");
    d.u32(site_call[site], "call");
    d.u32(i.unmatched ? kIndirectUnmatched : 0u, "flags");
    d.u32(strings.intern(i.type), "type", i.type);
    d.u32(strings.intern(i.signature), "signature", i.signature);
    slot(i.origin, "slot_kind", "scope", "member");
    d.u32(i.origin.index, "index");
  }
  for (const Reference& r : unit.references) {
    d.comment(std::string("reference: ") + reference_kind_name(r.kind));
    d.u32(static_cast<std::uint32_t>(r.kind), "kind");
    d.u32(strings.intern(r.function), "function", r.function);
    d.u32(strings.intern(r.function_signature), "function_signature", r.function_signature);
    d.u32(strings.intern(r.value_signature), "value_signature", r.value_signature);
    slot(r.slot, "slot_kind", "scope", "member");
    slot(r.source, "source_kind", "source_scope", "source_member");
    d.u32(strings.intern(r.file), "file", r.file);
    d.u32(r.line, "line");
    d.u32(r.slot.index, "slot_index");
    d.u32(r.source.index, "source_index");
  }
  if (explained) d.pad_to(8);
  for (std::uint32_t index = 0; index < unit.functions.size(); ++index) {
    const Function& f = unit.functions[index];
    for (const FramePart& p : f.frame_parts) {
      d.comment(std::string("frame part of ") + f.name + ": " + frame_part_kind_name(p.kind));
      d.u32(index, "function");
      d.u32(static_cast<std::uint32_t>(p.kind), "kind");
      d.u32((p.artificial ? kFramePartArtificial : 0u) | (p.has_offset ? 0u : kFramePartNoOffset),
            "flags");
      d.u32(p.slot, "slot");
      d.u32(strings.intern(p.name), "name", p.name);
      d.u32(strings.intern(p.type), "type", p.type);
      d.u32(strings.intern(p.file), "file", p.file);
      d.u32(p.line, "line");
      d.u32(strings.intern(p.inlined_from), "inlined_from", p.inlined_from);
      d.u32(0, "reserved");
      d.u64(p.bytes, "bytes");
      d.i64(p.has_offset ? p.offset : 0, "offset");
    }
  }
  d.comment("strings");
  for (const std::string* s : strings.in_order()) d.string(*s);
  d.pad_to(kNoteAlign);
}

}  // namespace kstack
