// `kstack verify`: measured stack peaks (runtime/, docs/runtime.md) against
// the static bounds of the same program.
//
// The runtime writes one JSON line per measured call of an entry function
// (main, a thread's start routine). Each is set against the worst-case depth
// kstack computes for that function. A peak above a complete bound is a
// soundness bug of kstack (or of an annotation that promised too little):
// the one outcome that fails. A peak above an incomplete bound is expected,
// since that bound is only a lower one; a peak that filled everything the
// runtime painted is only a lower bound itself. Tightness is bound / peak:
// how far above reality the analysis is, for the inputs the program ran.
#ifndef KSTACK_TOOL_VERIFY_H
#define KSTACK_TOOL_VERIFY_H

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report.h"

namespace kstack {

// The one results version this reader knows (runtime/kstack_runtime.c).
inline constexpr std::uint64_t kReadableResultsVersion = 1;

// One measured call of an entry function.
struct Measurement {
  std::uint64_t offset = 0;  // of its line in the results file
  std::uint64_t pid = 0;
  std::uint64_t thread = 0;
  std::optional<std::string> entry;  // its symbol; none if the runtime found none
  std::optional<std::string> file;   // a local symbol's source file, as the symbol table has it
  std::string module;
  std::uint64_t address = 0;  // as linked, in MODULE
  std::uint64_t peak = 0;
  std::uint64_t painted = 0;
  bool overflowed = false;  // PEAK reached the end of the painting: a lower bound
  std::string ended;        // "return", "thread-exit", "exit", "running"
};

// Parses a results file: one JSON object per line, blank lines ignored.
// Throws InputError at the offset of the first thing that is not a readable
// record (a newer version is named as such).
std::vector<Measurement> parse_measurements(std::string_view text);

enum class Verdict {
  kProved,      // peak <= complete bound
  kAboveBound,  // peak > complete bound: unsound
  kIncomplete,  // the bound is a lower one: nothing to prove
  kUnpainted,   // the peak filled the painting, and is below the bound: inconclusive
  kNoRecord,    // the entry has no record in the inputs (or no symbol)
  kAmbiguous,   // several functions have the entry's name
};
const char* verdict_name(Verdict verdict);  // as the table shows it: "ABOVE BOUND"
const char* verdict_id(Verdict verdict);    // as JSON has it: "above_bound"

// An entry function and every measurement of it, against its bound.
struct VerifiedEntry {
  // The symbol, or MODULE+ADDRESS when there is none; "SYMBOL (FILE)" when
  // two static entries have the same symbol.
  std::string name;
  std::uint32_t node = kNoFunction;
  std::vector<const Measurement*> measurements;
  const Measurement* deepest = nullptr;  // the largest peak
  Verdict verdict = Verdict::kNoRecord;
  // The bound / the largest peak; set for a complete bound and a peak > 0.
  std::optional<double> tightness;
};

struct Verification {
  std::vector<VerifiedEntry> entries;  // in order of first measurement
  std::size_t processes = 0;
  std::size_t above_bound = 0;
  // Measurements of other programs, left out: their modules, in order.
  std::size_t other_programs = 0;
  std::vector<std::string> other_modules;
};

// Sets MEASUREMENTS against the bounds of REPORT, the program read from
// INPUTS. A results file may hold the runs of other programs too (a
// preloaded runtime is inherited by every child process): when some
// measurement's module is one of INPUTS (by file name, so a program may
// have moved), those of other modules are left out. When none is (the
// inputs are the program's objects), every measurement counts.
// Precondition: MEASUREMENTS outlive the result.
Verification verify_measurements(const Report& report, const std::vector<Measurement>& measurements,
                                 const std::vector<std::string>& inputs = {});

// The table to OUT; an error for each entry measured above its bound to
// ERRORS.
void print_verification(std::ostream& out, std::ostream& errors, const Report& report,
                        const Verification& verification);
// The same as JSON, schema "kstack-verify" version 1 (docs/runtime.md), for
// a CI system to read; the errors go to ERRORS as for text.
void print_verification_json(std::ostream& out, std::ostream& errors, const Report& report,
                             const Verification& verification, const std::string& producer);

}  // namespace kstack

#endif  // KSTACK_TOOL_VERIFY_H
