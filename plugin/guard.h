// -fplugin-arg-kstack-guard=BYTES: a stack-limit check on entry to the
// functions in which the stack can grow past BYTES. Each one gets, as the
// first statement of its body,
//   __kstack_guard ("<its symbol>", (unsigned long) BYTES);
// a call into kstack's runtime (runtime/kstack_runtime.h), which aborts with
// the call path when the thread's stack is deeper than BYTES. The recording
// pass records the call like any other. Without the argument the pass is not
// registered and the code is unchanged.
//
// Selection. The call costs something on every entry, so it goes only
// where the limit can be crossed. With a table (-fplugin-arg-kstack-table),
// the most stack F can have in use is its deepest way in plus its own frame
// (the table's `entered` and `frame`). F is guarded when that exceeds BYTES
// or is a lower bound, and when the table does not have F or no entry point
// reaches it there (nothing is known). A function in which the stack stays
// within BYTES is left alone: the limit cannot be crossed in it, and a
// deeper callee checks for itself. A leaf's red zone counts: it is stack the
// leaf writes below its stack pointer, past the limit if entered + frame +
// red zone is. Guarded, the leaf calls the guard and has no red zone any
// more, so the check on entry covers everything it uses. A table of a
// build without the guard runs a little low where the call makes a function
// save more registers; one of a build with the guard and no table counts
// every function with its call. Without a table, or with one that cannot be
// read (one warning), nothing is known about the ways in and every function
// is guarded.
//
// Never guarded: functions with `no_instrument_function` (the runtime's own
// code must have it, or be compiled without the guard, or it recurses) and
// naked functions (their body is asm that expects no code before it).
//
// Placement: right after "optimized", the last GIMPLE pass at every -O
// level. IPA is over, so a clone (f.isra.0, f.constprop.0) is compiled under
// its own name, the one the table and the note give it; inlining is over, so
// an inlined callee's frame is part of its caller's and is checked there,
// never on its own; and the tail-call pass has run, so the new call stays an
// ordinary call made from the function's frame. Register allocation and the
// prologue come later and see the call, so the frame the check measures is
// the one the function runs with.
#ifndef KSTACK_PLUGIN_GUARD_H
#define KSTACK_PLUGIN_GUARD_H

#include <cstdint>

#include "gcc_compat.h"
#include "kstack/records.h"

namespace kstack {

class TableFile;  // warning_table.h

class GuardPass : public gimple_opt_pass {
 public:
  explicit GuardPass(gcc::context* ctxt);
  // LIMIT is BYTES; TABLE (maybe naming no file) outlives the pass.
  void configure(std::uint64_t limit, TableFile& table) {
    limit_ = limit;
    table_ = &table;
  }
  bool gate(function*) override { return true; }
  unsigned int execute(function* fun) override;

 private:
  // Whether the stack can grow past the limit while F runs its own code.
  bool may_cross_limit(const Function& f);

  std::uint64_t limit_ = 0;
  TableFile* table_ = nullptr;
  bool table_warned_ = false;
};

// The GGC root of the callee's declaration, which outlives every function;
// for PLUGIN_REGISTER_GGC_ROOTS.
extern const ggc_root_tab kGuardRoots[];

}  // namespace kstack

#endif  // KSTACK_PLUGIN_GUARD_H
