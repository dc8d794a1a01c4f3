// The su printer: the lines GCC's -fstack-usage writes to x.su,
//   FILE:LINE:COLUMN:SU_NAME<TAB>FRAME_SIZE<TAB>QUALIFIER
// so that `kstack dump --format=su` can be compared with GCC's own files as a
// sorted set. GCC writes no line for a function whose frame it could not
// compute or for an assembler-output thunk; neither does this printer.
#include "printers.h"

namespace kstack {

void print_su(std::ostream& out, const std::vector<Unit>& units) {
  for (const Unit& unit : units)
    for (const Function& function : unit.functions) {
      if (function.no_su_line || function.frame_unknown) continue;
      out << function.file << ':' << function.line << ':' << function.column << ':'
          << function.su_name << '\t' << function.frame_size << '\t'
          << frame_kind_name(function.frame_kind) << '\n';
    }
}

}  // namespace kstack
