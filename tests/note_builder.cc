// The test encoders. Each writes the simplest valid form of its format; the
// tests corrupt the result where they need malformed input.
#include "note_builder.h"

#include <cstddef>
#include <map>
#include <sstream>
#include <tuple>

#include "input_reader.h"
#include "printers.h"

namespace kstack::test {

using namespace note;

void ByteWriter::put(std::uint64_t value, unsigned width) {
  for (unsigned i = 0; i < width; ++i) {
    unsigned shift = 8 * (endian_ == Endian::kLittle ? i : width - 1 - i);
    bytes_.push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

void ByteWriter::set_u32(std::uint64_t offset, std::uint32_t value) {
  test::set_u32(bytes_, endian_, offset, value);
}

void set_u32(Bytes& bytes, Endian endian, std::uint64_t offset, std::uint32_t value) {
  ByteWriter writer(endian);
  writer.u32(value);
  std::copy(writer.bytes().begin(), writer.bytes().end(), bytes.begin() + offset);
}

namespace {

// A function of drivers/x.c with its identity set and everything else default.
Function function_at(const std::string& name, const std::string& su_name, std::uint32_t line,
                     std::uint32_t column, Binding binding) {
  Function function;
  function.name = name;
  function.su_name = su_name;
  function.file = "drivers/x.c";
  function.line = line;
  function.column = column;
  function.binding = binding;
  return function;
}

}  // namespace

Unit sample_unit() {
  Unit unit;
  unit.main_input = "drivers/x.c";
  unit.output_base = "drivers/x";
  unit.producer = "GCC 12.2.0";
  unit.target = "x86_64-linux-gnu";
  unit.return_address_in_frame = 8;
  unit.flags = kUnitLto;

  Function foo = function_at("foo", "foo", 3, 5, Binding::kGlobal);
  foo.frame_kind = FrameKind::kDynamicBounded;
  foo.frame_size = 0x1'0000'0030;  // needs all 64 bits
  foo.static_size = 48;
  foo.pushed_size = 16;
  foo.dynamic_size = 32;
  foo.dynamic_alloc = true;
  foo.pushed_variable = true;
  foo.red_zone = 120;
  foo.calls = {
      {CallKind::kDirect, false, false, "bar", 1, "drivers/x.c", 4, 3},
      {CallKind::kDirect, true, false, "baz", 1, "drivers/x.c", 9, 10},
      {CallKind::kIndirect, false, false, "", 1, "drivers/x.c", 7, 10, 0},
      {CallKind::kAsm, false, false, "__put_user_4", 1, "drivers/x.c", 12, 3},
      {CallKind::kProfiler, false, false, "__fentry__", 1, "", 0, 0},
      {CallKind::kDirect, false, true, "abort", 2, "", 0, 0},
  };

  Function clone = function_at("bar.constprop.0", "bar", 20, 12, Binding::kLocal);
  clone.origin = "bar";
  clone.comdat = clone.clone = clone.nested = clone.thunk = true;
  clone.no_su_line = clone.frame_unknown = clone.unbounded_alloc = clone.artificial = true;
  clone.frame_kind = FrameKind::kDynamic;
  clone.frame_size = 16;
  clone.cold_name = "bar.constprop.0.cold";
  clone.calls = {{CallKind::kDirect, true, true, "foo", 3, "drivers/x.h", 1, 2}};

  Function weak = function_at("weak_fn", "weak_fn", 30, 1, Binding::kWeak);

  unit.functions = {foo, clone, weak};
  unit.aliases = {{"foo_alias", "foo", Binding::kGlobal}, {"w", "weak_fn", Binding::kWeak}};
  unit.indirect_calls = {
      {true, "int (struct file *)", "i32(p)", {SlotKind::kVirtual, "struct file", "read", 7}}};
  unit.references = {
      {ReferenceKind::kEscape, "bar.constprop.0", "i32(p)", "v()", {}, {}, "drivers/x.c", 40},
      {ReferenceKind::kStore,
       "",
       "",
       "i32(p)",
       {SlotKind::kField, "struct ops", "read", 0},
       {SlotKind::kParameter, "table", "", 3},
       "",
       0}};
  return unit;
}

namespace {

// The string table: offset 0 is "", every other string once.
class StringTable {
 public:
  StringTable() { bytes_.push_back(0); }
  std::uint32_t add(const std::string& text) {
    if (text.empty()) return 0;
    auto [it, added] = offsets_.try_emplace(text, bytes_.size());
    if (added) {
      bytes_.insert(bytes_.end(), text.begin(), text.end());
      bytes_.push_back(0);
    }
    return it->second;
  }
  const Bytes& bytes() const { return bytes_; }

 private:
  Bytes bytes_;
  std::map<std::string, std::uint32_t> offsets_;
};

void pad_record(ByteWriter& out, std::uint64_t start, std::uint32_t entsize) {
  while (out.size() < start + entsize) out.u8(0xee);  // fields from a newer writer
}

}  // namespace

Descriptor encode_descriptor(const Unit& unit, Endian endian, const DescriptorOptions& options) {
  StringTable strings;
  ByteWriter functions(endian), calls(endian), aliases(endian), indirect(endian),
      references(endian), parts(endian);
  std::uint32_t part_count = 0;
  std::uint32_t function_entsize =
      (options.first_function_record ? FunctionLayout::kMinSize : FunctionLayout::kSize) +
      options.entsize_padding;
  std::uint32_t call_entsize = CallLayout::kSize + options.entsize_padding;
  std::uint32_t alias_entsize = AliasLayout::kSize + options.entsize_padding;
  std::uint32_t call_count = 0;
  std::vector<std::uint32_t> site_call(unit.indirect_calls.size(), 0);
  for (const Function& function : unit.functions) {
    std::uint64_t start = functions.size();
    functions.u32(strings.add(function.name));
    functions.u32(strings.add(function.su_name));
    functions.u32(strings.add(function.origin));
    functions.u32(strings.add(function.file));
    functions.u32(function.line);
    functions.u32(function.column);
    functions.u32(flags::encode(function));
    functions.u32(static_cast<std::uint32_t>(function.frame_kind));
    functions.u64(function.frame_size);
    functions.u64(function.static_size);
    functions.u64(function.pushed_size);
    functions.u64(function.dynamic_size);
    functions.u32(call_count);
    functions.u32(function.calls.size());
    functions.u32(strings.add(function.cold_name));
    functions.u32(0);
    if (!options.first_function_record) functions.u64(function.red_zone);
    pad_record(functions, start, function_entsize);
    for (const Call& call : function.calls) {
      std::uint64_t call_start = calls.size();
      calls.u32(static_cast<std::uint32_t>(call.kind));
      calls.u32(flags::encode(call));
      calls.u32(strings.add(call.callee));
      calls.u32(call.count);
      calls.u32(strings.add(call.file));
      calls.u32(call.line);
      calls.u32(call.column);
      pad_record(calls, call_start, call_entsize);
      if (call.site < site_call.size()) site_call[call.site] = call_count;
      ++call_count;
    }
  }
  for (std::uint32_t f = 0; f < unit.functions.size(); ++f) {
    for (const FramePart& part : unit.functions[f].frame_parts) {
      parts.u32(f);
      parts.u32(static_cast<std::uint32_t>(part.kind));
      parts.u32((part.artificial ? std::uint32_t{kFramePartArtificial} : 0u) |
                (part.has_offset ? 0u : std::uint32_t{kFramePartNoOffset}));
      parts.u32(part.slot);
      parts.u32(strings.add(part.name));
      parts.u32(strings.add(part.type));
      parts.u32(strings.add(part.file));
      parts.u32(part.line);
      parts.u32(strings.add(part.inlined_from));
      parts.u32(0);
      parts.u64(part.bytes);
      parts.u64(static_cast<std::uint64_t>(part.offset));
      ++part_count;
    }
  }
  for (const Alias& alias : unit.aliases) {
    std::uint64_t start = aliases.size();
    aliases.u32(strings.add(alias.name));
    aliases.u32(strings.add(alias.target));
    aliases.u32(static_cast<std::uint32_t>(alias.binding));
    pad_record(aliases, start, alias_entsize);
  }

  auto slot = [&](ByteWriter& out, const Slot& s) {
    out.u32(static_cast<std::uint32_t>(s.kind));
    out.u32(strings.add(s.scope));
    out.u32(strings.add(s.member));
  };
  for (std::size_t i = 0; i < unit.indirect_calls.size(); ++i) {
    const IndirectCall& site = unit.indirect_calls[i];
    indirect.u32(site_call[i]);
    indirect.u32(site.unmatched ? std::uint32_t{kIndirectUnmatched} : 0u);
    indirect.u32(strings.add(site.type));
    indirect.u32(strings.add(site.signature));
    slot(indirect, site.origin);
    indirect.u32(site.origin.index);
  }
  for (const Reference& reference : unit.references) {
    references.u32(static_cast<std::uint32_t>(reference.kind));
    references.u32(strings.add(reference.function));
    references.u32(strings.add(reference.function_signature));
    references.u32(strings.add(reference.value_signature));
    slot(references, reference.slot);
    slot(references, reference.source);
    references.u32(strings.add(reference.file));
    references.u32(reference.line);
    references.u32(reference.slot.index);
    references.u32(reference.source.index);
  }

  ByteWriter out(endian);
  std::uint32_t header_size = HeaderLayout::kSize + options.header_padding;
  // Tables of indirect calls and references only when there are any: a note
  // from a writer before them has none.
  const bool pointers = !unit.indirect_calls.empty() || !unit.references.empty();
  // The frame parts table only in an explained unit, after the others.
  const bool explained = unit.flags & kUnitExplained;
  std::uint32_t table_count =
      4 + (options.unknown_table ? 1 : 0) + (pointers ? 2 : 0) + (explained ? 1 : 0);
  out.u32(options.version);
  out.u32(header_size);
  out.u32(table_count);
  out.u32(unit.flags);
  out.u32(strings.add(unit.main_input));
  out.u32(strings.add(unit.output_base));
  out.u32(strings.add(unit.producer));
  out.u32(strings.add(unit.target));
  out.u32(unit.return_address_in_frame);
  while (out.size() < header_size) out.u8(0xee);

  Descriptor result;
  result.directory = out.size();
  result.function_entsize = function_entsize;
  result.call_entsize = call_entsize;
  for (std::uint32_t i = 0; i < table_count; ++i)
    for (int field = 0; field < 4; ++field) out.u32(0);  // filled in below

  // Lays out one table and fills in its directory entry.
  auto add_table = [&](std::uint32_t index, std::uint32_t kind, const Bytes& bytes,
                       std::uint32_t count, std::uint32_t entsize) {
    out.pad_to(8);
    std::uint32_t offset = out.size();
    out.append(bytes);
    std::uint32_t entry = result.directory_entry(index);
    out.set_u32(entry + TableEntryLayout::kKind, kind);
    out.set_u32(entry + TableEntryLayout::kOffset, offset);
    out.set_u32(entry + TableEntryLayout::kCount, count);
    out.set_u32(entry + TableEntryLayout::kEntsize, entsize);
    return offset;
  };
  auto kind = [](TableKind kind) { return static_cast<std::uint32_t>(kind); };
  result.strings_size = strings.bytes().size();
  result.strings =
      add_table(0, kind(TableKind::kStrings), strings.bytes(), strings.bytes().size(), 1);
  result.functions = add_table(1, kind(TableKind::kFunctions), functions.bytes(),
                               unit.functions.size(), function_entsize);
  result.calls = add_table(2, kind(TableKind::kCalls), calls.bytes(), call_count, call_entsize);
  if (options.unknown_table) add_table(4, 0x7777, Bytes(24, 0xee), 3, 8);
  result.aliases =
      add_table(3, kind(TableKind::kAliases), aliases.bytes(), unit.aliases.size(), alias_entsize);
  if (pointers) {
    const std::uint32_t next = options.unknown_table ? 5 : 4;
    result.indirect_calls = add_table(next, kind(TableKind::kIndirectCalls), indirect.bytes(),
                                      unit.indirect_calls.size(), IndirectCallLayout::kSize);
    result.references = add_table(next + 1, kind(TableKind::kReferences), references.bytes(),
                                  unit.references.size(), ReferenceLayout::kSize);
  }
  if (explained)
    result.frame_parts = add_table(table_count - 1, kind(TableKind::kFrameParts), parts.bytes(),
                                   part_count, FramePartLayout::kSize);
  result.bytes = std::move(out.bytes());
  return result;
}

void append_note(Bytes& section, Endian endian, const std::string& owner, std::uint32_t type,
                 const Bytes& desc, std::uint32_t align) {
  ByteWriter out(endian);
  out.append(section);
  out.u32(owner.size() + 1);
  out.u32(desc.size());
  out.u32(type);
  out.append(owner);
  out.u8(0);
  out.pad_to(align);
  out.append(desc);
  out.pad_to(align);
  section = std::move(out.bytes());
}

void append_kstack_note(Bytes& section, Endian endian, const Bytes& desc) {
  append_note(section, endian, kNoteOwner, kNoteTypeUnit, desc);
}

Bytes build_elf(const ElfOptions& options, const std::vector<Section>& sections) {
  bool is_64 = options.is_64;
  ByteWriter out(options.endian);
  // e_ident, then the header fields in their <elf.h> order.
  out.append(std::string(ELFMAG, SELFMAG));
  out.u8(is_64 ? ELFCLASS64 : ELFCLASS32);
  out.u8(options.endian == Endian::kLittle ? ELFDATA2LSB : ELFDATA2MSB);
  out.u8(EV_CURRENT);
  while (out.size() < EI_NIDENT) out.u8(0);
  std::uint64_t header_size = is_64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
  std::uint64_t shentsize = is_64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
  out.u16(options.type);
  out.u16(is_64 ? EM_X86_64 : EM_386);
  out.u32(EV_CURRENT);
  out.word(is_64, 0);  // e_entry
  out.word(is_64, 0);  // e_phoff
  std::uint64_t shoff_field = out.size();
  out.word(is_64, 0);  // e_shoff, patched below
  out.u32(0);          // e_flags
  out.u16(header_size);
  out.u16(0);  // e_phentsize
  out.u16(0);  // e_phnum
  out.u16(shentsize);
  std::uint32_t shnum = sections.size() + 2;  // null, sections, .shstrtab
  std::uint32_t shstrndx = shnum - 1;
  out.u16(options.extended_numbering ? 0 : shnum);
  out.u16(options.extended_numbering ? SHN_XINDEX : shstrndx);

  std::string names(1, '\0');
  std::vector<std::uint64_t> name_offsets, offsets;
  for (const Section& section : sections) {
    name_offsets.push_back(names.size());
    names += section.name + '\0';
    out.pad_to(section.align ? section.align : 1);
    offsets.push_back(out.size());
    out.append(section.bytes);
  }
  std::uint64_t shstrtab_name = names.size();
  names += std::string(".shstrtab") + '\0';
  std::uint64_t names_offset = out.size();
  out.append(names);

  out.pad_to(8);
  std::uint64_t shoff = out.size();
  auto section_header = [&](std::uint32_t name, std::uint32_t type, std::uint64_t offset,
                            std::uint64_t size, std::uint32_t link, std::uint64_t align) {
    out.u32(name);
    out.u32(type);
    out.word(is_64, 0);  // sh_flags
    out.word(is_64, 0);  // sh_addr
    out.word(is_64, offset);
    out.word(is_64, size);
    out.u32(link);
    out.u32(0);  // sh_info
    out.word(is_64, align);
    out.word(is_64, 0);  // sh_entsize
  };
  section_header(0, SHT_NULL, 0, options.extended_numbering ? shnum : 0,
                 options.extended_numbering ? shstrndx : 0, 0);
  for (std::size_t i = 0; i < sections.size(); ++i)
    section_header(name_offsets[i], sections[i].type, offsets[i], sections[i].bytes.size(), 0,
                   sections[i].align);
  section_header(shstrtab_name, SHT_STRTAB, names_offset, names.size(), 0, 1);

  Bytes bytes = std::move(out.bytes());
  ByteWriter shoff_bytes(options.endian);
  shoff_bytes.word(is_64, shoff);
  std::copy(shoff_bytes.bytes().begin(), shoff_bytes.bytes().end(), bytes.begin() + shoff_field);
  return bytes;
}

Bytes build_kstack_elf(const ElfOptions& options, const std::vector<Bytes>& descriptors) {
  Section notes{kNoteSection, SHT_NOTE, kNoteAlign, {}};
  for (const Bytes& desc : descriptors) append_kstack_note(notes.bytes, options.endian, desc);
  return build_elf(options, {notes});
}

namespace {

// One ar member header; `name` is written as is (already "name/", "/12", ...).
void archive_header(std::string& out, const std::string& name, std::uint64_t size) {
  auto field = [&](std::string text, std::size_t width) {
    text.resize(width, ' ');
    out += text;
  };
  field(name, 16);
  field("0", 12);  // date
  field("0", 6);   // uid
  field("0", 6);   // gid
  field("644", 8);
  field(std::to_string(size), 10);
  out += "`\n";
}

void archive_member(std::string& out, const std::string& name, const std::string& data) {
  archive_header(out, name, data.size());
  out += data;
  if (out.size() & 1) out += '\n';
}

std::string as_string(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

}  // namespace

Bytes build_archive(ArchiveFlavor flavor, const std::vector<Member>& members) {
  std::string out = flavor == ArchiveFlavor::kThin ? "!<thin>\n" : "!<arch>\n";
  if (flavor == ArchiveFlavor::kBsd) {
    std::string symdef = "__.SYMDEF SORTED";
    archive_member(out, "#1/" + std::to_string(symdef.size()), symdef + std::string(8, '\0'));
    for (const Member& member : members)
      archive_member(out, "#1/" + std::to_string(member.name.size()),
                     member.name + as_string(member.data));
    return Bytes(out.begin(), out.end());
  }
  archive_member(out, "/", std::string(4, '\0'));  // a symbol table with no symbols
  std::string long_names;
  std::vector<std::string> header_names;
  for (const Member& member : members) {
    if (member.name.size() < 15 && flavor != ArchiveFlavor::kThin) {
      header_names.push_back(member.name + "/");
    } else {
      header_names.push_back("/" + std::to_string(long_names.size()));
      long_names += member.name + "/\n";
    }
  }
  if (!long_names.empty()) archive_member(out, "//", long_names);
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (flavor == ArchiveFlavor::kThin)
      archive_header(out, header_names[i], members[i].data.size());
    else
      archive_member(out, header_names[i], as_string(members[i].data));
  }
  return Bytes(out.begin(), out.end());
}

ReadResult read_bytes(const std::string& path, const Bytes& bytes) {
  CollectingDiagnostics diagnostics;
  ReadResult result;
  read_input_bytes(path, bytes.data(), bytes.size(), diagnostics, result.units);
  result.diagnostics = diagnostics.lines;
  result.errors = diagnostics.errors;
  return result;
}

ReadResult read_file(const std::string& path) {
  CollectingDiagnostics diagnostics;
  ReadResult result;
  read_input_file(path, diagnostics, result.units);
  result.diagnostics = diagnostics.lines;
  result.errors = diagnostics.errors;
  return result;
}

namespace {

auto fields(const Call& c) {
  return std::tie(c.kind, c.tail, c.cold, c.callee, c.count, c.file, c.line, c.column, c.site);
}

auto fields(const IndirectCall& i) { return std::tie(i.unmatched, i.type, i.signature, i.origin); }

auto fields(const Reference& r) {
  return std::tie(r.kind, r.function, r.function_signature, r.value_signature, r.slot, r.source,
                  r.file, r.line);
}

auto fields(const FramePart& p) {
  return std::tie(p.kind, p.artificial, p.slot, p.name, p.type, p.file, p.line, p.inlined_from,
                  p.bytes, p.has_offset, p.offset);
}

auto fields(const Function& f) {
  return std::tie(f.name, f.su_name, f.origin, f.file, f.line, f.column, f.binding, f.comdat,
                  f.clone, f.nested, f.thunk, f.no_su_line, f.frame_unknown, f.dynamic_alloc,
                  f.unbounded_alloc, f.pushed_variable, f.artificial, f.frame_kind, f.frame_size,
                  f.static_size, f.pushed_size, f.dynamic_size, f.red_zone, f.cold_name, f.calls,
                  f.frame_parts);
}

auto fields(const Alias& a) { return std::tie(a.name, a.target, a.binding); }

auto fields(const Unit& u) {
  return std::tie(u.input, u.main_input, u.output_base, u.producer, u.target,
                  u.return_address_in_frame, u.flags, u.functions, u.aliases, u.indirect_calls,
                  u.references);
}

}  // namespace

bool operator==(const Call& a, const Call& b) { return fields(a) == fields(b); }
bool operator==(const FramePart& a, const FramePart& b) { return fields(a) == fields(b); }
bool operator==(const Function& a, const Function& b) { return fields(a) == fields(b); }
bool operator==(const Alias& a, const Alias& b) { return fields(a) == fields(b); }
bool operator==(const IndirectCall& a, const IndirectCall& b) { return fields(a) == fields(b); }
bool operator==(const Reference& a, const Reference& b) { return fields(a) == fields(b); }
bool operator==(const Unit& a, const Unit& b) { return fields(a) == fields(b); }

void PrintTo(const Unit& unit, std::ostream* out) {
  *out << "flags " << unit.flags << "\n";
  print_json(*out, {unit});
}

}  // namespace kstack::test
