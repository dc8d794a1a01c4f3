// Resolution and worst-case depth on hand-built programs whose answers are
// computed by hand in each test.
#include <gtest/gtest.h>

#include "depth.h"
#include "program_builder.h"
#include "resolve.h"

namespace kstack {
namespace {

using namespace test;

struct Program {
  explicit Program(std::vector<Unit> u, DepthOptions o = {}, std::vector<AddedCalls> added = {},
                   const std::vector<std::uint32_t>& link_groups = {})
      : units(std::move(u)),
        options(std::move(o)),
        symbols(units, link_groups),
        graph(symbols, added),
        analysis(analyse_depth(graph, options)) {}

  std::uint32_t node(std::uint32_t unit, const std::string& name) const {
    for (std::uint32_t n = 0; n < symbols.size(); ++n)
      if (symbols.id(n).unit == unit && symbols.function(n).name == name) return n;
    ADD_FAILURE() << "no function " << name << " in unit " << unit;
    return kNoFunction;
  }
  const Depth& depth(std::uint32_t unit, const std::string& name) const {
    return analysis.depth[node(unit, name)];
  }
  std::vector<std::string> path(std::uint32_t unit, const std::string& name) const {
    std::vector<std::string> names;
    for (std::uint32_t n : worst_path(analysis, node(unit, name)))
      names.push_back(symbols.function(n).name);
    return names;
  }
  std::vector<Reason::Kind> reason_kinds(std::uint32_t unit, const std::string& name) const {
    std::vector<Reason::Kind> kinds;
    for (std::uint32_t r : depth(unit, name).reasons) kinds.push_back(analysis.reasons[r].kind);
    return kinds;
  }

  std::vector<Unit> units;
  DepthOptions options;
  SymbolTable symbols;
  CallGraph graph;
  DepthAnalysis analysis;
};

TEST(Depth, ChainAddsFrames) {
  Program p({unit(
      {function("a", 32, {call_to("b")}), function("b", 48, {call_to("c")}), function("c", 16)})});
  EXPECT_EQ(p.depth(0, "a").bytes, 32u + 48u + 16u);
  EXPECT_TRUE(p.depth(0, "a").complete);
  EXPECT_EQ(p.path(0, "a"), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Depth, TailCallReleasesTheCallersFrame) {
  // a (32) tail-calls b (48): b runs on a's entry stack, so 48, not 80.
  Program p({unit({function("a", 32, {call_to("b", true)}), function("b", 48)})});
  EXPECT_EQ(p.depth(0, "a").bytes, 48u);
  EXPECT_EQ(p.path(0, "a"), (std::vector<std::string>{"a", "b"}));
  // ... and a callee smaller than the caller's frame leaves the frame deepest.
  Program q({unit({function("a", 64, {call_to("b", true)}), function("b", 16)})});
  EXPECT_EQ(q.depth(0, "a").bytes, 64u);
}

TEST(Depth, DeepestCalleeWins) {
  Program p({unit({function("a", 10, {call_to("small"), call_to("big")}), function("small", 5),
                   function("big", 500)})});
  EXPECT_EQ(p.depth(0, "a").bytes, 510u);
  EXPECT_EQ(p.path(0, "a"), (std::vector<std::string>{"a", "big"}));
}

TEST(Depth, UnknownCalleeIsNamedAndNeverZero) {
  Program p({unit({function("a", 32, {call_to("b")}), function("b", 16, {call_to("memcpy")})})});
  const Depth& a = p.depth(0, "a");
  EXPECT_FALSE(a.complete);
  EXPECT_EQ(a.bytes, 48u);  // a lower bound
  ASSERT_EQ(a.reasons.size(), 1u);
  EXPECT_EQ(p.analysis.reasons[a.reasons[0]].kind, Reason::kUnknownCallee);
  EXPECT_EQ(p.analysis.reasons[a.reasons[0]].detail, "memcpy");
}

TEST(Depth, AssumedDepthMakesAnUnknownCalleeKnown) {
  DepthOptions options;
  options.assumed = {{"mem*", 40, {}}};
  Program p({unit({function("a", 32, {call_to("memcpy")})})}, options);
  EXPECT_TRUE(p.depth(0, "a").complete);
  EXPECT_EQ(p.depth(0, "a").bytes, 72u);
}

TEST(Depth, IndirectCallsAndUnboundedAllocaAreLowerBounds) {
  Function vla = function("vla", 64);
  vla.unbounded_alloc = true;
  Program p({unit({function("a", 8, {indirect_call(), call_to("vla")}), vla})});
  EXPECT_FALSE(p.depth(0, "a").complete);
  EXPECT_EQ(p.reason_kinds(0, "a"),
            (std::vector<Reason::Kind>{Reason::kIndirectCall, Reason::kUnboundedAlloca}));
  EXPECT_EQ(p.analysis.reasons[p.depth(0, "a").reasons[0]].detail, "x.c:7");
}

TEST(Depth, RecursionIsFoundReportedAndBoundsAreLower) {
  Program p({unit({function("entry", 16, {call_to("even")}),
                   function("even", 32, {call_to("odd"), call_to("leaf")}),
                   function("odd", 32, {call_to("even")}), function("leaf", 8)})});
  ASSERT_EQ(p.analysis.cycles.size(), 1u);
  EXPECT_EQ(p.analysis.cycles[0].members.size(), 2u);
  EXPECT_FALSE(p.depth(0, "entry").complete);
  EXPECT_EQ(p.reason_kinds(0, "entry"), (std::vector<Reason::Kind>{Reason::kRecursion}));
  EXPECT_EQ(p.depth(0, "entry").bytes, 16u + 32u + 8u);
  EXPECT_TRUE(p.depth(0, "leaf").complete);
  const std::string& cycle = p.analysis.reasons[p.depth(0, "entry").reasons[0]].detail;
  EXPECT_TRUE(cycle == "even -> odd -> even" || cycle == "odd -> even -> odd") << cycle;
}

TEST(Depth, ACycleIsNamedNotTheWholeComponent) {
  // a -> b -> a and b -> c -> d -> b: one component of four; the reason
  // names one shortest cycle through the component's head.
  Program p({unit({function("a", 8, {call_to("b")}), function("b", 8, {call_to("a"), call_to("c")}),
                   function("c", 8, {call_to("d")}), function("d", 8, {call_to("b")})})});
  ASSERT_EQ(p.analysis.cycles.size(), 1u);
  EXPECT_EQ(p.analysis.cycles[0].members.size(), 4u);
  const std::string& cycle = p.analysis.reasons[p.depth(0, "a").reasons[0]].detail;
  EXPECT_NE(cycle.find("(one cycle of 4 mutually recursive functions)"), std::string::npos)
      << cycle;
  // a -> b -> a is the shortest cycle through either possible head.
  EXPECT_TRUE(cycle.rfind("a -> b -> a (", 0) == 0 || cycle.rfind("b -> a -> b (", 0) == 0)
      << cycle;
}

TEST(Depth, SelfRecursion) {
  Program p({unit({function("f", 48, {call_to("f")})})});
  EXPECT_EQ(p.analysis.cycles.size(), 1u);
  EXPECT_FALSE(p.depth(0, "f").complete);
}

// A function of frame FRAME (GCC's figure) keeping RED_ZONE more bytes
// below the stack pointer.
Function with_red_zone(const std::string& name, std::uint64_t frame, std::uint64_t red_zone,
                       std::vector<Call> calls = {}) {
  Function f = function(name, frame, std::move(calls));
  f.red_zone = red_zone;
  return f;
}

TEST(Depth, ALeafsRedZoneCountsBelowItsFrame) {
  // leaf: 200 bytes in .su and 120 in the red zone, 320 below its caller's
  // stack pointer. main (32) calls it; tailer (16) tail-calls it, so leaf
  // runs on tailer's entry stack.
  Program p({unit({function("main", 32, {call_to("leaf")}), with_red_zone("leaf", 200, 120),
                   function("tailer", 16, {call_to("leaf", true)})})});
  EXPECT_EQ(p.depth(0, "leaf").bytes, 200u + 120u);
  EXPECT_TRUE(p.depth(0, "leaf").complete);
  EXPECT_EQ(p.depth(0, "main").bytes, 32u + 200u + 120u);
  EXPECT_EQ(p.path(0, "main"), (std::vector<std::string>{"main", "leaf"}));
  EXPECT_EQ(p.depth(0, "tailer").bytes, 200u + 120u);
  // A red zone of 0 (-mno-red-zone, aarch64, arm, notes from before the
  // field) is the frame alone.
  Program q({unit({function("main", 32, {call_to("leaf")}), with_red_zone("leaf", 320, 0)})});
  EXPECT_EQ(q.depth(0, "main").bytes, 32u + 320u);
}

TEST(Depth, CallsAreMadeAtTheFrameNotBelowTheRedZone) {
  // GCC keeps a red zone only where nothing is called, since a call would
  // overwrite it; were there both, the depth is the larger of the two.
  // f: frame 40, red zone 100. Calling small (16): max(140, 56) = 140, and
  // the path ends at f. Calling big (200): max(140, 240) = 240.
  Program p({unit({with_red_zone("f", 40, 100, {call_to("small")}), function("small", 16),
                   with_red_zone("g", 40, 100, {call_to("big")}), function("big", 200)})});
  EXPECT_EQ(p.depth(0, "f").bytes, 140u);
  EXPECT_EQ(p.path(0, "f"), (std::vector<std::string>{"f"}));
  EXPECT_EQ(p.depth(0, "g").bytes, 240u);
  EXPECT_EQ(p.path(0, "g"), (std::vector<std::string>{"g", "big"}));
  // Callees are entered at the caller's frame: g's red zone is not above big.
  const std::vector<EntryDepth> entered =
      analyse_entry_depths(p.graph, p.analysis, {p.node(0, "g")});
  EXPECT_EQ(entered[p.node(0, "big")].bytes, 40u);
}

TEST(Depth, TheLastActivationOfABoundedRecursionKeepsItsRedZone) {
  // f (48, red zone 64) calls itself, at most 3 activations: the two that
  // are suspended in a call have no live red zone, the last one may:
  // 2 × 48 + 48 + 64 = 208.
  DepthOptions options;
  options.recursion = {{"f", 3, {}}};
  Program p({unit({with_red_zone("f", 48, 64, {call_to("f")})})}, options);
  EXPECT_TRUE(p.depth(0, "f").complete);
  EXPECT_EQ(p.depth(0, "f").bytes, 2u * 48u + 48u + 64u);
}

TEST(Depth, LongChainsDoNotExhaustTheStack) {
  std::vector<Function> chain;
  const int n = 200000;
  for (int i = 0; i < n; ++i)
    chain.push_back(function(
        "f" + std::to_string(i), 1,
        i + 1 < n ? std::vector<Call>{call_to("f" + std::to_string(i + 1))} : std::vector<Call>{}));
  Program p({unit(std::move(chain))});
  EXPECT_EQ(p.analysis.depth[0].bytes, static_cast<std::uint64_t>(n));
}

TEST(Resolve, StrongBeatsWeakInEitherOrder) {
  Program p(
      {unit({function("caller", 8, {call_to("hook")}), function("hook", 100, {}, Binding::kWeak)}),
       unit({function("hook", 10)})});
  EXPECT_EQ(p.depth(0, "caller").bytes, 18u);
  Program q({unit({function("hook", 10)}), unit({function("caller", 8, {call_to("hook")}),
                                                 function("hook", 100, {}, Binding::kWeak)})});
  EXPECT_EQ(q.depth(1, "caller").bytes, 18u);
  EXPECT_TRUE(p.symbols.duplicates().empty());
}

TEST(Resolve, ADefinitionThatLosesItsNameIsSuperseded) {
  // hook: weak in unit 0, strong in unit 1; inl: two COMDAT copies; f: two
  // strong definitions (the first is kept); lone: weak and alone; helper:
  // static in both units; sys_x: a weak function that a strong alias of
  // unit 1 beats; mod: weak in module 1 (unit 2), strong in the program.
  Function inl0 = function("inl", 8), inl1 = function("inl", 8);
  inl0.comdat = inl1.comdat = true;
  Alias alias{"sys_x", "__do_sys_x", Binding::kGlobal};
  Program p(
      {unit({function("hook", 100, {}, Binding::kWeak), inl0, function("f", 8),
             function("lone", 8, {}, Binding::kWeak), function("helper", 8, {}, Binding::kLocal),
             function("sys_x", 8, {}, Binding::kWeak)}),
       unit({function("hook", 10), inl1, function("f", 16), function("__do_sys_x", 40),
             function("helper", 8, {}, Binding::kLocal), function("mod", 8)},
            {alias}),
       unit({function("mod", 8, {}, Binding::kWeak)})},
      {}, {}, {0, 0, 1});
  EXPECT_TRUE(p.symbols.superseded(p.node(0, "hook")));
  EXPECT_FALSE(p.symbols.superseded(p.node(1, "hook")));
  EXPECT_FALSE(p.symbols.superseded(p.node(0, "inl")));
  EXPECT_TRUE(p.symbols.superseded(p.node(1, "inl")));
  EXPECT_FALSE(p.symbols.superseded(p.node(0, "f")));
  EXPECT_TRUE(p.symbols.superseded(p.node(1, "f")));
  EXPECT_FALSE(p.symbols.superseded(p.node(0, "lone")));
  EXPECT_FALSE(p.symbols.superseded(p.node(0, "helper")));
  EXPECT_FALSE(p.symbols.superseded(p.node(1, "helper")));
  EXPECT_TRUE(p.symbols.superseded(p.node(0, "sys_x")));
  EXPECT_FALSE(p.symbols.superseded(p.node(1, "__do_sys_x")));
  // A module's own definition is the one its calls reach first.
  EXPECT_FALSE(p.symbols.superseded(p.node(1, "mod")));
  EXPECT_FALSE(p.symbols.superseded(p.node(2, "mod")));
}

TEST(Resolve, SameNamedStaticsStayInTheirUnits) {
  Program p(
      {unit({function("a", 8, {call_to("helper")}), function("helper", 64, {}, Binding::kLocal)}),
       unit({function("b", 8, {call_to("helper")}), function("helper", 8, {}, Binding::kLocal)})});
  EXPECT_EQ(p.depth(0, "a").bytes, 72u);
  EXPECT_EQ(p.depth(1, "b").bytes, 16u);
}

TEST(Resolve, DuplicateStrongDefinitionsAreReported) {
  Program p({unit({function("f", 8)}), unit({function("f", 16)})});
  ASSERT_EQ(p.symbols.duplicates().size(), 1u);
  EXPECT_EQ(p.symbols.duplicates()[0].symbol, "f");
  Function c1 = function("inl", 8), c2 = function("inl", 8);
  c1.comdat = c2.comdat = true;
  Program q({unit({c1}), unit({c2})});
  EXPECT_TRUE(q.symbols.duplicates().empty());
}

TEST(Resolve, AliasesAndColdParts) {
  Function parent = function("parent", 24);
  parent.cold_name = "parent.cold";
  Alias alias;
  alias.name = "sys_x";
  alias.target = "__do_sys_x";
  alias.binding = Binding::kGlobal;
  Program p({unit({function("__do_sys_x", 40, {call_to("parent.cold")}), parent}, {alias}),
             unit({function("entry", 8, {call_to("sys_x")})})});
  EXPECT_EQ(p.depth(1, "entry").bytes, 8u + 40u + 24u);
  EXPECT_EQ(p.path(1, "entry"), (std::vector<std::string>{"entry", "__do_sys_x", "parent"}));
}

TEST(Resolve, ModulesLinkOnTheirOwn) {
  // Unit 0 is vmlinux.o, units 1 and 2 one module each, unit 3 another
  // object of module 2. Every module defines init_module; module 1 also has
  // its own `helper`, which shadows the kernel's for module 1 only.
  Program p({unit({function("kmalloc", 48), function("helper", 8)}),
             unit({function("init_module", 16, {call_to("helper"), call_to("kmalloc")}),
                   function("helper", 200), function("exported_by_1", 24)}),
             unit({function("init_module", 32, {call_to("helper"), call_to("second_object")})}),
             unit({function("second_object", 8, {call_to("exported_by_1")})})},
            {}, {}, {0, 1, 2, 2});
  EXPECT_TRUE(p.symbols.duplicates().empty());
  EXPECT_EQ(p.depth(1, "init_module").bytes, 16u + 200u);
  EXPECT_EQ(p.depth(2, "init_module").bytes, 32u + 8u + 24u);
  EXPECT_EQ(p.path(2, "init_module"),
            (std::vector<std::string>{"init_module", "second_object", "exported_by_1"}));
  // Within one group, a second strong definition is still a duplicate.
  Program q({unit({function("f", 8)}), unit({function("g", 8)}), unit({function("g", 16)})}, {}, {},
            {0, 1, 1});
  ASSERT_EQ(q.symbols.duplicates().size(), 1u);
  EXPECT_EQ(q.symbols.duplicates()[0].symbol, "g");
}

}  // namespace
}  // namespace kstack
