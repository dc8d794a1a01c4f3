// `kstack verify` on hand-built programs and results: reading the runtime's
// records, and the verdict for each entry function. Frames are small
// made-up numbers so each bound can be checked at a glance.
#include "verify.h"

#include <gtest/gtest.h>

#include "analysed.h"
#include "checked.h"
#include "program_builder.h"

namespace kstack {
namespace {

using namespace test;

std::string record(const std::string& entry, std::uint64_t peak, bool overflowed = false,
                   std::uint64_t pid = 1) {
  return "{\"kstack_runtime\":1,\"pid\":" + std::to_string(pid) +
         ",\"thread\":2,\"entry\":" + entry +
         ",\"module\":\"/p\",\"address\":\"0x1f\",\"peak\":" + std::to_string(peak) +
         ",\"painted\":4096,\"stack\":8192,\"overflowed\":" + (overflowed ? "true" : "false") +
         ",\"ended\":\"return\"}\n";
}

TEST(Verify, ReadsEveryMemberOfARecordAndSkipsBlankLines) {
  const std::string text = "\n" + record("\"main\"", 96) + "  \n" + record("null", 7, true, 9);
  const std::vector<Measurement> m = parse_measurements(text);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].offset, 1u);
  EXPECT_EQ(m[0].pid, 1u);
  EXPECT_EQ(m[0].thread, 2u);
  EXPECT_EQ(m[0].entry, "main");
  EXPECT_EQ(m[0].module, "/p");
  EXPECT_EQ(m[0].address, 0x1fu);
  EXPECT_EQ(m[0].peak, 96u);
  EXPECT_EQ(m[0].painted, 4096u);
  EXPECT_FALSE(m[0].overflowed);
  EXPECT_EQ(m[0].ended, "return");
  EXPECT_FALSE(m[1].entry.has_value());
  EXPECT_TRUE(m[1].overflowed);
  EXPECT_EQ(m[1].pid, 9u);
}

// Where an error is reported: OFFSET into TEXT, with MESSAGE.
void expect_error(const std::string& text, std::uint64_t offset, const std::string& message) {
  try {
    parse_measurements(text);
    ADD_FAILURE() << "no error for " << text;
  } catch (const InputError& e) {
    EXPECT_EQ(e.offset, offset) << text;
    EXPECT_EQ(e.what(), message) << text;
  }
}

TEST(Verify, ErrorsNameTheOffsetInTheFile) {
  const std::string good = record("\"main\"", 1);
  expect_error(good + "[1]\n", good.size(), "a measurement is not a JSON object");
  expect_error(good + "{\"kstack_runtime\":3}", good.size() + 18,
               "results version 3 is not 1: a newer kstack wrote them");
  expect_error(good + "{\"kstack_runtime\":1}", good.size(), "a measurement has no 'pid'");
  std::string negative = record("\"main\"", 1);
  negative.replace(negative.find("\"peak\":1"), 8, "\"peak\":-1");
  expect_error(negative, negative.find("-1"),
               "'peak' is not an integer from 0 to 18446744073709551615");
}

TEST(Verify, AReportDocumentIsNamedAsSuch) {
  expect_error("{\n  \"schema\": \"kstack-report\",\n  \"functions\": []\n}\n", 0,
               "a 'kstack-report' document, not kstack runtime results");
}

TEST(Verify, EachEntryIsJudgedByItsDeepestPeak) {
  // main (16) -> work (32) -> leaf (8): main 56, work 40. open (8) calls
  // `ext`, which has no record: a lower bound of 8.
  Analysed p(
      {unit({function("main", 16, {call_to("work")}), function("work", 32, {call_to("leaf")}),
             function("leaf", 8), function("open", 8, {call_to("ext")})})});
  const std::vector<Measurement> measurements =
      parse_measurements(record("\"main\"", 40) + record("\"main\"", 56) + record("\"work\"", 41) +
                         record("\"open\"", 500) + record("\"leaf\"", 8, true) +
                         record("\"gone\"", 1) + record("null", 1));
  const Verification v = verify_measurements(p.report, measurements);
  ASSERT_EQ(v.entries.size(), 6u);
  EXPECT_EQ(v.processes, 1u);
  EXPECT_EQ(v.above_bound, 1u);

  const VerifiedEntry& main = v.entries[0];
  EXPECT_EQ(main.name, "main");
  EXPECT_EQ(main.measurements.size(), 2u);
  EXPECT_EQ(main.deepest->peak, 56u);
  EXPECT_EQ(main.verdict, Verdict::kProved);
  EXPECT_DOUBLE_EQ(*main.tightness, 1.0);

  EXPECT_EQ(v.entries[1].verdict, Verdict::kAboveBound);  // 41 > 40
  EXPECT_EQ(v.entries[2].verdict, Verdict::kIncomplete);  // 500 over a lower bound of 8
  EXPECT_FALSE(v.entries[2].tightness.has_value());
  EXPECT_EQ(v.entries[3].verdict, Verdict::kUnpainted);  // 8 <= 8, but the painting filled
  EXPECT_EQ(v.entries[4].verdict, Verdict::kNoRecord);
  EXPECT_EQ(v.entries[5].name, "/p+0x1f");
  EXPECT_EQ(v.entries[5].verdict, Verdict::kNoRecord);
}

TEST(Verify, AnOverflowedPeakAboveACompleteBoundIsStillUnsound) {
  Analysed p({unit({function("main", 16)})});
  const std::vector<Measurement> m = parse_measurements(record("\"main\"", 64, true));
  EXPECT_EQ(verify_measurements(p.report, m).entries[0].verdict, Verdict::kAboveBound);
}

TEST(Verify, TwoFunctionsOfOneNameAreAmbiguousAndAnAliasFindsItsTarget) {
  Analysed p({unit({function("task", 16, {}, Binding::kLocal), function("body", 24)},
                   {Alias{"start", "body", Binding::kGlobal}}),
              unit({function("task", 32, {}, Binding::kLocal)})});
  const std::vector<Measurement> m =
      parse_measurements(record("\"task\"", 8) + record("\"start\"", 24));
  const Verification v = verify_measurements(p.report, m);
  EXPECT_EQ(v.entries[0].verdict, Verdict::kAmbiguous);
  EXPECT_EQ(v.entries[1].verdict, Verdict::kProved);
  EXPECT_EQ(v.entries[1].node, p.node("body"));
}

TEST(Verify, ASourceFileTellsStaticEntriesOfOneNameApart) {
  // Two units compiled from a.c and lib/b.c, each with a static `task`.
  Unit a = unit({function("task", 16, {}, Binding::kLocal)});
  a.main_input = "a.c";
  Unit b = unit({function("task", 32, {}, Binding::kLocal)});
  b.main_input = "/src/lib/b.c";
  Analysed p({a, b});
  std::string from_b = record("\"task\"", 32);
  from_b.insert(from_b.find(",\"module\""), ",\"file\":\"lib/b.c\"");
  std::string from_a = record("\"task\"", 8);
  from_a.insert(from_a.find(",\"module\""), ",\"file\":\"a.c\"");
  const std::vector<Measurement> m = parse_measurements(from_b + from_a + record("\"task\"", 1));
  EXPECT_EQ(m[0].file, "lib/b.c");
  EXPECT_FALSE(m[2].file.has_value());
  const Verification v = verify_measurements(p.report, m);
  ASSERT_EQ(v.entries.size(), 3u);
  EXPECT_EQ(v.entries[0].name, "task (lib/b.c)");
  EXPECT_EQ(v.entries[0].node, p.node("task", 1));
  EXPECT_EQ(v.entries[0].verdict, Verdict::kProved);
  EXPECT_EQ(v.entries[1].name, "task (a.c)");
  EXPECT_EQ(v.entries[1].node, p.node("task", 0));
  // With no file, the name alone cannot choose.
  EXPECT_EQ(v.entries[2].name, "task");
  EXPECT_EQ(v.entries[2].verdict, Verdict::kAmbiguous);
}

TEST(Verify, MeasurementsOfOtherProgramsAreLeftOutWhenTheProgramIsAnInput) {
  Analysed p({unit({function("main", 16)})});
  std::string cat = record("\"main\"", 4000, false, 2);
  cat.replace(cat.find("\"/p\""), 4, "\"/bin/cat\"");
  const std::vector<Measurement> m = parse_measurements(record("\"main\"", 16) + cat);
  // The executable is an input (from another directory): cat's run is left out.
  const Verification linked = verify_measurements(p.report, m, {"build/p"});
  EXPECT_EQ(linked.other_programs, 1u);
  EXPECT_EQ(linked.other_modules, (std::vector<std::string>{"/bin/cat"}));
  ASSERT_EQ(linked.entries.size(), 1u);
  EXPECT_EQ(linked.entries[0].verdict, Verdict::kProved);
  EXPECT_EQ(linked.processes, 1u);
  // Only objects are: nothing says which program is which, and all count.
  const Verification objects = verify_measurements(p.report, m, {"main.o"});
  EXPECT_EQ(objects.other_programs, 0u);
  EXPECT_EQ(objects.entries[0].verdict, Verdict::kAboveBound);
}

}  // namespace
}  // namespace kstack
