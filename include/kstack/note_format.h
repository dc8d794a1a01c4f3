// The kstack note format: the one definition shared by the plugin (writer) and
// the tool (reader). docs/note-format.md specifies it byte by byte; a change
// here is a change there, and a layout change bumps kNoteVersion.
//
// A translation unit compiled with kstack.so carries one ELF note in the
// non-allocated section kNoteSection. The note's descriptor is a small
// self-describing blob: a header, a directory of tables, and the tables
// themselves (functions, calls, aliases, strings). Every integer is stored in
// the target's byte order; u32 fields sit at 4-byte offsets and u64 fields at
// 8-byte offsets within their record, but the descriptor itself is only
// 4-byte aligned, so readers load fields byte-wise. There are no relocations:
// symbols are named through the string table.
//
// Compatibility: a reader accepts exactly kNoteVersion. Within a version a
// writer may append fields to a record (entsize grows) or append tables of
// new kinds; readers skip what they do not know, and read an appended field
// as 0 from a record too short to hold it (kMinSize is the shortest record a
// reader accepts). Anything else bumps the version.
#ifndef KSTACK_NOTE_FORMAT_H
#define KSTACK_NOTE_FORMAT_H

#include <cstdint>

namespace kstack::note {

// Field tables stay aligned for reading.
// clang-format off

// ELF note identity.
inline constexpr char kNoteSection[] = ".discard.kstack";
inline constexpr char kNoteOwner[] = "kstack";  // n_name, NUL included in n_namesz
inline constexpr std::uint32_t kNoteTypeUnit = 1;  // n_type: one translation unit
inline constexpr std::uint32_t kNoteVersion = 1;
inline constexpr std::uint32_t kNoteAlign = 4;  // n_name and desc padding

// Descriptor header, at desc offset 0.
struct HeaderLayout {
  static constexpr std::uint32_t kVersion = 0;        // u32 kNoteVersion
  static constexpr std::uint32_t kHeaderSize = 4;     // u32 bytes up to the table directory
  static constexpr std::uint32_t kTableCount = 8;     // u32 entries in the table directory
  static constexpr std::uint32_t kUnitFlags = 12;     // u32 UnitFlag bits
  static constexpr std::uint32_t kMainInput = 16;     // str the unit's main input file, as GCC names it
  static constexpr std::uint32_t kOutputBase = 20;    // str the auxiliary-output base (where x.su would go)
  static constexpr std::uint32_t kProducer = 24;      // str e.g. "GCC 12.2.0"
  static constexpr std::uint32_t kTarget = 28;        // str target triplet, e.g. "x86_64-linux-gnu"
  static constexpr std::uint32_t kReturnAddressInFrame = 32;  // u32 bytes of the return address that frames include
  static constexpr std::uint32_t kSize = 36;
};

// One table directory entry per table, right after the header.
struct TableEntryLayout {
  static constexpr std::uint32_t kKind = 0;     // u32 TableKind
  static constexpr std::uint32_t kOffset = 4;   // u32 desc offset of the first record
  static constexpr std::uint32_t kCount = 8;    // u32 number of records (bytes for kStrings)
  static constexpr std::uint32_t kEntsize = 12; // u32 bytes per record (1 for kStrings)
  static constexpr std::uint32_t kSize = 16;
};

enum class TableKind : std::uint32_t {
  kStrings = 1,    // NUL-terminated strings; offset 0 is the empty string
  kFunctions = 2,  // FunctionLayout records
  kCalls = 3,      // CallLayout records, grouped per function
  kAliases = 4,    // AliasLayout records
  kIndirectCalls = 5,  // IndirectCallLayout records: what is known of each indirect call
  kReferences = 6,     // ReferenceLayout records: where function addresses go
  kFrameParts = 7,     // FramePartLayout records: what fills each frame (-fplugin-arg-kstack-explain)
};

enum UnitFlag : std::uint32_t {
  kUnitLto = 1u << 0,        // written by lto1 (-flto link-time compile)
  kUnitExplained = 1u << 1,  // frames explained: the kFrameParts table is complete
};

// A function with a body in this unit.
struct FunctionLayout {
  static constexpr std::uint32_t kName = 0;         // str assembler name, encoding stripped
  static constexpr std::uint32_t kSuName = 4;       // str the name GCC prints in x.su
  static constexpr std::uint32_t kOrigin = 8;       // str assembler name of a clone's source function, else ""
  static constexpr std::uint32_t kFile = 12;        // str DECL_SOURCE_LOCATION file
  static constexpr std::uint32_t kLine = 16;        // u32
  static constexpr std::uint32_t kColumn = 20;      // u32
  static constexpr std::uint32_t kFlags = 24;       // u32 FunctionFlag bits and Binding
  static constexpr std::uint32_t kFrameKind = 28;   // u32 FrameKind, as x.su qualifies the frame
  static constexpr std::uint32_t kFrameSize = 32;   // u64 the x.su figure
  static constexpr std::uint32_t kStaticSize = 40;  // u64 current_function_static_stack_size
  static constexpr std::uint32_t kPushedSize = 48;  // u64 pushed-argument space (lower bound if not constant)
  static constexpr std::uint32_t kDynamicSize = 56; // u64 dynamic allocation (alloca/VLA) if bounded
  static constexpr std::uint32_t kFirstCall = 64;   // u32 index of the first CallLayout record
  static constexpr std::uint32_t kCallCount = 68;   // u32 number of call records
  static constexpr std::uint32_t kColdName = 72;    // str symbol of the .cold part, else ""
  static constexpr std::uint32_t kReserved = 76;    // u32 zero
  static constexpr std::uint32_t kMinSize = 80;     // the first version-1 record: fields above are in every note
  static constexpr std::uint32_t kRedZone = 80;     // u64 bytes used below the stack pointer, not in kFrameSize (0 if absent)
  static constexpr std::uint32_t kSize = 88;
};

// Low two bits of FunctionLayout::kFlags and AliasLayout::kFlags.
enum class Binding : std::uint32_t { kLocal = 0, kGlobal = 1, kWeak = 2 };
inline constexpr std::uint32_t kBindingMask = 3;

enum FunctionFlag : std::uint32_t {
  kFunctionComdat = 1u << 2,         // in a COMDAT group
  kFunctionClone = 1u << 3,          // a GCC clone (.isra, .constprop, .part, ...)
  kFunctionNested = 1u << 4,         // nested in another function
  kFunctionThunk = 1u << 5,          // a C++ thunk
  kFunctionNoSuLine = 1u << 6,       // GCC prints no x.su line (assembler-output thunk)
  kFunctionFrameUnknown = 1u << 7,   // GCC could not compute the frame for this target
  kFunctionDynamicAlloc = 1u << 8,   // allocates dynamic stack space
  kFunctionUnboundedAlloc = 1u << 9, // ... of unbounded size
  kFunctionPushedVariable = 1u << 10, // pushed-argument space is not constant
  kFunctionArtificial = 1u << 11,    // compiler-generated (constructors, ...)
};

enum class FrameKind : std::uint32_t { kStatic = 0, kDynamic = 1, kDynamicBounded = 2 };

// One call, or several identical direct calls of one function merged.
struct CallLayout {
  static constexpr std::uint32_t kKind = 0;    // u32 CallKind
  static constexpr std::uint32_t kFlags = 4;   // u32 CallFlag bits
  static constexpr std::uint32_t kCallee = 8;  // str callee symbol; "" for indirect calls
  static constexpr std::uint32_t kCount = 12;  // u32 call sites merged in this record (>= 1)
  static constexpr std::uint32_t kFile = 16;   // str location of the first site
  static constexpr std::uint32_t kLine = 20;   // u32
  static constexpr std::uint32_t kColumn = 24; // u32
  static constexpr std::uint32_t kSize = 28;
};

enum class CallKind : std::uint32_t {
  kDirect = 0,    // a call insn to a symbol
  kIndirect = 1,  // a call insn through a register or memory (one record per site)
  kAsm = 2,       // a call or jump to a symbol written in an inline asm template
  kProfiler = 3,  // the -pg hook (__fentry__, mcount), emitted as text by the target
};

enum CallFlag : std::uint32_t {
  kCallTail = 1u << 0,  // sibling call or jump: the caller's frame is released first
  kCallCold = 1u << 1,  // in the cold partition (.cold part)
};

// An alias: a symbol defined as another symbol of this unit.
struct AliasLayout {
  static constexpr std::uint32_t kName = 0;    // str alias symbol
  static constexpr std::uint32_t kTarget = 4;  // str the symbol it aliases
  static constexpr std::uint32_t kFlags = 8;   // u32 Binding in the low bits
  static constexpr std::uint32_t kSize = 12;
};

// A place a function pointer is kept: what an indirect call loads its target
// from, or what a store writes a function's address into. Names are the
// compiler's, not symbols of the object: two units that see one struct type
// name it alike.
enum class SlotKind : std::uint32_t {
  kNone = 0,       // not a named place: a local, a call's result, a merge of values
  kField = 1,      // scope: the struct or union type, member: the field (an array field too)
  kGlobal = 2,     // scope: the variable's symbol (a pointer, an array of them)
  kParameter = 3,  // index: the calling function's parameter (0 is the first)
  kVirtual = 4,    // a C++ virtual call: scope the class, index the vtable slot
};

// One indirect call of the calls table, described where the compiler still
// knew its types (GIMPLE, before expansion).
struct IndirectCallLayout {
  static constexpr std::uint32_t kCall = 0;       // u32 index of the call in the calls table
  static constexpr std::uint32_t kFlags = 4;      // u32 IndirectFlag bits
  static constexpr std::uint32_t kType = 8;       // str the called function type, C-like
  static constexpr std::uint32_t kSignature = 12; // str the canonical type: the matching key
  static constexpr std::uint32_t kSlotKind = 16;  // u32 SlotKind: where the pointer was loaded from
  static constexpr std::uint32_t kScope = 20;     // str
  static constexpr std::uint32_t kMember = 24;    // str
  static constexpr std::uint32_t kIndex = 28;     // u32
  static constexpr std::uint32_t kSize = 32;
};

enum IndirectFlag : std::uint32_t {
  kIndirectUnmatched = 1u << 0,  // no GIMPLE call was found for the insn: origin unknown
};

enum class ReferenceKind : std::uint32_t {
  // A function pointer value stored into a slot: the function `function`, or
  // (function "") whatever the source slot holds, or (source kNone) a value
  // that cannot be followed (a parameter, a call's result).
  kStore = 0,
  // The address of `function` used in any other way: passed to a call, kept
  // in a local, cast to an integer or `void *`, stored where no slot is
  // named. It may reach any indirect call of a compatible type.
  kEscape = 1,
  // Memory of the scope type (a struct) was written wholesale from another
  // type (memcpy): any of its fields may hold anything.
  kOverwrite = 2,
};

struct ReferenceLayout {
  static constexpr std::uint32_t kKind = 0;              // u32 ReferenceKind
  static constexpr std::uint32_t kFunction = 4;          // str symbol of the function, or ""
  static constexpr std::uint32_t kFunctionSignature = 8; // str the function's own signature
  static constexpr std::uint32_t kValueSignature = 12;   // str the signature it is stored or cast as
  static constexpr std::uint32_t kSlotKind = 16;         // u32 SlotKind of the destination
  static constexpr std::uint32_t kScope = 20;            // str
  static constexpr std::uint32_t kMember = 24;           // str
  static constexpr std::uint32_t kSourceKind = 28;       // u32 SlotKind the stored value was loaded from
  static constexpr std::uint32_t kSourceScope = 32;      // str
  static constexpr std::uint32_t kSourceMember = 36;     // str
  static constexpr std::uint32_t kFile = 40;             // str location of the reference
  static constexpr std::uint32_t kLine = 44;             // u32
  static constexpr std::uint32_t kSlotIndex = 48;        // u32 the destination's index (a parameter's number)
  static constexpr std::uint32_t kSourceIndex = 52;      // u32 the source's index
  static constexpr std::uint32_t kSize = 56;
};

// What one part of a function's static frame is. The parts of a function
// add up to its static size (FunctionLayout::kStaticSize) exactly: every part
// counts its size once, except that a shared slot (parts with one nonzero
// `slot`) counts once at its largest member's size, and kRedZone is
// subtracted (those bytes lie below the stack pointer, outside GCC's figure).
enum class FramePartKind : std::uint32_t {
  kReturnAddress = 1,      // pushed by the call (x86) or saved from the link register
  kSavedRegisters = 2,     // callee-saved registers and the frame pointer; name: the registers
  kLocal = 3,              // a variable the source declares
  kParameter = 4,          // a parameter kept in a stack slot
  kTemporary = 5,          // a compiler temporary (artificial declaration, or none)
  kSpill = 6,              // the register allocator's spill slots, together
  kOutgoingArguments = 7,  // space for the arguments of calls, reserved once
  kVarargs = 8,            // a variadic function's register save area
  kPadding = 9,            // alignment, between and around the parts
  kUnattributed = 10,      // bytes of the locals area no known slot accounts for
  kRedZone = 11,           // locals below the stack pointer: subtracted
  kOther = 12,             // the static chain, the DRAP register; name says which
};

enum FramePartFlag : std::uint32_t {
  kFramePartArtificial = 1u << 0,  // compiler-generated (DECL_ARTIFICIAL)
  kFramePartNoOffset = 1u << 1,    // no single place in the frame: kOffset is 0
};

// One part of one function's frame; the parts of a function are contiguous
// and in function order.
struct FramePartLayout {
  static constexpr std::uint32_t kFunction = 0;     // u32 index of the function in the functions table
  static constexpr std::uint32_t kKind = 4;         // u32 FramePartKind
  static constexpr std::uint32_t kFlags = 8;        // u32 FramePartFlag bits
  static constexpr std::uint32_t kSlot = 12;        // u32 shared-slot number within the function; 0: not shared
  static constexpr std::uint32_t kName = 16;        // str the variable, or the registers; "" if none
  static constexpr std::uint32_t kType = 20;        // str its type as GCC prints it, e.g. "struct poll_wqueues"
  static constexpr std::uint32_t kFile = 24;        // str where it is declared
  static constexpr std::uint32_t kLine = 28;        // u32
  static constexpr std::uint32_t kInlinedFrom = 32; // str the inlined function it belongs to, else ""
  static constexpr std::uint32_t kReserved = 36;    // u32 zero
  static constexpr std::uint32_t kBytes = 40;       // u64 its size
  static constexpr std::uint32_t kOffset = 48;      // i64 its lowest byte, from the CFA (negative: below it)
  static constexpr std::uint32_t kSize = 56;
};

// clang-format on

}  // namespace kstack::note

#endif  // KSTACK_NOTE_FORMAT_H
