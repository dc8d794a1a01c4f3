// The compile-time stack warnings: `-Wframe-larger-than=` with call-depth
// context, and warnings about deep paths (-fplugin-arg-kstack-path-warn).
//
// Taking over GCC's check: final_start_function (final.cc) warns when
// get_frame_size() exceeds warn_frame_larger_than_size. Once the unit is
// parsed (command line, per-file flags and `#pragma GCC diagnostic` have all
// set the option), kstack keeps that threshold for itself and sets the
// option to HOST_WIDE_INT_MAX, GCC's own "unset", so GCC's check never fires
// and the option stays enabled for diagnostics. The option only feeds that
// check: code is unchanged. kstack then compares the same quantity against
// the same threshold, so exactly the functions GCC would flag are flagged, and
// it warns under the same option (OPT_Wframe_larger_than_), so -Werror,
// -Wno-error=frame-larger-than= and `#pragma GCC diagnostic` act on it as
// before. -Wno-frame-larger-than sets the option to -1, which disables the
// option: kstack leaves it so and every one of its warnings stays silent.
//
// The warnings wait for the end of the unit, when every function's frame
// and calls are known, so each can say where the function sits: the deepest
// call chain below it in this file and the callers in this file that reach
// it (unit_depth.h); with a table from an earlier `kstack report`
// (warning_table.h), the worst path through it from an entry point against
// that entry's budget.
#ifndef KSTACK_PLUGIN_FRAME_WARNINGS_H
#define KSTACK_PLUGIN_FRAME_WARNINGS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gcc_compat.h"
#include "kstack/records.h"

namespace kstack {

class TableFile;  // warning_table.h

struct WarningOptions {
  std::optional<std::uint64_t> frame_warn;  // used when GCC's option is not given
  std::optional<std::uint64_t> path_warn;
};

// What a warning needs about one compiled function beyond its record.
struct FrameFacts {
  tree decl;
  std::size_t record;             // index in Unit::functions
  std::uint64_t locals;           // get_frame_size(): what GCC compares
  location_t warning_location;    // where GCC's own warning would point
  std::vector<location_t> calls;  // per Function::calls, where it is made
};

class FrameWarnings {
 public:
  // TABLE (-fplugin-arg-kstack-table, if given) outlives this object.
  void configure(const WarningOptions& options, TableFile& table) {
    options_ = options;
    table_ = &table;
  }
  // Whether a frame warning may fire, by the options known at start-up.
  bool may_warn_frames() const;
  // Takes the threshold over from GCC's option; idempotent. Call it after
  // parsing and before the first function reaches `final`.
  void take_over_gcc_check();
  // Precondition: right after `final` of the current function, whose record
  // is Unit::functions[RECORD].
  void add_current_function(std::size_t record, std::vector<location_t> call_locations);
  // Prints the warnings of the unit, whose functions are all recorded.
  void emit(const Unit& unit);

 private:
  WarningOptions options_;
  TableFile* table_ = nullptr;
  std::optional<std::uint64_t> threshold_for(HOST_WIDE_INT gcc_option) const;

  bool taken_ = false;
  std::optional<std::uint64_t> frame_threshold_;
  std::vector<FrameFacts> facts_;
};

}  // namespace kstack

#endif  // KSTACK_PLUGIN_FRAME_WARNINGS_H
