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
// clang-format on

#include <cstdint>
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

}  // namespace kstack::compat

#endif  // KSTACK_PLUGIN_GCC_COMPAT_H
