// Where function pointers come from and where function addresses go, read
// from GIMPLE while the compiler still knows types and fields.
//
// Per indirect call (a GIMPLE call with no fndecl), the pass records the
// called function type and the slot the pointer was loaded from, following
// SSA definitions through copies and conversions:
//   _1 = file_2(D)->f_op;  _3 = _1->read_iter;  _4 = _3 (...);
//     -> field read_iter of struct file_operations
//   _1 = handlers[i_2];    _1 (...)             -> global variable handlers
//   cb_1(D) (...)                               -> parameter 0
//   OBJ_TYPE_REF(_1;obj_2->2) (obj_2)           -> virtual, class, slot 2
// The RTL call insn is matched to its GIMPLE call later (scan_calls.cc):
// expansion gives the call's MEM the MEM_EXPR `*fn`, where fn is the very
// tree of gimple_call_fn; failing that, by the statement's location.
//
// Per function address or function pointer value, the pass records what
// happens to it: stored into a slot (`x->cb = f`, `x->cb = y->cb`, an
// unknown value), or escaping (passed to a call, kept in a local, cast to
// an integer). Static initializers (`struct file_operations f = { .read =
// r }`, arrays of handlers, vtables) are read from the variables at the end
// of IPA. Nothing here changes the function: the walk only reads.
//
// Slot names are the compiler's: a field is named by its containing struct
// or union type (the innermost one: `a->b.c` is field c of b's type) and
// its own name, so a store and a call in different units meet; an anonymous
// type is named by where it was declared. Two types of the same name merge,
// which only adds targets.
#include <set>
#include <unordered_map>

#include "recorder.h"

namespace kstack {
namespace {

using namespace note;

// How deep SSA definitions are followed: copies and conversions are short
// chains; this bounds PHI webs.
constexpr int kMaxDepth = 8;

bool is_function_pointer_type(tree type) {
  return type && POINTER_TYPE_P(type) && FUNC_OR_METHOD_TYPE_P(TREE_TYPE(type));
}

// A function pointer, or an array (of arrays) of them.
bool holds_function_pointers_directly(tree type) {
  while (type && TREE_CODE(type) == ARRAY_TYPE) type = TREE_TYPE(type);
  return is_function_pointer_type(type);
}

std::string location_file(location_t location, std::uint32_t& line) {
  expanded_location loc = expand_location(location);
  line = loc.line;
  return loc.file ? loc.file : "";
}

std::string basename_of(const char* path) {
  const char* slash = path ? strrchr(path, '/') : nullptr;
  return slash ? slash + 1 : (path ? path : "");
}

}  // namespace

std::string type_scope_name(tree type) {
  type = TYPE_MAIN_VARIANT(type);
  const char* keyword = TREE_CODE(type) == UNION_TYPE ? "union " : "struct ";
  tree name = TYPE_NAME(type);
  if (name && TREE_CODE(name) == IDENTIFIER_NODE)
    return keyword + std::string(IDENTIFIER_POINTER(name));
  if (name && TREE_CODE(name) == TYPE_DECL && DECL_NAME(name))
    return lang_hooks.decl_printable_name(name, 2);
  // Anonymous: named by where its first field was declared, by file name
  // alone, so that units that reach a header by different paths agree.
  location_t where =
      TYPE_STUB_DECL(type) ? DECL_SOURCE_LOCATION(TYPE_STUB_DECL(type)) : UNKNOWN_LOCATION;
  for (tree field = TYPE_FIELDS(type); where == UNKNOWN_LOCATION && field;
       field = DECL_CHAIN(field))
    if (TREE_CODE(field) == FIELD_DECL) where = DECL_SOURCE_LOCATION(field);
  expanded_location loc = expand_location(where);
  return std::string("<anonymous ") + (TREE_CODE(type) == UNION_TYPE ? "union" : "struct") +
         " at " + basename_of(loc.file) + ":" + std::to_string(loc.line) + ">";
}

namespace {

void append_signature(std::string& out, tree type, int depth);

void append_parameters(std::string& out, tree fntype, bool readable, int depth = 0);

// A type as the signature spells it, qualifiers and typedefs dropped:
// integers by size alone ("i32" for int, unsigned int and a 32-bit enum,
// which C converts between without a cast), pointers as "*" and what they
// point to, a struct or union by name, a function type in full. DEPTH
// bounds the nesting of pointers to functions.
void append_signature(std::string& out, tree type, int depth) {
  if (!type || depth > kMaxDepth) {
    out += '?';
    return;
  }
  type = TYPE_MAIN_VARIANT(type);
  switch (TREE_CODE(type)) {
    case VOID_TYPE:
      out += 'v';
      return;
    case BOOLEAN_TYPE:
    case INTEGER_TYPE:
    case ENUMERAL_TYPE:
      out += 'i';
      out += std::to_string(TYPE_PRECISION(type));
      return;
    case REAL_TYPE:
      out += 'f';
      out += std::to_string(TYPE_PRECISION(type));
      return;
    case FIXED_POINT_TYPE:
      out += 'x';
      out += std::to_string(TYPE_PRECISION(type));
      return;
    case COMPLEX_TYPE:
      out += 'c';
      append_signature(out, TREE_TYPE(type), depth + 1);
      return;
    case VECTOR_TYPE:
      out += 'V';
      out += TYPE_SIZE(type) && tree_fits_uhwi_p(TYPE_SIZE(type))
                 ? std::to_string(tree_to_uhwi(TYPE_SIZE(type)))
                 : std::string("?");
      return;
    case RECORD_TYPE:
    case UNION_TYPE:
    case QUAL_UNION_TYPE:
      out += '{';
      out += type_scope_name(type);
      out += '}';
      return;
    case POINTER_TYPE:
    case ARRAY_TYPE:  // a parameter's array is a pointer
      out += '*';
      append_signature(out, TREE_TYPE(type), depth + 1);
      return;
    case REFERENCE_TYPE:
      out += '&';
      append_signature(out, TREE_TYPE(type), depth + 1);
      return;
    case FUNCTION_TYPE:
    case METHOD_TYPE:
      append_signature(out, TREE_TYPE(type), depth + 1);
      append_parameters(out, type, false, depth + 1);
      return;
    default:
      out += '?';
      return;
  }
}

void append_readable(std::string& out, tree type);

// "(a, b, ...)", or "(?)" for a type without a prototype.
void append_parameters(std::string& out, tree fntype, bool readable, int depth) {
  out += '(';
  if (!prototype_p(fntype)) {
    out += "?)";
    return;
  }
  bool first = true;
  for (tree arg = TYPE_ARG_TYPES(fntype); arg && !VOID_TYPE_P(TREE_VALUE(arg));
       arg = TREE_CHAIN(arg)) {
    if (!first) out += readable ? ", " : ",";
    first = false;
    if (readable)
      append_readable(out, TREE_VALUE(arg));
    else
      append_signature(out, TREE_VALUE(arg), depth);
  }
  if (stdarg_p(fntype)) out += first ? "..." : (readable ? ", ..." : ",...");
  if (first && !stdarg_p(fntype) && readable) out += "void";
  out += ')';
}

// C-like, qualifiers and typedefs dropped: "int (struct file *, char *)".
void append_readable(std::string& out, tree type) {
  if (!type) {
    out += '?';
    return;
  }
  type = TYPE_MAIN_VARIANT(type);
  switch (TREE_CODE(type)) {
    case POINTER_TYPE:
    case REFERENCE_TYPE:
      if (FUNC_OR_METHOD_TYPE_P(TREE_TYPE(type))) {
        append_readable(out, TREE_TYPE(TREE_TYPE(type)));
        out += " (*)";
        append_parameters(out, TREE_TYPE(type), true);
        return;
      }
      append_readable(out, TREE_TYPE(type));
      out += TREE_CODE(type) == POINTER_TYPE ? " *" : " &";
      return;
    case FUNCTION_TYPE:
    case METHOD_TYPE:
      append_readable(out, TREE_TYPE(type));
      out += ' ';
      append_parameters(out, type, true);
      return;
    case ARRAY_TYPE:
      append_readable(out, TREE_TYPE(type));
      out += " []";
      return;
    case RECORD_TYPE:
    case UNION_TYPE:
    case QUAL_UNION_TYPE:
      out += type_scope_name(type);
      return;
    case ENUMERAL_TYPE:
      if (TYPE_NAME(type) && TREE_CODE(TYPE_NAME(type)) == IDENTIFIER_NODE) {
        out += "enum ";
        out += IDENTIFIER_POINTER(TYPE_NAME(type));
        return;
      }
      break;
    default:
      break;
  }
  tree name = TYPE_NAME(type);
  if (name && TREE_CODE(name) == TYPE_DECL) name = DECL_NAME(name);
  if (name && TREE_CODE(name) == IDENTIFIER_NODE)
    out += IDENTIFIER_POINTER(name);
  else
    append_signature(out, type, 0);
}

}  // namespace

std::string function_signature(tree fntype) {
  std::string out;
  append_signature(out, fntype, 0);
  return out;
}

std::string readable_type(tree type) {
  std::string out;
  append_readable(out, type);
  return out;
}

namespace {

Slot field_slot(tree field) {
  Slot slot;
  slot.kind = SlotKind::kField;
  slot.scope = type_scope_name(DECL_CONTEXT(field));
  slot.member = DECL_NAME(field) ? IDENTIFIER_POINTER(DECL_NAME(field)) : "<anonymous>";
  return slot;
}

// A declaration's symbol, without making GCC choose one it has not chosen
// yet: a function-local static is numbered ("buf.3") when its name is made,
// and naming it early could renumber the object's symbols.
std::string decl_symbol(tree decl) {
  if (DECL_ASSEMBLER_NAME_SET_P(decl) || DECL_RTL_SET_P(decl)) return symbol_name(decl);
  return DECL_NAME(decl) ? IDENTIFIER_POINTER(DECL_NAME(decl)) : "<anonymous>";
}

// A global variable's slot: a public one by its symbol; a static one by its
// source name, which every unit and every moment agree on (a local static's
// symbol gets a number late). Statics of one name merge across units.
Slot global_slot(tree var) {
  Slot slot;
  slot.kind = SlotKind::kGlobal;
  slot.scope = TREE_PUBLIC(var)
                   ? decl_symbol(var)
                   : (DECL_NAME(var) ? IDENTIFIER_POINTER(DECL_NAME(var)) : "<anonymous>");
  return slot;
}

// The field of RECORD that holds the function pointer at BITPOS, looking
// into nested structs and arrays of structs.
Slot field_at(tree record, HOST_WIDE_INT bitpos, int depth = 0) {
  if (depth > kMaxDepth || !RECORD_OR_UNION_TYPE_P(record)) return {};
  for (tree field = TYPE_FIELDS(record); field; field = DECL_CHAIN(field)) {
    if (TREE_CODE(field) != FIELD_DECL || !DECL_SIZE(field) ||
        !tree_fits_uhwi_p(DECL_SIZE(field)) || !tree_fits_shwi_p(bit_position(field)))
      continue;
    HOST_WIDE_INT start = int_bit_position(field);
    HOST_WIDE_INT size = tree_to_uhwi(DECL_SIZE(field));
    if (bitpos < start || bitpos >= start + size) continue;
    tree type = TREE_TYPE(field);
    while (TREE_CODE(type) == ARRAY_TYPE && RECORD_OR_UNION_TYPE_P(TREE_TYPE(type))) {
      tree element = TREE_TYPE(type);
      if (!TYPE_SIZE(element) || !tree_fits_uhwi_p(TYPE_SIZE(element)) ||
          tree_to_uhwi(TYPE_SIZE(element)) == 0)
        return {};
      HOST_WIDE_INT element_size = tree_to_uhwi(TYPE_SIZE(element));
      bitpos = start + (bitpos - start) % element_size;
      type = element;
    }
    if (RECORD_OR_UNION_TYPE_P(type)) {
      Slot inner = field_at(type, bitpos - start, depth + 1);
      if (inner.kind != SlotKind::kNone) return inner;
      continue;
    }
    return field_slot(field);
  }
  return {};
}

}  // namespace

// The slot a memory reference names: a field, a global variable, or none.
Slot slot_of_reference(tree ref) {
  while (TREE_CODE(ref) == ARRAY_REF || TREE_CODE(ref) == ARRAY_RANGE_REF ||
         TREE_CODE(ref) == VIEW_CONVERT_EXPR)
    ref = TREE_OPERAND(ref, 0);
  switch (TREE_CODE(ref)) {
    case COMPONENT_REF:
      return field_slot(TREE_OPERAND(ref, 1));
    case VAR_DECL:
      return is_global_var(ref) && !DECL_HARD_REGISTER(ref) ? global_slot(ref) : Slot{};
    case MEM_REF: {
      tree base = TREE_OPERAND(ref, 0);
      if (!tree_fits_shwi_p(TREE_OPERAND(ref, 1))) return {};
      HOST_WIDE_INT bitpos = tree_to_shwi(TREE_OPERAND(ref, 1)) * BITS_PER_UNIT;
      if (TREE_CODE(base) == ADDR_EXPR && VAR_P(TREE_OPERAND(base, 0))) {
        tree var = TREE_OPERAND(base, 0);
        if (RECORD_OR_UNION_TYPE_P(TREE_TYPE(var))) return field_at(TREE_TYPE(var), bitpos);
        return is_global_var(var) ? global_slot(var) : Slot{};
      }
      // The pointer type of the offset operand is the type the access was
      // written through: `((struct ops *)p)->cb` folded to an offset.
      tree pointer_type = TREE_TYPE(TREE_OPERAND(ref, 1));
      if (POINTER_TYPE_P(pointer_type) && RECORD_OR_UNION_TYPE_P(TREE_TYPE(pointer_type)))
        return field_at(TREE_TYPE(pointer_type), bitpos);
      return {};
    }
    default:
      return {};
  }
}

namespace {

tree strip_conversions(tree value) {
  while (CONVERT_EXPR_P(value) || TREE_CODE(value) == VIEW_CONVERT_EXPR)
    value = TREE_OPERAND(value, 0);
  return value;
}

bool is_function_address(tree value) {
  value = strip_conversions(value);
  return TREE_CODE(value) == ADDR_EXPR && TREE_CODE(TREE_OPERAND(value, 0)) == FUNCTION_DECL;
}

tree function_of_address(tree value) { return TREE_OPERAND(strip_conversions(value), 0); }

// The parameter number of PARM in its function.
std::uint32_t parameter_index(tree parm) {
  std::uint32_t index = 0;
  for (tree p = DECL_ARGUMENTS(DECL_CONTEXT(parm)); p && p != parm; p = DECL_CHAIN(p)) ++index;
  return index;
}

// Where an SSA value, or a memory operand, was loaded from. A value made
// any other way (a call's result, a merge of values) has no slot.
Slot origin_of(tree value, int depth = 0) {
  value = strip_conversions(value);
  if (depth > kMaxDepth) return {};
  if (TREE_CODE(value) == PARM_DECL) {
    Slot slot;
    slot.kind = SlotKind::kParameter;
    slot.scope = decl_symbol(DECL_CONTEXT(value));
    slot.index = parameter_index(value);
    return slot;
  }
  if (TREE_CODE(value) != SSA_NAME) return slot_of_reference(value);
  if (SSA_NAME_IS_DEFAULT_DEF(value)) {
    tree var = SSA_NAME_VAR(value);
    return var && TREE_CODE(var) == PARM_DECL ? origin_of(var, depth + 1) : Slot{};
  }
  gimple* def = SSA_NAME_DEF_STMT(value);
  if (!def || !is_gimple_assign(def)) return {};
  tree rhs = gimple_assign_rhs1(def);
  if (gimple_assign_single_p(def) || CONVERT_EXPR_CODE_P(gimple_assign_rhs_code(def)))
    return origin_of(rhs, depth + 1);
  return {};
}

class FunctionPointerScan {
 public:
  FunctionPointerScan(std::vector<Reference>& references, IndirectSites& sites)
      : references_(references), sites_(sites) {}

  void scan_function(function* fun) {
    basic_block bb;
    FOR_EACH_BB_FN(bb, fun) {
      for (gphi_iterator gsi = gsi_start_phis(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
        gphi* phi = gsi.phi();
        for (unsigned i = 0; i < gimple_phi_num_args(phi); ++i)
          note_escapes_in(gimple_phi_arg_def(phi, i), gimple_phi_arg_location(phi, i));
      }
      for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi))
        scan_statement(gsi_stmt(gsi));
    }
    note_parameter_escapes(fun);
  }

  // A static initializer: VALUE initialises something of TYPE held in SLOT
  // (a field or the variable itself).
  void scan_initializer(tree value, tree type, const Slot& slot, location_t location) {
    if (!value) return;
    if (TREE_CODE(value) == CONSTRUCTOR) {
      unsigned HOST_WIDE_INT i;
      tree index, element;
      FOR_EACH_CONSTRUCTOR_ELT(CONSTRUCTOR_ELTS(value), i, index, element) {
        if (index && TREE_CODE(index) == FIELD_DECL)
          scan_initializer(element, TREE_TYPE(index), field_slot(index), location);
        else if (type && TREE_CODE(type) == ARRAY_TYPE)
          scan_initializer(element, TREE_TYPE(type), slot, location);
        else
          scan_initializer(element, NULL_TREE, Slot{}, location);
      }
      return;
    }
    if (is_function_address(value)) {
      tree fn = function_of_address(value);
      std::string value_signature =
          is_function_pointer_type(type) ? function_signature(TREE_TYPE(type)) : std::string();
      if (slot.kind == SlotKind::kNone) {
        add_function_reference(ReferenceKind::kEscape, fn, value_signature, {}, location);
        return;
      }
      add_function_reference(ReferenceKind::kStore, fn, value_signature, slot, location);
      // Kept as a plain pointer or an integer, it may be copied on as one,
      // which no store of a function pointer records.
      if (!holds_function_pointers_directly(type))
        add_function_reference(ReferenceKind::kEscape, fn, value_signature, {}, location);
      return;
    }
    note_escapes_in(value, location);
  }

 private:
  void scan_statement(gimple* stmt) {
    if (is_gimple_debug(stmt)) return;
    location_t location = gimple_location(stmt);
    if (gcall* call = dyn_cast<gcall*>(stmt)) {
      scan_call(call);
      return;
    }
    if (gimple_assign_single_p(stmt) && gimple_store_p(stmt)) {
      tree lhs = gimple_assign_lhs(stmt);
      tree rhs = gimple_assign_rhs1(stmt);
      if (scan_store(lhs, rhs, location)) {
        note_escapes_in(lhs, location);
        return;
      }
      note_untyped_store(lhs, rhs, location);
    }
    if (is_gimple_assign(stmt) && escape_checked_definition(stmt)) return;
    // `fp_1 = cast_target;`: GIMPLE drops the conversion of a function's
    // address to another function pointer type, but the name keeps the type.
    if (gimple_assign_single_p(stmt) && is_function_address(gimple_assign_rhs1(stmt)) &&
        is_function_pointer_type(TREE_TYPE(gimple_assign_lhs(stmt)))) {
      tree lhs_type = TREE_TYPE(gimple_assign_lhs(stmt));
      add_function_reference(ReferenceKind::kEscape, function_of_address(gimple_assign_rhs1(stmt)),
                             function_signature(TREE_TYPE(lhs_type)), {}, location);
      return;
    }
    for (unsigned i = 0; i < gimple_num_ops(stmt); ++i)
      note_escapes_in(gimple_op(stmt, i), location);
  }

  static Slot parameter_slot(tree fndecl, unsigned index) {
    Slot slot;
    slot.kind = SlotKind::kParameter;
    slot.scope = decl_symbol(fndecl);
    slot.index = index;
    return slot;
  }

  // Whether USER passes NAME only where a direct callee declares a function
  // pointer parameter: stores into parameter slots, which scan_call records.
  static bool passes_only_to_parameters(gcall* user, tree name) {
    tree parameter =
        gimple_call_fntype(user) ? TYPE_ARG_TYPES(gimple_call_fntype(user)) : NULL_TREE;
    for (unsigned i = 0; i < gimple_call_num_args(user); ++i) {
      tree declared = parameter ? TREE_VALUE(parameter) : NULL_TREE;
      if (parameter) parameter = TREE_CHAIN(parameter);
      if (gimple_call_arg(user, i) == name &&
          !(gimple_call_fndecl(user) && is_function_pointer_type(declared)))
        return false;
    }
    return true;
  }

  // A parameter of function pointer type is a slot its callers store into.
  // What it holds escapes when the function uses it other than by calling
  // it, testing it, storing it into a named slot or passing it to another
  // such parameter (each of which is recorded where it happens).
  void note_parameter_escapes(function* fun) {
    for (tree parm = DECL_ARGUMENTS(fun->decl); parm; parm = DECL_CHAIN(parm)) {
      if (!is_function_pointer_type(TREE_TYPE(parm))) continue;
      tree name = ssa_default_def(fun, parm);
      std::set<tree> seen;
      // A parameter that is not an SSA name lives in memory: its uses are
      // loads this walk does not follow.
      bool escapes = name ? value_escapes(name, 0, seen) : TREE_ADDRESSABLE(parm);
      if (!escapes) continue;
      Reference reference;
      reference.kind = ReferenceKind::kEscape;
      reference.source = parameter_slot(fun->decl, parameter_index(parm));
      add(std::move(reference), DECL_SOURCE_LOCATION(parm));
    }
  }

  bool value_escapes(tree name, int depth, std::set<tree>& seen) {
    if (depth > kMaxDepth) return true;
    if (!seen.insert(name).second) return false;
    imm_use_iterator it;
    use_operand_p use;
    FOR_EACH_IMM_USE_FAST(use, it, name) {
      gimple* user = USE_STMT(use);
      if (is_gimple_debug(user) || gimple_code(user) == GIMPLE_COND) continue;
      if (gcall* call = dyn_cast<gcall*>(user)) {
        if (!passes_only_to_parameters(call, name)) return true;
        continue;  // called, or passed on to a parameter slot
      }
      if (gphi* phi = dyn_cast<gphi*>(user)) {
        if (value_escapes(gimple_phi_result(phi), depth + 1, seen)) return true;
        continue;
      }
      if (!is_gimple_assign(user)) return true;
      tree lhs = gimple_assign_lhs(user);
      if (TREE_CODE_CLASS(gimple_assign_rhs_code(user)) == tcc_comparison) continue;
      if (gimple_assign_single_p(user) && gimple_store_p(user) &&
          gimple_assign_rhs1(user) == name && slot_of_reference(lhs).kind != SlotKind::kNone)
        continue;  // a store scan_store records
      if (TREE_CODE(lhs) == SSA_NAME && is_function_pointer_type(TREE_TYPE(lhs)) &&
          (gimple_assign_single_p(user) || gimple_assign_cast_p(user))) {
        if (value_escapes(lhs, depth + 1, seen)) return true;
        continue;
      }
      return true;
    }
    return false;
  }

  // `_1 = &f` (or a conversion of it) whose every use is a store this scan
  // records: the address goes nowhere else.
  bool escape_checked_definition(gimple* stmt) {
    tree lhs = gimple_assign_lhs(stmt);
    if (TREE_CODE(lhs) != SSA_NAME || !gimple_assign_single_p(stmt) ||
        !is_function_address(gimple_assign_rhs1(stmt)))
      return false;
    return only_stored(lhs, 0);
  }

  bool only_stored(tree name, int depth) {
    if (depth > kMaxDepth) return false;
    imm_use_iterator it;
    use_operand_p use;
    FOR_EACH_IMM_USE_FAST(use, it, name) {
      gimple* user = USE_STMT(use);
      if (is_gimple_debug(user)) continue;
      if (gimple_assign_single_p(user) && gimple_store_p(user) &&
          gimple_assign_rhs1(user) == name &&
          slot_of_reference(gimple_assign_lhs(user)).kind != SlotKind::kNone)
        continue;
      if (is_gimple_assign(user) && TREE_CODE(gimple_assign_lhs(user)) == SSA_NAME &&
          (gimple_assign_single_p(user) || gimple_assign_cast_p(user)) &&
          only_stored(gimple_assign_lhs(user), depth + 1))
        continue;
      if (gcall* call = dyn_cast<gcall*>(user))
        if (gimple_call_fn(call) != name && passes_only_to_parameters(call, name)) continue;
      return false;
    }
    return true;
  }

  // Records a store of a function pointer (or of a function's address into
  // anything); returns whether it did, in which case the stored value needs
  // no escape check.
  bool scan_store(tree lhs, tree rhs, location_t location) {
    tree lhs_type = TREE_TYPE(lhs);
    bool function_value = is_function_address(rhs) || is_function_pointer_type(lhs_type) ||
                          is_function_pointer_type(TREE_TYPE(rhs));
    if (!function_value) return false;
    Slot slot = slot_of_reference(lhs);
    std::string value_signature = is_function_pointer_type(lhs_type)
                                      ? function_signature(TREE_TYPE(lhs_type))
                                      : std::string();
    store_value(rhs, slot, value_signature, holds_function_pointers_directly(lhs_type), location,
                0);
    return true;
  }

  // One store of VALUE (followed through copies and merges) into SLOT.
  void store_value(tree value, const Slot& slot, const std::string& value_signature,
                   bool typed_slot, location_t location, int depth) {
    value = strip_conversions(value);
    if (is_function_address(value)) {
      tree fn = function_of_address(value);
      if (slot.kind == SlotKind::kNone) {
        add_function_reference(ReferenceKind::kEscape, fn, value_signature, {}, location);
        return;
      }
      add_function_reference(ReferenceKind::kStore, fn, value_signature, slot, location);
      if (!typed_slot)
        add_function_reference(ReferenceKind::kEscape, fn, value_signature, {}, location);
      return;
    }
    if (slot.kind == SlotKind::kNone) return;  // a value already accounted for where it came from
    if (TREE_CODE(value) == INTEGER_CST) return;  // NULL, or a constant that is no function
    if (depth < kMaxDepth && TREE_CODE(value) == SSA_NAME && !SSA_NAME_IS_DEFAULT_DEF(value)) {
      gimple* def = SSA_NAME_DEF_STMT(value);
      if (gphi* phi = dyn_cast<gphi*>(def)) {
        for (unsigned i = 0; i < gimple_phi_num_args(phi); ++i)
          store_value(gimple_phi_arg_def(phi, i), slot, value_signature, typed_slot, location,
                      depth + 1);
        return;
      }
      if (is_gimple_assign(def) && (gimple_assign_single_p(def) || gimple_assign_cast_p(def)) &&
          (TREE_CODE(gimple_assign_rhs1(def)) == SSA_NAME ||
           is_function_address(gimple_assign_rhs1(def)) ||
           TREE_CODE(gimple_assign_rhs1(def)) == INTEGER_CST)) {
        store_value(gimple_assign_rhs1(def), slot, value_signature, typed_slot, location,
                    depth + 1);
        return;
      }
    }
    Reference reference;
    reference.kind = ReferenceKind::kStore;
    reference.value_signature = value_signature;
    reference.slot = slot;
    Slot source = origin_of(value);
    if (source.kind == SlotKind::kField || source.kind == SlotKind::kGlobal ||
        source.kind == SlotKind::kParameter)
      reference.source = std::move(source);
    add(std::move(reference), location);
  }

  void scan_call(gcall* call) {
    location_t location = gimple_location(call);
    if (gimple_call_internal_p(call)) {
      for (unsigned i = 0; i < gimple_call_num_args(call); ++i)
        note_escapes_in(gimple_call_arg(call, i), location);
      return;
    }
    if (!gimple_call_fndecl(call)) describe_indirect_call(call);
    if (gimple_call_builtin_p(call, BUILT_IN_MEMCPY) ||
        gimple_call_builtin_p(call, BUILT_IN_MEMMOVE) ||
        gimple_call_builtin_p(call, BUILT_IN_MEMPCPY))
      note_overwrite(call);
    // A function pointer passed to a function declared to take one is a
    // store into that parameter, a slot like a field: `register_cb(f)`. A
    // function passed to an indirect call escapes, as the declared type too
    // (GIMPLE loses the cast in `g((cb_t)f)`, not the parameter's type).
    tree callee = gimple_call_fndecl(call);
    tree parameter =
        gimple_call_fntype(call) ? TYPE_ARG_TYPES(gimple_call_fntype(call)) : NULL_TREE;
    for (unsigned i = 0; i < gimple_call_num_args(call); ++i) {
      tree arg = gimple_call_arg(call, i);
      tree declared = parameter ? TREE_VALUE(parameter) : NULL_TREE;
      if (parameter) parameter = TREE_CHAIN(parameter);
      if (callee && is_function_pointer_type(declared)) {
        store_value(arg, parameter_slot(callee, i), function_signature(TREE_TYPE(declared)), true,
                    location, 0);
        continue;
      }
      if (is_function_address(arg) && is_function_pointer_type(declared))
        add_function_reference(ReferenceKind::kEscape, function_of_address(arg),
                               function_signature(TREE_TYPE(declared)), {}, location);
      else
        note_escapes_in(arg, location);
    }
    if (gimple_call_lhs(call)) note_escapes_in(gimple_call_lhs(call), location);
    if (tree chain = gimple_call_chain(call)) note_escapes_in(chain, location);
  }

  void describe_indirect_call(gcall* call) {
    IndirectCall site;
    tree fn = gimple_call_fn(call);
    tree fntype = gimple_call_fntype(call);
    if (fntype) {
      site.type = readable_type(fntype);
      site.signature = function_signature(fntype);
    }
    if (TREE_CODE(fn) == OBJ_TYPE_REF) {
      site.origin.kind = SlotKind::kVirtual;
      // for_dump_p: look the class up without registering an ODR type.
      if (tree type = obj_type_ref_class(fn, true)) site.origin.scope = type_scope_name(type);
      if (tree_fits_uhwi_p(OBJ_TYPE_REF_TOKEN(fn)))
        site.origin.index = tree_to_uhwi(OBJ_TYPE_REF_TOKEN(fn));
    } else {
      site.origin = origin_of(fn);
    }
    sites_.add(fn, gimple_location(call), std::move(site));
  }

  // memcpy into a struct holding function pointers from something of
  // another type: its fields may now hold anything.
  void note_overwrite(gcall* call) {
    if (gimple_call_num_args(call) < 2) return;
    tree destination = pointed_type(gimple_call_arg(call, 0));
    tree source = pointed_type(gimple_call_arg(call, 1));
    if (!destination || !RECORD_OR_UNION_TYPE_P(destination)) return;
    if (source && TYPE_MAIN_VARIANT(source) == TYPE_MAIN_VARIANT(destination)) return;
    std::set<tree> seen;
    overwrite_records(destination, gimple_location(call), seen);
  }

  void overwrite_records(tree type, location_t location, std::set<tree>& seen) {
    type = TYPE_MAIN_VARIANT(type);
    if (!seen.insert(type).second) return;
    bool holds = false;
    for (tree field = TYPE_FIELDS(type); field; field = DECL_CHAIN(field)) {
      if (TREE_CODE(field) != FIELD_DECL) continue;
      tree field_type = TREE_TYPE(field);
      while (TREE_CODE(field_type) == ARRAY_TYPE) field_type = TREE_TYPE(field_type);
      if (RECORD_OR_UNION_TYPE_P(field_type))
        overwrite_records(field_type, location, seen);
      else
        holds |= true;  // any field: a void * may be called once cast
    }
    if (!holds) return;
    Reference reference;
    reference.kind = ReferenceKind::kOverwrite;
    reference.slot.kind = SlotKind::kField;
    reference.slot.scope = type_scope_name(type);
    add(std::move(reference), location);
  }

  // A store of raw bytes over a struct's function pointers: a memcpy GCC
  // folded into integer moves,
  //   MEM <uint128_t> [(char * {ref-all})d_1(D)] = _4;
  // or merged stores. Zeroes put no function there.
  void note_untyped_store(tree lhs, tree rhs, location_t location) {
    if (TREE_CODE(lhs) != MEM_REF || integer_zerop(rhs)) return;
    tree type = TREE_TYPE(lhs);
    if (RECORD_OR_UNION_TYPE_P(type) || POINTER_TYPE_P(type)) return;
    if (!TYPE_SIZE(type) || !tree_fits_uhwi_p(TYPE_SIZE(type)) ||
        !tree_fits_shwi_p(TREE_OPERAND(lhs, 1)))
      return;
    tree record = pointed_type(TREE_OPERAND(lhs, 0));
    if (!record || !RECORD_OR_UNION_TYPE_P(record)) return;
    HOST_WIDE_INT start = tree_to_shwi(TREE_OPERAND(lhs, 1)) * BITS_PER_UNIT;
    HOST_WIDE_INT end = start + static_cast<HOST_WIDE_INT>(tree_to_uhwi(TYPE_SIZE(type)));
    if (!covers_function_pointer(record, start, end, 0)) return;
    std::set<tree> seen;
    overwrite_records(record, location, seen);
  }

  // Whether bits [START, END) of RECORD hold some of a function pointer.
  static bool covers_function_pointer(tree record, HOST_WIDE_INT start, HOST_WIDE_INT end,
                                      int depth) {
    if (depth > kMaxDepth) return true;
    for (tree field = TYPE_FIELDS(record); field; field = DECL_CHAIN(field)) {
      if (TREE_CODE(field) != FIELD_DECL) continue;
      if (!DECL_SIZE(field) || !tree_fits_uhwi_p(DECL_SIZE(field)) ||
          !tree_fits_shwi_p(bit_position(field)))
        return true;  // cannot tell: assume it does
      HOST_WIDE_INT field_start = int_bit_position(field);
      HOST_WIDE_INT field_end =
          field_start + static_cast<HOST_WIDE_INT>(tree_to_uhwi(DECL_SIZE(field)));
      if (end <= field_start || start >= field_end) continue;
      tree type = TREE_TYPE(field);
      while (TREE_CODE(type) == ARRAY_TYPE) type = TREE_TYPE(type);
      if (is_function_pointer_type(type)) return true;
      if (RECORD_OR_UNION_TYPE_P(type) &&
          covers_function_pointer(type, 0, field_end - field_start, depth + 1))
        return true;
    }
    return false;
  }

  // The type a pointer argument points to, when it says: `&x->ops` or a
  // pointer whose type is not `void *`.
  static tree pointed_type(tree pointer) {
    pointer = strip_conversions(pointer);
    if (TREE_CODE(pointer) == ADDR_EXPR) return TREE_TYPE(TREE_OPERAND(pointer, 0));
    if (POINTER_TYPE_P(TREE_TYPE(pointer)) && !VOID_TYPE_P(TREE_TYPE(TREE_TYPE(pointer))))
      return TREE_TYPE(TREE_TYPE(pointer));
    return NULL_TREE;
  }

  // Every function address inside OPERAND escapes.
  void note_escapes_in(tree operand, location_t location) {
    if (!operand) return;
    struct Context {
      FunctionPointerScan* scan;
      location_t location;
    } context{this, location};
    walk_tree_without_duplicates(
        &operand,
        [](tree* node, int* walk_subtrees, void* data) -> tree {
          auto* c = static_cast<Context*>(data);
          if (TYPE_P(*node) || DECL_P(*node)) {
            *walk_subtrees = 0;
            return NULL_TREE;
          }
          if (TREE_CODE(*node) == ADDR_EXPR && TREE_CODE(TREE_OPERAND(*node, 0)) == FUNCTION_DECL) {
            tree pointer_type = TREE_TYPE(*node);
            std::string value_signature = is_function_pointer_type(pointer_type)
                                              ? function_signature(TREE_TYPE(pointer_type))
                                              : std::string();
            c->scan->add_function_reference(ReferenceKind::kEscape, TREE_OPERAND(*node, 0),
                                            value_signature, {}, c->location);
            *walk_subtrees = 0;
          }
          return NULL_TREE;
        },
        &context);
  }

  void add_function_reference(ReferenceKind kind, tree fn, const std::string& value_signature,
                              const Slot& slot, location_t location) {
    Reference reference;
    reference.kind = kind;
    reference.function = decl_symbol(fn);
    reference.function_signature = function_signature(TREE_TYPE(fn));
    // A type without a prototype (a C++ vtable entry's `int (*)()`) says
    // nothing a call through it could not already match.
    if (value_signature != reference.function_signature &&
        value_signature.find("(?)") == std::string::npos)
      reference.value_signature = value_signature;
    reference.slot = slot;
    add(std::move(reference), location);
  }

  // Identical references (one function stored into one field by many
  // initializers) are kept once.
  void add(Reference reference, location_t location) {
    std::string key = std::to_string(static_cast<int>(reference.kind)) + '\0' + reference.function +
                      '\0' + reference.value_signature + '\0' + slot_key(reference.slot) + '\0' +
                      slot_key(reference.source);
    if (!seen_.insert(key).second) return;
    reference.file = location_file(location, reference.line);
    references_.push_back(std::move(reference));
  }

  static std::string slot_key(const Slot& slot) {
    return std::to_string(static_cast<int>(slot.kind)) + ':' + slot.scope + ':' + slot.member +
           ':' + std::to_string(slot.index);
  }

  std::vector<Reference>& references_;
  IndirectSites& sites_;
  static std::set<std::string> seen_;
};

std::set<std::string> FunctionPointerScan::seen_;

}  // namespace

void IndirectSites::add(tree fn, location_t location, IndirectCall site) {
  std::size_t index = sites_.size();
  sites_.push_back(std::move(site));
  by_pointer_.emplace(fn, index);
  by_location_.emplace(LOCATION_LOCUS(location), index);
}

void IndirectSites::clear() {
  sites_.clear();
  by_pointer_.clear();
  by_location_.clear();
}

const IndirectCall* IndirectSites::find(const_tree fn, location_t location) const {
  if (fn) {
    auto it = by_pointer_.find(fn);
    if (it != by_pointer_.end()) return &sites_[it->second];
  }
  // The insn lost its MEM_EXPR (some x86 indirect sibcalls): its location
  // names the call when no other indirect call of the function shares it.
  auto [first, last] = by_location_.equal_range(LOCATION_LOCUS(location));
  if (location == UNKNOWN_LOCATION || first == last) return nullptr;
  const IndirectCall* found = &sites_[first->second];
  for (auto it = std::next(first); it != last; ++it) {
    const IndirectCall& other = sites_[it->second];
    if (!(other.origin == found->origin) || other.signature != found->signature) return nullptr;
  }
  return found;
}

void scan_function_pointers(function* fun, std::vector<Reference>& references,
                            IndirectSites& sites) {
  FunctionPointerScan(references, sites).scan_function(fun);
}

void scan_static_initializers(std::vector<Reference>& references) {
  IndirectSites unused;
  FunctionPointerScan scan(references, unused);
  varpool_node* node;
  FOR_EACH_VARIABLE(node) {
    tree var = node->decl;
    if (!node->definition || !DECL_INITIAL(var) || DECL_INITIAL(var) == error_mark_node) continue;
    tree type = TREE_TYPE(var);
    Slot slot = RECORD_OR_UNION_TYPE_P(type) ? Slot{} : global_slot(var);
    scan.scan_initializer(DECL_INITIAL(var), type, slot, DECL_SOURCE_LOCATION(var));
  }
}

}  // namespace kstack
