// Archives: GNU archives with symbol and long-name tables, BSD archives and
// thin archives (whose members are files next to the archive), the member
// display name `lib.a(m.o)`, and damage to member headers.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <climits>
#include <filesystem>
#include <fstream>

#include "note_builder.h"

namespace kstack::test {
namespace {

// An object whose one unit has `main_input` as its main input.
Bytes object_for(const std::string& main_input) {
  Unit unit = sample_unit();
  unit.main_input = main_input;
  return build_kstack_elf({}, {encode_descriptor(unit, Endian::kLittle).bytes});
}

std::vector<std::string> inputs_of(const ReadResult& result) {
  std::vector<std::string> inputs;
  for (const Unit& unit : result.units) inputs.push_back(unit.input + " " + unit.main_input);
  return inputs;
}

const std::vector<Member> kMembers = {
    {"a.o", object_for("a.c")},
    {"a_very_long_member_name.o", object_for("long.c")},
    {"b.o", object_for("b.c")},
};

const std::vector<std::string> kExpectedInputs = {
    "lib.a(a.o) a.c", "lib.a(a_very_long_member_name.o) long.c", "lib.a(b.o) b.c"};

TEST(Archive, ReadsGnuArchiveWithSymbolAndLongNameTables) {
  ReadResult result = read_bytes("lib.a", build_archive(ArchiveFlavor::kGnu, kMembers));
  EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
  EXPECT_EQ(inputs_of(result), kExpectedInputs);
}

TEST(Archive, ReadsBsdArchive) {
  ReadResult result = read_bytes("lib.a", build_archive(ArchiveFlavor::kBsd, kMembers));
  EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
  EXPECT_EQ(inputs_of(result), kExpectedInputs);
}

TEST(Archive, EmptyArchiveSaysNothing) {
  ReadResult result = read_bytes("lib.a", build_archive(ArchiveFlavor::kGnu, {}));
  EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kstack-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  void write(const std::string& name, const Bytes& bytes) const {
    std::filesystem::path file = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }

 private:
  std::string path_;
};

TEST(Archive, ReadsThinArchiveMembersRelativeToTheArchive) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::vector<Member> members = {{"kernel/fork.o", object_for("kernel/fork.c")},
                                 {"mm/missing.o", object_for("mm/missing.c")},
                                 {"notelf.o", Bytes(100, 'x')},
                                 {"kernel/exit.o", object_for("kernel/exit.c")}};
  dir.write("built-in.a", build_archive(ArchiveFlavor::kThin, members));
  dir.write("kernel/fork.o", members[0].data);
  dir.write("notelf.o", members[2].data);
  dir.write("kernel/exit.o", members[3].data);

  std::string archive = dir.path() + "/built-in.a";
  ReadResult result = read_file(archive);
  EXPECT_EQ(result.diagnostics,
            (std::vector<std::string>{
                "kstack: error: '" + archive +
                    "(mm/missing.o)': cannot open: No such file or "
                    "directory",
                "kstack: error: '" + archive + "(notelf.o)': archive member is not an ELF file"}));
  EXPECT_EQ(inputs_of(result),
            (std::vector<std::string>{archive + "(kernel/fork.o) kernel/fork.c",
                                      archive + "(kernel/exit.o) kernel/exit.c"}));
}

TEST(Archive, MemberOffsetsCountFromTheMember) {
  Unit unit = sample_unit();
  Bytes descriptor = encode_descriptor(unit, Endian::kLittle, {/*version=*/7}).bytes;
  Bytes archive =
      build_archive(ArchiveFlavor::kGnu, {{"new.o", build_kstack_elf({}, {descriptor})}});
  ReadResult result = read_bytes("lib.a", archive);
  EXPECT_EQ(result.diagnostics,
            std::vector<std::string>{"kstack: error: 'lib.a(new.o)': offset 0x54: kstack note "
                                     "format version 7 is newer than this kstack supports (1)"});
}

TEST(Archive, MembersBeforeABadHeaderAreRead) {
  Bytes archive = build_archive(ArchiveFlavor::kGnu, kMembers);
  Bytes last = build_archive(ArchiveFlavor::kGnu, {kMembers.begin(), kMembers.end() - 1});
  archive[last.size() + 48] = 'z';  // the last member's size field
  ReadResult result = read_bytes("lib.a", archive);
  EXPECT_EQ(
      result.diagnostics,
      std::vector<std::string>{"kstack: error: 'lib.a': offset " + format_hex(last.size() + 48) +
                               ": archive member size is not a decimal number"});
  EXPECT_EQ(result.units.size(), 2u);
}

TEST(Archive, RejectsLongNameOutsideTable) {
  Bytes archive = build_archive(ArchiveFlavor::kGnu, kMembers);
  std::string text(archive.begin(), archive.end());
  std::size_t name = text.find("/0              ");
  ASSERT_NE(name, std::string::npos);
  archive[name + 1] = '9';
  archive[name + 2] = '9';
  ReadResult result = read_bytes("lib.a", archive);
  EXPECT_EQ(result.diagnostics,
            std::vector<std::string>{"kstack: error: 'lib.a': offset " + format_hex(name) +
                                     ": archive member long name offset 99 is out of range"});
}

// Without a bound, 60-byte headers that all name one long name of 512 KB
// made a 1 MB thin archive cost 4.5 GB.
TEST(Archive, RejectsNamesLongerThanAPath) {
  std::string longest(PATH_MAX - 1, 'n');
  for (ArchiveFlavor flavor : {ArchiveFlavor::kGnu, ArchiveFlavor::kBsd}) {
    ReadResult result = read_bytes("lib.a", build_archive(flavor, {{longest, object_for("a.c")}}));
    EXPECT_EQ(result.diagnostics, std::vector<std::string>{});
    EXPECT_EQ(result.units.size(), 1u);
  }
  Bytes archive = build_archive(ArchiveFlavor::kGnu, {{longest + "n", object_for("a.c")}});
  std::string text(archive.begin(), archive.end());
  std::size_t name = text.find("/0              ");
  ASSERT_NE(name, std::string::npos);
  ReadResult result = read_bytes("lib.a", archive);
  EXPECT_EQ(result.diagnostics,
            std::vector<std::string>{"kstack: error: 'lib.a': offset " + format_hex(name) +
                                     ": archive member name of " + std::to_string(PATH_MAX) +
                                     " bytes is longer than a path can be"});
  result = read_bytes("lib.a", build_archive(ArchiveFlavor::kBsd, {{longest + "n", {}}}));
  EXPECT_EQ(result.errors, 1);
}

TEST(Archive, EveryTruncatedArchiveGivesAtMostOneError) {
  for (ArchiveFlavor flavor : {ArchiveFlavor::kGnu, ArchiveFlavor::kBsd}) {
    Bytes full = build_archive(flavor, kMembers);
    for (std::size_t size = 0; size < full.size(); ++size) {
      SCOPED_TRACE(testing::Message() << "archive cut to " << size << " bytes");
      ReadResult result = read_bytes("lib.a", Bytes(full.begin(), full.begin() + size));
      // A cut between members leaves a valid, shorter archive (as does one
      // that drops only the last member's padding); any other cut is one
      // error, in the archive or in the member it splits.
      EXPECT_LE(result.errors, 1);
      if (size < full.size() - 1) {
        EXPECT_LT(result.units.size(), kMembers.size());
      }
    }
  }
}

}  // namespace
}  // namespace kstack::test
