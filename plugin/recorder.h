// The two halves of what kstack.so records, each in its own file:
// record_function.cc reads one function once `final` has run, and
// scan_calls.cc finds its calls (RTL call insns, inline asm, the -pg hook).
#ifndef KSTACK_PLUGIN_RECORDER_H
#define KSTACK_PLUGIN_RECORDER_H

#include <string>
#include <vector>

#include "gcc_compat.h"
#include "kstack/records.h"

namespace kstack {

// The record of current_function_decl, frame and calls included.
// Precondition: runs after `final` with flag_stack_usage_info set.
Function record_current_function();

// The calls in the final insn stream of the current function.
std::vector<Call> scan_calls();

// Calls and jumps to symbols in one inline asm template. OPERANDS (NOPERANDS
// of them) substitute %N references; SUBSTITUTE is false for basic asm, whose
// '%' is literal.
std::vector<Call> scan_asm_template(const char* tmpl, rtx* operands, int noperands,
                                    bool substitute);

// The parts of a record that do not depend on the function having been
// compiled: names, location, binding. Used for thunks and aliases too.
void describe_decl(tree decl, Function& record);
note::Binding decl_binding(tree decl);
std::string symbol_name(tree decl);

}  // namespace kstack

#endif  // KSTACK_PLUGIN_RECORDER_H
