// What fills each function's static frame (-fplugin-arg-kstack-explain):
// the return address, the saved registers, each variable's slot, the spill
// slots, padding; parts that add up to the static size exactly
// (kstack::frame_parts_sum, docs/note-format.md). frame_explain.cc has the
// method.
#ifndef KSTACK_PLUGIN_FRAME_EXPLAIN_H
#define KSTACK_PLUGIN_FRAME_EXPLAIN_H

#include <vector>

#include "gcc_compat.h"
#include "kstack/records.h"

namespace kstack {

// Registers the passes that read the frame, and the GC root of the
// declarations they keep between passes. Called from plugin_init only when
// explaining: without it no pass runs and nothing changes.
void register_frame_explain(const char* plugin_name);

// The parts of the function RECORD describes, which has just been through
// `final` (record_current_function); empty for an unknown or empty frame.
std::vector<FramePart> take_frame_parts(const Function& record);

// The parts of a function emitted without RTL (an asm thunk): the return
// address alone, or all of it unattributed.
std::vector<FramePart> frame_parts_without_rtl(const Function& record);

}  // namespace kstack

#endif  // KSTACK_PLUGIN_FRAME_EXPLAIN_H
