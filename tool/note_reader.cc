// Note walking and descriptor decoding, following docs/note-format.md. The
// descriptor is checked top down: version first (a newer writer may have
// changed everything after it), then the header, the table directory, each
// table's bounds and record size, and finally each field as it is read:
// string offsets must land inside the string table and reach a NUL there,
// call ranges must lie inside the calls table, enumerations must be known,
// frame parts must name a function of the unit, in function order.
// Records may be longer than this reader knows (a newer writer of the same
// version appended fields); the extra bytes are ignored, as are tables of
// unknown kinds. They may also be shorter, down to the first version-1
// layout (an older writer): the fields appended since then read as 0.
#include "note_reader.h"

#include <algorithm>
#include <cstring>

namespace kstack {
namespace {

using namespace note;

// One table of the descriptor: `count` records of `entsize` bytes.
struct Table {
  bool present = false;
  ByteSpan bytes;
  std::uint32_t count = 0;
  std::uint32_t entsize = 0;

  ByteSpan record(std::uint32_t index) const {
    return bytes.sub(std::uint64_t{index} * entsize, entsize);
  }
};

// The minimum record size of each table kind this reader knows, or 0: fields
// appended later within the version are read as 0 from shorter records.
std::uint32_t record_size(std::uint32_t kind) {
  switch (static_cast<TableKind>(kind)) {
    case TableKind::kStrings:
      return 1;
    case TableKind::kFunctions:
      return FunctionLayout::kMinSize;
    case TableKind::kCalls:
      return CallLayout::kSize;
    case TableKind::kAliases:
      return AliasLayout::kSize;
    case TableKind::kIndirectCalls:
      return IndirectCallLayout::kSize;
    case TableKind::kReferences:
      return ReferenceLayout::kSize;
    case TableKind::kFrameParts:
      return FramePartLayout::kSize;
  }
  return 0;
}

class DescriptorDecoder {
 public:
  explicit DescriptorDecoder(ByteSpan descriptor)
      : descriptor_(descriptor.renamed("kstack note descriptor")) {}

  Unit decode() {
    std::uint32_t version = descriptor_.u32(HeaderLayout::kVersion);
    if (version > kNoteVersion)
      descriptor_.fail(HeaderLayout::kVersion, "kstack note format version " +
                                                   std::to_string(version) +
                                                   " is newer than this kstack supports (" +
                                                   std::to_string(kNoteVersion) + ")");
    if (version != kNoteVersion)
      descriptor_.fail(HeaderLayout::kVersion,
                       "unsupported kstack note format version " + std::to_string(version));
    std::uint32_t header_size = descriptor_.u32(HeaderLayout::kHeaderSize);
    if (header_size < HeaderLayout::kSize)
      descriptor_.fail(HeaderLayout::kHeaderSize,
                       "kstack note header size " + std::to_string(header_size) + " is too small");
    ByteSpan header = descriptor_.sub(0, header_size);
    read_directory(header_size, header.u32(HeaderLayout::kTableCount));

    Unit unit;
    unit.flags = header.u32(HeaderLayout::kUnitFlags);
    unit.main_input = string_at(header, HeaderLayout::kMainInput);
    unit.output_base = string_at(header, HeaderLayout::kOutputBase);
    unit.producer = string_at(header, HeaderLayout::kProducer);
    unit.target = string_at(header, HeaderLayout::kTarget);
    unit.return_address_in_frame = header.u32(HeaderLayout::kReturnAddressInFrame);
    unit.functions.reserve(functions_.count);
    for (std::uint32_t i = 0; i < functions_.count; ++i)
      unit.functions.push_back(read_function(functions_.record(i)));
    unit.aliases.reserve(aliases_.count);
    for (std::uint32_t i = 0; i < aliases_.count; ++i)
      unit.aliases.push_back(read_alias(aliases_.record(i)));
    read_indirect_calls(unit);
    unit.references.reserve(references_.count);
    for (std::uint32_t i = 0; i < references_.count; ++i)
      unit.references.push_back(read_reference(references_.record(i)));
    for (std::uint32_t i = 0; i < frame_parts_.count; ++i)
      read_frame_part(frame_parts_.record(i), unit);
    return unit;
  }

 private:
  void read_directory(std::uint32_t offset, std::uint32_t count) {
    ByteSpan directory = descriptor_.table(offset, count, TableEntryLayout::kSize);
    for (std::uint32_t i = 0; i < count; ++i) {
      ByteSpan entry =
          directory.sub(std::uint64_t{i} * TableEntryLayout::kSize, TableEntryLayout::kSize);
      std::uint32_t kind = entry.u32(TableEntryLayout::kKind);
      Table* table = table_of_kind(kind);
      if (!table) continue;  // a kind from a newer writer
      if (table->present)
        entry.fail(TableEntryLayout::kKind,
                   "duplicate kstack note table of kind " + std::to_string(kind));
      table->present = true;
      table->count = entry.u32(TableEntryLayout::kCount);
      table->entsize = entry.u32(TableEntryLayout::kEntsize);
      bool strings = kind == static_cast<std::uint32_t>(TableKind::kStrings);
      if (strings ? table->entsize != 1 : table->entsize < record_size(kind))
        entry.fail(TableEntryLayout::kEntsize,
                   "kstack note table of kind " + std::to_string(kind) + " has entry size " +
                       std::to_string(table->entsize) + ", expected " +
                       (strings ? "1" : "at least " + std::to_string(record_size(kind))));
      std::uint32_t table_offset = entry.u32(TableEntryLayout::kOffset);
      std::uint64_t size = std::uint64_t{table->count} * table->entsize;  // < 2^64
      if (!descriptor_.contains(table_offset, size))
        entry.fail(TableEntryLayout::kOffset, "kstack note table of kind " + std::to_string(kind) +
                                                  " extends past the end of the descriptor");
      table->bytes = descriptor_.sub(table_offset, size);
    }
  }

  Table* table_of_kind(std::uint32_t kind) {
    switch (static_cast<TableKind>(kind)) {
      case TableKind::kStrings:
        return &strings_;
      case TableKind::kFunctions:
        return &functions_;
      case TableKind::kCalls:
        return &calls_;
      case TableKind::kAliases:
        return &aliases_;
      case TableKind::kIndirectCalls:
        return &indirect_;
      case TableKind::kReferences:
        return &references_;
      case TableKind::kFrameParts:
        return &frame_parts_;
    }
    return nullptr;
  }

  // The string whose string-table offset is the u32 at `field` of `record`.
  std::string string_at(ByteSpan record, std::uint32_t field) const {
    std::uint32_t offset = record.u32(field);
    ByteSpan strings = strings_.bytes;
    if (offset >= strings.size())
      record.fail(field, "string offset " + format_hex(offset) +
                             " is outside the string table (size " + format_hex(strings.size()) +
                             ")");
    const void* start = strings.data() + offset;
    const void* end = std::memchr(start, '\0', strings.size() - offset);
    if (!end)
      record.fail(field, "string at offset " + format_hex(offset) + " is not NUL-terminated");
    return std::string(static_cast<const char*>(start), static_cast<const char*>(end));
  }

  static Binding binding_at(ByteSpan record, std::uint32_t field) {
    std::uint32_t binding = record.u32(field) & kBindingMask;
    if (binding > static_cast<std::uint32_t>(Binding::kWeak))
      record.fail(field, "unknown symbol binding " + std::to_string(binding));
    return static_cast<Binding>(binding);
  }

  Function read_function(ByteSpan record) {
    using L = FunctionLayout;
    Function function;
    function.name = string_at(record, L::kName);
    function.su_name = string_at(record, L::kSuName);
    function.origin = string_at(record, L::kOrigin);
    function.file = string_at(record, L::kFile);
    function.line = record.u32(L::kLine);
    function.column = record.u32(L::kColumn);
    function.binding = binding_at(record, L::kFlags);
    flags::decode(record.u32(L::kFlags), function);
    std::uint32_t frame_kind = record.u32(L::kFrameKind);
    if (frame_kind > static_cast<std::uint32_t>(FrameKind::kDynamicBounded))
      record.fail(L::kFrameKind, "unknown frame kind " + std::to_string(frame_kind));
    function.frame_kind = static_cast<FrameKind>(frame_kind);
    function.frame_size = record.u64(L::kFrameSize);
    function.static_size = record.u64(L::kStaticSize);
    function.pushed_size = record.u64(L::kPushedSize);
    function.dynamic_size = record.u64(L::kDynamicSize);
    function.cold_name = string_at(record, L::kColdName);
    if (record.contains(L::kRedZone, 8)) function.red_zone = record.u64(L::kRedZone);

    std::uint32_t first_call = record.u32(L::kFirstCall);
    std::uint32_t call_count = record.u32(L::kCallCount);
    if (std::uint64_t{first_call} + call_count > calls_.count)
      record.fail(L::kFirstCall, "calls " + std::to_string(first_call) + ".." +
                                     std::to_string(std::uint64_t{first_call} + call_count) +
                                     " are outside the calls table (" +
                                     std::to_string(calls_.count) + " records)");
    // Ranges must not overlap, so that the records decoded stay within the
    // table: otherwise a few bytes of function records could make the reader
    // copy the whole calls table once per function.
    calls_claimed_ += call_count;
    if (calls_claimed_ > calls_.count)
      record.fail(L::kFirstCall, "calls " + std::to_string(first_call) + ".." +
                                     std::to_string(std::uint64_t{first_call} + call_count) +
                                     " overlap the calls of another function");
    function.calls.reserve(call_count);
    for (std::uint32_t i = 0; i < call_count; ++i)
      function.calls.push_back(read_call(calls_.record(first_call + i)));
    for (std::uint32_t i = 0; i < call_count; ++i)
      call_at_.push_back({first_call + i, static_cast<std::uint32_t>(function_index_), i});
    ++function_index_;
    return function;
  }

  static SlotKind slot_kind_at(ByteSpan record, std::uint32_t field) {
    std::uint32_t kind = record.u32(field);
    if (kind > static_cast<std::uint32_t>(SlotKind::kVirtual))
      record.fail(field, "unknown slot kind " + std::to_string(kind));
    return static_cast<SlotKind>(kind);
  }

  // A slot's four fields, at their offsets in RECORD.
  Slot slot_at(ByteSpan record, std::uint32_t kind, std::uint32_t scope, std::uint32_t member,
               std::uint32_t index) const {
    Slot slot;
    slot.kind = slot_kind_at(record, kind);
    slot.scope = string_at(record, scope);
    slot.member = string_at(record, member);
    slot.index = record.u32(index);
    return slot;
  }

  // Each record names an indirect call of the calls table by index; the call
  // learns its site, once.
  void read_indirect_calls(Unit& unit) {
    using L = IndirectCallLayout;
    std::sort(call_at_.begin(), call_at_.end(),
              [](const CallAt& a, const CallAt& b) { return a.index < b.index; });
    unit.indirect_calls.reserve(indirect_.count);
    for (std::uint32_t i = 0; i < indirect_.count; ++i) {
      ByteSpan record = indirect_.record(i);
      std::uint32_t index = record.u32(L::kCall);
      auto at = std::lower_bound(call_at_.begin(), call_at_.end(), index,
                                 [](const CallAt& a, std::uint32_t v) { return a.index < v; });
      if (at == call_at_.end() || at->index != index)
        record.fail(L::kCall,
                    "indirect call " + std::to_string(index) + " is not a call of any function");
      Call& call = unit.functions[at->function].calls[at->call];
      if (call.kind != CallKind::kIndirect)
        record.fail(L::kCall, "call " + std::to_string(index) + " is not an indirect call");
      if (call.site != kNoSite)
        record.fail(L::kCall, "indirect call " + std::to_string(index) + " is described twice");
      call.site = i;
      IndirectCall site;
      site.unmatched = record.u32(L::kFlags) & kIndirectUnmatched;
      site.type = string_at(record, L::kType);
      site.signature = string_at(record, L::kSignature);
      site.origin = slot_at(record, L::kSlotKind, L::kScope, L::kMember, L::kIndex);
      unit.indirect_calls.push_back(std::move(site));
    }
  }

  Reference read_reference(ByteSpan record) const {
    using L = ReferenceLayout;
    Reference reference;
    std::uint32_t kind = record.u32(L::kKind);
    if (kind > static_cast<std::uint32_t>(ReferenceKind::kOverwrite))
      record.fail(L::kKind, "unknown reference kind " + std::to_string(kind));
    reference.kind = static_cast<ReferenceKind>(kind);
    reference.function = string_at(record, L::kFunction);
    reference.function_signature = string_at(record, L::kFunctionSignature);
    reference.value_signature = string_at(record, L::kValueSignature);
    reference.slot = slot_at(record, L::kSlotKind, L::kScope, L::kMember, L::kSlotIndex);
    reference.source =
        slot_at(record, L::kSourceKind, L::kSourceScope, L::kSourceMember, L::kSourceIndex);
    reference.file = string_at(record, L::kFile);
    reference.line = record.u32(L::kLine);
    return reference;
  }

  // A frame part goes to its function; the parts of a function are
  // contiguous and in function order, so that each function's parts are
  // read in the order written.
  void read_frame_part(ByteSpan record, Unit& unit) {
    using L = FramePartLayout;
    std::uint32_t function = record.u32(L::kFunction);
    if (function >= unit.functions.size())
      record.fail(L::kFunction, "frame part of function " + std::to_string(function) +
                                    ", which is not in the functions table (" +
                                    std::to_string(unit.functions.size()) + " records)");
    if (function < last_part_function_)
      record.fail(L::kFunction, "frame part of function " + std::to_string(function) +
                                    " after the parts of function " +
                                    std::to_string(last_part_function_));
    last_part_function_ = function;
    FramePart part;
    std::uint32_t kind = record.u32(L::kKind);
    if (kind < static_cast<std::uint32_t>(FramePartKind::kReturnAddress) ||
        kind > static_cast<std::uint32_t>(FramePartKind::kOther))
      record.fail(L::kKind, "unknown frame part kind " + std::to_string(kind));
    part.kind = static_cast<FramePartKind>(kind);
    std::uint32_t flags = record.u32(L::kFlags);
    part.artificial = flags & kFramePartArtificial;
    part.has_offset = !(flags & kFramePartNoOffset);
    part.slot = record.u32(L::kSlot);
    part.name = string_at(record, L::kName);
    part.type = string_at(record, L::kType);
    part.file = string_at(record, L::kFile);
    part.line = record.u32(L::kLine);
    part.inlined_from = string_at(record, L::kInlinedFrom);
    part.bytes = record.u64(L::kBytes);
    if (part.has_offset) part.offset = static_cast<std::int64_t>(record.u64(L::kOffset));
    unit.functions[function].frame_parts.push_back(std::move(part));
  }

  Call read_call(ByteSpan record) const {
    using L = CallLayout;
    Call call;
    std::uint32_t kind = record.u32(L::kKind);
    if (kind > static_cast<std::uint32_t>(CallKind::kProfiler))
      record.fail(L::kKind, "unknown call kind " + std::to_string(kind));
    call.kind = static_cast<CallKind>(kind);
    flags::decode(record.u32(L::kFlags), call);
    call.callee = string_at(record, L::kCallee);
    call.count = record.u32(L::kCount);
    call.file = string_at(record, L::kFile);
    call.line = record.u32(L::kLine);
    call.column = record.u32(L::kColumn);
    return call;
  }

  Alias read_alias(ByteSpan record) const {
    using L = AliasLayout;
    return {string_at(record, L::kName), string_at(record, L::kTarget),
            binding_at(record, L::kFlags)};
  }

  // Where call record `index` went: unit.functions[function].calls[call].
  struct CallAt {
    std::uint32_t index;
    std::uint32_t function;
    std::uint32_t call;
  };

  ByteSpan descriptor_;
  Table strings_, functions_, calls_, aliases_, indirect_, references_, frame_parts_;
  std::uint32_t last_part_function_ = 0;
  std::vector<CallAt> call_at_;
  std::size_t function_index_ = 0;
  std::uint64_t calls_claimed_ = 0;  // call records claimed by the functions read so far
};

std::uint64_t align_up(std::uint64_t value, std::uint64_t align) {
  return (value + align - 1) & ~(align - 1);
}

bool is_kstack_unit_note(std::string_view name, std::uint32_t type) {
  return name == std::string_view(kNoteOwner, sizeof(kNoteOwner)) && type == kNoteTypeUnit;
}

}  // namespace

Unit decode_unit(ByteSpan descriptor) { return DescriptorDecoder(descriptor).decode(); }

NoteScan read_kstack_notes(const ElfFile& elf, const std::string& input, Diagnostics& diagnostics,
                           std::vector<Unit>& units) {
  // Note header: n_namesz, n_descsz, n_type, each a u32 in ELF32 and ELF64.
  constexpr std::uint64_t kNoteHeaderSize = 12;
  NoteScan scan;
  for (const NoteSection& section : elf.note_sections) {
    ByteSpan notes = section.bytes;
    for (std::uint64_t offset = 0; offset < notes.size();) {
      std::uint64_t name_offset = offset + kNoteHeaderSize;
      std::uint64_t name_size = 0, desc_offset = 0, desc_size = 0;
      if (notes.contains(offset, kNoteHeaderSize)) {
        name_size = notes.u32(offset);
        desc_size = notes.u32(offset + 4);
        desc_offset = align_up(name_offset + name_size, section.align);
      }
      if (!notes.contains(offset, kNoteHeaderSize) || !notes.contains(desc_offset, desc_size)) {
        diagnostics.error(input, notes.file_offset(offset),
                          "note in section " + std::to_string(section.index) + " is truncated");
        ++scan.errors;
        break;
      }
      std::string_view name = notes.chars(name_offset, name_size);
      ByteSpan descriptor = notes.sub(desc_offset, desc_size);
      if (is_kstack_unit_note(name, notes.u32(offset + 8))) {
        ++scan.kstack_notes;
        try {
          units.push_back(decode_unit(descriptor));
          units.back().input = input;
        } catch (const InputError& error) {
          diagnostics.error(input, error.offset, error.what());
          ++scan.errors;
        }
      }
      offset = align_up(desc_offset + desc_size, section.align);
    }
  }
  return scan;
}

}  // namespace kstack
