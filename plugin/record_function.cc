// One function's record: identity, location and frame.
//
// The frame is GCC's own `-fstack-usage` figure, reproduced from the same
// fields output_stack_usage_1 (toplev.cc) reads: the static size from the
// prologue, plus the pushed-argument space (constant: "dynamic,bounded", not
// constant: "dynamic" with its lower bound), plus the dynamic allocation size
// when the function allocates dynamically ("dynamic" if unbounded). Beside it
// goes what GCC leaves out of that figure: the red zone a leaf function uses
// below the stack pointer. The pass runs after `final`, where
// pro_and_epilogue has fixed these for good.
#include "recorder.h"

namespace kstack {

using namespace note;

std::string symbol_name(tree decl) {
  rtx rtl = DECL_RTL_SET_P(decl) ? DECL_RTL(decl) : NULL_RTX;
  if (rtl && MEM_P(rtl) && GET_CODE(XEXP(rtl, 0)) == SYMBOL_REF)
    return compat::strip_name_encoding(XSTR(XEXP(rtl, 0), 0));
  return compat::strip_name_encoding(IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(decl)));
}

Binding decl_binding(tree decl) {
  if (!TREE_PUBLIC(decl)) return Binding::kLocal;
  return DECL_WEAK(decl) ? Binding::kWeak : Binding::kGlobal;
}

// The name `.su` prints: print_decl_identifier (print-tree.cc) with
// PRINT_DECL_NAME, which keeps a clone suffix (".constprop.0") but drops the
// scope of a C++ name, and strips double quotes.
static std::string su_name(tree decl) {
  const char* suffix = DECL_NAME(decl) ? strchr(IDENTIFIER_POINTER(DECL_NAME(decl)), '.') : nullptr;
  const char* name = lang_hooks.decl_printable_name(decl, 2);
  if (suffix) {
    const char* dot = strchr(name, '.');
    while (dot && strcasecmp(dot, suffix) != 0) {
      name = dot + 1;
      dot = strchr(name, '.');
    }
  } else {
    const char* dot = strrchr(name, '.');
    if (dot) name = dot + 1;
  }
  std::string result;
  for (; *name; ++name)
    if (*name != '"') result += *name;
  return result;
}

void describe_decl(tree decl, Function& record) {
  record.name = symbol_name(decl);
  record.su_name = su_name(decl);
  tree origin = DECL_ORIGIN(decl);
  if (origin != decl && TREE_CODE(origin) == FUNCTION_DECL) {
    record.origin = symbol_name(origin);
    record.clone = true;
  }
  if (DECL_IS_UNDECLARED_BUILTIN(decl)) {
    record.file = "<built-in>";
  } else {
    expanded_location loc = expand_location(DECL_SOURCE_LOCATION(decl));
    record.file = loc.file ? loc.file : "";
    record.line = loc.line;
    record.column = loc.column;
  }
  record.binding = decl_binding(decl);
  record.comdat = DECL_COMDAT_GROUP(decl) || DECL_ONE_ONLY(decl);
  record.nested = decl_function_context(decl) != NULL_TREE;
  record.artificial = DECL_ARTIFICIAL(decl);
  if (cgraph_node* node = cgraph_node::get(decl)) record.thunk = compat::is_thunk(node);
}

// output_stack_usage_1, field for field.
static void record_frame(Function& record) {
  HOST_WIDE_INT static_size = current_function_static_stack_size;
  if (static_size < 0) {
    record.frame_unknown = true;
    return;
  }
  FrameKind kind = FrameKind::kStatic;
  HOST_WIDE_INT size = static_size;
  HOST_WIDE_INT pushed = 0;
  if (maybe_ne(current_function_pushed_stack_size, 0)) {
    if (current_function_pushed_stack_size.is_constant(&pushed)) {
      kind = FrameKind::kDynamicBounded;
    } else {
      pushed = constant_lower_bound(current_function_pushed_stack_size);
      kind = FrameKind::kDynamic;
      record.pushed_variable = true;
    }
    size += pushed;
  }
  HOST_WIDE_INT dynamic = 0;
  if (current_function_allocates_dynamic_stack_space) {
    record.dynamic_alloc = true;
    record.unbounded_alloc = current_function_has_unbounded_dynamic_stack_size;
    if (kind != FrameKind::kDynamic)
      kind = current_function_has_unbounded_dynamic_stack_size ? FrameKind::kDynamic
                                                               : FrameKind::kDynamicBounded;
    dynamic = current_function_dynamic_stack_size;
    size += dynamic;
  }
  record.frame_kind = kind;
  record.frame_size = static_cast<std::uint64_t>(size);
  record.static_size = static_cast<std::uint64_t>(static_size);
  record.pushed_size = static_cast<std::uint64_t>(pushed);
  record.dynamic_size = static_cast<std::uint64_t>(dynamic);
  // Not in the .su figure above, which must stay GCC's; the depth adds it.
  record.red_zone = compat::red_zone_size();
}

Function record_current_function(const IndirectSites& sites,
                                 std::vector<IndirectCall>& indirect_calls,
                                 std::vector<location_t>& call_locations) {
  Function record;
  describe_decl(current_function_decl, record);
  record_frame(record);
  // final.cc names the cold part when it switches sections; the name is
  // stale from an earlier function unless this one was partitioned.
  if (crtl->has_bb_partition && cold_function_name)
    record.cold_name = compat::strip_name_encoding(IDENTIFIER_POINTER(cold_function_name));
  record.calls = scan_calls(sites, indirect_calls, call_locations);
  return record;
}

}  // namespace kstack
