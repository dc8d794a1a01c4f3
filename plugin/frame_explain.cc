// Explains each function's static frame: splits GCC's `.su` static figure
// into parts that add up to it exactly.
//
// Method. The frame outside the locals area (return address, saved
// registers, varargs save area, outgoing arguments, padding, red zone) comes
// from the target's own layout of the prologue (compat::frame_layout). The
// locals area (get_frame_size() bytes below the soft frame pointer) is
// painted byte by byte: first the variables' slots and the slots of values
// returned in memory, then the MEMs of temporaries without a slot of their
// own, then the register allocator's spill slots, then slots known only by
// an address the code computes; the gaps left are padding when shorter than
// the alignment around them, otherwise unattributed. Three passes read what
// is gone by the time the record is made after `final`:
//  - a GIMPLE pass after "optimized" keeps cfun->local_decls, which
//    expansion empties (it is the last GIMPLE pass at every -O level;
//    a pass placed relative to "expand" is never run, and an RTL pass before
//    it ICEs);
//  - an RTL pass before "ira" reads the MEMs addressed from the soft frame
//    pointer while they still are (temporaries whose declaration has no
//    DECL_RTL of its own: SSA partitions, -O0 compound literals), with the
//    declaration of each (MEM_EXPR) and its offset in it (MEM_OFFSET), the
//    same addresses computed outside a MEM, and the return slot each call
//    of a function returning an aggregate in memory passes (its type is
//    the callee's return type);
//  - an RTL pass before "final" works out the parts, once the prologue has
//    fixed the frame and while the BLOCK tree still exists (final frees it):
//    the BLOCK tree names the inlined function a variable comes from, and
//    holds the variables expansion dropped from local_decls, whose DECL_RTL
//    still names their slot (virtual_stack_vars + offset). The spill slots
//    are the MEMs whose MEM_EXPR is LRA's spill slot declaration.
// Variables at the same address share a slot (expansion's stack-slot
// partitioning of variables whose lives do not overlap); copies of one
// inlined variable at one address are one part. If the parts do not add up
// (a layout this file does not know), the rest is unattributed; if they add
// up to more, which would be a bug, the whole frame is one unattributed part
// rather than a wrong breakdown.
#include "frame_explain.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "recorder.h"

namespace kstack {
namespace {

using note::FramePartKind;

// A variable or temporary with a place in the locals area.
struct Slot {
  FramePart part;
  std::int64_t low = 0;  // from the soft frame pointer
  std::int64_t align = 1;
};

// A MEM addressed from the soft frame pointer before register allocation.
struct FrameMem {
  std::int64_t offset = 0;
  std::int64_t bytes = 0;
  tree decl = NULL_TREE;  // MEM_EXPR's base declaration, if any
  std::optional<std::int64_t> offset_in_decl;
};

// The slot of a call's aggregate value returned in memory (its address
// passed to the callee), which the RTL names only by that address.
struct ReturnSlot {
  std::int64_t offset = 0;  // from the soft frame pointer
  tree callee = NULL_TREE;  // its FUNCTION_DECL
  location_t call = UNKNOWN_LOCATION;
};

struct FunctionState {
  tree decl = NULL_TREE;  // compared only
  std::vector<FrameMem> mems;
  std::vector<ReturnSlot> returns;
  // Frame addresses computed outside a MEM before register allocation: a
  // slot whose address the code passes on, with no MEM of its own (-O0
  // vector temporaries; a call's return slot, unless traced to the call).
  std::vector<std::int64_t> addresses;
  std::vector<FramePart> parts;
  bool explained = false;
};

FunctionState state;

// Declarations kept between passes (local_decls, MEM_EXPR bases): a root,
// so the garbage collector between passes leaves them alone.
vec<tree, va_gc>* kept_decls;

const ggc_root_tab kExplainRoots[] = {
    {&kept_decls, 1, sizeof kept_decls, &gt_ggc_mx_vec_tree_va_gc_, &gt_pch_nx_vec_tree_va_gc_},
    LAST_GGC_ROOT_TAB};

void start_function() {
  if (state.decl == current_function_decl) return;
  state = FunctionState();
  state.decl = current_function_decl;
  vec_safe_truncate(kept_decls, 0);
}

// The offset from the soft frame pointer of ADDRESS, if it is one.
bool frame_offset_of(rtx address, std::int64_t& offset) {
  offset = 0;
  if (GET_CODE(address) == PLUS && CONST_INT_P(XEXP(address, 1))) {
    offset = INTVAL(XEXP(address, 1));
    address = XEXP(address, 0);
  }
  if (!REG_P(address)) return false;
  if (REGNO(address) == FRAME_POINTER_REGNUM) return true;
  // Never instantiated: a variable expansion dropped from local_decls.
  if (REGNO(address) == VIRTUAL_STACK_VARS_REGNUM) {
    offset += targetm.starting_frame_offset();
    return true;
  }
  return false;
}

std::int64_t decl_bytes(tree decl) {
  tree size = DECL_SIZE_UNIT(decl);
  return size && tree_fits_shwi_p(size) ? tree_to_shwi(size) : 0;
}

void set_declared_at(FramePart& part, location_t at) {
  expanded_location location = expand_location(at);
  part.file = location.file ? location.file : "";
  part.line = location.line;
}

void describe_variable(tree decl, tree inlined, FramePart& part) {
  if (decl == crtl->stack_protect_guard) {
    part.kind = FramePartKind::kOther;
    part.name = "stack protector canary";
    part.artificial = true;
    return;
  }
  part.artificial = DECL_ARTIFICIAL(decl);
  if (TREE_CODE(decl) == PARM_DECL)
    part.kind = FramePartKind::kParameter;
  else if (TREE_CODE(decl) == RESULT_DECL || part.artificial || !DECL_NAME(decl))
    part.kind = FramePartKind::kTemporary;
  else
    part.kind = FramePartKind::kLocal;
  if (DECL_NAME(decl))
    part.name = IDENTIFIER_POINTER(DECL_NAME(decl));
  else if (TREE_CODE(decl) == RESULT_DECL)
    part.name = "<retval>";
  if (TREE_TYPE(decl)) part.type = compat::type_name(TREE_TYPE(decl));
  set_declared_at(part, DECL_SOURCE_LOCATION(decl));
  if (inlined) part.inlined_from = lang_hooks.decl_printable_name(inlined, 2);
}

// The variables of the current function with a slot in the frame.
class Variables {
 public:
  // DECL, from a block of the body of INLINED (or of the function itself).
  void add(tree decl, tree inlined) {
    if (!VAR_P(decl) && TREE_CODE(decl) != PARM_DECL && TREE_CODE(decl) != RESULT_DECL) return;
    if (VAR_P(decl) && is_global_var(decl)) return;
    if (!DECL_RTL_SET_P(decl) || !MEM_P(DECL_RTL(decl))) return;
    rtx rtl = DECL_RTL(decl);
    std::int64_t offset;
    if (!frame_offset_of(XEXP(rtl, 0), offset)) return;  // incoming arguments, over-aligned
    std::int64_t bytes = MEM_SIZE_KNOWN_P(rtl) ? constant_lower_bound(MEM_SIZE(rtl)) : 0;
    if (!bytes) bytes = decl_bytes(decl);
    // A narrow parameter sits in a slot of its promoted type
    // (assign_parm_setup_stack).
    if (TREE_CODE(decl) == PARM_DECL && DECL_ARG_TYPE(decl) &&
        TYPE_SIZE_UNIT(DECL_ARG_TYPE(decl)) &&
        tree_fits_shwi_p(TYPE_SIZE_UNIT(DECL_ARG_TYPE(decl))))
      bytes = std::max<std::int64_t>(bytes, tree_to_shwi(TYPE_SIZE_UNIT(DECL_ARG_TYPE(decl))));
    add_slot(decl, inlined, offset, bytes, MEM_ALIGN(rtl) / BITS_PER_UNIT);
  }

  void add_blocks(tree block, tree inlined) {
    for (; block; block = BLOCK_CHAIN(block)) {
      tree from = inlined;
      if (block != DECL_INITIAL(current_function_decl) && inlined_function_outer_scope_p(block)) {
        tree origin = block_ultimate_origin(block);
        if (origin && TREE_CODE(origin) == FUNCTION_DECL) from = origin;
      }
      for (tree var = BLOCK_VARS(block); var; var = DECL_CHAIN(var)) add(var, from);
      add_blocks(BLOCK_SUBBLOCKS(block), from);
    }
  }

  // A temporary whose only trace is a MEM: anchored by its offset in DECL.
  void add_mem(const FrameMem& mem, std::vector<FrameMem>& unnamed) {
    if (mem.decl && index_.count(mem.decl)) return;
    const std::int64_t bytes = mem.decl ? decl_bytes(mem.decl) : 0;
    if (mem.decl && (mem.offset_in_decl || mem.decl == crtl->stack_protect_guard) && bytes > 0) {
      add_slot(mem.decl, NULL_TREE, mem.offset - mem.offset_in_decl.value_or(0), bytes, 1);
      return;
    }
    unnamed.push_back(mem);
  }

  // The value CALLEE returns at LOW, from a call at CALL.
  void add_return(const ReturnSlot& slot) {
    tree type = TREE_TYPE(TREE_TYPE(slot.callee));
    const std::int64_t bytes = int_size_in_bytes(type);
    if (bytes <= 0) return;
    for (const Slot& known : slots_)
      if (known.low == slot.offset && known.part.bytes == static_cast<std::uint64_t>(bytes))
        return;  // a slot reused by calls one after the other: one part
    Slot s;
    s.part.kind = FramePartKind::kTemporary;
    s.part.artificial = true;
    s.part.type = compat::type_name(type);
    set_declared_at(s.part, slot.call);
    s.part.bytes = static_cast<std::uint64_t>(bytes);
    s.low = slot.offset;
    s.align = std::max<std::int64_t>(TYPE_ALIGN_UNIT(type), 1);
    slots_.push_back(s);
  }

  std::vector<Slot>& slots() { return slots_; }

 private:
  void add_slot(tree decl, tree inlined, std::int64_t low, std::int64_t bytes, std::int64_t align) {
    auto [at, inserted] = index_.emplace(decl, slots_.size());
    if (!inserted) {
      FramePart& known = slots_[at->second].part;
      if (inlined && known.inlined_from.empty())
        known.inlined_from = lang_hooks.decl_printable_name(inlined, 2);
      return;
    }
    Slot slot;
    describe_variable(decl, inlined, slot.part);
    slot.part.bytes = static_cast<std::uint64_t>(bytes);
    slot.low = low;
    slot.align = std::max<std::int64_t>(align, 1);
    slots_.push_back(slot);
  }

  std::vector<Slot> slots_;
  std::map<tree, std::size_t> index_;
};

// Bytes of the locals area by what holds them.
enum Paint : unsigned char { kGap, kVariable, kTemporary, kSpill };

// The parts of the locals area [LOW, LOW + BYTES) from the soft frame
// pointer, for the breakdown; their sum is BYTES.
class LocalsArea {
 public:
  LocalsArea(std::int64_t low, std::int64_t bytes, std::optional<std::int64_t> cfa_base)
      : low_(low), bytes_(bytes), cfa_base_(cfa_base) {}

  void explain(std::vector<Slot>& slots, const std::vector<FrameMem>& unnamed,
               const std::vector<std::pair<std::int64_t, std::int64_t>>& spills,
               const std::vector<std::int64_t>& addresses, std::vector<FramePart>& parts) {
    std::vector<Slot*> inside;
    for (Slot& slot : slots)
      if (slot.part.bytes > 0 && slot.low >= low_ &&
          slot.low + static_cast<std::int64_t>(slot.part.bytes) <= low_ + bytes_)
        inside.push_back(&slot);
    const std::int64_t variables = add_variables(inside, parts);
    // Painted with a limit: a frame of 16 MiB is broken down without it.
    if (bytes_ > (std::int64_t(1) << 24)) {
      add(parts, FramePartKind::kUnattributed, bytes_ - variables);
      return;
    }
    std::vector<unsigned char> paint(bytes_, kGap);
    std::vector<std::int64_t> align(bytes_, 0);  // of the slot starting at a byte
    auto fill = [&](std::int64_t from, std::int64_t size, Paint what, std::int64_t alignment) {
      const std::int64_t a = std::max(from, low_) - low_;
      const std::int64_t b = std::min(from + size, low_ + bytes_) - low_;
      for (std::int64_t x = a; x < b; ++x)
        if (paint[x] == kGap) paint[x] = what;
      if (a < b) align[a] = std::max(align[a], alignment);
    };
    for (const Slot* slot : inside)
      fill(slot->low, static_cast<std::int64_t>(slot->part.bytes), kVariable, slot->align);
    for (const FrameMem& mem : unnamed) fill(mem.offset, mem.bytes, kTemporary, 1);
    for (const auto& spill : spills) fill(spill.first, spill.second, kSpill, spill.second);
    // A slot known only by its address reaches to the next known slot: its
    // size is not in the RTL, so the alignment after it counts as part of it.
    std::vector<bool> starts(bytes_, false);  // of those slots, each a part
    for (std::int64_t address : addresses) {
      std::int64_t x = address - low_;
      if (x < 0 || x >= bytes_ || paint[x] != kGap) continue;
      starts[x] = true;
      align[x] = std::max<std::int64_t>(align[x], 1);
      while (x < bytes_ && paint[x] == kGap) paint[x++] = kTemporary;
    }

    std::int64_t temporaries = 0, spill_bytes = 0, padding = 0;
    const std::int64_t area_align = crtl->stack_alignment_needed / BITS_PER_UNIT;
    const std::int64_t boundary = compat::preferred_stack_boundary();
    for (std::int64_t x = 0; x < bytes_;) {
      std::int64_t y = x + 1;  // a run of one paint, up to the next slot known by address
      while (y < bytes_ && paint[y] == paint[x] && !starts[y]) ++y;
      if (paint[x] == kTemporary) {
        temporaries += y - x;
        FramePart part;
        part.kind = FramePartKind::kTemporary;
        part.artificial = true;
        part.bytes = static_cast<std::uint64_t>(y - x);
        set_offset(part, low_ + x);
        parts.push_back(part);
      } else if (paint[x] == kSpill) {
        spill_bytes += y - x;
      } else if (paint[x] == kGap) {
        // A gap is alignment when shorter than the alignment of the slot
        // below it plus the rounding of the whole area (expansion and LRA
        // round frame_offset to stack_alignment_needed), or when shorter
        // than the preferred stack boundary and ending on one: at -O0
        // expansion rounds the locals to it before the parameters' slots
        // (12 bytes between an int parameter and an int local on x86_64).
        std::int64_t below = 0;
        for (std::int64_t z = x - 1; z >= 0 && !below; --z) below = align[z];
        const std::int64_t from = low_ + x - cfa_base_.value_or(0), to = from + (y - x);
        const bool rounded = y - x < boundary && (from % boundary == 0 || to % boundary == 0);
        if (rounded || y - x < std::max<std::int64_t>(below, 1) + area_align) padding += y - x;
      }
      x = y;
    }
    add(parts, FramePartKind::kSpill, spill_bytes);
    add(parts, FramePartKind::kPadding, padding);
    // Gaps that are not alignment, and bytes where variables overlap
    // without sharing one address (their slot counts its largest member).
    add(parts, FramePartKind::kUnattributed,
        bytes_ - variables - temporaries - spill_bytes - padding);
  }

  void set_offset(FramePart& part, std::int64_t from_soft_frame) const {
    if (!cfa_base_) return;
    part.has_offset = true;
    part.offset = from_soft_frame - *cfa_base_;
  }

  static void add(std::vector<FramePart>& parts, FramePartKind kind, std::int64_t bytes) {
    if (bytes == 0) return;
    FramePart part;
    part.kind = kind;
    part.bytes = static_cast<std::uint64_t>(bytes);  // a negative one fails the final check
    parts.push_back(part);
  }

 private:
  // The variables' parts: overlapping slots share a slot number, copies of
  // one variable at one address are one part. Returns their sum.
  std::int64_t add_variables(std::vector<Slot*>& inside, std::vector<FramePart>& parts) {
    std::sort(inside.begin(), inside.end(), [](const Slot* a, const Slot* b) {
      return std::tie(a->low, b->part.bytes) < std::tie(b->low, a->part.bytes);
    });
    std::int64_t sum = 0;
    std::uint32_t slot_number = 0;
    for (std::size_t i = 0; i < inside.size();) {
      // A cluster: slots that overlap one another, transitively.
      std::size_t j = i + 1;
      std::int64_t high = inside[i]->low + static_cast<std::int64_t>(inside[i]->part.bytes);
      std::int64_t largest = static_cast<std::int64_t>(inside[i]->part.bytes);
      while (j < inside.size() && inside[j]->low < high) {
        high = std::max(high, inside[j]->low + static_cast<std::int64_t>(inside[j]->part.bytes));
        largest = std::max(largest, static_cast<std::int64_t>(inside[j]->part.bytes));
        ++j;
      }
      std::vector<const Slot*> members;
      for (std::size_t k = i; k < j; ++k) {
        const FramePart& p = inside[k]->part;
        bool copy = false;
        for (const Slot* m : members)
          copy |= m->low == inside[k]->low && m->part.bytes == p.bytes && m->part.name == p.name &&
                  m->part.file == p.file && m->part.line == p.line &&
                  m->part.inlined_from == p.inlined_from && m->part.kind == p.kind;
        if (!copy) members.push_back(inside[k]);
      }
      const std::uint32_t shared = members.size() > 1 ? ++slot_number : 0;
      for (const Slot* m : members) {
        FramePart part = m->part;
        part.slot = shared;
        set_offset(part, m->low);
        parts.push_back(part);
      }
      sum += largest;
      i = j;
    }
    return sum;
  }

  std::int64_t low_, bytes_;
  std::optional<std::int64_t> cfa_base_;
};

// The LRA spill slots the final insns use, as [offset, size) from the soft
// frame pointer: LRA marks each spill MEM with its spill slot declaration
// and the slot's frame offset (set_mem_attrs_for_spill), which elimination
// keeps.
std::vector<std::pair<std::int64_t, std::int64_t>> spill_slots() {
  std::vector<std::pair<std::int64_t, std::int64_t>> spills;
  tree spill_decl = get_spill_slot_decl(false);
  if (!spill_decl) return spills;
  for (rtx_insn* insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
    if (!NONDEBUG_INSN_P(insn)) continue;
    subrtx_iterator::array_type array;
    FOR_EACH_SUBRTX(iter, array, PATTERN(insn), NONCONST) {
      const_rtx mem = *iter;
      if (MEM_P(mem) && MEM_EXPR(mem) == spill_decl && MEM_OFFSET_KNOWN_P(mem) &&
          MEM_SIZE_KNOWN_P(mem))
        spills.emplace_back(constant_lower_bound(MEM_OFFSET(mem)),
                            constant_lower_bound(MEM_SIZE(mem)));
    }
  }
  return spills;
}

// The registers the prologue saves, by name, from its frame-related stores
// (or the REG_FRAME_RELATED_EXPR that describes a store-multiple), less the
// return address register and the DRAP register, which are parts of their
// own. (call_used_or_fixed_reg_p is only for target code.)
std::string saved_register_names(const compat::FrameLayout& layout) {
  std::string names;
  std::vector<unsigned> seen;
  for (rtx_insn* insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
    if (!INSN_P(insn) || !RTX_FRAME_RELATED_P(insn)) continue;
    rtx pattern = PATTERN(insn);
    if (rtx note = find_reg_note(insn, REG_FRAME_RELATED_EXPR, NULL_RTX)) pattern = XEXP(note, 0);
    subrtx_iterator::array_type array;
    FOR_EACH_SUBRTX(iter, array, pattern, NONCONST) {
      const_rtx set = *iter;
      if (GET_CODE(set) != SET || !MEM_P(SET_DEST(set)) || !REG_P(SET_SRC(set))) continue;
      const unsigned regno = REGNO(SET_SRC(set));
      // Call-clobbered registers stored by the prologue are arguments
      // (arm's anonymous ones, outside the static frame), not saves.
      if (regno >= FIRST_PSEUDO_REGISTER || regno == layout.return_address_regno ||
          (this_target_hard_regs->x_call_used_regs[regno] && regno != HARD_FRAME_POINTER_REGNUM) ||
          (crtl->drap_reg && regno == REGNO(crtl->drap_reg)) ||
          std::find(seen.begin(), seen.end(), regno) != seen.end())
        continue;
      seen.push_back(regno);
      if (!names.empty()) names += ' ';
      names += compat::register_name(regno);
    }
  }
  return names;
}

void add_part(std::vector<FramePart>& parts, FramePartKind kind, std::int64_t bytes,
              const char* name = "") {
  if (bytes == 0) return;
  FramePart part;
  part.kind = kind;
  part.name = name;
  part.bytes = static_cast<std::uint64_t>(bytes);
  parts.push_back(part);
}

// The breakdown of the current function's frame of STATIC_SIZE bytes.
std::vector<FramePart> explain_frame(std::int64_t static_size) {
  const std::int64_t frame_size = constant_lower_bound(get_frame_size());
  const compat::FrameLayout layout = compat::frame_layout(frame_size);
  std::vector<FramePart> parts;
  bool negative = false;
  for (std::int64_t bytes : {layout.return_address, layout.saved_registers, layout.varargs,
                             layout.outgoing_arguments, layout.padding, layout.static_chain,
                             layout.drap, layout.interworking, layout.red_zone, layout.locals})
    negative |= bytes < 0;

  if (layout.return_address) {
    FramePart part;
    part.kind = FramePartKind::kReturnAddress;
    part.bytes = static_cast<std::uint64_t>(layout.return_address);
    if (layout.return_address_regno != INVALID_REGNUM)
      part.name = compat::register_name(layout.return_address_regno);
    if (layout.return_address_offset) {
      part.has_offset = true;
      part.offset = *layout.return_address_offset;
    }
    parts.push_back(part);
  }
  if (layout.saved_registers) {
    FramePart part;
    part.kind = FramePartKind::kSavedRegisters;
    part.name = saved_register_names(layout);
    part.bytes = static_cast<std::uint64_t>(layout.saved_registers);
    parts.push_back(part);
  }
  add_part(parts, FramePartKind::kOther, layout.static_chain, "static chain");
  add_part(parts, FramePartKind::kOther, layout.drap, "drap");
  add_part(parts, FramePartKind::kOther, layout.interworking, "caller interworking slot");
  add_part(parts, FramePartKind::kVarargs, layout.varargs);

  if (layout.locals > 0) {
    Variables variables;
    if (DECL_INITIAL(current_function_decl) &&
        TREE_CODE(DECL_INITIAL(current_function_decl)) == BLOCK)
      variables.add_blocks(DECL_INITIAL(current_function_decl), NULL_TREE);
    unsigned ix;
    tree var;
    FOR_EACH_VEC_SAFE_ELT(kept_decls, ix, var) variables.add(var, NULL_TREE);
    FOR_EACH_LOCAL_DECL(cfun, ix, var) variables.add(var, NULL_TREE);
    for (tree parm = DECL_ARGUMENTS(current_function_decl); parm; parm = DECL_CHAIN(parm))
      variables.add(parm, NULL_TREE);
    if (DECL_RESULT(current_function_decl))
      variables.add(DECL_RESULT(current_function_decl), NULL_TREE);
    if (crtl->stack_protect_guard && DECL_P(crtl->stack_protect_guard))
      variables.add(crtl->stack_protect_guard, NULL_TREE);
    std::vector<FrameMem> unnamed;
    for (const FrameMem& mem : state.mems) variables.add_mem(mem, unnamed);
    for (const ReturnSlot& slot : state.returns) variables.add_return(slot);
    const std::int64_t start = targetm.starting_frame_offset();
    LocalsArea area(FRAME_GROWS_DOWNWARD ? start - layout.locals : start, layout.locals,
                    layout.locals_offset);
    area.explain(variables.slots(), unnamed, spill_slots(), state.addresses, parts);
  }

  add_part(parts, FramePartKind::kOutgoingArguments, layout.outgoing_arguments);
  // One padding part for the locals area's alignment and the frame's.
  auto padding = std::find_if(parts.begin(), parts.end(), [](const FramePart& part) {
    return part.kind == FramePartKind::kPadding;
  });
  if (padding != parts.end())
    padding->bytes += static_cast<std::uint64_t>(layout.padding);
  else
    add_part(parts, FramePartKind::kPadding, layout.padding);
  add_part(parts, FramePartKind::kRedZone, layout.red_zone);

  // The parts must add up; what a target leaves out is unattributed, and a
  // breakdown that adds up to more is not kept.
  for (const FramePart& part : parts) negative |= static_cast<std::int64_t>(part.bytes) < 0;
  const std::int64_t sum = static_cast<std::int64_t>(frame_parts_sum(parts));
  if (negative || sum > static_size) {
    parts.clear();
    add_part(parts, FramePartKind::kUnattributed, static_size);
  } else if (sum < static_size) {
    auto unattributed = std::find_if(parts.begin(), parts.end(), [](const FramePart& part) {
      return part.kind == FramePartKind::kUnattributed;
    });
    if (unattributed != parts.end())
      unattributed->bytes += static_cast<std::uint64_t>(static_size - sum);
    else
      add_part(parts, FramePartKind::kUnattributed, static_size - sum);
  }
  return parts;
}

const pass_data kLocalsPassData = compat::plugin_pass_data(GIMPLE_PASS, "kstack_locals");

const pass_data kFrameMemsPassData = compat::plugin_pass_data(RTL_PASS, "kstack_frame_mems");

const pass_data kFramePartsPassData = compat::plugin_pass_data(RTL_PASS, "kstack_frame_parts");

// Keeps local_decls, which expansion empties.
class LocalsPass : public gimple_opt_pass {
 public:
  explicit LocalsPass(gcc::context* ctxt) : gimple_opt_pass(kLocalsPassData, ctxt) {}
  bool gate(function*) override { return true; }
  unsigned int execute(function* fun) override {
    start_function();
    unsigned ix;
    tree var;
    FOR_EACH_LOCAL_DECL(fun, ix, var) vec_safe_push(kept_decls, var);
    return 0;
  }
};

// The frame address REG holds at INSN, set in INSN's basic block before it:
// directly, through up to three register copies, or by a REG_EQUAL note.
bool frame_address_in(rtx reg, rtx_insn* insn, std::int64_t& offset) {
  for (int copies = 0; copies < 4; ++copies) {
    rtx_insn* set_insn = nullptr;
    for (rtx_insn* prev = PREV_INSN(insn);
         prev && !LABEL_P(prev) && !CALL_P(prev) && !NOTE_INSN_BASIC_BLOCK_P(prev);
         prev = PREV_INSN(prev))
      if (NONDEBUG_INSN_P(prev) && reg_set_p(reg, prev)) {
        set_insn = prev;
        break;
      }
    if (!set_insn) return false;
    rtx set = single_set(set_insn);
    if (!set || !rtx_equal_p(SET_DEST(set), reg)) return false;
    if (frame_offset_of(SET_SRC(set), offset)) return true;
    rtx note = find_reg_note(set_insn, REG_EQUAL, NULL_RTX);
    if (note && frame_offset_of(XEXP(note, 0), offset)) return true;
    if (!REG_P(SET_SRC(set))) return false;
    reg = SET_SRC(set);
    insn = set_insn;
  }
  return false;
}

// A call returning an aggregate in memory passes the address of its slot in
// a register the call uses (the struct value register or the first
// argument's): the register that holds a frame address names the slot.
void add_return_slot(rtx_insn* call) {
  tree callee = get_call_fndecl(call);  // its REG_CALL_DECL note, made from -O1
  if (!callee) {
    rtx call_rtx = get_call_rtx_from(call);
    rtx address = call_rtx && MEM_P(XEXP(call_rtx, 0)) ? XEXP(XEXP(call_rtx, 0), 0) : NULL_RTX;
    if (address && GET_CODE(address) == SYMBOL_REF) callee = SYMBOL_REF_DECL(address);
  }
  if (!callee || TREE_CODE(callee) != FUNCTION_DECL ||
      !aggregate_value_p(TREE_TYPE(TREE_TYPE(callee)), TREE_TYPE(callee)))
    return;
  for (rtx link = CALL_INSN_FUNCTION_USAGE(call); link; link = XEXP(link, 1)) {
    rtx use = XEXP(link, 0);
    std::int64_t offset;
    if (GET_CODE(use) != USE || !REG_P(XEXP(use, 0)) ||
        !frame_address_in(XEXP(use, 0), call, offset))
      continue;
    state.returns.push_back({offset, callee, INSN_LOCATION(call)});
    vec_safe_push(kept_decls, callee);
    return;  // the first such register is the hidden one; others are arguments
  }
}

// Matches, before register allocation,
//   (mem:M (plus:P (reg:P frame) (const_int C)))   or   (mem:M (reg:P frame))
// where `frame` is the soft frame pointer, with its MEM_EXPR and MEM_OFFSET,
// and the same addresses used outside a MEM.
class FrameMemsPass : public rtl_opt_pass {
 public:
  explicit FrameMemsPass(gcc::context* ctxt) : rtl_opt_pass(kFrameMemsPassData, ctxt) {}
  bool gate(function*) override { return true; }
  unsigned int execute(function*) override {
    start_function();
    for (rtx_insn* insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
      if (!NONDEBUG_INSN_P(insn)) continue;
      if (CALL_P(insn)) add_return_slot(insn);
      subrtx_iterator::array_type array;
      FOR_EACH_SUBRTX(iter, array, PATTERN(insn), NONCONST) {
        const_rtx x = *iter;
        FrameMem mem;
        if (!MEM_P(x)) {
          std::int64_t offset;
          if ((GET_CODE(x) == PLUS || REG_P(x)) && frame_offset_of(const_cast<rtx>(x), offset)) {
            state.addresses.push_back(offset);
            iter.skip_subrtxes();
          }
          continue;
        }
        if (!frame_offset_of(XEXP(x, 0), mem.offset)) continue;
        iter.skip_subrtxes();
        mem.bytes = MEM_SIZE_KNOWN_P(x) ? constant_lower_bound(MEM_SIZE(x))
                                        : constant_lower_bound(GET_MODE_SIZE(GET_MODE(x)));
        if (MEM_EXPR(x)) {
          HOST_WIDE_INT bit_offset, bit_size;
          bool reverse;
          tree base = get_ref_base_and_extent_hwi(MEM_EXPR(x), &bit_offset, &bit_size, &reverse);
          if (!base)
            base = get_base_address(MEM_EXPR(x));
          else if (MEM_OFFSET_KNOWN_P(x) && bit_offset % BITS_PER_UNIT == 0)
            mem.offset_in_decl = constant_lower_bound(MEM_OFFSET(x)) + bit_offset / BITS_PER_UNIT;
          if (base && DECL_P(base)) {
            mem.decl = base;
            vec_safe_push(kept_decls, base);
          }
        }
        state.mems.push_back(mem);
      }
    }
    return 0;
  }
};

class FramePartsPass : public rtl_opt_pass {
 public:
  explicit FramePartsPass(gcc::context* ctxt) : rtl_opt_pass(kFramePartsPassData, ctxt) {}
  bool gate(function*) override { return true; }
  unsigned int execute(function*) override {
    start_function();
    const HOST_WIDE_INT static_size = current_function_static_stack_size;
    if (static_size > 0) state.parts = explain_frame(static_size);
    state.explained = true;
    vec_safe_truncate(kept_decls, 0);
    return 0;
  }
};

}  // namespace

std::vector<FramePart> take_frame_parts(const Function& record) {
  std::vector<FramePart> parts;
  if (state.decl == current_function_decl && state.explained) parts = std::move(state.parts);
  state = FunctionState();
  if (record.frame_unknown || record.static_size == 0) return {};
  // A function the passes before final did not see whole: one part that is
  // certainly right.
  if (frame_parts_sum(parts) != record.static_size) {
    parts.clear();
    add_part(parts, FramePartKind::kUnattributed, static_cast<std::int64_t>(record.static_size));
  }
  return parts;
}

std::vector<FramePart> frame_parts_without_rtl(const Function& record) {
  std::vector<FramePart> parts;
  if (record.frame_unknown || record.static_size == 0) return parts;
  add_part(parts,
           record.static_size == compat::return_address_in_frame() ? FramePartKind::kReturnAddress
                                                                   : FramePartKind::kUnattributed,
           static_cast<std::int64_t>(record.static_size));
  return parts;
}

void register_frame_explain(const char* plugin_name) {
  // Pass placement: see the file comment. All three read, none changes the
  // function.
  static register_pass_info locals_pass = {new LocalsPass(g), "optimized", 1,
                                           PASS_POS_INSERT_AFTER};
  static register_pass_info mems_pass = {new FrameMemsPass(g), "ira", 1, PASS_POS_INSERT_BEFORE};
  static register_pass_info parts_pass = {new FramePartsPass(g), "final", 1,
                                          PASS_POS_INSERT_BEFORE};
  register_callback(plugin_name, PLUGIN_PASS_MANAGER_SETUP, nullptr, &locals_pass);
  register_callback(plugin_name, PLUGIN_PASS_MANAGER_SETUP, nullptr, &mems_pass);
  register_callback(plugin_name, PLUGIN_PASS_MANAGER_SETUP, nullptr, &parts_pass);
  register_callback(plugin_name, PLUGIN_REGISTER_GGC_ROOTS, nullptr,
                    const_cast<ggc_root_tab*>(kExplainRoots));
}

}  // namespace kstack
