// The reader's libFuzzer target: any bytes, read as an input file the way
// `kstack dump` reads one, must yield units and diagnostics and nothing else
// (no crash, no undefined behaviour, no leak, no allocation out of proportion
// to the input). tests/fuzz/run.sh builds it with clang and runs it.
//
// The reader touches the file system in one place: a thin archive names its
// members as paths, relative to the archive's directory or absolute, and
// the reader opens them. The fuzzer must not open files that a mutated
// member name happens to spell, so the input is given a path inside
// /proc/self/kstack-fuzz-no-such-dir/, a directory no one can create: every
// relative member path fails there (path lookup stops at the missing
// directory, even for "../../etc/passwd"). Absolute member names would still
// reach the file system; such inputs are rejected before the reader sees
// them, using the archive parser the reader itself uses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "archive.h"
#include "checked.h"
#include "diagnostics.h"
#include "input_reader.h"
#include "kstack/records.h"

namespace {

constexpr char kInputPath[] = "/proc/self/kstack-fuzz-no-such-dir/input";

// Formats each diagnostic (so the formatting is fuzzed too) and drops it.
class DiscardingDiagnostics : public kstack::Diagnostics {
 public:
  void report(const kstack::Diagnostic& diagnostic) override {
    formatted_size += kstack::format_diagnostic(diagnostic).size();
  }
  std::size_t formatted_size = 0;
};

// True if `file` is a thin archive with a member the reader would open by
// absolute path (see input_reader.cc: a name starting with '/').
bool names_absolute_member(kstack::ByteSpan file) {
  if (!kstack::is_archive(file)) return false;
  kstack::Archive archive = kstack::read_archive(file);
  if (!archive.thin) return false;
  for (const kstack::ArchiveMember& member : archive.members)
    if (!member.name.empty() && member.name[0] == '/') return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kstack::ByteSpan file(data, size, 0, kstack::Endian::kLittle, "file");
  if (names_absolute_member(file)) return -1;  // not added to the corpus
  DiscardingDiagnostics diagnostics;
  std::vector<kstack::Unit> units;
  kstack::read_input_bytes(kInputPath, data, size, diagnostics, units);
  return 0;
}
