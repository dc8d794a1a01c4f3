// kstack.so: records, for every function GCC emits, its final stack frame and
// its calls, in an ELF note inside the object itself (docs/note-format.md).
//
// Pass placement: the recording pass runs right after `final`. By then the
// prologue is fixed, so the frame is the one -fstack-usage prints, and the
// insn chain is exactly what was printed, so the calls are the final ones
// (tail calls, hot/cold partition, calls merged or removed late). Functions
// that never reach RTL (C++ thunks the target prints as assembly) and aliases
// are taken from the call graph at the end of the unit, when the note is
// written into the assembler output.
#include <map>
#include <set>

#include "frame_explain.h"
#include "frame_warnings.h"
#include "gcc_compat.h"
#include "guard.h"
#include "note_writer.h"
#include "recorder.h"
#include "warning_table.h"

int plugin_is_GPL_compatible;

namespace kstack {
namespace {

struct PluginState {
  Unit unit;
  section* note_section = nullptr;
  std::string section_directive;
  // Thunk symbol -> the symbol it jumps to, from the IPA call graph, before
  // expansion clears the thunk bit of the nodes that are printed as asm.
  std::map<std::string, std::string> thunk_targets;
  // The indirect calls of the function being compiled, from its GIMPLE.
  IndirectSites sites;
  // -Wframe-larger-than and path warnings, printed at the end of the unit.
  FrameWarnings warnings;
  // -fplugin-arg-kstack-table, read once for the warnings and the guard.
  TableFile table;
  // -fplugin-arg-kstack-explain: each frame broken down (frame_explain.h)
  // and the parts recorded in the note.
  bool explain = false;
  // The parts worked out: recorded, or only for the frame warnings' notes.
  bool frame_parts = false;
};

PluginState state;

const pass_data kRecordPassData = compat::plugin_pass_data(RTL_PASS, "kstack");

const pass_data kPointersPassData =
    compat::plugin_pass_data(GIMPLE_PASS, "kstack_pointers", PROP_ssa | PROP_cfg);

// Reads what the function does with function pointers (function_pointers.cc)
// for the record pass to pick up after final.
class PointersPass : public gimple_opt_pass {
 public:
  explicit PointersPass(gcc::context* ctxt) : gimple_opt_pass(kPointersPassData, ctxt) {}
  bool gate(function*) override { return true; }
  unsigned int execute(function* fun) override {
    // Before this function's `final`, where GCC would check the frame.
    state.warnings.take_over_gcc_check();
    state.sites.clear();
    scan_function_pointers(fun, state.unit.references, state.sites);
    return 0;
  }
};

class RecordPass : public rtl_opt_pass {
 public:
  explicit RecordPass(gcc::context* ctxt) : rtl_opt_pass(kRecordPassData, ctxt) {}
  bool gate(function*) override { return true; }
  unsigned int execute(function*) override {
    std::vector<location_t> call_locations;
    Function record =
        record_current_function(state.sites, state.unit.indirect_calls, call_locations);
    state.sites.clear();
    state.warnings.add_current_function(state.unit.functions.size(), std::move(call_locations));
    // GCC expands most thunks as ordinary functions and clears their thunk
    // bit on the way; the IPA-time list still knows them.
    if (state.thunk_targets.count(record.name)) record.thunk = true;
    if (state.frame_parts) record.frame_parts = take_frame_parts(record);
    state.unit.functions.push_back(std::move(record));
    return 0;
  }
};

void collect_thunk_targets(void*, void*) {
  cgraph_node* node;
  FOR_EACH_DEFINED_FUNCTION(node) {
    // The callee may be a local alias of the target (.LTHUNK0, which has no
    // symbol in the object); name the function it stands for.
    if (compat::is_thunk(node) && node->callees)
      state.thunk_targets[symbol_name(node->decl)] =
          symbol_name(node->callees->callee->ultimate_alias_target()->decl);
  }
}

// Functions emitted without passing through RTL: asm thunks. Their frame is
// the return address alone (they adjust `this` in registers and jump); any
// other such function gets an unknown frame so no tool takes it as 0.
void record_functions_without_rtl(const std::set<std::string>& recorded) {
  cgraph_node* node;
  FOR_EACH_FUNCTION(node) {
    if (node->alias || !node->definition || !TREE_ASM_WRITTEN(node->decl)) continue;
    std::string name = symbol_name(node->decl);
    if (recorded.count(name)) continue;
    Function record;
    describe_decl(node->decl, record);
    record.no_su_line = true;
    auto thunk = state.thunk_targets.find(name);
    if (thunk != state.thunk_targets.end()) {
      record.thunk = true;
      record.frame_size = record.static_size = compat::return_address_in_frame();
      Call call;
      call.kind = note::CallKind::kDirect;
      call.tail = true;
      call.callee = thunk->second;
      record.calls.push_back(call);
    } else {
      record.frame_unknown = true;
    }
    if (state.frame_parts) record.frame_parts = frame_parts_without_rtl(record);
    state.unit.functions.push_back(std::move(record));
  }
}

void record_aliases() {
  cgraph_node* node;
  FOR_EACH_FUNCTION(node) {
    if (!node->alias || !node->definition || node->weakref) continue;
    Alias alias;
    alias.name = symbol_name(node->decl);
    // get_alias_target() asserts that the alias reference exists; look first.
    ipa_ref* ref = nullptr;
    if (node->iterate_reference(0, ref) && ref->use == IPA_REF_ALIAS)
      alias.target = symbol_name(ref->referred->decl);
    else if (node->alias_target && TREE_CODE(node->alias_target) == IDENTIFIER_NODE)
      alias.target = compat::strip_name_encoding(IDENTIFIER_POINTER(node->alias_target));
    alias.binding = decl_binding(node->decl);
    state.unit.aliases.push_back(std::move(alias));
  }
}

void collect_static_initializers(void*, void*) { scan_static_initializers(state.unit.references); }

void take_over_frame_warning(void*, void*) { state.warnings.take_over_gcc_check(); }

void finish_unit(void*, void*) {
  if (seen_error() || !asm_out_file) return;
  // A slim LTO object carries no code; lto1 records the functions at link time.
  if (flag_generate_lto && !flag_fat_lto_objects && !in_lto_p) return;
  Unit& unit = state.unit;
  unit.main_input = main_input_filename ? main_input_filename : "";
  unit.output_base = aux_base_name ? aux_base_name : "";
  unit.producer = std::string("GCC ") + compat::compiler_version();
  unit.target = KSTACK_TARGET_TRIPLET;
  unit.return_address_in_frame = compat::return_address_in_frame();
  if (in_lto_p) unit.flags |= note::kUnitLto;
  if (state.explain) unit.flags |= note::kUnitExplained;
  std::set<std::string> recorded;
  for (const Function& f : unit.functions) recorded.insert(f.name);
  record_functions_without_rtl(recorded);
  record_aliases();
  state.warnings.emit(unit);
  if (seen_error()) return;  // -Werror made a warning an error: no object
  // Parts worked out for the warnings alone leave the note as without them.
  if (!state.explain)
    for (Function& f : unit.functions) f.frame_parts.clear();
  switch_to_section(state.note_section);
  write_note(unit, compat::asm_comment(), asm_out_file);
}

// The --target= of a GCC's configure line, which tells two builds of one GCC
// version apart (a native and a cross compiler).
std::string configured_target(const char* configuration) {
  const char* at = configuration ? strstr(configuration, "--target=") : nullptr;
  if (!at) return "native";
  at += strlen("--target=");
  return std::string(at, strcspn(at, " "));
}

struct Arguments {
  bool disable = false;  // load, record nothing
  bool exclude = false;  // SHF_EXCLUDE: only relocatable links keep the note
  bool explain = false;  // break each frame down (frame_explain.h)
  WarningOptions warnings;
  std::optional<std::uint64_t> guard;  // the stack limit to check (guard.h)
  std::string table;                   // a JSON report; empty: none
};

const char kKnownArguments[] =
    "'disable', 'exclude', 'explain', 'frame-warn', 'guard', 'path-warn', 'table'";

// A byte count: decimal digits that fit in 63 bits (GCC's HOST_WIDE_INT).
bool parse_bytes(const char* text, std::uint64_t& bytes) {
  if (!text || !*text) return false;
  bytes = 0;
  for (const char* c = text; *c; ++c) {
    if (*c < '0' || *c > '9') return false;
    const std::uint64_t digit = *c - '0';
    if (bytes > (static_cast<std::uint64_t>(INT64_MAX) - digit) / 10) return false;
    bytes = bytes * 10 + digit;
  }
  return true;
}

// Every key is reported with its full flag, the way GCC names it.
bool parse_arguments(const plugin_name_args* info, Arguments& args) {
  bool ok = true;
  for (int i = 0; i < info->argc; ++i) {
    const plugin_argument& arg = info->argv[i];
    // The flag as the user wrote it, for every message about it.
    std::string flag = std::string("-fplugin-arg-") + info->base_name + "-" + arg.key;
    if (arg.value) flag += std::string("=") + arg.value;
    bool* boolean = !strcmp(arg.key, "disable")   ? &args.disable
                    : !strcmp(arg.key, "exclude") ? &args.exclude
                    : !strcmp(arg.key, "explain") ? &args.explain
                                                  : nullptr;
    std::optional<std::uint64_t>* bytes = !strcmp(arg.key, "frame-warn") ? &args.warnings.frame_warn
                                          : !strcmp(arg.key, "path-warn") ? &args.warnings.path_warn
                                          : !strcmp(arg.key, "guard")     ? &args.guard
                                                                          : nullptr;
    if (boolean) {
      if (arg.value) {
        error("%qs: %qs takes no value", flag.c_str(), arg.key);
        ok = false;
      }
      *boolean = true;
    } else if (bytes) {
      std::uint64_t value = 0;
      if (parse_bytes(arg.value, value)) {
        *bytes = value;
      } else {
        error("%qs: %qs takes a number of bytes (%<%s=BYTES%>)", flag.c_str(), arg.key, arg.key);
        ok = false;
      }
    } else if (!strcmp(arg.key, "table")) {
      if (!arg.value || !*arg.value) {
        error("%qs: %qs takes a file (%<table=FILE%>, a %<kstack report --format=json%>)",
              flag.c_str(), arg.key);
        ok = false;
      } else {
        args.table = arg.value;
      }
    } else {
      error("%qs: unknown kstack argument %qs (known: %s)", flag.c_str(), arg.key, kKnownArguments);
      ok = false;
    }
  }
  return ok;
}

}  // namespace
}  // namespace kstack

int plugin_init(plugin_name_args* info, plugin_gcc_version* version) {
  using namespace kstack;
  static plugin_info about = {"0.1.0", "records stack frames and calls in a kstack ELF note"};

  // Pass placement: after final (see the file comment). The GIMPLE reader
  // runs after "optimized", the last GIMPLE pass at every -O level: the
  // indirect calls it sees are the ones expanded, and it still has types.
  // The guard's pass runs there too, once IPA and inlining are over
  // (guard.h); it adds a direct call, which the reader has no use for, so
  // the two may run in either order.
  static register_pass_info record_pass = {new RecordPass(g), "final", 1, PASS_POS_INSERT_AFTER};
  static register_pass_info pointers_pass = {new PointersPass(g), "optimized", 1,
                                             PASS_POS_INSERT_AFTER};
  static GuardPass* guard = new GuardPass(g);
  static register_pass_info guard_pass = {guard, "optimized", 1, PASS_POS_INSERT_AFTER};

  // Version check: a plugin runs only in the GCC whose headers built it.
  if (!plugin_default_version_check(version, &gcc_version)) {
    error(
        "%qs was built for GCC %s (%s) and cannot run in GCC %s (%s); rebuild it with "
        "%<cmake -DKSTACK_PLUGIN_CC=...%> naming this compiler",
        info->full_name, gcc_version.basever,
        configured_target(gcc_version.configuration_arguments).c_str(), version->basever,
        configured_target(version->configuration_arguments).c_str());
    return 1;
  }

  // Arguments, in one pass.
  Arguments args;
  if (!parse_arguments(info, args)) return 1;
  register_callback(info->base_name, PLUGIN_INFO, nullptr, &about);
  if (args.disable) return 0;
  state.table = TableFile(args.table);
  state.warnings.configure(args.warnings, state.table);

  // GCC keeps the stack-usage figures only when asked to; this changes no code.
  flag_stack_usage_info = 1;

  // The note section: non-allocated SHT_NOTE, created now, entered at the end.
  // With `exclude` it is also SHF_EXCLUDE ("e"): `ld -r` keeps it, a final
  // link drops it without an orphan warning (a kernel's vDSO, linked by a
  // script that does not discard .discard.*; docs/note-format.md).
  state.section_directive = std::string("\t.section\t") + note::kNoteSection + ",\"" +
                            (args.exclude ? "e" : "") + "\"," + kstack::compat::note_section_type();
  state.note_section =
      get_unnamed_section(0, output_section_asm_op, state.section_directive.c_str());

  // Record each function once final has printed it.
  register_callback(info->base_name, PLUGIN_PASS_MANAGER_SETUP, nullptr, &record_pass);
  // Read each function's GIMPLE for indirect calls and function addresses.
  register_callback(info->base_name, PLUGIN_PASS_MANAGER_SETUP, nullptr, &pointers_pass);
  // What fills each frame, read before final (frame_explain.h): when asked,
  // and for the notes of frame warnings when a threshold is already set
  // (by -Wframe-larger-than= or frame-warn; one set only by a pragma in the
  // source comes too late to add passes, and its warnings have no parts).
  state.explain = args.explain;
  state.frame_parts = args.explain || state.warnings.may_warn_frames();
  if (state.frame_parts) register_frame_explain(info->base_name);
  // Only when asked: the check at function entry, and the root that keeps
  // its callee's declaration from the garbage collector.
  if (args.guard) {
    guard->configure(*args.guard, state.table);
    register_callback(info->base_name, PLUGIN_PASS_MANAGER_SETUP, nullptr, &guard_pass);
    register_callback(info->base_name, PLUGIN_REGISTER_GGC_ROOTS, nullptr,
                      const_cast<ggc_root_tab*>(kGuardRoots));
  }
  // Learn thunk targets while the call graph still marks thunks: before IPA
  // (inlining turns some into ordinary functions) and after it (late ones).
  register_callback(info->base_name, PLUGIN_ALL_IPA_PASSES_START, collect_thunk_targets, nullptr);
  register_callback(info->base_name, PLUGIN_ALL_IPA_PASSES_END, collect_thunk_targets, nullptr);
  // Static initializers, once IPA has dropped the unreachable variables.
  register_callback(info->base_name, PLUGIN_ALL_IPA_PASSES_END, collect_static_initializers,
                    nullptr);
  // Take -Wframe-larger-than over once the unit is parsed (frame_warnings.h).
  register_callback(info->base_name, PLUGIN_ALL_IPA_PASSES_START, take_over_frame_warning, nullptr);
  // Print the stack warnings, then write the unit's note into the assembler
  // output.
  register_callback(info->base_name, PLUGIN_FINISH_UNIT, finish_unit, nullptr);
  return 0;
}
