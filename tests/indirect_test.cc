// Indirect calls resolved to candidate targets (tool/indirect.h) on
// hand-built programs: which functions each site may reach, how the site was
// resolved, what the depth makes of it, and the report's statistics. Every
// expected target set and depth is worked out by hand beside the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "analysed.h"
#include "indirect.h"
#include "program_builder.h"
#include "report.h"
#include "report_printers.h"

namespace kstack {
namespace {

using namespace test;

Slot field(const std::string& type, const std::string& member) {
  Slot s;
  s.kind = SlotKind::kField;
  s.scope = type;
  s.member = member;
  return s;
}

Slot global(const std::string& symbol) {
  Slot s;
  s.kind = SlotKind::kGlobal;
  s.scope = symbol;
  return s;
}

// Parameter INDEX of function OF; with no function, as notes written before
// parameters were slots have it, which the resolver does not follow.
Slot parameter(std::uint32_t index, const std::string& of = "") {
  Slot s;
  s.kind = SlotKind::kParameter;
  s.scope = of;
  s.index = index;
  return s;
}

Slot vtable_slot(const std::string& type, std::uint32_t index) {
  Slot s;
  s.kind = SlotKind::kVirtual;
  s.scope = type;
  s.index = index;
  return s;
}

// An indirect call at x.c:LINE of signature SIGNATURE, its pointer loaded
// from ORIGIN; described in U, which the caller is then added to.
Call site(Unit& u, const std::string& signature, Slot origin, std::uint32_t line = 7,
          bool unmatched = false) {
  IndirectCall described;
  described.unmatched = unmatched;
  described.type = "type of " + signature;
  described.signature = signature;
  described.origin = std::move(origin);
  Call c = indirect_call(line);
  c.site = static_cast<std::uint32_t>(u.indirect_calls.size());
  u.indirect_calls.push_back(std::move(described));
  return c;
}

// FUNCTION (of signature SIGNATURE) stored into SLOT.
Reference store(const std::string& function, const std::string& signature, Slot slot) {
  Reference r;
  r.kind = ReferenceKind::kStore;
  r.function = function;
  r.function_signature = signature;
  r.value_signature = signature;
  r.slot = std::move(slot);
  return r;
}

// Whatever SOURCE holds stored into SLOT.
Reference copy(Slot slot, Slot source) {
  Reference r;
  r.kind = ReferenceKind::kStore;
  r.slot = std::move(slot);
  r.source = std::move(source);
  return r;
}

// A value that cannot be followed (a call's result) stored into SLOT.
Reference unknown_store(Slot slot) { return copy(std::move(slot), Slot{}); }

// FUNCTION's address used otherwise, as a value of signature AS.
Reference escape(const std::string& function, const std::string& signature,
                 const std::string& as = "") {
  Reference r;
  r.kind = ReferenceKind::kEscape;
  r.function = function;
  r.function_signature = signature;
  r.value_signature = as;
  return r;
}

// What SOURCE holds used in a way the plugin does not follow.
Reference escape_contents(Slot source) {
  Reference r;
  r.kind = ReferenceKind::kEscape;
  r.source = std::move(source);
  return r;
}

Reference overwrite(const std::string& type) {
  Reference r;
  r.kind = ReferenceKind::kOverwrite;
  r.slot = field(type, "");
  return r;
}

ReportOptions mode(IndirectMode indirect) {
  ReportOptions options;
  options.indirect = indirect;
  return options;
}

// A program analysed as `kstack report` does (analysed.h), with what the
// indirect tests ask: edges and sites.
struct IndirectAnalysed : Analysed {
  using Analysed::Analysed;
  // What CALLER's edges reach, in edge order: "unit:name" of a node, or the
  // callee of an edge to no node ("?" for none).
  std::vector<std::string> targets(const std::string& caller, std::uint32_t unit = 0) const {
    std::vector<std::string> result;
    const CallGraph& graph = report.graph();
    const std::uint32_t n = node(caller, unit);
    for (const Edge* e = graph.begin(n); e != graph.end(n); ++e) {
      if (e->target == kNoFunction)
        result.push_back(e->call->callee.empty() ? "?" : e->call->callee);
      else
        result.push_back(std::to_string(report.symbols().id(e->target).unit) + ":" +
                         report.function(e->target).name);
    }
    return result;
  }
  // The one indirect call site of CALLER.
  const IndirectSite& site_of(const std::string& caller, std::uint32_t unit = 0) const {
    const std::uint32_t n = node(caller, unit);
    for (const IndirectSite& s : report.graph().indirect_sites())
      if (s.caller == n) return s;
    ADD_FAILURE() << "no indirect call in " << caller;
    return report.graph().indirect_sites().front();
  }
};

using Names = std::vector<std::string>;

// ---------------------------------------------------------------------------
// Compatible signatures.

TEST(Indirect, SignaturesAreCompatibleWhenEqualOrOneIsUnprototyped) {
  EXPECT_TRUE(signatures_compatible("i32(p,u64)", "i32(p,u64)"));
  EXPECT_FALSE(signatures_compatible("i32(p,u64)", "i32(p)"));
  EXPECT_TRUE(signatures_compatible("i32(?)", "i32(p,u64)"));
  EXPECT_TRUE(signatures_compatible("i32(p)", "i32(?)"));
  EXPECT_FALSE(signatures_compatible("i32(?)", "v(p)"));
  EXPECT_FALSE(signatures_compatible("v(p,...)", "v(p)"));
}

// ---------------------------------------------------------------------------
// Field and global slots.

// dispatch (16) calls through struct ops.read, which holds only h_read (100);
// h_write (300) and h_other (500) have the same signature but are stored
// elsewhere: by field the site reaches h_read alone, 16 + 100 = 116.
std::vector<Unit> ops_program(std::vector<Reference> more = {}) {
  Unit u = unit({function("h_read", 100), function("h_write", 300), function("h_other", 500)});
  u.functions.push_back(function("dispatch", 16, {site(u, "i32(p)", field("struct ops", "read"))}));
  u.references = {store("h_read", "i32(p)", field("struct ops", "read")),
                  store("h_write", "i32(p)", field("struct ops", "write")),
                  store("h_other", "i32(p)", global("other_table"))};
  u.references.insert(u.references.end(), more.begin(), more.end());
  return {u};
}

TEST(Indirect, FieldStoreResolvesAFieldSite) {
  IndirectAnalysed p(ops_program());
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read"}));
  const IndirectSite& s = p.site_of("dispatch");
  EXPECT_EQ(s.resolution, Resolution::kField);
  EXPECT_EQ(s.targets, 1u);
  ASSERT_NE(s.slot, nullptr);
  EXPECT_EQ(*s.slot, "field struct ops.read");
  EXPECT_EQ(s.fallback, nullptr);
  EXPECT_EQ(p.depth("dispatch").bytes, 16u + 100u);
  EXPECT_TRUE(p.depth("dispatch").complete);
}

TEST(Indirect, DepthThroughAResolvedSiteIsFramePlusTheDeepestCandidate) {
  // h_write stored into struct ops.read too: 16 + max(100, 300) = 316, by
  // way of h_write, and the recorded call itself is the step's call.
  IndirectAnalysed p(ops_program({store("h_write", "i32(p)", field("struct ops", "read"))}));
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "0:h_write"}));
  EXPECT_EQ(p.depth("dispatch").bytes, 16u + 300u);
  EXPECT_EQ(p.depth("dispatch").next, p.node("h_write"));
  const std::vector<PathStep> steps = p.report.worst_path_steps(p.node("dispatch"));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].symbol, "h_write");
  EXPECT_EQ(steps[1].call, &p.units[0].functions[3].calls[0]);
  ASSERT_NE(steps[1].indirect, nullptr);
  EXPECT_EQ(steps[1].indirect->targets, 2u);
  // Reached through dispatch, neither handler is an entry point any more;
  // h_other still is.
  std::vector<std::string> entries;
  for (const EntryReport& e : p.report.entries()) entries.push_back(p.report.function(e.node).name);
  EXPECT_EQ(entries, (Names{"h_other", "dispatch"}));
}

TEST(Indirect, NamedCallsThroughAComponentMadeByAPointerAreFollowed) {
  // f (10) -> g (20) -> h (30) -> through field struct ops.cb -> f: the
  // pointer makes {f, g, h} one recursive component, but f -> g and g -> h
  // are recursion of no one on their own. Followed: h 30 (its call through
  // the pointer left out), g 20 + 30 = 50, f 10 + 50 = 60; lower bounds
  // naming the cycle. Leaving the component's calls out altogether would
  // make them 10, 20 and 30, below what the named calls alone give.
  Unit u = unit({});
  Call through = site(u, "v()", field("struct ops", "cb"));
  u.functions = {function("f", 10, {call_to("g")}), function("g", 20, {call_to("h")}),
                 function("h", 30, {through})};
  u.references = {store("f", "v()", field("struct ops", "cb"))};
  IndirectAnalysed p({u});
  ASSERT_EQ(p.report.depth().cycles.size(), 1u);
  EXPECT_EQ(p.report.depth().cycles[0].members.size(), 3u);
  EXPECT_EQ(p.depth("h").bytes, 30u);
  EXPECT_EQ(p.depth("g").bytes, 50u);
  EXPECT_EQ(p.depth("f").bytes, 60u);
  EXPECT_EQ(p.depth("g").next, p.node("h"));
  for (const char* name : {"f", "g", "h"}) EXPECT_FALSE(p.depth(name).complete) << name;
}

TEST(Indirect, OneEdgePerCandidateFromOneSite) {
  // h_read stored twice into struct ops.read, once through a copy from
  // struct ops.write (which holds h_write) and escaped: still one edge each.
  IndirectAnalysed p(ops_program({store("h_read", "i32(p)", field("struct ops", "read")),
                                  copy(field("struct ops", "read"), field("struct ops", "write")),
                                  store("h_read", "i32(p)", field("struct ops", "write")),
                                  escape("h_read", "i32(p)")}));
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "0:h_write"}));
}

TEST(Indirect, CopiesChainTheirSources) {
  // struct a.f <- struct b.g <- table (global) <- struct a.f (a cycle of
  // copies); h1 is stored into struct b.g, h2 into table.
  Unit u = unit({function("h1", 40), function("h2", 60), function("h3", 80)});
  u.functions.push_back(function("caller", 8, {site(u, "v(p)", field("struct a", "f"))}));
  u.references = {copy(field("struct a", "f"), field("struct b", "g")),
                  copy(field("struct b", "g"), global("table")),
                  copy(global("table"), field("struct a", "f")),
                  store("h1", "v(p)", field("struct b", "g")),
                  store("h2", "v(p)", global("table")),
                  store("h3", "v(p)", field("struct c", "h"))};
  IndirectAnalysed p({u});
  EXPECT_EQ(p.targets("caller"), (Names{"0:h1", "0:h2"}));
  EXPECT_EQ(p.site_of("caller").resolution, Resolution::kField);
  EXPECT_EQ(p.depth("caller").bytes, 8u + 60u);
}

TEST(Indirect, UnknownStoreInReachFallsBackToType) {
  // struct ops.read copies struct ops.spare, which takes a parameter's value:
  // by type, i32(p) has h_read, h_write and h_other.
  IndirectAnalysed p(ops_program({copy(field("struct ops", "read"), field("struct ops", "spare")),
                                  unknown_store(field("struct ops", "spare"))}));
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "0:h_write", "0:h_other"}));
  const IndirectSite& s = p.site_of("dispatch");
  EXPECT_EQ(s.resolution, Resolution::kType);
  EXPECT_EQ(s.slot, nullptr);
  ASSERT_NE(s.fallback, nullptr);
  EXPECT_EQ(*s.fallback, "field struct ops.spare takes unknown values");
  EXPECT_EQ(p.depth("dispatch").bytes, 16u + 500u);
}

TEST(Indirect, OverwrittenStructFallsBackToType) {
  IndirectAnalysed p(ops_program({overwrite("struct ops")}));
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "0:h_write", "0:h_other"}));
  const IndirectSite& s = p.site_of("dispatch");
  EXPECT_EQ(s.resolution, Resolution::kType);
  ASSERT_NE(s.fallback, nullptr);
  EXPECT_EQ(*s.fallback,
            "struct ops is overwritten from another type, so field struct ops.read takes unknown "
            "values");
  // Another struct's overwrite changes nothing.
  IndirectAnalysed q(ops_program({overwrite("struct other")}));
  EXPECT_EQ(q.targets("dispatch"), (Names{"0:h_read"}));
}

TEST(Indirect, EscapedFunctionJoinsAFieldSiteOfACompatibleSignature) {
  // h_cb escapes as i32(p), h_v as v(p): only h_cb joins the i32(p) site.
  IndirectAnalysed p(ops_program({escape("h_cb", "i32(p)"), escape("h_v", "v(p)")}));
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "h_cb"}));
  EXPECT_EQ(p.site_of("dispatch").targets, 2u);
}

TEST(Indirect, GlobalSlot) {
  // dispatch loads from other_table, which holds h_other: 16 + 500.
  Unit u = ops_program()[0];
  u.functions[3].calls[0] = site(u, "i32(p)", global("other_table"));
  IndirectAnalysed p({u});
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_other"}));
  const IndirectSite& s = p.site_of("dispatch");
  EXPECT_EQ(s.resolution, Resolution::kGlobal);
  ASSERT_NE(s.slot, nullptr);
  EXPECT_EQ(*s.slot, "global other_table");
  EXPECT_EQ(p.depth("dispatch").bytes, 16u + 500u);
}

TEST(Indirect, SlotWithNothingStoredFallsBackToType) {
  Unit u = ops_program()[0];
  u.functions[3].calls[0] = site(u, "i32(p)", field("struct ops", "poll"));
  IndirectAnalysed p({u});
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "0:h_write", "0:h_other"}));
  ASSERT_NE(p.site_of("dispatch").fallback, nullptr);
  EXPECT_EQ(*p.site_of("dispatch").fallback, "no function is stored into field struct ops.poll");
}

TEST(Indirect, StaticFunctionsResolveFromTheUnitOfTheReference) {
  // Both units have a static `handler`: unit 0's (10) goes into struct
  // ops.read, unit 1's (200) into struct ops.write. dispatch in unit 0 calls
  // through struct ops.write: unit 1's handler, 16 + 200.
  Unit a = unit({function("handler", 10, {}, Binding::kLocal)});
  a.functions.push_back(
      function("dispatch", 16, {site(a, "i32(p)", field("struct ops", "write"))}));
  a.references = {store("handler", "i32(p)", field("struct ops", "read"))};
  Unit b = unit({function("handler", 200, {}, Binding::kLocal)});
  b.functions.push_back(function("reader", 16, {site(b, "i32(p)", field("struct ops", "read"))}));
  b.references = {store("handler", "i32(p)", field("struct ops", "write"))};
  IndirectAnalysed p({a, b});
  EXPECT_EQ(p.targets("dispatch", 0), (Names{"1:handler"}));
  EXPECT_EQ(p.depth("dispatch", 0).bytes, 16u + 200u);
  EXPECT_EQ(p.targets("reader", 1), (Names{"0:handler"}));
  EXPECT_EQ(p.depth("reader", 1).bytes, 16u + 10u);
}

// ---------------------------------------------------------------------------
// Parameter slots.

// run_cb (16) calls through its parameter 0; caller_a passes cb_a (100),
// caller_b passes cb_b (300); cb_other (500) has the same signature but is
// stored into a field. By parameter the site reaches cb_a and cb_b alone:
// 16 + 300, and caller_a 8 + 16 + 300.
std::vector<Unit> run_cb_program(std::vector<Reference> more = {}, bool callers = true) {
  Unit u = unit({function("cb_a", 100), function("cb_b", 300), function("cb_other", 500)});
  u.functions.push_back(
      function("run_cb", 16, {site(u, "i32(p)", parameter(0, "run_cb")), call_to("helper")}));
  u.functions.push_back(function("helper", 4));
  if (callers) {
    u.functions.push_back(function("caller_a", 8, {call_to("run_cb")}));
    u.functions.push_back(function("caller_b", 8, {call_to("run_cb")}));
  }
  u.references = {store("cb_a", "i32(p)", parameter(0, "run_cb")),
                  store("cb_b", "i32(p)", parameter(0, "run_cb")),
                  store("cb_other", "i32(p)", field("struct ops", "other"))};
  u.references.insert(u.references.end(), more.begin(), more.end());
  return {u};
}

TEST(Indirect, ParameterSiteResolvesToTheFunctionsItsCallersPass) {
  IndirectAnalysed p(run_cb_program());
  EXPECT_EQ(p.targets("run_cb"), (Names{"0:cb_a", "0:cb_b", "0:helper"}));
  const IndirectSite& s = p.site_of("run_cb");
  EXPECT_EQ(s.resolution, Resolution::kParameter);
  EXPECT_EQ(s.targets, 2u);
  ASSERT_NE(s.slot, nullptr);
  EXPECT_EQ(*s.slot, "parameter 0 of run_cb");
  EXPECT_EQ(s.fallback, nullptr);
  EXPECT_EQ(p.depth("run_cb").bytes, 16u + 300u);
  EXPECT_EQ(p.depth("caller_a").bytes, 8u + 16u + 300u);
  EXPECT_TRUE(p.depth("caller_a").complete);
}

TEST(Indirect, ParameterOfAnAddressTakenFunctionFallsBackToType) {
  // run_cb escapes, so an indirect call may pass it anything: by type,
  // cb_a, cb_b and cb_other, 16 + 500.
  IndirectAnalysed p(run_cb_program({escape("run_cb", "i32(*i32(p))")}));
  EXPECT_EQ(p.targets("run_cb"), (Names{"0:cb_a", "0:cb_b", "0:cb_other", "0:helper"}));
  const IndirectSite& s = p.site_of("run_cb");
  EXPECT_EQ(s.resolution, Resolution::kType);
  EXPECT_EQ(s.slot, nullptr);
  ASSERT_NE(s.fallback, nullptr);
  EXPECT_EQ(*s.fallback, "parameter 0 of run_cb takes unknown values: run_cb's address is taken");
  EXPECT_EQ(p.depth("run_cb").bytes, 16u + 500u);
  // Stored into a field, it is as address-taken.
  IndirectAnalysed q(run_cb_program({store("run_cb", "i32(*i32(p))", field("struct w", "run"))}));
  EXPECT_EQ(q.site_of("run_cb").resolution, Resolution::kType);
}

TEST(Indirect, ParameterOfAFunctionWithoutDirectCallerFallsBackToType) {
  // No recorded call reaches run_cb: assembly may call it with anything.
  IndirectAnalysed p(run_cb_program({}, false));
  EXPECT_EQ(p.targets("run_cb"), (Names{"0:cb_a", "0:cb_b", "0:cb_other", "0:helper"}));
  ASSERT_NE(p.site_of("run_cb").fallback, nullptr);
  EXPECT_EQ(*p.site_of("run_cb").fallback,
            "parameter 0 of run_cb takes unknown values: run_cb has no recorded direct caller");
  // An asm call records nothing it passes, even beside C callers.
  std::vector<Unit> units = run_cb_program();
  Call from_asm = call_to("run_cb");
  from_asm.kind = CallKind::kAsm;
  units[0].functions.push_back(function("entry_asm", 0, {from_asm}));
  IndirectAnalysed q(std::move(units));
  EXPECT_EQ(q.site_of("run_cb").resolution, Resolution::kType);
  ASSERT_NE(q.site_of("run_cb").fallback, nullptr);
  EXPECT_EQ(*q.site_of("run_cb").fallback,
            "parameter 0 of run_cb takes unknown values: run_cb is called by an asm call or a "
            "thunk");
}

TEST(Indirect, ParameterWithNothingPassedFallsBackToType) {
  // Both callers pass NULL, which records nothing.
  std::vector<Unit> units = run_cb_program();
  units[0].references.erase(units[0].references.begin(), units[0].references.begin() + 2);
  IndirectAnalysed p(std::move(units));
  EXPECT_EQ(p.site_of("run_cb").resolution, Resolution::kType);
  ASSERT_NE(p.site_of("run_cb").fallback, nullptr);
  EXPECT_EQ(*p.site_of("run_cb").fallback, "no function is stored into parameter 0 of run_cb");
}

// dispatch (16) calls through struct ops.cb; register_ops stores its
// parameter 0 there, setup passes its parameter 1 on to register_ops, and
// init passes h1 (40) to setup. h2 (60), of the same signature, goes
// elsewhere.
std::vector<Unit> copy_chain_program(std::vector<Reference> more = {}) {
  Unit u = unit({function("h1", 40), function("h2", 60)});
  u.functions.push_back(function("dispatch", 16, {site(u, "v(p)", field("struct ops", "cb"))}));
  u.functions.push_back(function("register_ops", 8));
  u.functions.push_back(function("setup", 8, {call_to("register_ops")}));
  u.functions.push_back(function("init", 8, {call_to("setup")}));
  u.references = {copy(field("struct ops", "cb"), parameter(0, "register_ops")),
                  copy(parameter(0, "register_ops"), parameter(1, "setup")),
                  store("h1", "v(p)", parameter(1, "setup")),
                  store("h2", "v(p)", field("struct other", "cb"))};
  u.references.insert(u.references.end(), more.begin(), more.end());
  return {u};
}

TEST(Indirect, CopiesChainThroughParameters) {
  IndirectAnalysed p(copy_chain_program());
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h1"}));
  EXPECT_EQ(p.site_of("dispatch").resolution, Resolution::kField);
  EXPECT_EQ(p.depth("dispatch").bytes, 16u + 40u);
  // With setup's address taken, its parameter 1 takes unknown values, and
  // so, through the copies, does struct ops.cb: by type, h1 and h2.
  IndirectAnalysed q(copy_chain_program({escape("setup", "v(*v,*v(p))")}));
  EXPECT_EQ(q.targets("dispatch"), (Names{"0:h1", "0:h2"}));
  ASSERT_NE(q.site_of("dispatch").fallback, nullptr);
  EXPECT_EQ(*q.site_of("dispatch").fallback,
            "parameter 1 of setup takes unknown values: setup's address is taken");
}

TEST(Indirect, EscapedParameterContentsJoinAFieldSiteOfACompatibleSignature) {
  // keep uses its parameter 0 in a way the plugin does not follow; caller
  // passes h_cb (i32(p)) and h_v (v(p)) to it, and relay passes on its own
  // parameter, which starter fills with h_deep: h_cb and h_deep join the
  // i32(p) site on struct ops.read, h_v does not.
  std::vector<Unit> units = ops_program({store("h_cb", "i32(p)", parameter(0, "keep")),
                                         store("h_v", "v(p)", parameter(0, "keep")),
                                         copy(parameter(0, "keep"), parameter(0, "relay")),
                                         store("h_deep", "i32(p)", parameter(0, "relay"))});
  Unit& u = units[0];
  for (const char* name : {"h_cb", "h_v", "h_deep", "keep"})
    u.functions.push_back(function(name, 4));
  u.functions.push_back(function("caller", 8, {call_to("keep")}));
  u.functions.push_back(function("relay", 8, {call_to("keep")}));
  u.functions.push_back(function("starter", 8, {call_to("relay")}));
  IndirectAnalysed without(units);
  EXPECT_EQ(without.targets("dispatch"), (Names{"0:h_read"}));
  units[0].references.push_back(escape_contents(parameter(0, "keep")));
  IndirectAnalysed p(units);
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "0:h_cb", "0:h_deep"}));
  EXPECT_EQ(p.site_of("dispatch").resolution, Resolution::kField);
}

TEST(Indirect, WhatIsPassedToAFunctionWithoutRecordEscapes) {
  // lib_sort and lib_register have no record: h_cb passed to lib_sort, and
  // struct other.cb's h_x passed on to lib_register, may reach any
  // compatible site, so both join struct ops.read's.
  std::vector<Unit> units =
      ops_program({store("h_cb", "i32(p)", parameter(3, "lib_sort")),
                   copy(parameter(0, "lib_register"), field("struct other", "cb")),
                   store("h_x", "i32(p)", field("struct other", "cb"))});
  units[0].functions.push_back(function("h_cb", 4));
  units[0].functions.push_back(function("h_x", 4));
  IndirectAnalysed p(units);
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "0:h_cb", "0:h_x"}));
  EXPECT_EQ(p.site_of("dispatch").resolution, Resolution::kField);
}

TEST(Indirect, AnAliasOrAStaticNamesItsFunctionsParameterSlot) {
  // Unit 0: caller_a calls run_cb_alias (an alias of run_cb) and passes
  // cb_a, the store naming the alias. Unit 1 has a static run_cb of its
  // own, which caller_s calls with cb_s (200).
  Unit a = unit({function("cb_a", 100), function("run_cb", 16)},
                {{"run_cb_alias", "run_cb", Binding::kGlobal}});
  a.functions[1].calls.push_back(site(a, "i32(p)", parameter(0, "run_cb")));
  a.functions.push_back(function("caller_a", 8, {call_to("run_cb_alias")}));
  a.references = {store("cb_a", "i32(p)", parameter(0, "run_cb_alias"))};
  Unit b = unit({function("cb_s", 200), function("run_cb", 16, {}, Binding::kLocal)});
  b.functions[1].calls.push_back(site(b, "i32(p)", parameter(0, "run_cb")));
  b.functions.push_back(function("caller_s", 8, {call_to("run_cb")}));
  b.references = {store("cb_s", "i32(p)", parameter(0, "run_cb"))};
  IndirectAnalysed p({a, b});
  EXPECT_EQ(p.targets("run_cb", 0), (Names{"0:cb_a"}));
  EXPECT_EQ(p.site_of("run_cb", 0).resolution, Resolution::kParameter);
  ASSERT_NE(p.site_of("run_cb", 0).slot, nullptr);
  EXPECT_EQ(*p.site_of("run_cb", 0).slot, "parameter 0 of run_cb");
  EXPECT_EQ(p.targets("run_cb", 1), (Names{"1:cb_s"}));
  EXPECT_EQ(p.depth("caller_a", 0).bytes, 8u + 16u + 100u);
  EXPECT_EQ(p.depth("caller_s", 1).bytes, 8u + 16u + 200u);
}

// ---------------------------------------------------------------------------
// By type.

TEST(Indirect, ParameterOriginWithoutFunctionUsesType) {
  // A parameter naming no function (a note from before parameter slots)
  // is not followed: by type, and no slot to blame.
  Unit u = ops_program()[0];
  u.functions[3].calls[0] = site(u, "i32(p)", parameter(1));
  IndirectAnalysed p({u});
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "0:h_write", "0:h_other"}));
  EXPECT_EQ(p.site_of("dispatch").resolution, Resolution::kType);
  EXPECT_EQ(p.site_of("dispatch").fallback, nullptr);
  EXPECT_EQ(p.depth("dispatch").bytes, 16u + 500u);
}

TEST(Indirect, UnmatchedSiteUsesType) {
  Unit u = ops_program()[0];
  u.functions[3].calls[0] = site(u, "i32(p)", field("struct ops", "read"), 7, true);
  IndirectAnalysed p({u});
  EXPECT_EQ(p.site_of("dispatch").resolution, Resolution::kType);
  EXPECT_EQ(p.site_of("dispatch").targets, 3u);
}

TEST(Indirect, CastSignatureMakesAFunctionACandidateOfTheCastType) {
  // h_void is v(p) but stored as i32(p) once: a candidate of both types.
  Unit u = unit({function("h_void", 70), function("h_int", 30)});
  u.functions.push_back(function("by_int", 8, {site(u, "i32(p)", parameter(0))}));
  u.functions.push_back(function("by_void", 8, {site(u, "v(p)", parameter(0))}));
  u.references = {escape("h_void", "v(p)", "i32(p)"), escape("h_int", "i32(p)")};
  IndirectAnalysed p({u});
  EXPECT_EQ(p.targets("by_int"), (Names{"0:h_void", "0:h_int"}));
  EXPECT_EQ(p.targets("by_void"), (Names{"0:h_void"}));
}

TEST(Indirect, UnprototypedSignaturesMatchEveryParameterList) {
  // An i32(?) site reaches every i32 function; an i32(p) site reaches the
  // unprototyped i32(?) function too, but no v(?) one.
  Unit u = unit(
      {function("f_p", 10), function("f_pu", 20), function("f_old", 30), function("f_void", 40)});
  u.functions.push_back(function("old_call", 8, {site(u, "i32(?)", parameter(0))}));
  u.functions.push_back(function("new_call", 8, {site(u, "i32(p)", parameter(0))}));
  u.references = {escape("f_p", "i32(p)"), escape("f_pu", "i32(p,u64)"), escape("f_old", "i32(?)"),
                  escape("f_void", "v(?)")};
  IndirectAnalysed p({u});
  EXPECT_EQ(p.targets("old_call"), (Names{"0:f_p", "0:f_pu", "0:f_old"}));
  EXPECT_EQ(p.targets("new_call"), (Names{"0:f_p", "0:f_old"}));
}

TEST(Indirect, VirtualCallsReachOnlyVtableEntries) {
  // Widget::draw (30) and Gadget::draw (50) are in vtables; free_draw (500)
  // and Widget's destructor (700) share the signature but are no vtable's
  // entries: the virtual call reaches the two draws, 8 + 50, still by type.
  const char* sig = "v(*{class Widget})";
  auto program = [&](bool vtables) {
    Unit u = unit({function("_ZN6Widget4drawEv", 30), function("_ZN6Gadget4drawEv", 50),
                   function("free_draw", 500), function("_ZN6WidgetD1Ev", 700)});
    u.functions.push_back(function("paint", 8, {site(u, sig, vtable_slot("Widget", 2))}));
    u.references = {escape("free_draw", sig), escape("_ZN6WidgetD1Ev", sig)};
    for (const char* draw : {"_ZN6Widget4drawEv", "_ZN6Gadget4drawEv"})
      u.references.push_back(vtables ? store(draw, sig, global(std::string("_ZTV") + (draw + 3)))
                                     : escape(draw, sig));
    return std::vector<Unit>{u};
  };
  IndirectAnalysed p(program(true));
  EXPECT_EQ(p.targets("paint"), (Names{"0:_ZN6Widget4drawEv", "0:_ZN6Gadget4drawEv"}));
  EXPECT_EQ(p.site_of("paint").resolution, Resolution::kType);
  EXPECT_EQ(p.depth("paint").bytes, 8u + 50u);
  // --indirect=type keeps every type candidate, and so do inputs without a
  // vtable.
  const Names all{"0:_ZN6Widget4drawEv", "0:_ZN6Gadget4drawEv", "0:free_draw", "0:_ZN6WidgetD1Ev"};
  IndirectAnalysed by_type(program(true), mode(IndirectMode::kType));
  EXPECT_EQ(by_type.targets("paint"), all);
  IndirectAnalysed no_vtables(program(false));
  EXPECT_EQ(no_vtables.targets("paint"), all);
}

TEST(Indirect, NoCandidateLeavesTheSiteUnresolved) {
  // Nothing has signature p(p,p): the call stays an unknown, as before.
  Unit u = ops_program()[0];
  u.functions[3].calls[0] = site(u, "p(p,p)", parameter(0));
  IndirectAnalysed p({u});
  EXPECT_EQ(p.targets("dispatch"), (Names{"?"}));
  EXPECT_EQ(p.site_of("dispatch").resolution, Resolution::kUnresolved);
  EXPECT_EQ(p.site_of("dispatch").targets, 0u);
  EXPECT_FALSE(p.depth("dispatch").complete);
  EXPECT_EQ(p.depth("dispatch").bytes, 16u);
  EXPECT_EQ(p.reason_kinds("dispatch"), (std::vector<Reason::Kind>{Reason::kIndirectCall}));
}

TEST(Indirect, CallWithoutSiteIsUnresolved) {
  IndirectAnalysed p({unit({function("dispatch", 16, {indirect_call()})})});
  EXPECT_EQ(p.site_of("dispatch").resolution, Resolution::kUnresolved);
  EXPECT_EQ(p.site_of("dispatch").info, nullptr);
  EXPECT_EQ(p.reason_kinds("dispatch"), (std::vector<Reason::Kind>{Reason::kIndirectCall}));
}

TEST(Indirect, CandidateWithoutRecordIsAnUnknownCallee) {
  // asm_handler (no record) is stored into struct ops.read beside h_read.
  IndirectAnalysed p(ops_program({store("asm_handler", "i32(p)", field("struct ops", "read"))}));
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "asm_handler"}));
  EXPECT_FALSE(p.depth("dispatch").complete);
  EXPECT_EQ(p.reason_kinds("dispatch"), (std::vector<Reason::Kind>{Reason::kUnknownCallee}));
  ASSERT_EQ(p.report.unknown_callees().size(), 1u);
  EXPECT_EQ(p.report.unknown_callees()[0].symbol, "asm_handler");
  // An assumed depth makes it known: 16 + max(100, 250).
  ReportOptions options;
  options.depth.assumed.push_back({"asm_*", 250, {}});
  IndirectAnalysed q(ops_program({store("asm_handler", "i32(p)", field("struct ops", "read"))}),
                     options);
  EXPECT_TRUE(q.depth("dispatch").complete);
  EXPECT_EQ(q.depth("dispatch").bytes, 16u + 250u);
  const std::vector<PathStep> steps = q.report.worst_path_steps(q.node("dispatch"));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].symbol, "asm_handler");
  ASSERT_NE(steps[1].indirect, nullptr);
  EXPECT_EQ(steps[1].indirect->resolution, Resolution::kField);
}

// ---------------------------------------------------------------------------
// Modes and annotations.

TEST(Indirect, TypeModeIgnoresOrigins) {
  IndirectAnalysed p(ops_program(), mode(IndirectMode::kType));
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_read", "0:h_write", "0:h_other"}));
  EXPECT_EQ(p.site_of("dispatch").resolution, Resolution::kType);
  EXPECT_EQ(p.depth("dispatch").bytes, 16u + 500u);
}

TEST(Indirect, NoneModeLeavesEverySiteUnresolved) {
  IndirectAnalysed p(ops_program(), mode(IndirectMode::kNone));
  EXPECT_EQ(p.targets("dispatch"), (Names{"?"}));
  EXPECT_EQ(p.site_of("dispatch").resolution, Resolution::kUnresolved);
  EXPECT_EQ(p.reason_kinds("dispatch"), (std::vector<Reason::Kind>{Reason::kIndirectCall}));
  EXPECT_EQ(p.report.indirect_calls().mode, IndirectMode::kNone);
}

TEST(Indirect, AnnotationReplacesResolution) {
  ReportOptions options;
  AddedCalls a;
  a.caller = "dispatch";
  a.callees = {"h_write", "h_other"};
  a.indirect = true;
  options.added_calls.push_back(a);
  IndirectAnalysed p(ops_program(), options);
  EXPECT_EQ(p.targets("dispatch"), (Names{"0:h_write", "0:h_other"}));
  const IndirectSite& s = p.site_of("dispatch");
  EXPECT_EQ(s.resolution, Resolution::kAnnotation);
  EXPECT_EQ(s.targets, 2u);
  const std::vector<PathStep> steps = p.report.worst_path_steps(p.node("dispatch"));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].indirect, &s);
}

// ---------------------------------------------------------------------------
// Statistics and output.

TEST(Indirect, StatisticsCountSitesAndTargetPercentiles) {
  // Sites and their targets:
  //   f1  field struct s.a: t1                     field, 1
  //   f2  field struct s.b: t1 t2                  field, 2
  //   f3  global g: t1 t2 t3                        global, 3
  //   f4  parameter, i32(p): t1..t5 (all i32(p))    type, 5
  //   f5  parameter, v(p): nothing                  unresolved, 0
  //   f6  field struct s.a, in a superseded weak f6: not counted
  // Resolved 1 2 3 5: nearest-rank median is the 2nd (2), 90th percentile
  // the 4th (5). Field 1 2: median 1, p90 2.
  Unit u = unit({function("t1", 1), function("t2", 2), function("t3", 3), function("t4", 4),
                 function("t5", 5)});
  u.functions.push_back(function("f1", 8, {site(u, "i32(p)", field("struct s", "a"))}));
  u.functions.push_back(function("f2", 8, {site(u, "i32(p)", field("struct s", "b"))}));
  u.functions.push_back(function("f3", 8, {site(u, "i32(p)", global("g"))}));
  u.functions.push_back(function("f4", 8, {site(u, "i32(p)", parameter(0))}));
  u.functions.push_back(function("f5", 8, {site(u, "v(p)", parameter(0), 12)}));
  u.references = {store("t1", "i32(p)", field("struct s", "a")),
                  store("t1", "i32(p)", field("struct s", "b")),
                  store("t2", "i32(p)", field("struct s", "b")),
                  copy(global("g"), field("struct s", "b")),
                  store("t3", "i32(p)", global("g")),
                  store("t4", "i32(p)", field("struct z", "y")),
                  store("t5", "i32(p)", field("struct z", "z"))};
  Unit weak = unit({function("f6", 8, {}, Binding::kWeak), function("f6", 8)});
  weak.functions[0].calls.push_back(site(weak, "i32(p)", field("struct s", "a")));
  IndirectAnalysed p({u, weak});
  const IndirectStatistics& stats = p.report.indirect_calls();
  auto count = [&](Resolution r) { return stats.by_resolution[static_cast<std::size_t>(r)]; };
  auto targets = [&](Resolution r) {
    return stats.targets_by_resolution[static_cast<std::size_t>(r)];
  };
  EXPECT_EQ(stats.sites, 5u);
  EXPECT_EQ(count(Resolution::kField), 2u);
  EXPECT_EQ(count(Resolution::kGlobal), 1u);
  EXPECT_EQ(count(Resolution::kParameter), 0u);
  EXPECT_EQ(count(Resolution::kType), 1u);
  EXPECT_EQ(count(Resolution::kAnnotation), 0u);
  EXPECT_EQ(count(Resolution::kUnresolved), 1u);
  EXPECT_EQ(stats.targets.median, 2u);
  EXPECT_EQ(stats.targets.p90, 5u);
  EXPECT_EQ(targets(Resolution::kField).median, 1u);
  EXPECT_EQ(targets(Resolution::kField).p90, 2u);
  EXPECT_EQ(targets(Resolution::kGlobal).median, 3u);
  EXPECT_EQ(targets(Resolution::kAnnotation).median, std::nullopt);
  ASSERT_EQ(stats.unresolved.size(), 1u);
  EXPECT_EQ(stats.unresolved[0]->caller, p.node("f5"));

  std::ostringstream text;
  print_report_text(text, p.report, {});
  EXPECT_NE(text.str().find("\nIndirect calls:\n"
                            "  5 indirect call sites: 2 by field, 1 by global, 0 by parameter, 1 "
                            "by type, 0 by annotation, 1 unresolved; targets per site: median 2, "
                            "90th percentile 5\n"
                            "  unresolved:\n"
                            "    x.c:12 in 'f5': type of v(p)\n"),
            std::string::npos)
      << text.str();
}

TEST(Indirect, PathStepsSayHowAnIndirectCallWasResolved) {
  IndirectAnalysed p(ops_program({store("h_write", "i32(p)", field("struct ops", "read"))}));
  const std::vector<PathStep> steps = p.report.worst_path_steps(p.node("dispatch"));
  ASSERT_EQ(steps.size(), 2u);
  ASSERT_NE(steps[1].indirect, nullptr);
  EXPECT_EQ(describe_indirect_site(*steps[1].indirect), "field struct ops.read, 2 targets");
  IndirectAnalysed q(ops_program(), mode(IndirectMode::kType));
  const std::vector<PathStep> by_type = q.report.worst_path_steps(q.node("dispatch"));
  ASSERT_EQ(by_type.size(), 2u);
  ASSERT_NE(by_type[1].indirect, nullptr);
  EXPECT_EQ(describe_indirect_site(*by_type[1].indirect), "type i32(p), 3 targets");
}

TEST(Indirect, ParameterSitesInStatisticsTextAndJson) {
  // run_cb's one site, by parameter 0 of run_cb: cb_a and cb_b.
  IndirectAnalysed p(run_cb_program());
  const IndirectStatistics& stats = p.report.indirect_calls();
  EXPECT_EQ(stats.by_resolution[static_cast<std::size_t>(Resolution::kParameter)], 1u);
  EXPECT_EQ(stats.targets_by_resolution[static_cast<std::size_t>(Resolution::kParameter)].median,
            2u);
  const std::vector<PathStep> steps = p.report.worst_path_steps(p.node("caller_a"));
  ASSERT_EQ(steps.size(), 3u);
  ASSERT_NE(steps[2].indirect, nullptr);
  EXPECT_EQ(describe_indirect_site(*steps[2].indirect), "parameter 0 of run_cb, 2 targets");

  std::ostringstream text;
  print_report_text(text, p.report, {});
  EXPECT_NE(text.str().find("  1 indirect call site: 0 by field, 0 by global, 1 by parameter, 0 "
                            "by type, 0 by annotation, 0 unresolved; targets per site: median 2, "
                            "90th percentile 2\n"),
            std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("(via parameter 0 of run_cb, 2 targets)"), std::string::npos)
      << text.str();
  std::ostringstream json;
  print_report_json(json, p.report, {});
  EXPECT_NE(json.str().find("    \"by_resolution\": {\n"
                            "      \"field\": 0,\n"
                            "      \"global\": 0,\n"
                            "      \"parameter\": 1,\n"
                            "      \"type\": 0,\n"),
            std::string::npos)
      << json.str();
  EXPECT_NE(json.str().find("          \"resolution\": \"parameter\",\n"
                            "          \"slot\": \"parameter 0 of run_cb\",\n"),
            std::string::npos);
}

}  // namespace
}  // namespace kstack
