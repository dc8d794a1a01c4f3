// The stack-limit guard (guard.h): which functions get the call, and the
// call itself.
#include "guard.h"

#include "recorder.h"
#include "warning_table.h"

namespace kstack {
namespace {

const pass_data kGuardPassData =
    compat::plugin_pass_data(GIMPLE_PASS, "kstack_guard", PROP_ssa | PROP_cfg);

// void __kstack_guard(const char* function, unsigned long limit): one
// declaration, hence one call graph node, for every call of the unit.
tree guard_decl = NULL_TREE;

// Precondition: the front end has built the type nodes (not yet when the
// plugin is loaded).
tree guard_callee() {
  if (!guard_decl) {
    tree string = build_pointer_type(build_qualified_type(char_type_node, TYPE_QUAL_CONST));
    tree type =
        build_function_type_list(void_type_node, string, long_unsigned_type_node, NULL_TREE);
    guard_decl = build_fn_decl("__kstack_guard", type);    // external, public, nothrow
    DECL_SOURCE_LOCATION(guard_decl) = BUILTINS_LOCATION;  // not the current function's
    // The runtime returns or aborts, and calls back into no unit it guards.
    DECL_ATTRIBUTES(guard_decl) = tree_cons(get_identifier("leaf"), NULL_TREE, NULL_TREE);
  }
  return guard_decl;
}

}  // namespace

const ggc_root_tab kGuardRoots[] = {
    {&guard_decl, 1, sizeof guard_decl, &gt_ggc_mx_tree_node, &gt_pch_nx_tree_node},
    LAST_GGC_ROOT_TAB};

GuardPass::GuardPass(gcc::context* ctxt) : gimple_opt_pass(kGuardPassData, ctxt) {}

bool GuardPass::may_cross_limit(const Function& f) {
  if (!table_->given()) return true;
  const WarningTable* table = table_->get();
  if (!table) {
    if (!table_warned_)
      warning_at(UNKNOWN_LOCATION, 0,
                 "%<-fplugin-arg-kstack-table=%s%>: cannot use the table: %s; "
                 "%<-fplugin-arg-kstack-guard%> checks every function",
                 table_->path().c_str(), table_->error().c_str());
    table_warned_ = true;
    return true;
  }
  const TableFunction* in = table->find(f.name, f.file);
  if (!in || !in->reached || !in->entered_complete) return true;
  // The frame and, for a leaf, the red zone below it: the stack the function
  // itself uses. (Once guarded it is a leaf no more, and has no red zone.)
  const std::uint64_t own = in->frame + in->red_zone;
  return in->entered > limit_ || own > limit_ - in->entered;
}

unsigned int GuardPass::execute(function* fun) {
  tree decl = fun->decl;
  if (lookup_attribute("no_instrument_function", DECL_ATTRIBUTES(decl)) ||
      lookup_attribute("naked", DECL_ATTRIBUTES(decl)))
    return 0;
  Function record;
  describe_decl(decl, record);  // named as its note and the table name it
  if (!may_cross_limit(record)) return 0;

  // A limit past what unsigned long holds (a 32-bit target) is never crossed
  // there, and neither is the largest unsigned long.
  tree max = TYPE_MAX_VALUE(long_unsigned_type_node);
  tree limit =
      limit_ < tree_to_uhwi(max) ? compat::unsigned_constant(long_unsigned_type_node, limit_) : max;
  gcall* call = gimple_build_call(
      guard_callee(), 2, build_string_literal(record.name.size() + 1, record.name.c_str()), limit);
  gimple_set_location(call, DECL_SOURCE_LOCATION(decl));
  // On the edge from the entry: a new first block when the first one is a
  // loop header (a tail recursion made a loop), so the call runs once.
  gsi_insert_on_edge_immediate(single_succ_edge(ENTRY_BLOCK_PTR_FOR_FN(fun)), call);
  cgraph_node::get(decl)->create_edge(cgraph_node::get_create(guard_callee()), call,
                                      gimple_bb(call)->count);
  // The call reads and writes memory: its virtual operands are new.
  return TODO_update_ssa_only_virtuals;
}

}  // namespace kstack
