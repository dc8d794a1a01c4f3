// The GCC-free halves of the plugin's compile-time warnings: the depth
// within one unit (plugin/unit_depth.h) and the whole-program table read
// back from the JSON `kstack report` writes (plugin/warning_table.h).
#include <gtest/gtest.h>

#include <sstream>

#include "analysed.h"
#include "checked.h"
#include "program_builder.h"
#include "report_printers.h"
#include "unit_depth.h"
#include "warning_table.h"

namespace kstack {
namespace {

using namespace test;

std::vector<std::string> names(const Unit& u, const std::vector<std::uint32_t>& fs) {
  std::vector<std::string> result;
  for (std::uint32_t f : fs) result.push_back(u.functions[f].name);
  return result;
}

// top -> mid -> leaf, big -> leaf; mid also calls out and through a pointer.
Unit chain_unit() {
  return unit({function("leaf", 600, {call_to("ext")}),
               function("mid", 100, {call_to("leaf"), indirect_call(), call_to("ext")}),
               function("top", 40, {call_to("mid")}),
               function("big", 700, {call_to("ext"), call_to("leaf")})});
}

TEST(UnitDepth, DeepestChainAndWayIn) {
  Unit u = chain_unit();
  UnitCallGraph g(u);
  EXPECT_EQ(g.depth(0).bytes, 600u);
  EXPECT_FALSE(g.depth(0).complete);  // 'ext' is outside the unit
  EXPECT_EQ(g.depth(1).bytes, 700u);
  EXPECT_EQ(g.depth(2).bytes, 740u);
  EXPECT_EQ(g.depth(3).bytes, 1300u);
  EXPECT_EQ(names(u, g.deepest_chain(2)), (std::vector<std::string>{"top", "mid", "leaf"}));
  // The deepest way into leaf is from big (700 in use), not top (140).
  EXPECT_EQ(g.way_in(0).bytes, 700u);
  EXPECT_EQ(names(u, g.deepest_way_in(0)), (std::vector<std::string>{"big", "leaf"}));
  EXPECT_EQ(g.through(0), 1300u);
  EXPECT_EQ(g.way_in(3).bytes, 0u);
  EXPECT_EQ(g.callers(0).size(), 2u);
}

TEST(UnitDepth, UnfollowedCallsOfAChain) {
  Unit u = chain_unit();
  UnitCallGraph g(u);
  std::vector<UnfollowedCall> calls = g.unfollowed(g.deepest_chain(1));
  ASSERT_EQ(calls.size(), 3u);  // mid: pointer, ext; leaf: ext
  EXPECT_EQ(calls[0].why, UnfollowedCall::kThroughPointer);
  EXPECT_EQ(calls[1].why, UnfollowedCall::kOutsideUnit);
  EXPECT_EQ(calls[2].caller, 0u);
}

TEST(UnitDepth, TailCallsReleaseTheFrame) {
  Unit u = unit({function("a", 100, {call_to("b", true)}), function("b", 30)});
  UnitCallGraph g(u);
  EXPECT_EQ(g.depth(0).bytes, 100u);  // max(own 100, b's 30 alone)
  EXPECT_EQ(g.depth(0).next, kNoUnitFunction);
  EXPECT_EQ(g.way_in(1).bytes, 0u);
  EXPECT_TRUE(g.depth(0).complete);
}

TEST(UnitDepth, RecursionIsLeftOutAndNamed) {
  Unit u = unit({function("r", 50, {call_to("s")}), function("s", 20, {call_to("r"), call_to("t")}),
                 function("t", 10), function("main", 8, {call_to("r")})});
  UnitCallGraph g(u);
  EXPECT_EQ(g.depth(0).bytes, 50u);  // r -> s is recursion, left out
  EXPECT_EQ(g.depth(1).bytes, 30u);  // s -> t leaves the component
  EXPECT_FALSE(g.depth(3).complete);
  EXPECT_EQ(g.depth(3).bytes, 58u);
  std::vector<UnfollowedCall> calls = g.unfollowed({0});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].why, UnfollowedCall::kRecursion);
}

TEST(UnitDepth, AliasesAndRedZones) {
  Function leaf = function("leaf_impl", 16);
  leaf.red_zone = 120;
  Unit u = unit({function("f", 32, {call_to("leaf")}), leaf}, {Alias{"leaf", "leaf_impl"}});
  UnitCallGraph g(u);
  EXPECT_EQ(g.own_stack(1), 136u);
  EXPECT_EQ(g.depth(0).bytes, 168u);
  EXPECT_TRUE(g.depth(0).complete);
}

TEST(UnitDepth, LongChainsDoNotRecurse) {
  std::vector<Function> fs;
  for (int i = 0; i < 200000; ++i)
    fs.push_back(function("f" + std::to_string(i), 8, {call_to("f" + std::to_string(i + 1))}));
  fs.push_back(function("f200000", 8));
  Unit u = unit(std::move(fs));
  UnitCallGraph g(u);
  EXPECT_EQ(g.depth(0).bytes, 8u * 200001);
  EXPECT_EQ(g.way_in(200000).bytes, 8u * 200000);
}

// The table is what `kstack report --format=json` writes.
std::string report_of(const Analysed& p) {
  std::ostringstream out;
  ReportPrintOptions options;
  print_report_json(out, p.report, options);
  return out.str();
}

TEST(WarningTable, ReadsWhatTheReportWrites) {
  ReportOptions options;
  options.budget = 5000;
  Analysed p({unit({function("main", 16, {call_to("a"), call_to("b")}),
                    function("a", 32, {call_to("c")}), function("b", 400, {call_to("c")}),
                    function("c", 100, {call_to("d")}), function("d", 8)})},
             options);
  WarningTable t = WarningTable::parse(report_of(p));
  ASSERT_EQ(t.size(), 5u);
  const TableFunction* c = t.find("c", "");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->reached);
  EXPECT_EQ(c->entered, 416u);  // main + b
  EXPECT_EQ(c->depth, 108u);
  EXPECT_EQ(t.through(*c), 524u);
  EXPECT_EQ(t.function(c->entry).name, "main");
  EXPECT_EQ(t.budget(c->entry), 5000u);
  std::vector<std::string> way;
  for (std::uint32_t id : t.way_in(t.id_of(*c))) way.push_back(t.function(id).name);
  EXPECT_EQ(way, (std::vector<std::string>{"main", "b", "c"}));
  std::vector<std::string> down;
  for (std::uint32_t id : t.way_down(t.id_of(*c))) down.push_back(t.function(id).name);
  EXPECT_EQ(down, (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(t.find("nothing", ""), nullptr);
}

TEST(WarningTable, WaysInThroughRecursion) {
  Analysed p({unit({function("main", 16, {call_to("a")}), function("a", 32, {call_to("b")}),
                    function("b", 40, {call_to("a")})})});
  WarningTable t = WarningTable::parse(report_of(p));
  const TableFunction* b = t.find("b", "");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->through_cycle);  // entered through a's and b's component
  EXPECT_EQ(t.function(b->caller).name, "a");
  EXPECT_FALSE(b->entered_complete);
  EXPECT_FALSE(t.find("a", "")->through_cycle);
}

TEST(WarningTable, LocalFunctionsMatchTheirFile) {
  Function a = function("helper", 10, {}, Binding::kLocal);
  a.file = "a.c";
  Function b = function("helper", 90, {}, Binding::kLocal);
  b.file = "b.c";
  Analysed p({unit({function("ea", 8, {call_to("helper")}), a}),
              unit({function("eb", 8, {call_to("helper")}), b})});
  WarningTable t = WarningTable::parse(report_of(p));
  ASSERT_NE(t.find("helper", "b.c"), nullptr);
  EXPECT_EQ(t.find("helper", "b.c")->frame, 90u);
  EXPECT_EQ(t.find("helper", "a.c")->frame, 10u);
  EXPECT_EQ(t.find("helper", "c.c"), nullptr);
  // GCC's path, the report's stripped of a prefix.
  EXPECT_EQ(t.find("helper", "/src/linux/b.c")->frame, 90u);
  EXPECT_EQ(t.find("helper", "/src/linux/xb.c"), nullptr);
}

TEST(WarningTable, RefusesWhatIsNoReadableReport) {
  auto error_of = [](const std::string& text) -> std::string {
    try {
      WarningTable::parse(text);
    } catch (const InputError& e) {
      return std::to_string(e.offset) + ": " + e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_of(R"({"schema": "kstack-report", "version": 2})"),
            "39: kstack-report version 2 is newer than this kstack supports (1)");
  // A function the table cannot read, in a report of a newer version: the
  // version is the error.
  EXPECT_EQ(error_of(R"({"schema": "kstack-report", "version": 2, "functions": [{}]})"),
            "39: kstack-report version 2 is newer than this kstack supports (1)");
  EXPECT_EQ(error_of(R"({"schema": "kstack-report", "version": 1, "functions": 3})"),
            "55: 'functions' is not an array");
  EXPECT_EQ(error_of(R"({"format": "kstack-dump"})"),
            "11: a 'kstack dump' document, not a report: write one with 'kstack report "
            "--format=json'");
  EXPECT_EQ(error_of(R"({"schema": "kstack-report", "version": 1, "functions": [)"),
            "56: expected a value");
  // An id that points nowhere is refused where it is written.
  std::string bad = R"({"schema": "kstack-report", "version": 1, "entries": [], "functions": [)"
                    R"({"id": 0, "function": "f", "file": "", "line": 1, "binding": "global", )"
                    R"("frame": 8, "red_zone": 0, "depth": 8, "complete": true, "next": 7, )"
                    R"("entered": null}]})";
  EXPECT_EQ(error_of(bad),
            std::to_string(bad.find("7, ")) + ": 'next' is not a function id below 1");
}

TEST(WarningTable, ReadNamesTheFile) {
  std::string error;
  EXPECT_FALSE(WarningTable::read("/nonexistent/kstack.json", error));
  EXPECT_EQ(error, "'/nonexistent/kstack.json': cannot open: No such file or directory");
}

}  // namespace
}  // namespace kstack
