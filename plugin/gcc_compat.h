// Everything kstack.so needs from GCC, in one place: the headers, and every
// difference between the GCC versions and targets kstack supports (GCC 11 and
// 12; x86_64, aarch64, arm). Plugin bodies include only this header and never
// test a GCC version or a target themselves.
//
// The target is named by CMake (KSTACK_TARGET_X86 / _AARCH64 / _ARM, from
// `CC -dumpmachine`), because a plugin is built against exactly one target's
// headers and the headers have no single macro that says which.
#ifndef KSTACK_PLUGIN_GCC_COMPAT_H
#define KSTACK_PLUGIN_GCC_COMPAT_H

// GCC's headers depend on their order; keep it.
// clang-format off
#include "gcc-plugin.h"
#include "plugin-version.h"

#include "config.h"
#include "system.h"
#include "coretypes.h"
#include "backend.h"
#include "tree.h"
#include "rtl.h"
#include "tm.h"
#include "function.h"
#include "tree-pass.h"
#include "context.h"
#include "cgraph.h"
#include "alloc-pool.h"
#include "symbol-summary.h"
#include "symtab-thunks.h"
#include "output.h"
#include "varasm.h"
#include "memmodel.h"
#include "emit-rtl.h"
#include "insn-config.h"
#include "recog.h"
#include "diagnostic-core.h"
#include "intl.h"
#include "langhooks.h"
#include "target.h"
#include "toplev.h"
#include "options.h"
#include "opts.h"
#include "regs.h"
#include "version.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "gimple-walk.h"
#include "ssa.h"
#include "ipa-utils.h"
#include "tree-dfa.h"
#include "attribs.h"
#include "rtl-iter.h"
#include "tree-pretty-print.h"
// clang-format on

#include <cstdint>
#include <optional>
#include <string>

namespace kstack::compat {

// The assembler name of SYMBOL as it appears in the object's symbol table.
inline std::string strip_name_encoding(const char* symbol) {
  return targetm.strip_name_encoding(symbol);
}

// Bytes of the return address that GCC's frame figures already include: the
// x86 `call` pushes it and `.su` counts it; on aarch64 and arm it lives in a
// register and the callee saves it inside its own frame.
inline std::uint32_t return_address_in_frame() {
#ifdef KSTACK_TARGET_X86
  return DEFAULT_INCOMING_FRAME_SP_OFFSET;
#else
  return 0;
#endif
}

// Bytes of the current function's frame that live below the stack pointer
// and are not in GCC's `.su` figure: the x86_64 red zone of a leaf function.
// ix86_compute_frame_layout moves up to RED_ZONE_SIZE - RED_ZONE_RESERVE bytes
// of the frame there and subtracts them from stack_pointer_offset, which is
// what the prologue reports as current_function_static_stack_size. The
// layout is final once pro_and_epilogue has run. aarch64 and arm have no red
// zone.
inline std::uint64_t red_zone_size() {
#ifdef KSTACK_TARGET_X86
  return cfun->machine ? static_cast<std::uint64_t>(cfun->machine->frame.red_zone_size) : 0;
#else
  return 0;
#endif
}

// The profiler hook that `-pg` makes the target print as text (not RTL) at
// each function entry, or nullptr when there is none: x86 prints
// `call __fentry__`/`call mcount` (none with -mnop-mcount); arm's EABI prints
// `bl __gnu_mcount_nc`. aarch64 emits `_mcount` as an ordinary RTL call, which
// kstack records like any call.
inline const char* profiler_text_call() {
  if (!crtl->profile) return nullptr;
#if defined(KSTACK_TARGET_X86)
  if (flag_nop_mcount) return nullptr;
  if (fentry_name) return fentry_name;
  return flag_fentry ? MCOUNT_NAME_BEFORE_PROLOGUE : MCOUNT_NAME;
#elif defined(KSTACK_TARGET_ARM)
  return "__gnu_mcount_nc";
#else
  return nullptr;
#endif
}

enum class AsmBranch { kNone, kCall, kJump };

// How the target's assembler spells calls and jumps in inline asm templates.
// Conditional branches count as jumps: control may leave for the symbol and
// not come back, exactly like a tail call.
inline AsmBranch classify_asm_mnemonic(const std::string& m) {
#if defined(KSTACK_TARGET_X86)
  if (m == "call" || m == "callq" || m == "calll") return AsmBranch::kCall;
  if (m.size() >= 2 && m[0] == 'j' && m != "jecxz" && m != "jrcxz") return AsmBranch::kJump;
  return AsmBranch::kNone;
#else
  if (m == "bl" || m == "blx" || m == "blr") return AsmBranch::kCall;
  if (m == "b" || m == "bx" || m == "br" || m == "cbz" || m == "cbnz" || m == "tbz" || m == "tbnz")
    return AsmBranch::kJump;
  if (m.size() > 1 && m[0] == 'b') {
    // b.eq (aarch64), beq/bne... (arm); the condition suffixes.
    static const char* const conds[] = {"eq", "ne", "cs", "cc", "hs", "lo", "mi", "pl", "vs",
                                        "vc", "hi", "ls", "ge", "lt", "gt", "le", "al"};
    std::string rest = m.substr(m[1] == '.' ? 2 : 1);
    for (const char* c : conds)
      if (rest == c) return AsmBranch::kJump;
  }
  return AsmBranch::kNone;
#endif
}

// The preferred stack boundary in bytes, to which expansion rounds the
// locals. Not crtl->preferred_stack_boundary, which is lowered for a leaf
// afterwards, nor x86's PREFERRED_STACK_BOUNDARY, which reads a variable of
// cc1's own (the plugin would no longer load into another target's cc1 to
// say it was built for another): the option's value, else its default.
inline std::int64_t preferred_stack_boundary() {
#if defined(KSTACK_TARGET_X86)
  return ix86_preferred_stack_boundary_arg ? std::int64_t{1} << ix86_preferred_stack_boundary_arg
                                           : 16;
#elif defined(KSTACK_TARGET_AARCH64)
  return STACK_BOUNDARY / BITS_PER_UNIT;
#else
  return 8;  // arm's AAPCS: a doubleword
#endif
}

// The comment leader of the target's assembler, for the annotated note.
inline const char* asm_comment() { return ASM_COMMENT_START; }

// The section type operand spelled the target's way ("@note", "%note").
inline std::string note_section_type() {
  char buf[32];
  snprintf(buf, sizeof buf, TYPE_OPERAND_FMT, "note");
  return buf;
}

inline bool is_thunk(cgraph_node* node) { return node->thunk; }

// An INTEGER_CST of TYPE. Not build_int_cstu: its poly_uint64 parameter is
// mangled after the target's number of poly_int coefficients (2 on
// aarch64), so calling it would keep the plugin from loading into another
// target's cc1 before the version check can say why.
inline tree unsigned_constant(tree type, std::uint64_t value) {
  return double_int_to_tree(type, double_int::from_uhwi(value));
}

inline const char* compiler_version() { return version_string; }

// The pass_data of a kstack pass: no option group, timer or todo flags of
// its own; REQUIRED, the properties it needs (e.g. PROP_ssa | PROP_cfg).
// pass_data has lost and gained fields across GCC versions (has_gate and
// has_execute went in GCC 4.9): its fields are named here only.
inline pass_data plugin_pass_data(opt_pass_type type, const char* name, unsigned required = 0) {
  pass_data data{};
  data.type = type;
  data.name = name;
  data.optinfo_flags = OPTGROUP_NONE;
  data.tv_id = TV_NONE;
  data.properties_required = required;
  return data;
}

// The current function's static frame outside its locals area, in bytes, as
// the target's prologue laid it out (final once pro_and_epilogue has run),
// for frame_explain.cc. The parts named here plus LOCALS bytes of locals
// area make up the static size, less RED_ZONE; what a target does not break
// down is left out, and the caller accounts for it as unattributed.
struct FrameLayout {
  std::int64_t return_address = 0;                    // the return address, pushed or saved
  std::optional<std::int64_t> return_address_offset;  // its CFA offset
  unsigned return_address_regno = INVALID_REGNUM;     // its register, if saved from one
  std::int64_t saved_registers = 0;  // callee-saved registers and the frame pointer
  std::int64_t varargs = 0;          // a variadic function's register save area
  std::int64_t outgoing_arguments = 0;
  std::int64_t padding = 0;       // alignment outside the locals area
  std::int64_t static_chain = 0;  // a nested function's static chain slot
  std::int64_t drap = 0;          // the dynamic realign argument pointer's slots
  std::int64_t interworking = 0;  // arm's caller interworking slot
  std::int64_t red_zone = 0;      // frame bytes below the stack pointer
  std::int64_t locals = 0;        // bytes of the locals area in the frame
  // The CFA offset of the soft frame pointer, from which slots' offsets in
  // the locals area are measured; none where it is not worked out.
  std::optional<std::int64_t> locals_offset;
};

// FRAME_SIZE is get_frame_size(): the locals area as expansion and the
// register allocator left it.
//
// x86 (ix86_compute_frame_layout), from the CFA down: return address, static
// chain, saved frame pointer, general registers, SSE registers, varargs save
// area, padding, locals, outgoing arguments, padding; the leaf's red zone is
// subtracted from the stack pointer offset. A function that needs no stack
// frame (!stack_frame_required) has no locals area even when the frame size
// grew by alignment. With a dynamic realign argument pointer the prologue
// also keeps the return address and the static chain a second time.
//
// aarch64 (aarch64_layout_frame, GCC 11 and 12): varargs save area, locals,
// padding to 16, the callee saves (frame record x29/x30 at the bottom, then
// general, then FP/SIMD registers, with internal alignment), outgoing
// arguments; frame_size is all of it and is the static size.
//
// arm (arm_compute_frame_layout), from the CFA down: the anonymous
// arguments' save area (pretend arguments, outside the static frame), the
// static chain slot, the saved registers (saved_regs_mask, LR the return
// address among them, then VFP), the caller interworking slot, padding to a
// doubleword, the locals (rounded up to a word), outgoing arguments, padding
// to a doubleword. The offsets are from the CFA; the static size is
// outgoing_args - saved_args.
inline FrameLayout frame_layout(std::int64_t frame_size) {
  FrameLayout layout;
#if defined(KSTACK_TARGET_X86)
  const ix86_frame& frame = cfun->machine->frame;
  const std::int64_t word = UNITS_PER_WORD;
  const std::int64_t sse = frame.nsseregs * 16;
  layout.return_address = INCOMING_FRAME_SP_OFFSET;
  layout.return_address_offset = -static_cast<std::int64_t>(INCOMING_FRAME_SP_OFFSET);
  layout.static_chain = cfun->machine->static_chain_on_stack ? word : 0;
  layout.saved_registers = (frame_pointer_needed ? word : 0) + frame.nregs * word + sse;
  layout.varargs = frame.va_arg_size;
  layout.locals = cfun->machine->stack_frame_required ? frame_size : 0;
  layout.outgoing_arguments = frame.outgoing_arguments_size;
  layout.red_zone = frame.red_zone_size;
  const std::int64_t before_locals =
      frame.frame_pointer_offset - frame.reg_save_offset - sse - frame.va_arg_size;
  const std::int64_t after_locals =
      frame.stack_pointer_offset + frame.red_zone_size -
      (frame.frame_pointer_offset + layout.locals + layout.outgoing_arguments);
  layout.padding = before_locals + after_locals;
  if (crtl->stack_realign_needed && crtl->need_drap) {
    // call_used_or_fixed_reg_p is only for target code.
    const unsigned drap = REGNO(crtl->drap_reg);
    const bool saved = !(fixed_regs[drap] || this_target_hard_regs->x_call_used_regs[drap]);
    layout.drap = layout.static_chain + (saved ? word : 0);
  }
  layout.locals_offset = frame.frame_pointer_offset;
#elif defined(KSTACK_TARGET_AARCH64)
  const aarch64_frame& frame = cfun->machine->frame;
  const bool vector_pcs =
      lookup_attribute("aarch64_vector_pcs", TYPE_ATTRIBUTES(TREE_TYPE(current_function_decl)));
  std::int64_t saved = 0;
  for (int regno = 0; regno <= LAST_SAVED_REGNUM; ++regno) {
    if (!known_ge(frame.reg_offset[regno], 0)) continue;
    if (regno == R30_REGNUM) {
      layout.return_address = UNITS_PER_WORD;
      layout.return_address_regno = regno;
      poly_int64 offset = frame.reg_offset[regno] - frame.hard_fp_offset;
      HOST_WIDE_INT constant;
      if (offset.is_constant(&constant)) layout.return_address_offset = constant;
    } else if (regno <= R30_REGNUM) {
      saved += UNITS_PER_WORD;
    } else if (regno >= V0_REGNUM && regno <= V31_REGNUM) {
      saved += vector_pcs ? 16 : 8;
    }
  }
  const std::int64_t total = constant_lower_bound(frame.frame_size);
  const std::int64_t saves = constant_lower_bound(frame.saved_regs_size);
  layout.saved_registers = saved;
  layout.varargs = frame.saved_varargs_size;
  layout.outgoing_arguments = constant_lower_bound(crtl->outgoing_args_size);
  layout.locals = frame_size;
  // Inside the save area, and between the locals and the save area.
  layout.padding = (saves - saved - layout.return_address) +
                   (total - layout.outgoing_arguments - layout.varargs - saves - frame_size);
  layout.locals_offset = frame.saved_varargs_size;
#elif defined(KSTACK_TARGET_ARM)
  const arm_stack_offsets& offsets = cfun->machine->stack_offsets;
  const std::int64_t static_chain = std::max(cfun->machine->static_chain_stack_bytes, 0);
  const std::int64_t saves = offsets.saved_regs - offsets.saved_args - static_chain;
  if (offsets.saved_regs_mask & (1u << LR_REGNUM)) {
    layout.return_address = UNITS_PER_WORD;
    layout.return_address_regno = LR_REGNUM;
  }
  layout.static_chain = static_chain;
  layout.saved_registers = saves - layout.return_address;
  layout.interworking = CALLER_INTERWORKING_SLOT_SIZE;
  layout.outgoing_arguments = constant_lower_bound(crtl->outgoing_args_size);
  layout.locals = frame_size;
  layout.padding =
      (offsets.soft_frame - offsets.saved_regs - layout.interworking) +
      (offsets.outgoing_args - offsets.soft_frame - frame_size - layout.outgoing_arguments);
  layout.locals_offset = offsets.soft_frame;
#endif
  return layout;
}

// A register as the assembler names it: x86's general registers are
// "bx" in GCC's table and "rbx" in 64-bit code.
inline std::string register_name(unsigned regno) {
#if defined(KSTACK_TARGET_X86)
  if (GENERAL_REGNO_P(regno) && !REX_INT_REGNO_P(regno))
    return std::string(TARGET_64BIT ? "r" : "e") + reg_names[regno];
#endif
  return reg_names[regno];
}

// The type of a declaration as the source spells it: a typedef by its name
// ("va_list"), any other type as GCC prints it ("struct poll_wqueues",
// "char[256]").
inline std::string type_name(tree type) {
  tree type_decl = TYPE_NAME(type);
  if (type_decl && TREE_CODE(type_decl) == TYPE_DECL && DECL_NAME(type_decl) &&
      !DECL_ARTIFICIAL(type_decl)) {
    std::string spelled = IDENTIFIER_POINTER(DECL_NAME(type_decl));
    if (TYPE_VOLATILE(type)) spelled = "volatile " + spelled;
    if (TYPE_READONLY(type)) spelled = "const " + spelled;
    return spelled;
  }
  char* text = print_generic_expr_to_str(type);
  std::string name = text ? text : "";
  free(text);
  return name;
}

}  // namespace kstack::compat

#endif  // KSTACK_PLUGIN_GCC_COMPAT_H
