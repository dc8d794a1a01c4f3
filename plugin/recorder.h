// What kstack.so records, each part in its own file: record_function.cc
// reads one function once `final` has run, scan_calls.cc finds its calls
// (RTL call insns, inline asm, the -pg hook), and function_pointers.cc reads
// GIMPLE for what indirect calls load and where function addresses go.
#ifndef KSTACK_PLUGIN_RECORDER_H
#define KSTACK_PLUGIN_RECORDER_H

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "gcc_compat.h"
#include "kstack/records.h"

namespace kstack {

// The indirect calls of the current function as GIMPLE saw them, for the
// RTL pass to find its call insns in: by the tree of the called pointer
// (which expansion puts in the call MEM's MEM_EXPR) or by location. The
// keys are only compared, never followed.
class IndirectSites {
 public:
  void add(tree fn, location_t location, IndirectCall site);
  void clear();
  // The GIMPLE call whose called pointer is FN, or the only one at
  // LOCATION; null if neither names one.
  const IndirectCall* find(const_tree fn, location_t location) const;

 private:
  std::vector<IndirectCall> sites_;
  std::unordered_map<const_tree, std::size_t> by_pointer_;
  std::multimap<location_t, std::size_t> by_location_;
};

// The record of current_function_decl, frame and calls included; each
// indirect call's description is appended to INDIRECT_CALLS (Call::site),
// and where each call is made to CALL_LOCATIONS (one per Function::calls).
// Precondition: runs after `final` with flag_stack_usage_info set.
Function record_current_function(const IndirectSites& sites,
                                 std::vector<IndirectCall>& indirect_calls,
                                 std::vector<location_t>& call_locations);

// The calls in the final insn stream of the current function, and where
// each is made (a merged call: its first site).
std::vector<Call> scan_calls(const IndirectSites& sites, std::vector<IndirectCall>& indirect_calls,
                             std::vector<location_t>& locations);

// Reads FUN's GIMPLE: its indirect calls into SITES, what it does with
// function addresses and pointers into REFERENCES. Changes nothing.
void scan_function_pointers(function* fun, std::vector<Reference>& references,
                            IndirectSites& sites);

// The function addresses in the unit's static initializers.
void scan_static_initializers(std::vector<Reference>& references);

// Function types as kstack names them: the matching signature
// ("i64(*{struct file},*i8,i64)", docs/note-format.md) and the C-like
// spelling for people.
std::string function_signature(tree fntype);
std::string readable_type(tree type);

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
