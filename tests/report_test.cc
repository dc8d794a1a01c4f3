// The analysis behind `kstack report` and `kstack check` on hand-built
// programs: call-graph additions, recursion bounds, entry depths and the
// budget table. Every expected number is worked out by hand beside it; frames
// are small made-up numbers so the sums can be checked at a glance.
#include <gtest/gtest.h>

#include <ostream>

#include "analysed.h"
#include "annotations.h"
#include "depth.h"
#include "graph.h"
#include "program_builder.h"
#include "report.h"

namespace kstack {
namespace {

using namespace test;

AddedCalls added(const std::string& caller, std::vector<std::string> callees, bool indirect,
                 std::uint32_t line = 1) {
  AddedCalls a;
  a.caller = caller;
  a.callees = std::move(callees);
  a.indirect = indirect;
  a.file = "k.ann";
  a.line = line;
  return a;
}

ReportOptions with_added(std::vector<AddedCalls> additions) {
  ReportOptions options;
  options.added_calls = std::move(additions);
  return options;
}

// A direct call to CALLEE from x.c:LINE.
Call call_at(const std::string& callee, std::uint32_t line, bool tail = false) {
  Call c = call_to(callee, tail);
  c.file = "x.c";
  c.line = line;
  return c;
}

Trampoline jumps(const std::string& symbol, std::vector<std::string> targets,
                 std::uint32_t line = 1) {
  Trampoline t;
  t.symbol = symbol;
  t.targets = std::move(targets);
  t.file = "k.ann";
  t.line = line;
  return t;
}

ReportOptions with_trampolines(std::vector<Trampoline> trampolines) {
  ReportOptions options;
  options.trampolines = std::move(trampolines);
  return options;
}

ReportOptions with_bound(const std::string& glob, std::uint64_t activations) {
  ReportOptions options;
  options.depth.recursion.push_back({glob, activations, {"k.ann", 1}});
  return options;
}

// eval and parse_expr call each other; each also leaves the cycle. The last
// activation of eval goes 10 + 100 = 110 deep, that of parse_expr 30 + 20 =
// 50: eval is the deepest member, parse_expr has the largest frame (30).
std::vector<Unit> expression_parser() {
  return {unit({function("start", 16, {call_to("parse_expr")}),
                function("eval", 10, {call_to("parse_expr"), call_to("leaf1")}),
                function("parse_expr", 30, {call_to("eval"), call_to("leaf2")}),
                function("leaf1", 100), function("leaf2", 20)})};
}

// ---------------------------------------------------------------------------
// The call graph and its additions.

TEST(Graph, CallsAnnotationAddsEdgesFromTheAnnotation) {
  // main (16) -> a (32); `calls a hidden` adds a -> hidden (200) and
  // a -> asm_thing, which has no record.
  Analysed p(
      {unit({function("main", 16, {call_to("a")}), function("a", 32), function("hidden", 200)})},
      with_added({added("a", {"hidden", "asm_thing"}, false, 3)}));
  const CallGraph& graph = p.report.graph();
  EXPECT_EQ(graph.edge_count(), 3u);  // main -> a, a -> hidden, a -> asm_thing
  const std::uint32_t a = p.node("a");
  ASSERT_EQ(graph.end(a) - graph.begin(a), 2);
  EXPECT_EQ(graph.begin(a)[0].target, p.node("hidden"));
  EXPECT_EQ(graph.begin(a)[0].call->callee, "hidden");
  EXPECT_EQ(graph.begin(a)[0].call->file, "k.ann");  // where the user said so
  EXPECT_EQ(graph.begin(a)[0].call->line, 3u);
  EXPECT_FALSE(graph.begin(a)[0].call->tail);
  EXPECT_EQ(graph.begin(a)[1].target, kNoFunction);
  EXPECT_TRUE(graph.called(p.node("hidden")));
  // a: 32 + 200 = 232, a lower bound because asm_thing is unknown;
  // main: 16 + 232 = 248.
  EXPECT_EQ(p.depth("a").bytes, 232u);
  EXPECT_EQ(p.depth("main").bytes, 248u);
  EXPECT_FALSE(p.depth("main").complete);
  EXPECT_EQ(p.reason_kinds("main"), (std::vector<Reason::Kind>{Reason::kUnknownCallee}));
  // hidden is called now, so main is the only root.
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"main"}));
  EXPECT_TRUE(p.unused().empty());
}

TEST(Graph, IndirectTargetsReplaceTheIndirectCallsAtEachSitesConvention) {
  // dispatch_call makes a normal indirect call, dispatch_tail a tail one,
  // dispatch_both one of each (x.c:7 normal, x.c:9 tail), and all of them
  // reach h_small (16) or h_big (400). dispatch_both also calls log (8).
  Analysed p({unit({function("dispatch_call", 24, {indirect_call(7)}),
                    function("dispatch_tail", 24, {indirect_call(9, true)}),
                    function("dispatch_both", 24,
                             {indirect_call(7), call_to("log"), indirect_call(9, true)}),
                    function("h_small", 16), function("h_big", 400), function("log", 8)})},
             with_added({added("dispatch_*", {"h_small", "h_big"}, true)}));
  // dispatch_call: 24 + max(16, 400) = 424.
  EXPECT_EQ(p.depth("dispatch_call").bytes, 424u);
  // dispatch_tail: its frame is gone before the jump: max(24, 16, 400) = 400.
  EXPECT_EQ(p.depth("dispatch_tail").bytes, 400u);
  // dispatch_both: max(24 + 400 at x.c:7, 24 + 8 for log, 400 at x.c:9) = 424.
  EXPECT_EQ(p.depth("dispatch_both").bytes, 424u);
  for (const char* f : {"dispatch_call", "dispatch_tail", "dispatch_both"}) {
    EXPECT_TRUE(p.depth(f).complete) << f;  // no indirect call is left unknown
    EXPECT_TRUE(p.depth(f).reasons.empty()) << f;
  }
  EXPECT_EQ(p.depth("dispatch_both").next, p.node("h_big"));
  EXPECT_EQ(p.depth("dispatch_both").via->line, 7u);

  // dispatch_both's edges: log, then each site times each target, site by
  // site, each keeping the site's kind, convention and location.
  const CallGraph& graph = p.report.graph();
  const std::uint32_t both = p.node("dispatch_both");
  ASSERT_EQ(graph.end(both) - graph.begin(both), 5);
  const Edge* e = graph.begin(both);
  EXPECT_EQ(p.name(e[0].target), "log");
  const std::vector<std::pair<std::string, std::uint32_t>> sites = {
      {"h_small", 7}, {"h_big", 7}, {"h_small", 9}, {"h_big", 9}};
  for (std::size_t i = 0; i < sites.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(p.name(e[i + 1].target), sites[i].first);
    EXPECT_EQ(e[i + 1].call->callee, sites[i].first);
    EXPECT_EQ(e[i + 1].call->kind, CallKind::kIndirect);
    EXPECT_EQ(e[i + 1].call->file, "x.c");
    EXPECT_EQ(e[i + 1].call->line, sites[i].second);
    EXPECT_EQ(e[i + 1].call->tail, sites[i].second == 9);
  }
  // 2 + 2 + 5 edges, and the handlers are called now: three roots.
  EXPECT_EQ(graph.edge_count(), 9u);
  EXPECT_EQ(p.entry_names(),
            (std::vector<std::string>{"dispatch_both", "dispatch_call", "dispatch_tail"}));
}

TEST(Graph, AnUnresolvableIndirectTargetIsAnUnknownCallee) {
  // ops (8) reaches h_small (16) or gone_handler, which has no record.
  Analysed p({unit({function("ops", 8, {indirect_call()}), function("h_small", 16)})},
             with_added({added("ops", {"h_small", "gone_handler"}, true)}));
  // 8 + 16 = 24, a lower bound: the unknown is the callee, not the call.
  EXPECT_EQ(p.depth("ops").bytes, 24u);
  EXPECT_FALSE(p.depth("ops").complete);
  EXPECT_EQ(p.reason_kinds("ops"), (std::vector<Reason::Kind>{Reason::kUnknownCallee}));
  EXPECT_EQ(p.report.depth().reasons[p.depth("ops").reasons[0]].detail, "gone_handler");
  ASSERT_EQ(p.report.unknown_callees().size(), 1u);
  EXPECT_EQ(p.report.unknown_callees()[0].symbol, "gone_handler");
  EXPECT_EQ(p.report.unknown_callees()[0].call_sites, 1u);
  EXPECT_EQ(p.report.unknown_callees()[0].first_caller, p.node("ops"));
}

TEST(Graph, ACallerGlobMatchesSameNamedStaticsEachResolvingInItsUnit) {
  // Two units each have a static ops (8) and a static handler: 100 bytes in
  // unit 0, 10 in unit 1.
  Analysed p({unit({function("ops", 8, {indirect_call()}, Binding::kLocal),
                    function("handler", 100, {}, Binding::kLocal)}),
              unit({function("ops", 8, {indirect_call()}, Binding::kLocal),
                    function("handler", 10, {}, Binding::kLocal)})},
             with_added({added("op?", {"handler"}, true)}));
  EXPECT_EQ(p.depth("ops", 0).bytes, 108u);  // 8 + 100
  EXPECT_EQ(p.depth("ops", 1).bytes, 18u);   // 8 + 10
  EXPECT_TRUE(p.depth("ops", 0).complete);
  EXPECT_TRUE(p.depth("ops", 1).complete);
  EXPECT_EQ(p.depth("ops", 0).next, p.node("handler", 0));
  EXPECT_EQ(p.depth("ops", 1).next, p.node("handler", 1));
}

TEST(Graph, AdditionsThatMatchNoFunctionAreReported) {
  Analysed p({unit({function("main", 16)})},
             with_added({added("gone", {"main"}, false, 1), added("main", {"x"}, false, 2),
                         added("nothing_*", {"main"}, true, 3)}));
  ASSERT_EQ(p.report.graph().unmatched().size(), 2u);
  EXPECT_EQ(p.report.graph().unmatched()[0], &p.options.added_calls[0]);
  EXPECT_EQ(p.report.graph().unmatched()[1], &p.options.added_calls[2]);
  EXPECT_EQ(p.unused(), (std::vector<std::string>{
                            "calls 'gone' matches no function @k.ann:1",
                            "indirect 'nothing_*' matches no function @k.ann:3",
                        }));
}

// ---------------------------------------------------------------------------
// Trampolines (`jumps`).

TEST(Trampoline, ACallToItIsACallToEachTargetFromTheSameSite) {
  // main (16) calls __SCT__tick at x.c:5 and log (8); tailer (8) tail-calls
  // __SCT__tick at x.c:9. The trampoline has no record and jumps to
  // tick_small (16) or tick_big (200).
  Analysed p({unit({function("main", 16, {call_at("__SCT__tick", 5), call_to("log")}),
                    function("tailer", 8, {call_at("__SCT__tick", 9, true)}),
                    function("tick_small", 16), function("tick_big", 200), function("log", 8)})},
             with_trampolines({jumps("__SCT__tick", {"tick_small", "tick_big"})}));
  // main: 16 + max(16, 200, 8) = 216, complete: the trampoline is no unknown.
  EXPECT_EQ(p.depth("main").bytes, 216u);
  EXPECT_TRUE(p.depth("main").complete);
  EXPECT_EQ(p.depth("main").next, p.node("tick_big"));
  EXPECT_EQ(p.depth("main").via->line, 5u);
  // tailer: its frame is gone before the jump: max(8, 16, 200) = 200.
  EXPECT_EQ(p.depth("tailer").bytes, 200u);
  EXPECT_TRUE(p.depth("tailer").complete);
  EXPECT_TRUE(p.report.unknown_callees().empty());
  EXPECT_TRUE(p.unused().empty());

  // One edge per target, in the order named, each a copy of the site's call
  // that remembers the call to the trampoline.
  const CallGraph& graph = p.report.graph();
  EXPECT_EQ(graph.edge_count(), 5u);  // main 2 + 1, tailer 2
  const std::uint32_t main = p.node("main");
  ASSERT_EQ(graph.end(main) - graph.begin(main), 3);
  const Edge* e = graph.begin(main);
  EXPECT_EQ(p.name(e[0].target), "tick_small");
  EXPECT_EQ(p.name(e[1].target), "tick_big");
  EXPECT_EQ(p.name(e[2].target), "log");
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(e[i].call->callee, p.name(e[i].target));
    EXPECT_EQ(e[i].call->kind, CallKind::kDirect);
    EXPECT_EQ(e[i].call->file, "x.c");
    EXPECT_EQ(e[i].call->line, 5u);
    EXPECT_FALSE(e[i].call->tail);
    EXPECT_EQ(graph.trampoline_call(e[i].call), &p.report.function(main).calls[0]);
  }
  EXPECT_EQ(graph.trampoline_call(e[2].call), nullptr);
  const std::uint32_t tailer = p.node("tailer");
  ASSERT_EQ(graph.end(tailer) - graph.begin(tailer), 2);
  for (const Edge* t = graph.begin(tailer); t != graph.end(tailer); ++t) {
    EXPECT_TRUE(t->call->tail);
    EXPECT_EQ(t->call->line, 9u);
    EXPECT_EQ(graph.trampoline_call(t->call)->callee, "__SCT__tick");
  }
  // The targets are called now: two roots.
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"main", "tailer"}));
  EXPECT_EQ(p.entered("tick_big").bytes, 16u);

  // The worst paths go straight to the target, through the trampoline.
  std::vector<PathStep> path = p.report.worst_path_steps(main);
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(path[0].via, "");
  EXPECT_EQ(path[1].symbol, "tick_big");
  EXPECT_EQ(path[1].stack(), 216u);
  EXPECT_EQ(path[1].call->line, 5u);
  EXPECT_EQ(path[1].via, "__SCT__tick");
  path = p.report.worst_path_steps(tailer);
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(path[1].before, 0u);
  EXPECT_TRUE(path[1].call->tail);
  EXPECT_EQ(path[1].via, "__SCT__tick");
}

TEST(Trampoline, TargetsResolveFromTheCallersUnitStaticFirst) {
  // use_a (unit 0) and use_b (unit 1) each have a static impl, 100 and 10
  // bytes; use_c (unit 2) has none and reaches the global impl (1000) of
  // unit 3. All three call __SCT__op, which jumps to impl.
  Analysed p({unit({function("use_a", 8, {call_to("__SCT__op")}),
                    function("impl", 100, {}, Binding::kLocal)}),
              unit({function("use_b", 8, {call_to("__SCT__op")}),
                    function("impl", 10, {}, Binding::kLocal)}),
              unit({function("use_c", 8, {call_to("__SCT__op")})}), unit({function("impl", 1000)})},
             with_trampolines({jumps("__SCT__*", {"impl"})}));
  EXPECT_EQ(p.depth("use_a", 0).bytes, 108u);
  EXPECT_EQ(p.depth("use_a", 0).next, p.node("impl", 0));
  EXPECT_EQ(p.depth("use_b", 1).bytes, 18u);
  EXPECT_EQ(p.depth("use_b", 1).next, p.node("impl", 1));
  EXPECT_EQ(p.depth("use_c", 2).bytes, 1008u);
  EXPECT_EQ(p.depth("use_c", 2).next, p.node("impl", 3));
}

TEST(Trampoline, ATargetWithoutARecordIsAnUnknownCallee) {
  // f (8) calls __SCT__a, which jumps to a_impl (30) or a_missing (no
  // record); g (8) calls __SCT__b, which jumps to b_missing, assumed 64; h
  // (8) calls __SCT__c, which jumps to __SCT__a: a target is not looked up
  // as a trampoline again.
  ReportOptions options =
      with_trampolines({jumps("__SCT__a", {"a_impl", "a_missing"}, 1),
                        jumps("__SCT__b", {"b_missing"}, 2), jumps("__SCT__c", {"__SCT__a"}, 3)});
  options.depth.assumed = {{"b_missing", 64, {"k.ann", 4}}};
  Analysed p({unit({function("f", 8, {call_at("__SCT__a", 3)}), function("a_impl", 30),
                    function("g", 8, {call_at("__SCT__b", 4)}),
                    function("h", 8, {call_at("__SCT__c", 5)})})},
             std::move(options));
  // f: 8 + 30 = 38, a lower bound because of a_missing, called at x.c:3.
  EXPECT_EQ(p.depth("f").bytes, 38u);
  EXPECT_FALSE(p.depth("f").complete);
  ASSERT_EQ(p.reason_kinds("f"), (std::vector<Reason::Kind>{Reason::kUnknownCallee}));
  const Reason& missing = p.report.depth().reasons[p.depth("f").reasons[0]];
  EXPECT_EQ(missing.detail, "a_missing");
  EXPECT_EQ(missing.call->line, 3u);
  // g: 8 + 64 = 72, complete: the assumed depth applies to the target.
  EXPECT_EQ(p.depth("g").bytes, 72u);
  EXPECT_TRUE(p.depth("g").complete);
  EXPECT_EQ(p.depth("g").assumed, &p.options.depth.assumed[0]);
  const std::vector<PathStep> path = p.report.worst_path_steps(p.node("g"));
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(path[1].symbol, "b_missing");
  EXPECT_EQ(path[1].assumed, &p.options.depth.assumed[0]);
  EXPECT_EQ(path[1].stack(), 72u);
  EXPECT_EQ(path[1].call->line, 4u);
  EXPECT_EQ(path[1].via, "__SCT__b");
  // h: 8, a lower bound: __SCT__a is an unknown callee here.
  EXPECT_EQ(p.depth("h").bytes, 8u);
  EXPECT_FALSE(p.depth("h").complete);
  EXPECT_EQ(p.report.depth().reasons[p.depth("h").reasons[0]].detail, "__SCT__a");
  // The unknowns are the targets, not the trampolines; equal counts by name.
  const std::vector<UnknownCallee>& unknown = p.report.unknown_callees();
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].symbol, "__SCT__a");
  EXPECT_EQ(unknown[0].first_caller, p.node("h"));
  EXPECT_EQ(unknown[1].symbol, "a_missing");
  EXPECT_EQ(unknown[1].call_sites, 1u);
  EXPECT_EQ(unknown[1].first_caller, p.node("f"));
  EXPECT_TRUE(p.unused().empty());
}

TEST(Trampoline, ASymbolWithARecordIsCalledAsRecorded) {
  // main (16, unit 0) calls __SCT__rec, which has a record (40), and tramp,
  // which has none in unit 0: only a static of unit 1 (24), which user (8,
  // unit 1) calls. Both names match a `jumps` line to big (500).
  Analysed p(
      {unit({function("main", 16, {call_to("__SCT__rec"), call_to("tramp")}),
             function("__SCT__rec", 40), function("big", 500)}),
       unit({function("user", 8, {call_to("tramp")}), function("tramp", 24, {}, Binding::kLocal)})},
      with_trampolines({jumps("__SCT__*", {"big"}, 1), jumps("tramp", {"big"}, 2)}));
  // main: max(16 + 40, 16 + 500) = 516, through tramp, which has no record
  // where main calls it.
  EXPECT_EQ(p.depth("main").bytes, 516u);
  const CallGraph& graph = p.report.graph();
  const Edge* e = graph.begin(p.node("main"));
  ASSERT_EQ(graph.end(p.node("main")) - e, 2);
  EXPECT_EQ(e[0].target, p.node("__SCT__rec"));
  EXPECT_EQ(graph.trampoline_call(e[0].call), nullptr);
  EXPECT_EQ(e[1].target, p.node("big"));
  // user: 8 + 24 = 32, its own static tramp.
  EXPECT_EQ(p.depth("user", 1).bytes, 32u);
  EXPECT_EQ(p.depth("user", 1).next, p.node("tramp", 1));
  // The record won wherever __SCT__* matched: that line applies to nothing.
  EXPECT_EQ(p.unused(),
            (std::vector<std::string>{
                "jumps '__SCT__*' matches no called symbol without a record @k.ann:1"}));
}

TEST(Trampoline, TheFirstMatchingLineWins) {
  // a (8) calls __SCT__foo, b (8) calls __SCT__bar. Line 1 sends __SCT__foo
  // to small (16), line 2 any __SCT__* to big (300); line 3, for
  // __SCT__foo again, comes too late.
  Analysed p(
      {unit({function("a", 8, {call_to("__SCT__foo")}), function("b", 8, {call_to("__SCT__bar")}),
             function("small", 16), function("big", 300)})},
      with_trampolines({jumps("__SCT__foo", {"small"}, 1), jumps("__SCT__*", {"big"}, 2),
                        jumps("__SCT__foo", {"big"}, 3)}));
  EXPECT_EQ(p.depth("a").bytes, 24u);
  EXPECT_EQ(p.report.graph().end(p.node("a")) - p.report.graph().begin(p.node("a")), 1);
  EXPECT_EQ(p.depth("b").bytes, 308u);
  EXPECT_EQ(p.unused(),
            (std::vector<std::string>{
                "jumps '__SCT__foo' matches no called symbol without a record @k.ann:3"}));
}

TEST(Trampoline, AnIndirectTargetCanBeATrampoline) {
  // ops (24) tail-calls through a pointer (x.c:9) that reaches only
  // __SCT__op, which jumps to handler (100): the call keeps its kind, site
  // and convention all the way: max(24, 100) = 100.
  ReportOptions options = with_added({added("ops", {"__SCT__op"}, true)});
  options.trampolines = {jumps("__SCT__op", {"handler"})};
  Analysed p({unit({function("ops", 24, {indirect_call(9, true)}), function("handler", 100)})},
             std::move(options));
  EXPECT_EQ(p.depth("ops").bytes, 100u);
  EXPECT_TRUE(p.depth("ops").complete);
  const Call* via = p.depth("ops").via;
  ASSERT_NE(via, nullptr);
  EXPECT_EQ(via->callee, "handler");
  EXPECT_EQ(via->kind, CallKind::kIndirect);
  EXPECT_TRUE(via->tail);
  EXPECT_EQ(via->line, 9u);
  EXPECT_EQ(p.report.graph().trampoline_call(via)->callee, "__SCT__op");
}

TEST(Trampoline, ALineThatMatchesNoCallIsReported) {
  // Nothing calls __SCT__gone; the `calls` line is reported first, then
  // the `jumps` line, then the `assume` line.
  ReportOptions options = with_added({added("nobody", {"main"}, false, 1)});
  options.trampolines = {jumps("__SCT__gone", {"main"}, 2)};
  options.depth.assumed = {{"memcpy", 8, {"k.ann", 3}}};
  Analysed p({unit({function("main", 16)})}, std::move(options));
  ASSERT_EQ(p.report.graph().unmatched_trampolines().size(), 1u);
  EXPECT_EQ(p.report.graph().unmatched_trampolines()[0], &p.options.trampolines[0]);
  EXPECT_EQ(p.unused(),
            (std::vector<std::string>{
                "calls 'nobody' matches no function @k.ann:1",
                "jumps '__SCT__gone' matches no called symbol without a record @k.ann:2",
                "assume 'memcpy' matches no called symbol without a record @k.ann:3",
            }));
}

// ---------------------------------------------------------------------------
// Recursion bounds.

TEST(RecursionBound, SelfRecursion) {
  // start (16) -> f (48); f -> f and f -> leaf (8); at most 3 activations.
  // The last activation: 48 + 8 = 56; the two before it 2 × 48 = 96.
  Analysed p({unit({function("start", 16, {call_to("f")}),
                    function("f", 48, {call_to("f"), call_to("leaf")}), function("leaf", 8)})},
             with_bound("f", 3));
  EXPECT_EQ(p.depth("f").bytes, 96u + 56u);
  EXPECT_TRUE(p.depth("f").complete);
  EXPECT_EQ(p.depth("f").next, p.node("leaf"));
  EXPECT_EQ(p.depth("start").bytes, 16u + 152u);
  EXPECT_TRUE(p.depth("start").complete);
  ASSERT_EQ(p.report.depth().cycles.size(), 1u);
  const Cycle& cycle = p.report.depth().cycles[0];
  EXPECT_EQ(cycle.bound, &p.options.depth.recursion[0]);
  EXPECT_EQ(cycle.max_frame, 48u);
  EXPECT_EQ(cycle.deepest, p.node("f"));
  EXPECT_EQ(cycle.reason, kNoIndex);
  EXPECT_TRUE(p.report.depth().reasons.empty());
}

TEST(RecursionBound, OneActivationIsTheLastOneAlone) {
  // N = 1: (1 - 1) × 48 + 56.
  Analysed p({unit({function("f", 48, {call_to("f"), call_to("leaf")}), function("leaf", 8)})},
             with_bound("f", 1));
  EXPECT_EQ(p.depth("f").bytes, 56u);
}

TEST(RecursionBound, MutualRecursionAppliesWhenTheGlobMatchesAnyMember) {
  // The bound names parse_expr, which is not the deepest member (eval is).
  // (4 - 1) × 30 + 110 = 200 for both members, whose worst path leaves the
  // cycle from eval to leaf1.
  Analysed p(expression_parser(), with_bound("parse_*", 4));
  EXPECT_EQ(p.depth("eval").bytes, 200u);
  EXPECT_EQ(p.depth("parse_expr").bytes, 200u);
  EXPECT_TRUE(p.depth("parse_expr").complete);
  EXPECT_EQ(p.depth("parse_expr").next, p.node("leaf1"));
  EXPECT_EQ(p.names(worst_path(p.report.depth(), p.node("parse_expr"))),
            (std::vector<std::string>{"parse_expr", "leaf1"}));
  EXPECT_EQ(p.depth("start").bytes, 16u + 200u);
  EXPECT_TRUE(p.depth("start").complete);
  ASSERT_EQ(p.report.depth().cycles.size(), 1u);
  EXPECT_EQ(p.report.depth().cycles[0].deepest, p.node("eval"));
  EXPECT_EQ(p.report.depth().cycles[0].max_frame, 30u);
}

TEST(RecursionBound, UnboundedCyclesRemainLowerBounds) {
  // Without a bound (or with one that matches no member) the calls inside
  // the cycle are left out: eval 10 + 100 = 110, parse_expr 30 + 20 = 50,
  // start 16 + 50 = 66, all lower bounds naming the cycle.
  for (const char* glob : {"", "other"}) {
    SCOPED_TRACE(glob);
    Analysed p(expression_parser(), *glob ? with_bound(glob, 4) : ReportOptions());
    EXPECT_EQ(p.depth("eval").bytes, 110u);
    EXPECT_EQ(p.depth("parse_expr").bytes, 50u);
    EXPECT_EQ(p.depth("start").bytes, 66u);
    for (const char* f : {"eval", "parse_expr", "start"}) {
      EXPECT_FALSE(p.depth(f).complete) << f;
      EXPECT_EQ(p.reason_kinds(f), (std::vector<Reason::Kind>{Reason::kRecursion})) << f;
    }
    EXPECT_TRUE(p.depth("leaf1").complete);
    ASSERT_EQ(p.report.depth().cycles.size(), 1u);
    EXPECT_EQ(p.report.depth().cycles[0].bound, nullptr);
  }
}

TEST(RecursionBound, ABoundedCycleThatCallsAnUnknownIsStillIncomplete) {
  // f (48) -> f, f -> memcpy (no record); 3 activations: 2 × 48 + 48 = 144,
  // a lower bound because of memcpy, not because of the recursion.
  Analysed p({unit({function("start", 16, {call_to("f")}),
                    function("f", 48, {call_to("f"), call_to("memcpy")})})},
             with_bound("f", 3));
  EXPECT_EQ(p.depth("f").bytes, 144u);
  EXPECT_FALSE(p.depth("f").complete);
  EXPECT_EQ(p.reason_kinds("f"), (std::vector<Reason::Kind>{Reason::kUnknownCallee}));
  EXPECT_EQ(p.depth("start").bytes, 160u);
  EXPECT_FALSE(p.depth("start").complete);
  EXPECT_EQ(p.reason_kinds("start"), (std::vector<Reason::Kind>{Reason::kUnknownCallee}));
}

TEST(RecursionBound, AnUnknownBelowAnyMemberMakesEveryMemberIncomplete) {
  // a (10) -> b, a -> leaf (100); b (30) -> a, b -> memcpy. The last
  // activation of a goes deepest (110, against b's 30); 2 activations:
  // 1 × 30 + 110 = 140, incomplete for both because of b's memcpy.
  Analysed p({unit({function("a", 10, {call_to("b"), call_to("leaf")}),
                    function("b", 30, {call_to("a"), call_to("memcpy")}), function("leaf", 100)})},
             with_bound("a", 2));
  for (const char* f : {"a", "b"}) {
    EXPECT_EQ(p.depth(f).bytes, 140u) << f;
    EXPECT_FALSE(p.depth(f).complete) << f;
    EXPECT_EQ(p.reason_kinds(f), (std::vector<Reason::Kind>{Reason::kUnknownCallee})) << f;
  }
}

// ---------------------------------------------------------------------------
// Entry depths: the stack in use when a function is entered.

TEST(EntryDepth, TheDeepestPathFromAnEntryCounts) {
  // e1 (16) -> a (32) -> c (8), and e1 -> c directly; e2 (100) tail-calls a.
  Analysed p({unit({function("e1", 16, {call_to("a"), call_to("c")}),
                    function("e2", 100, {call_to("a", true)}), function("a", 32, {call_to("c")}),
                    function("c", 8)})});
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"e2", "e1"}));  // 100 and 16 + 32 + 8
  // Entries start at 0.
  EXPECT_TRUE(p.entered("e1").reached);
  EXPECT_EQ(p.entered("e1").bytes, 0u);
  EXPECT_EQ(p.entered("e1").entry, p.node("e1"));
  EXPECT_EQ(p.entered("e1").caller, kNoFunction);
  // a: from e1 16; from e2 by a tail call 0 (e2's 100 bytes are released).
  EXPECT_EQ(p.entered("a").bytes, 16u);
  EXPECT_EQ(p.entered("a").entry, p.node("e1"));
  EXPECT_EQ(p.entered("a").caller, p.node("e1"));
  // c: from e1 16; through a 16 + 32 = 48.
  EXPECT_EQ(p.entered("c").bytes, 48u);
  EXPECT_TRUE(p.entered("c").complete);
  EXPECT_EQ(p.entered("c").entry, p.node("e1"));
  EXPECT_EQ(p.entered("c").caller, p.node("a"));
  EXPECT_EQ(p.names(way_in(p.report.entered(), p.node("c"))),
            (std::vector<std::string>{"e1", "a", "c"}));
  EXPECT_EQ(p.names(way_in(p.report.entered(), p.node("e2"))), (std::vector<std::string>{"e2"}));
  // The deepest way in plus the function's own depth is the entry's depth:
  // 48 + 8 = 56 = e1's 16 + 32 + 8.
  EXPECT_EQ(p.entered("c").bytes + p.depth("c").bytes, p.depth("e1").bytes);
}

TEST(EntryDepth, TailCallsAddNothing) {
  // e (100) tail-calls t (8), which calls u (4): t runs where e ran.
  Analysed p({unit({function("e", 100, {call_to("t", true)}), function("t", 8, {call_to("u")}),
                    function("u", 4)})});
  EXPECT_EQ(p.entered("t").bytes, 0u);
  EXPECT_EQ(p.entered("u").bytes, 8u);
  EXPECT_EQ(p.names(way_in(p.report.entered(), p.node("u"))),
            (std::vector<std::string>{"e", "t", "u"}));
}

TEST(EntryDepth, ChosenEntriesOnly) {
  // The same program as TheDeepestPathFromAnEntryCounts, entered at a only:
  // c at 32; e1 and e2 are not reached.
  Analysed p({unit({function("e1", 16, {call_to("a"), call_to("c")}),
                    function("e2", 100, {call_to("a", true)}), function("a", 32, {call_to("c")}),
                    function("c", 8)})});
  const std::vector<EntryDepth> entered =
      analyse_entry_depths(p.report.graph(), p.report.depth(), {p.node("a")});
  EXPECT_FALSE(entered[p.node("e1")].reached);
  EXPECT_FALSE(entered[p.node("e2")].reached);
  EXPECT_EQ(entered[p.node("c")].bytes, 32u);
  EXPECT_EQ(entered[p.node("c")].entry, p.node("a"));
  EXPECT_TRUE(way_in(entered, p.node("e1")).empty());
  EXPECT_EQ(p.names(way_in(entered, p.node("c"))), (std::vector<std::string>{"a", "c"}));
}

TEST(EntryDepth, ThroughABoundedSelfRecursion) {
  // start (16) -> f (48, at most 3 activations) -> leaf (8). f is entered at
  // 16 the first time and 16 + 2 × 48 = 112 the third; leaf at 112 + 48 =
  // 160, and 160 + 8 = 168 is start's depth.
  Analysed p({unit({function("start", 16, {call_to("f")}),
                    function("f", 48, {call_to("f"), call_to("leaf")}), function("leaf", 8)})},
             with_bound("f", 3));
  EXPECT_EQ(p.entered("f").bytes, 112u);
  EXPECT_EQ(p.entered("leaf").bytes, 160u);
  EXPECT_TRUE(p.entered("leaf").complete);
  EXPECT_EQ(p.entered("leaf").bytes + 8, p.depth("start").bytes);
  EXPECT_EQ(p.names(way_in(p.report.entered(), p.node("leaf"))),
            (std::vector<std::string>{"start", "f", "leaf"}));
}

TEST(EntryDepth, ThroughABoundedMutualRecursion) {
  // start (16) -> parse_expr, entered at 16; 4 activations of at most 30
  // bytes: every member at 16 + 3 × 30 = 106. leaf1 below eval (10): 116;
  // leaf2 below parse_expr (30): 136. 116 + 100 = 216 is start's depth.
  Analysed p(expression_parser(), with_bound("parse_*", 4));
  EXPECT_EQ(p.entered("parse_expr").bytes, 106u);
  EXPECT_EQ(p.entered("eval").bytes, 106u);
  EXPECT_EQ(p.entered("leaf1").bytes, 116u);
  EXPECT_EQ(p.entered("leaf2").bytes, 136u);
  EXPECT_TRUE(p.entered("leaf1").complete);
  EXPECT_EQ(p.entered("leaf1").entry, p.node("start"));
  EXPECT_EQ(p.entered("leaf1").caller, p.node("eval"));
  EXPECT_EQ(p.entered("leaf1").bytes + 100, p.depth("start").bytes);
}

TEST(EntryDepth, ThroughAnUnboundedRecursionIsIncomplete) {
  // start (16) -> f (48, recursive, no bound) -> leaf (8): f at least 16,
  // leaf at least 16 + 48 = 64. start -> big (500) -> leaf is deeper (16 +
  // 500 = 516) and complete, but the way through f may be deeper still.
  Analysed p({unit({function("start", 16, {call_to("f"), call_to("big")}),
                    function("f", 48, {call_to("f"), call_to("leaf")}),
                    function("big", 500, {call_to("leaf")}), function("leaf", 8)})});
  EXPECT_EQ(p.entered("f").bytes, 16u);
  EXPECT_FALSE(p.entered("f").complete);
  EXPECT_EQ(p.entered("big").bytes, 16u);
  EXPECT_TRUE(p.entered("big").complete);
  EXPECT_EQ(p.entered("leaf").bytes, 516u);
  EXPECT_FALSE(p.entered("leaf").complete);
  EXPECT_EQ(p.entered("leaf").caller, p.node("big"));
  EXPECT_TRUE(p.entered("start").complete);
}

// ---------------------------------------------------------------------------
// The budget table.

TEST(Report, DefaultEntriesAreTheRootsOfTheCallGraph) {
  // main (16) -> a (8) -> b (8); isr (32) alone; x (8) <-> y (8), which
  // nothing else calls; z (8) calls only itself and b.
  Analysed p(
      {unit({function("main", 16, {call_to("a")}), function("a", 8, {call_to("b")}),
             function("b", 8), function("isr", 32), function("x", 8, {call_to("y")}),
             function("y", 8, {call_to("x")}), function("z", 8, {call_to("z"), call_to("b")})})});
  // Depths: isr 32, main 16 + 8 + 8 = 32, x 8, y 8 (the cycle's calls left
  // out), z 8 + 8 = 16. Deepest first, ties by name.
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"isr", "main", "z", "x", "y"}));
  EXPECT_EQ(p.entry("isr").status, EntryStatus::kOk);
  EXPECT_EQ(p.entry("main").status, EntryStatus::kOk);
  EXPECT_FALSE(p.entry("main").budget.has_value());
  for (const char* f : {"x", "y", "z"}) {
    EXPECT_EQ(p.entry(f).status, EntryStatus::kIncomplete) << f;
    EXPECT_TRUE(p.entry(f).fails()) << f;
  }
  EXPECT_EQ(p.report.failing_entries(), 3u);
  EXPECT_EQ(p.report.unit_count(), 1u);
  EXPECT_EQ(p.report.call_count(), 6u);
  // Both members of the root cycle are entered at 0.
  EXPECT_EQ(p.entered("x").bytes, 0u);
  EXPECT_EQ(p.entered("y").bytes, 0u);
  EXPECT_TRUE(p.unused().empty());
}

TEST(Report, EntryGlobsReplaceTheRoots) {
  ReportOptions options;
  options.entries = {{"a", {"k.ann", 1}}, {"is?", {"k.ann", 2}}, {"nope*", {"", 0}}};
  Analysed p({unit({function("main", 16, {call_to("a")}), function("a", 8, {call_to("b")}),
                    function("b", 8), function("isr", 32)})},
             std::move(options));
  // isr 32, a 8 + 8 = 16; main is no entry any more.
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"isr", "a"}));
  EXPECT_EQ(p.unused(), (std::vector<std::string>{"entry 'nope*' matches no function @:0"}));
  // a is entered at 0 now; main is not reached.
  EXPECT_EQ(p.entered("a").bytes, 0u);
  EXPECT_EQ(p.entered("b").bytes, 8u);
  EXPECT_FALSE(p.entered("main").reached);
}

TEST(Report, EntryGlobsMatchAliasesToo) {
  // Two modules, each with its init function aliased init_module, linked on
  // their own: `entry init_module` names both init functions, once each.
  Alias first{"init_module", "first_init", Binding::kGlobal};
  Alias second{"init_module", "second_init", Binding::kGlobal};
  ReportOptions options;
  options.entries = {{"init_module", {}}, {"first_*", {}}};
  options.link_groups = {0, 1, 2};
  Analysed p({unit({function("kmalloc", 40)}),
              unit({function("first_init", 16, {call_to("kmalloc")})}, {first}),
              unit({function("second_init", 8)}, {second})},
             std::move(options));
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"first_init", "second_init"}));
  EXPECT_TRUE(p.unused().empty());
  EXPECT_EQ(p.depth("first_init", 1).bytes, 56u);
}

TEST(Report, BudgetAndAcceptGlobsMatchAliasesToo) {
  // 32-bit arm's SYSCALL_DEFINEx: the body is __se_sys_*, aliased sys_*; the
  // globs that chose the entries give them their budgets too.
  Alias read{"sys_read", "__se_sys_read", Binding::kGlobal};
  Alias poll{"sys_poll", "__se_sys_poll", Binding::kGlobal};
  ReportOptions options;
  options.entries = {{"sys_*", {}}};
  options.budgets = {{"sys_*", 100, {}}};
  options.accepts = {{"sys_poll", 500, "a known deep path", {}}};
  Analysed p({unit({function("__se_sys_read", 64), function("__se_sys_poll", 400)}, {read, poll})},
             std::move(options));
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"__se_sys_poll", "__se_sys_read"}));
  EXPECT_EQ(p.entry("__se_sys_read").budget, 100u);
  EXPECT_EQ(p.entry("__se_sys_read").status, EntryStatus::kOk);
  EXPECT_EQ(p.entry("__se_sys_poll").status, EntryStatus::kOverBudget);
  EXPECT_NE(p.entry("__se_sys_poll").accepted, nullptr);
  EXPECT_TRUE(p.unused().empty());
}

TEST(Report, SupersededDefinitionsAreNoEntryPoints) {
  // Unit 0: the weak __x64_sys_foo (the sys_ni.c stub, 64) calls ni (8),
  // which only it calls, and memmove, which has no record; main (16) calls
  // __x64_sys_foo. Unit 1: the strong __x64_sys_foo (24) and inl (32),
  // COMDAT; unit 2: inl's second copy and __x64_sys_bar (8).
  Function inl_first = function("inl", 32), inl_second = function("inl", 32);
  inl_first.comdat = inl_second.comdat = true;
  const std::vector<Unit> program = {
      unit({function("__x64_sys_foo", 64, {call_to("ni"), call_to("memmove")}, Binding::kWeak),
            function("ni", 8), function("main", 16, {call_to("__x64_sys_foo")})}),
      unit({function("__x64_sys_foo", 24), inl_first}),
      unit({inl_second, function("__x64_sys_bar", 8)})};
  // Roots: neither the weak stub nor the second COMDAT copy; ni is one,
  // since its only caller is not in the program.
  Analysed roots(program);
  EXPECT_EQ(roots.entry_names(), (std::vector<std::string>{"main", "inl", "__x64_sys_bar", "ni"}));
  EXPECT_EQ(roots.report.entries()[1].node, roots.node("inl", 1));
  EXPECT_EQ(roots.depth("main").bytes, 16u + 24u);
  // memmove is called only from the stub: no unknown callee of the program.
  EXPECT_TRUE(roots.report.unknown_callees().empty());
  // Neither appears among the functions by frame, though the stub's is the
  // largest.
  EXPECT_EQ(roots.names(roots.report.by_frame()),
            (std::vector<std::string>{"inl", "__x64_sys_foo", "main", "__x64_sys_bar", "ni"}));
  EXPECT_EQ(roots.report.by_frame(1), (std::vector<std::uint32_t>{roots.node("inl", 1)}));
  EXPECT_EQ(roots.report.by_frame()[1], roots.node("__x64_sys_foo", 1));

  // An entry glob matches the definition that won, once.
  ReportOptions options;
  options.entries = {{"__x64_sys_*", {}}, {"inl", {}}};
  Analysed globbed(program, std::move(options));
  EXPECT_EQ(globbed.entry_names(),
            (std::vector<std::string>{"inl", "__x64_sys_foo", "__x64_sys_bar"}));
  EXPECT_EQ(globbed.report.entries()[0].node, globbed.node("inl", 1));
  EXPECT_EQ(globbed.report.entries()[1].node, globbed.node("__x64_sys_foo", 1));
  EXPECT_TRUE(globbed.unused().empty());
}

TEST(Report, AnAliasThatLostItsNameNamesNoEntry) {
  // Unit 0 aliases sys_x to impl_a, weakly; unit 1 defines sys_x (8).
  // `entry sys_x` names unit 1's function only.
  Alias weak{"sys_x", "impl_a", Binding::kWeak};
  ReportOptions options;
  options.entries = {{"sys_x", {}}};
  Analysed p({unit({function("impl_a", 100)}, {weak}), unit({function("sys_x", 8)})},
             std::move(options));
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"sys_x"}));
}

TEST(Report, TheFirstMatchingBudgetWinsOverTheCommandLine) {
  ReportOptions options;
  options.budget = 250;
  options.budgets = {
      {"e[12]", 150, {"k.ann", 1}}, {"e*", 400, {"k.ann", 2}}, {"zzz", 1, {"k.ann", 3}}};
  Analysed p(
      {unit({function("e1", 150), function("e2", 200), function("e3", 300), function("main", 50)})},
      std::move(options));
  // e1: 150 <= 150 is within; e2: 200 > 150; e3: 300 <= 400; main: --budget.
  const EntryReport& e1 = p.entry("e1");
  EXPECT_EQ(e1.budget, 150u);
  EXPECT_EQ(e1.budget_source, &p.options.budgets[0]);
  EXPECT_EQ(e1.status, EntryStatus::kOk);
  const EntryReport& e2 = p.entry("e2");
  EXPECT_EQ(e2.budget, 150u);
  EXPECT_EQ(e2.status, EntryStatus::kOverBudget);
  EXPECT_TRUE(e2.fails());
  const EntryReport& e3 = p.entry("e3");
  EXPECT_EQ(e3.budget, 400u);
  EXPECT_EQ(e3.budget_source, &p.options.budgets[1]);
  EXPECT_EQ(e3.status, EntryStatus::kOk);
  const EntryReport& main = p.entry("main");
  EXPECT_EQ(main.budget, 250u);
  EXPECT_EQ(main.budget_source, nullptr);
  EXPECT_EQ(main.status, EntryStatus::kOk);
  EXPECT_EQ(p.report.failing_entries(), 1u);
  EXPECT_EQ(p.unused(), (std::vector<std::string>{"budget 'zzz' matches no entry point @k.ann:3"}));
}

TEST(Report, NoBudgetMeansNoneAndNeverOver) {
  Analysed p({unit({function("huge", 1u << 30)})});
  EXPECT_FALSE(p.entry("huge").budget.has_value());
  EXPECT_EQ(p.entry("huge").budget_source, nullptr);
  EXPECT_EQ(p.entry("huge").status, EntryStatus::kOk);
  EXPECT_EQ(p.report.failing_entries(), 0u);
}

TEST(Report, OverBudgetWinsOverIncomplete) {
  // Budget 100. over: 200, a lower bound (memcpy); partial: 50, a lower
  // bound; fine: 10, complete.
  ReportOptions options;
  options.budget = 100;
  Analysed p({unit({function("over", 200, {call_to("memcpy")}),
                    function("partial", 50, {call_to("memcpy")}), function("fine", 10)})},
             std::move(options));
  EXPECT_EQ(p.entry("over").status, EntryStatus::kOverBudget);
  EXPECT_EQ(p.entry("partial").status, EntryStatus::kIncomplete);
  EXPECT_EQ(p.entry("fine").status, EntryStatus::kOk);
  EXPECT_EQ(p.report.failing_entries(), 2u);
  EXPECT_STREQ(entry_status_name(EntryStatus::kOverBudget), "over-budget");
  EXPECT_STREQ(entry_status_name(EntryStatus::kIncomplete), "incomplete");
  EXPECT_STREQ(entry_status_name(EntryStatus::kOk), "ok");
}

TEST(Report, AcceptsCoverFailuresUpToTheirDepth) {
  // Budget 100. big 300 (accepted up to 300: exactly at the limit); grown
  // 500 (accepted up to 400 only); partial 40, incomplete (accepted up to
  // 40); fine 10 (nothing to accept); gone matches nothing.
  ReportOptions options;
  options.budget = 100;
  options.accepts = {{"big", 300, "known deep path", {"k.ann", 1}},
                     {"grown", 400, "was 400", {"k.ann", 2}},
                     {"partial", 40, "asm helper", {"k.ann", 3}},
                     {"fine", 1000, "never fails", {"k.ann", 4}},
                     {"gone", 1, "stale", {"k.ann", 5}}};
  Analysed p({unit({function("big", 300), function("grown", 500),
                    function("partial", 40, {call_to("asm_helper")}), function("fine", 10)})},
             std::move(options));
  const EntryReport& big = p.entry("big");
  EXPECT_EQ(big.status, EntryStatus::kOverBudget);  // still over, but accepted
  EXPECT_EQ(big.accepted, &p.options.accepts[0]);
  EXPECT_EQ(big.outgrown, nullptr);
  EXPECT_FALSE(big.fails());
  const EntryReport& grown = p.entry("grown");
  EXPECT_EQ(grown.accepted, nullptr);
  EXPECT_EQ(grown.outgrown, &p.options.accepts[1]);
  EXPECT_TRUE(grown.fails());
  const EntryReport& partial = p.entry("partial");
  EXPECT_EQ(partial.status, EntryStatus::kIncomplete);
  EXPECT_EQ(partial.accepted, &p.options.accepts[2]);
  EXPECT_FALSE(partial.fails());
  EXPECT_EQ(p.entry("fine").accepted, nullptr);
  EXPECT_EQ(p.report.failing_entries(), 1u);
  EXPECT_EQ(p.unused(), (std::vector<std::string>{
                            "accept 'fine' matches no failing entry point @k.ann:4",
                            "accept 'gone' matches no failing entry point @k.ann:5",
                        }));
}

TEST(Report, EntriesByDepthAndFunctionsByFrame) {
  // Unit 0: b 64, a 64, c 128, d 8 (nodes 0-3); unit 1: a static a 64
  // (node 4). All are roots.
  Analysed p({unit({function("b", 64), function("a", 64), function("c", 128), function("d", 8)}),
              unit({function("a", 64, {}, Binding::kLocal)})});
  // Deepest first; equal depths by name, then by node.
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"c", "a", "a", "b", "d"}));
  EXPECT_EQ(p.report.entries()[1].node, 1u);
  EXPECT_EQ(p.report.entries()[2].node, 4u);
  // The same order for frames, as depth equals frame here.
  EXPECT_EQ(p.report.by_frame(), (std::vector<std::uint32_t>{2, 1, 4, 0, 3}));

  // Depth and frame orders differ: caller 8 -> callee 100.
  Analysed q({unit({function("caller", 8, {call_to("callee")}), function("callee", 100),
                    function("alone", 50)})});
  EXPECT_EQ(q.entry_names(), (std::vector<std::string>{"caller", "alone"}));  // 108, 50
  EXPECT_EQ(q.names(q.report.by_frame()),
            (std::vector<std::string>{"callee", "alone", "caller"}));  // 100, 50, 8
}

TEST(Report, UnknownCalleesAreCountedPerCallSite) {
  // f calls memcpy twice (one normal, one tail call: two records) and
  // memset; g calls memset, abort and panic (assumed: known); h calls
  // memcpy. memcpy 3 sites, memset 2, abort 1; most first.
  ReportOptions options;
  options.depth.assumed = {{"panic", 0, {}}};
  Analysed p(
      {unit({function("f", 8, {call_to("memcpy"), call_to("memcpy", true), call_to("memset")}),
             function("g", 8, {call_to("memset"), call_to("abort"), call_to("panic")}),
             function("h", 8, {call_to("memcpy")})})},
      std::move(options));
  const std::vector<UnknownCallee>& unknown = p.report.unknown_callees();
  ASSERT_EQ(unknown.size(), 3u);
  EXPECT_EQ(unknown[0].symbol, "memcpy");
  EXPECT_EQ(unknown[0].call_sites, 3u);
  EXPECT_EQ(unknown[0].first_caller, p.node("f"));
  EXPECT_EQ(unknown[1].symbol, "memset");
  EXPECT_EQ(unknown[1].call_sites, 2u);
  EXPECT_EQ(unknown[2].symbol, "abort");
  EXPECT_EQ(unknown[2].call_sites, 1u);
  EXPECT_EQ(unknown[2].first_caller, p.node("g"));
}

TEST(Report, UnknownCalleeSitesCountMergedCalls) {
  // The plugin merges identical direct calls of a function into one record
  // with a count: f calls memcpy 3 times (one record) and memset once;
  // g calls memset twice (one record). memcpy 3 sites, memset 1 + 2 = 3;
  // equal counts by name.
  Call three = call_to("memcpy");
  three.count = 3;
  Call twice = call_to("memset");
  twice.count = 2;
  Analysed p({unit({function("f", 8, {three, call_to("memset")}), function("g", 8, {twice})})});
  const std::vector<UnknownCallee>& unknown = p.report.unknown_callees();
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].symbol, "memcpy");
  EXPECT_EQ(unknown[0].call_sites, 3u);
  EXPECT_EQ(unknown[1].symbol, "memset");
  EXPECT_EQ(unknown[1].call_sites, 3u);
}

// ---------------------------------------------------------------------------
// Worst paths, step by step.

struct Step {
  std::string symbol;
  std::uint64_t frame, before, stack;
};

std::vector<Step> steps_of(const std::vector<PathStep>& path) {
  std::vector<Step> steps;
  for (const PathStep& s : path) steps.push_back({s.symbol, s.frame, s.before, s.stack()});
  return steps;
}

bool operator==(const Step& a, const Step& b) {
  return a.symbol == b.symbol && a.frame == b.frame && a.before == b.before && a.stack == b.stack;
}

void PrintTo(const Step& s, std::ostream* out) {
  *out << s.symbol << " frame " << s.frame << " before " << s.before << " stack " << s.stack;
}

TEST(WorstPathSteps, FramesTailCallsAndAnAssumedDepth) {
  // main (16) -> a (32) -tail-> b (48) -> memcpy (assumed 40).
  // b 48 + 40 = 88; a max(32, 88) = 88; main 16 + 88 = 104.
  ReportOptions options;
  options.depth.assumed = {{"mem*", 40, {"k.ann", 1}}};
  Analysed p({unit({function("main", 16, {call_to("a")}), function("a", 32, {call_to("b", true)}),
                    function("b", 48, {call_to("memcpy")})})},
             std::move(options));
  EXPECT_EQ(p.depth("main").bytes, 104u);
  const std::vector<PathStep> path = p.report.worst_path_steps(p.node("main"));
  // b runs where a ran: 16 bytes above it, not 16 + 32.
  EXPECT_EQ(
      steps_of(path),
      (std::vector<Step>{
          {"main", 16, 0, 16}, {"a", 32, 16, 48}, {"b", 48, 16, 64}, {"memcpy", 40, 64, 104}}));
  ASSERT_EQ(path.size(), 4u);
  EXPECT_EQ(path[0].call, nullptr);
  EXPECT_EQ(path[0].node, p.node("main"));
  EXPECT_EQ(path[1].call->callee, "a");
  EXPECT_TRUE(path[2].call->tail);
  EXPECT_EQ(path[3].node, kNoFunction);
  EXPECT_EQ(path[3].assumed, &p.options.depth.assumed[0]);
  EXPECT_EQ(path[3].call->callee, "memcpy");
  for (const PathStep& step : path) EXPECT_EQ(step.recursion, nullptr);
}

TEST(WorstPathSteps, ALeafsRedZoneIsInItsStackNotInItsFrame) {
  // main (16) -> leaf (200 in .su, 120 in the red zone): the step shows
  // GCC's frame, and its stack reaches the depth, 16 + 200 + 120 = 336.
  Function leaf = function("leaf", 200);
  leaf.red_zone = 120;
  Analysed p({unit({function("main", 16, {call_to("leaf")}), leaf})});
  EXPECT_EQ(p.depth("main").bytes, 336u);
  const std::vector<PathStep> path = p.report.worst_path_steps(p.node("main"));
  EXPECT_EQ(steps_of(path), (std::vector<Step>{{"main", 16, 0, 16}, {"leaf", 200, 16, 336}}));
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(path[0].red_zone, 0u);
  EXPECT_EQ(path[1].red_zone, 120u);
}

TEST(WorstPathSteps, ABoundedRecursionJumpsToItsDeepestMember) {
  // start (16) -> parse_expr (30), 4 activations of at most 30 bytes, the
  // last one eval's (10) -> leaf1 (100): 16 + 3 × 30 + 10 + 100 = 216.
  Analysed p(expression_parser(), with_bound("parse_*", 4));
  const std::vector<PathStep> path = p.report.worst_path_steps(p.node("start"));
  EXPECT_EQ(steps_of(path), (std::vector<Step>{{"start", 16, 0, 16},
                                               {"parse_expr", 30, 16, 46},
                                               {"eval", 10, 106, 116},
                                               {"leaf1", 100, 116, 216}}));
  ASSERT_EQ(path.size(), 4u);
  EXPECT_EQ(path[1].recursion, &p.report.depth().cycles[0]);
  EXPECT_EQ(path[2].recursion, nullptr);
  EXPECT_EQ(path[2].call, nullptr);  // reached inside the cycle
  EXPECT_EQ(path[3].call->callee, "leaf1");
  EXPECT_EQ(p.depth("start").bytes, 216u);
}

TEST(WorstPathSteps, TheLargestStackIsTheDepthWhenTheRecursionEndsThePath) {
  // start (16) -> f (48), which calls only itself, at most 3 activations:
  // f 3 × 48 = 144, start 160. The path must reach 160: the last
  // activation of f sits on 16 + 2 × 48 = 112 bytes.
  Analysed p({unit({function("start", 16, {call_to("f")}), function("f", 48, {call_to("f")})})},
             with_bound("f", 3));
  EXPECT_EQ(p.depth("start").bytes, 160u);
  const std::vector<PathStep> path = p.report.worst_path_steps(p.node("start"));
  EXPECT_EQ(steps_of(path),
            (std::vector<Step>{{"start", 16, 0, 16}, {"f", 48, 16, 64}, {"f", 48, 112, 160}}));
}

// ---------------------------------------------------------------------------
// Stubs (`stub`): code with no record that the user gives a frame and calls.

Stub stub(const std::string& symbol, std::uint64_t bytes, std::vector<std::string> targets,
          std::uint32_t line = 1) {
  Stub s;
  s.symbol = symbol;
  s.bytes = bytes;
  s.targets = std::move(targets);
  s.source = {"k.ann", line};
  return s;
}

// OPTIONS with STUBS, which are appended to UNITS as kstack report does.
ReportOptions with_stubs(std::vector<Unit>& units, std::vector<Stub> stubs,
                         ReportOptions options = {}) {
  options.stubs = std::move(stubs);
  append_stub_units(options, units);
  return options;
}

TEST(Stub, ItsDepthIsItsBytesAndItsDeepestTarget) {
  // lock (16) calls preempt_schedule_thunk at x.c:5. The thunk pushes 88
  // bytes and calls preempt_schedule (100, which calls leaf, 8) and other
  // (40). thunk: 88 + max(100 + 8, 40) = 196; lock: 16 + 196 = 212.
  std::vector<Unit> units = {unit({function("lock", 16, {call_at("preempt_schedule_thunk", 5)}),
                                   function("preempt_schedule", 100, {call_to("leaf")}),
                                   function("leaf", 8), function("other", 40)})};
  ReportOptions options =
      with_stubs(units, {stub("preempt_schedule_thunk", 88, {"preempt_schedule", "other"}, 3)});
  Analysed p(std::move(units), std::move(options));
  const std::uint32_t thunk = p.node("preempt_schedule_thunk", 1);
  EXPECT_EQ(p.report.unit_of(thunk).input, "k.ann");
  EXPECT_EQ(p.report.depth_of(thunk).bytes, 196u);
  EXPECT_TRUE(p.report.depth_of(thunk).complete);
  EXPECT_EQ(p.report.depth_of(thunk).next, p.node("preempt_schedule"));
  EXPECT_EQ(p.depth("lock").bytes, 212u);
  EXPECT_TRUE(p.depth("lock").complete);
  EXPECT_EQ(p.depth("lock").next, thunk);
  // A node like any other: called, so lock is the only root.
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"lock"}));
  EXPECT_EQ(p.entered("preempt_schedule").bytes, 16u + 88u);
  EXPECT_TRUE(p.report.unknown_callees().empty());
  EXPECT_TRUE(p.unused().empty());

  // The path shows the stub where the annotation says it, and its calls as
  // made from there.
  const std::vector<PathStep> path = p.report.worst_path_steps(p.node("lock"));
  EXPECT_EQ(steps_of(path), (std::vector<Step>{{"lock", 16, 0, 16},
                                               {"preempt_schedule_thunk", 88, 16, 104},
                                               {"preempt_schedule", 100, 104, 204},
                                               {"leaf", 8, 204, 212}}));
  ASSERT_EQ(path.size(), 4u);
  EXPECT_EQ(path[1].node, thunk);
  EXPECT_EQ(path[1].call->file, "x.c");
  EXPECT_EQ(path[1].call->line, 5u);
  EXPECT_EQ(p.report.function(thunk).file, "k.ann");
  EXPECT_EQ(p.report.function(thunk).line, 3u);
  EXPECT_EQ(path[2].call->file, "k.ann");
  EXPECT_EQ(path[2].call->line, 3u);
  EXPECT_FALSE(path[2].call->tail);
}

TEST(Stub, WithoutTargetsItIsALeaf) {
  // f (8) calls leaf_asm, g (8) tail-calls it; the stub uses 24.
  std::vector<Unit> units = {unit(
      {function("f", 8, {call_to("leaf_asm")}), function("g", 8, {call_to("leaf_asm", true)})})};
  ReportOptions options = with_stubs(units, {stub("leaf_asm", 24, {})});
  Analysed p(std::move(units), std::move(options));
  EXPECT_EQ(p.depth("f").bytes, 32u);
  EXPECT_TRUE(p.depth("f").complete);
  EXPECT_EQ(p.depth("g").bytes, 24u);
  EXPECT_EQ(p.depth("leaf_asm", 1).bytes, 24u);
  EXPECT_EQ(p.depth("leaf_asm", 1).next, kNoFunction);
  EXPECT_TRUE(p.report.unknown_callees().empty());
}

TEST(Stub, ARecordOfTheSameNameWins) {
  // thunk has a record (40, strong), weak_thunk a weak one (24), read before
  // the stubs; both are stubs too, of 88 bytes calling big (500). Calls
  // reach the records; the stubs are superseded: no entry, no row of the
  // functions by frame, and each line is reported.
  std::vector<Unit> units = {
      unit({function("main", 16, {call_to("thunk"), call_to("weak_thunk")}), function("thunk", 40),
            function("weak_thunk", 24, {}, Binding::kWeak), function("big", 500)})};
  ReportOptions options =
      with_stubs(units, {stub("thunk", 88, {"big"}, 1), stub("weak_thunk", 88, {"big"}, 2)});
  Analysed p(std::move(units), std::move(options));
  EXPECT_EQ(p.depth("main").bytes, 16u + 40u);
  EXPECT_EQ(p.depth("main").next, p.node("thunk"));
  for (const char* name : {"thunk", "weak_thunk"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(p.report.symbols().superseded(p.node(name, 1)));
    EXPECT_FALSE(p.report.symbols().superseded(p.node(name, 0)));
  }
  // big is called only by the stubs, which are not in the program: a root.
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"big", "main"}));
  EXPECT_EQ(p.names(p.report.by_frame()),
            (std::vector<std::string>{"big", "thunk", "weak_thunk", "main"}));
  EXPECT_EQ(p.unused(), (std::vector<std::string>{
                            "stub 'thunk' has a record, which wins @k.ann:1",
                            "stub 'weak_thunk' has a record, which wins @k.ann:2",
                        }));
}

TEST(Stub, AnIncompleteTargetMakesItIncomplete) {
  // lock (16) calls thunk (88), which calls preempt_schedule (100), which
  // calls mystery (no record); irq (8) calls asm_helper (32), which calls
  // missing (no record) and leaf (8). Targets are global names: unit 1's
  // static leaf is not reached by asm_helper, unit 2's global one is.
  std::vector<Unit> units = {unit({function("lock", 16, {call_to("thunk")}),
                                   function("preempt_schedule", 100, {call_to("mystery")}),
                                   function("irq", 8, {call_to("asm_helper")})}),
                             unit({function("leaf", 300, {}, Binding::kLocal),
                                   function("uses_leaf", 8, {call_to("leaf")})}),
                             unit({function("leaf", 8)})};
  ReportOptions options = with_stubs(units, {stub("thunk", 88, {"preempt_schedule"}, 1),
                                             stub("asm_helper", 32, {"missing", "leaf"}, 2)});
  Analysed p(std::move(units), std::move(options));
  const std::uint32_t thunk = p.node("thunk", 3);
  EXPECT_EQ(p.report.depth_of(thunk).bytes, 188u);
  EXPECT_FALSE(p.report.depth_of(thunk).complete);
  EXPECT_EQ(p.depth("lock").bytes, 204u);
  EXPECT_FALSE(p.depth("lock").complete);
  ASSERT_EQ(p.reason_kinds("lock"), (std::vector<Reason::Kind>{Reason::kUnknownCallee}));
  const Reason& mystery = p.report.depth().reasons[p.depth("lock").reasons[0]];
  EXPECT_EQ(mystery.detail, "mystery");
  EXPECT_EQ(mystery.node, p.node("preempt_schedule"));
  // asm_helper: 32 + 8 (unit 2's leaf), a lower bound for its own unknown.
  const std::uint32_t helper = p.node("asm_helper", 3);
  EXPECT_EQ(p.report.depth_of(helper).bytes, 40u);
  EXPECT_EQ(p.report.depth_of(helper).next, p.node("leaf", 2));
  EXPECT_FALSE(p.report.depth_of(helper).complete);
  EXPECT_EQ(p.depth("irq").bytes, 48u);
  EXPECT_FALSE(p.depth("irq").complete);
  ASSERT_EQ(p.report.unknown_callees().size(), 2u);
  EXPECT_EQ(p.report.unknown_callees()[0].symbol, "missing");
  EXPECT_EQ(p.report.unknown_callees()[0].first_caller, helper);
  EXPECT_EQ(p.report.unknown_callees()[1].symbol, "mystery");
  EXPECT_TRUE(p.unused().empty());
}

TEST(Stub, ATargetCanBeATrampolineOrAnAssumedDepth) {
  // f (8) calls thunk (16), which calls __SCT__op (a trampoline to impl,
  // 100) and memcpy_asm (assumed 64): 8 + 16 + 100 = 124.
  std::vector<Unit> units = {unit({function("f", 8, {call_to("thunk")}), function("impl", 100)})};
  ReportOptions base = with_trampolines({jumps("__SCT__op", {"impl"})});
  base.depth.assumed = {{"memcpy_asm", 64, {"k.ann", 2}}};
  ReportOptions options =
      with_stubs(units, {stub("thunk", 16, {"__SCT__op", "memcpy_asm"}, 3)}, std::move(base));
  Analysed p(std::move(units), std::move(options));
  EXPECT_EQ(p.depth("f").bytes, 124u);
  EXPECT_TRUE(p.depth("f").complete);
  const std::vector<PathStep> path = p.report.worst_path_steps(p.node("f"));
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(path[2].symbol, "impl");
  EXPECT_EQ(path[2].via, "__SCT__op");
  EXPECT_TRUE(p.unused().empty());
}

TEST(Stub, RecursionThroughAStubIsFound) {
  // start (8) calls schedule (50), which calls thunk (88), which calls
  // schedule again: one recursive component of two members.
  auto program = [] {
    return std::vector<Unit>{unit({function("start", 8, {call_to("schedule")}),
                                   function("schedule", 50, {call_to("thunk")})})};
  };
  std::vector<Unit> units = program();
  ReportOptions options = with_stubs(units, {stub("thunk", 88, {"schedule"})});
  Analysed p(std::move(units), std::move(options));
  EXPECT_FALSE(p.depth("start").complete);
  EXPECT_EQ(p.reason_kinds("start"), (std::vector<Reason::Kind>{Reason::kRecursion}));
  ASSERT_EQ(p.report.depth().cycles.size(), 1u);
  EXPECT_EQ(p.names(p.report.depth().cycles[0].members),
            (std::vector<std::string>{"schedule", "thunk"}));
  EXPECT_TRUE(p.unused().empty());
  // At most two activations: (2 - 1) × 88 + 88 (thunk's last activation,
  // the deeper) = 176; start 8 + 176.
  units = program();
  options = with_stubs(units, {stub("thunk", 88, {"schedule"})}, with_bound("thunk", 2));
  Analysed q(std::move(units), std::move(options));
  EXPECT_TRUE(q.depth("start").complete);
  EXPECT_EQ(q.depth("start").bytes, 8u + 176u);
  EXPECT_EQ(q.report.depth().cycles[0].max_frame, 88u);
}

TEST(Stub, OneNothingCallsIsReportedUnlessItIsAnEntry) {
  // main (16) calls helper (8); stubs gone (calls helper) and asm_entry
  // (calls main) are called by nothing.
  auto program = [] {
    return std::vector<Unit>{
        unit({function("main", 16, {call_to("helper")}), function("helper", 8)})};
  };
  std::vector<Stub> stubs = {stub("gone", 8, {"helper"}, 1), stub("asm_entry", 24, {"main"}, 2)};
  // Named entries: asm_entry is one, gone is stale.
  std::vector<Unit> units = program();
  ReportOptions named;
  named.entries = {{"asm_*", {}}};
  named = with_stubs(units, stubs, std::move(named));
  Analysed p(std::move(units), std::move(named));
  EXPECT_EQ(p.entry_names(), (std::vector<std::string>{"asm_entry"}));
  EXPECT_EQ(p.depth("asm_entry", 1).bytes, 24u + 16u + 8u);
  EXPECT_EQ(p.unused(),
            (std::vector<std::string>{
                "stub 'gone' is called by no function and is no entry point @k.ann:1"}));
  // Default entries: every root is one, the stubs too, and nothing is stale.
  units = program();
  ReportOptions roots = with_stubs(units, stubs);
  Analysed q(std::move(units), std::move(roots));
  EXPECT_EQ(q.entry_names(), (std::vector<std::string>{"asm_entry", "gone"}));
  EXPECT_TRUE(q.unused().empty());
}

}  // namespace
}  // namespace kstack
