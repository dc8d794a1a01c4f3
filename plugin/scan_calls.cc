// The calls of the current function, read from its final insn stream.
//
// After `final` the insn chain is exactly what was printed. Calls are found
// three ways:
//   - call insns. The callee is the address of the call's MEM:
//       (call_insn (set (reg:DI ax) (call (mem:QI (symbol_ref:DI ("bar"))) ...)))
//       (call_insn (call (mem:QI (reg/f:DI 0 ax)) ...))       ; indirect
//     a SYMBOL_REF is a direct call, anything else an indirect one;
//     SIBLING_CALL_P marks a tail call;
//   - inline asm templates (ASM_OPERANDS, ASM_INPUT), whose `call`/`jmp`
//     (`bl`/`b` on arm) to a symbol exist only as text;
//   - the -pg hook, which the target prints as text before the prologue.
// NOTE_INSN_SWITCH_TEXT_SECTIONS marks the move into the cold partition.
// Identical direct calls are merged into one record with a count; each
// indirect call site keeps a record of its own.
#include <map>
#include <tuple>

#include "recorder.h"

namespace kstack {

using namespace note;

namespace {

void set_location(Call& call, location_t location) {
  if (location == UNKNOWN_LOCATION) return;
  expanded_location loc = expand_location(location);
  call.file = loc.file ? loc.file : "";
  call.line = loc.line;
  call.column = loc.column;
}

// Merges identical direct, asm and profiler calls; keeps indirect sites apart.
class CallList {
 public:
  // LOCATION is where CALL is made; a merged call keeps its first.
  void add(Call call, location_t location) {
    if (call.kind == CallKind::kIndirect) {
      calls_.push_back(std::move(call));
      locations_.push_back(location);
      return;
    }
    auto key = std::make_tuple(call.kind, call.tail, call.cold, call.callee);
    auto [it, inserted] = index_.emplace(key, calls_.size());
    if (inserted) {
      calls_.push_back(std::move(call));
      locations_.push_back(location);
    } else {
      calls_[it->second].count += call.count;
    }
  }
  std::vector<Call> take() { return std::move(calls_); }
  std::vector<location_t> take_locations() { return std::move(locations_); }

 private:
  std::vector<Call> calls_;
  std::vector<location_t> locations_;
  std::map<std::tuple<CallKind, bool, bool, std::string>, std::size_t> index_;
};

// The GIMPLE description of an indirect call insn. Expansion set the call
// MEM's MEM_EXPR to `*fn`, fn being the GIMPLE call's called pointer:
//   (call (mem:QI (reg/f:DI 0 ax) [0 *_3 S1 A8]) (const_int 0))
// An insn that names no GIMPLE call keeps the type its MEM says, if any.
IndirectCall describe_indirect_insn(rtx_insn* insn, rtx call_memory, const IndirectSites& sites) {
  tree expr = call_memory ? MEM_EXPR(call_memory) : NULL_TREE;
  const_tree fn = expr && TREE_CODE(expr) == MEM_REF ? TREE_OPERAND(expr, 0) : NULL_TREE;
  if (const IndirectCall* site = sites.find(fn, INSN_LOCATION(insn))) return *site;
  IndirectCall unmatched;
  unmatched.unmatched = true;
  if (fn && POINTER_TYPE_P(TREE_TYPE(fn)) && FUNC_OR_METHOD_TYPE_P(TREE_TYPE(TREE_TYPE(fn)))) {
    unmatched.type = readable_type(TREE_TYPE(TREE_TYPE(fn)));
    unmatched.signature = function_signature(TREE_TYPE(TREE_TYPE(fn)));
  }
  return unmatched;
}

void scan_call_insn(rtx_insn* insn, bool cold, CallList& calls, const IndirectSites& sites,
                    std::vector<IndirectCall>& indirect_calls) {
  Call call;
  call.tail = SIBLING_CALL_P(insn);
  call.cold = cold;
  set_location(call, INSN_LOCATION(insn));
  rtx call_rtx = get_call_rtx_from(insn);
  rtx address = call_rtx && MEM_P(XEXP(call_rtx, 0)) ? XEXP(XEXP(call_rtx, 0), 0) : NULL_RTX;
  if (address && GET_CODE(address) == SYMBOL_REF) {
    call.kind = CallKind::kDirect;
    call.callee = compat::strip_name_encoding(XSTR(address, 0));
  } else {
    call.kind = CallKind::kIndirect;
    call.site = static_cast<std::uint32_t>(indirect_calls.size());
    rtx memory = call_rtx && MEM_P(XEXP(call_rtx, 0)) ? XEXP(call_rtx, 0) : NULL_RTX;
    indirect_calls.push_back(describe_indirect_insn(insn, memory, sites));
  }
  calls.add(std::move(call), INSN_LOCATION(insn));
}

void scan_asm_insn(rtx_insn* insn, bool cold, CallList& calls) {
  rtx body = PATTERN(insn);
  std::vector<Call> found;
  if (GET_CODE(body) == ASM_INPUT) {
    found = scan_asm_template(XSTR(body, 0), nullptr, 0, false);
  } else if (rtx asm_operands = extract_asm_operands(body)) {
    int count = asm_noperands(body);
    std::vector<rtx> operands(count > 0 ? count : 0);
    if (count > 0) decode_asm_operands(body, operands.data(), nullptr, nullptr, nullptr, nullptr);
    found = scan_asm_template(ASM_OPERANDS_TEMPLATE(asm_operands), operands.data(),
                              count > 0 ? count : 0, true);
  }
  for (Call& call : found) {
    call.cold = cold;
    set_location(call, INSN_LOCATION(insn));
    calls.add(std::move(call), INSN_LOCATION(insn));
  }
}

void scan_insn(rtx_insn* insn, bool cold, CallList& calls, const IndirectSites& sites,
               std::vector<IndirectCall>& indirect_calls) {
  if (GET_CODE(PATTERN(insn)) == SEQUENCE) {  // delay-slot targets
    rtx_sequence* sequence = as_a<rtx_sequence*>(PATTERN(insn));
    for (int i = 0; i < sequence->len(); ++i)
      scan_insn(sequence->insn(i), cold, calls, sites, indirect_calls);
    return;
  }
  if (CALL_P(insn))
    scan_call_insn(insn, cold, calls, sites, indirect_calls);
  else if (NONDEBUG_INSN_P(insn))
    scan_asm_insn(insn, cold, calls);
}

}  // namespace

std::vector<Call> scan_calls(const IndirectSites& sites, std::vector<IndirectCall>& indirect_calls,
                             std::vector<location_t>& locations) {
  CallList calls;
  if (const char* hook = compat::profiler_text_call()) {
    Call call;
    call.kind = CallKind::kProfiler;
    call.callee = hook;
    calls.add(std::move(call), DECL_SOURCE_LOCATION(current_function_decl));
  }
  bool cold = first_function_block_is_cold;
  for (rtx_insn* insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
    if (NOTE_P(insn) && NOTE_KIND(insn) == NOTE_INSN_SWITCH_TEXT_SECTIONS) {
      cold = !cold;
      continue;
    }
    if (NONDEBUG_INSN_P(insn)) scan_insn(insn, cold, calls, sites, indirect_calls);
  }
  locations = calls.take_locations();
  return calls.take();
}

}  // namespace kstack
