// The annotation file parser and the byte counts it and the command line
// read: what each directive adds to the options, what each mistake says and
// where, and that one mistake does not stop the rest of the file.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "annotations.h"
#include "note_builder.h"
#include "report.h"

namespace kstack {
namespace {

using test::CollectingDiagnostics;

struct Parsed {
  bool ok;
  ReportOptions options;
  std::vector<std::string> diagnostics;
  int errors;
};

Parsed parse(std::string_view text) {
  Parsed p;
  CollectingDiagnostics diagnostics;
  p.ok = parse_annotations("k.ann", text, diagnostics, p.options);
  p.diagnostics = diagnostics.lines;
  p.errors = diagnostics.errors;
  return p;
}

std::string error(std::uint32_t line, const std::string& message) {
  return "kstack: error: k.ann:" + std::to_string(line) + ": " + message;
}

// ---------------------------------------------------------------------------
// parse_bytes

TEST(ParseBytes, PlainNumbersAndSuffixes) {
  EXPECT_EQ(parse_bytes("0"), 0u);
  EXPECT_EQ(parse_bytes("16384"), 16384u);
  EXPECT_EQ(parse_bytes("007"), 7u);
  EXPECT_EQ(parse_bytes("16K"), 16u * 1024);
  EXPECT_EQ(parse_bytes("16k"), 16u * 1024);
  EXPECT_EQ(parse_bytes("2M"), 2u * 1024 * 1024);
  EXPECT_EQ(parse_bytes("2m"), 2u * 1024 * 1024);
  EXPECT_EQ(parse_bytes("0K"), 0u);
}

TEST(ParseBytes, RejectsAnythingElse) {
  for (const char* text : {"", "K", "M", "-1", "+1", " 1", "1 ", "1.5", "0x10", "1e3", "16KB",
                           "16Ki", "16G", "16 K", "K16", "1,024", "\t1"}) {
    EXPECT_EQ(parse_bytes(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(ParseBytes, TheLargestValuesFitAndOneMoreOverflows) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  // 2^64 - 1 = 18446744073709551615.
  EXPECT_EQ(parse_bytes("18446744073709551615"), max);
  EXPECT_EQ(parse_bytes("18446744073709551610"), max - 5);
  EXPECT_EQ(parse_bytes("18446744073709551616"), std::nullopt);
  EXPECT_EQ(parse_bytes("18446744073709551620"), std::nullopt);
  EXPECT_EQ(parse_bytes("99999999999999999999"), std::nullopt);
  EXPECT_EQ(parse_bytes("184467440737095516150"), std::nullopt);
  // K: (2^54 - 1) × 2^10 = 2^64 - 1024 fits, 2^54 × 2^10 does not.
  EXPECT_EQ(parse_bytes("18014398509481983K"), max - 1023);
  EXPECT_EQ(parse_bytes("18014398509481984K"), std::nullopt);
  // M: (2^44 - 1) × 2^20 = 2^64 - 2^20 fits, 2^44 × 2^20 does not.
  EXPECT_EQ(parse_bytes("17592186044415M"), max - (1024 * 1024 - 1));
  EXPECT_EQ(parse_bytes("17592186044416M"), std::nullopt);
}

// ---------------------------------------------------------------------------
// Directives

TEST(Annotations, EveryDirective) {
  const Parsed p = parse(
      "# stack annotations for the test program\n"
      "\n"
      "calls     dispatch  helper_a helper_b   # extra edges\n"
      "indirect ops_* h_small h_big\n"
      "assume memcpy 64\n"
      "assume __asm_* 1K\n"
      "recursion parse_expr 10\n"
      "entry irq_*\n"
      "entry main\n"
      "budget irq_* 2K\n"
      "budget main 1M\n"
      "accept main 3000 the parser is known to be deep\n");
  EXPECT_TRUE(p.ok);
  EXPECT_TRUE(p.diagnostics.empty());
  const ReportOptions& o = p.options;

  ASSERT_EQ(o.added_calls.size(), 2u);
  EXPECT_EQ(o.added_calls[0].caller, "dispatch");
  EXPECT_EQ(o.added_calls[0].callees, (std::vector<std::string>{"helper_a", "helper_b"}));
  EXPECT_FALSE(o.added_calls[0].indirect);
  EXPECT_EQ(o.added_calls[0].file, "k.ann");
  EXPECT_EQ(o.added_calls[0].line, 3u);
  EXPECT_EQ(o.added_calls[1].caller, "ops_*");
  EXPECT_EQ(o.added_calls[1].callees, (std::vector<std::string>{"h_small", "h_big"}));
  EXPECT_TRUE(o.added_calls[1].indirect);
  EXPECT_EQ(o.added_calls[1].line, 4u);

  ASSERT_EQ(o.depth.assumed.size(), 2u);
  EXPECT_EQ(o.depth.assumed[0].glob, "memcpy");
  EXPECT_EQ(o.depth.assumed[0].bytes, 64u);
  EXPECT_EQ(o.depth.assumed[0].source.file, "k.ann");
  EXPECT_EQ(o.depth.assumed[0].source.line, 5u);
  EXPECT_EQ(o.depth.assumed[1].glob, "__asm_*");
  EXPECT_EQ(o.depth.assumed[1].bytes, 1024u);
  EXPECT_EQ(o.depth.assumed[1].source.line, 6u);

  ASSERT_EQ(o.depth.recursion.size(), 1u);
  EXPECT_EQ(o.depth.recursion[0].glob, "parse_expr");
  EXPECT_EQ(o.depth.recursion[0].activations, 10u);
  EXPECT_EQ(o.depth.recursion[0].source.line, 7u);

  ASSERT_EQ(o.entries.size(), 2u);
  EXPECT_EQ(o.entries[0].glob, "irq_*");
  EXPECT_EQ(o.entries[0].source.line, 8u);
  EXPECT_EQ(o.entries[1].glob, "main");
  EXPECT_EQ(o.entries[1].source.line, 9u);

  ASSERT_EQ(o.budgets.size(), 2u);
  EXPECT_EQ(o.budgets[0].glob, "irq_*");
  EXPECT_EQ(o.budgets[0].bytes, 2048u);
  EXPECT_EQ(o.budgets[0].source.line, 10u);
  EXPECT_EQ(o.budgets[1].glob, "main");
  EXPECT_EQ(o.budgets[1].bytes, 1024u * 1024);
  EXPECT_EQ(o.budgets[1].source.line, 11u);
  EXPECT_FALSE(o.budget.has_value());  // only the command line sets it

  ASSERT_EQ(o.accepts.size(), 1u);
  EXPECT_EQ(o.accepts[0].glob, "main");
  EXPECT_EQ(o.accepts[0].max_bytes, 3000u);
  EXPECT_EQ(o.accepts[0].reason, "the parser is known to be deep");
  EXPECT_EQ(o.accepts[0].source.file, "k.ann");
  EXPECT_EQ(o.accepts[0].source.line, 12u);
}

TEST(Annotations, JumpsNamesATrampolineAndItsTargets) {
  const Parsed p = parse(
      "jumps __SCT__tick  tick_hpet tick_tsc   # static_call trampolines\n"
      "\n"
      "jumps\t__x86_indirect_thunk_*\tone\r\n");
  EXPECT_TRUE(p.ok);
  EXPECT_TRUE(p.diagnostics.empty());
  ASSERT_EQ(p.options.trampolines.size(), 2u);
  const Trampoline& tick = p.options.trampolines[0];
  EXPECT_EQ(tick.symbol, "__SCT__tick");
  EXPECT_EQ(tick.targets, (std::vector<std::string>{"tick_hpet", "tick_tsc"}));
  EXPECT_EQ(tick.file, "k.ann");
  EXPECT_EQ(tick.line, 1u);
  const Trampoline& thunk = p.options.trampolines[1];
  EXPECT_EQ(thunk.symbol, "__x86_indirect_thunk_*");
  EXPECT_EQ(thunk.targets, (std::vector<std::string>{"one"}));
  EXPECT_EQ(thunk.line, 3u);
  // Nothing else: a trampoline is neither an added call nor an assumed depth.
  EXPECT_TRUE(p.options.added_calls.empty());
  EXPECT_TRUE(p.options.depth.assumed.empty());
}

TEST(Annotations, StubNamesItsFrameAndTargets) {
  const Parsed p = parse(
      "# arch/x86/entry/thunk_64.S\n"
      "stub preempt_schedule_thunk  88  preempt_schedule   # pushes, then calls C\n"
      "stub\tleaf_asm\t1K\r\n"
      "stub two_calls 16 first second\n");
  EXPECT_TRUE(p.ok);
  EXPECT_TRUE(p.diagnostics.empty());
  ASSERT_EQ(p.options.stubs.size(), 3u);
  const Stub& thunk = p.options.stubs[0];
  EXPECT_EQ(thunk.symbol, "preempt_schedule_thunk");
  EXPECT_EQ(thunk.bytes, 88u);
  EXPECT_EQ(thunk.targets, (std::vector<std::string>{"preempt_schedule"}));
  EXPECT_EQ(thunk.source.file, "k.ann");
  EXPECT_EQ(thunk.source.line, 2u);
  EXPECT_EQ(thunk.function.unit, kNoFunction);  // not a function of any unit yet
  const Stub& leaf = p.options.stubs[1];
  EXPECT_EQ(leaf.symbol, "leaf_asm");
  EXPECT_EQ(leaf.bytes, 1024u);
  EXPECT_TRUE(leaf.targets.empty());
  EXPECT_EQ(leaf.source.line, 3u);
  EXPECT_EQ(p.options.stubs[2].targets, (std::vector<std::string>{"first", "second"}));
  // A stub is neither an assumed depth nor a trampoline.
  EXPECT_TRUE(p.options.depth.assumed.empty());
  EXPECT_TRUE(p.options.trampolines.empty());
  EXPECT_TRUE(p.options.added_calls.empty());
}

TEST(Annotations, StubMistakes) {
  ReportOptions options;
  CollectingDiagnostics diagnostics;
  EXPECT_TRUE(parse_annotations("a.ann", "stub thunk 8 f\n", diagnostics, options));
  EXPECT_FALSE(parse_annotations("k.ann",
                                 "stub\n"
                                 "stub thunk_only\n"
                                 "stub other lots f\n"
                                 "stub preempt_*_thunk 88 preempt_schedule\n"
                                 "stub thunk[12] -8\n"
                                 "stub thunk 16 g\n"
                                 "stub fine 8\n",
                                 diagnostics, options));
  EXPECT_EQ(diagnostics.errors, 6);
  EXPECT_EQ(diagnostics.lines,
            (std::vector<std::string>{
                error(1, "'stub' needs a symbol and a number of bytes"),
                error(2, "'stub' needs a symbol and a number of bytes"),
                error(3, "frame 'lots' is not a number"),
                error(4, "a stub defines one function: 'preempt_*_thunk' is a glob"),
                error(5, "a stub defines one function: 'thunk[12]' is a glob"),
                error(6, "stub 'thunk' is already defined at a.ann:1"),
            }));
  ASSERT_EQ(options.stubs.size(), 2u);
  EXPECT_EQ(options.stubs[0].source.file, "a.ann");
  EXPECT_EQ(options.stubs[1].symbol, "fine");
}

TEST(Annotations, StubsBecomeWeakFunctionsOfOneUnitPerFile) {
  ReportOptions options;
  CollectingDiagnostics diagnostics;
  ASSERT_TRUE(
      parse_annotations("a.ann", "stub thunk 88 schedule\nstub leaf 8\n", diagnostics, options));
  ASSERT_TRUE(parse_annotations("b.ann", "\nstub other 16 f g\n", diagnostics, options));
  std::vector<Unit> units(2);
  units[0].input = "main.o";
  units[1].input = "lib.o";
  append_stub_units(options, units);
  ASSERT_EQ(units.size(), 4u);
  EXPECT_EQ(units[2].input, "a.ann");
  EXPECT_EQ(units[3].input, "b.ann");
  ASSERT_EQ(units[2].functions.size(), 2u);
  ASSERT_EQ(units[3].functions.size(), 1u);
  EXPECT_EQ(options.stubs[0].function.unit, 2u);
  EXPECT_EQ(options.stubs[0].function.index, 0u);
  EXPECT_EQ(options.stubs[1].function.unit, 2u);
  EXPECT_EQ(options.stubs[1].function.index, 1u);
  EXPECT_EQ(options.stubs[2].function.unit, 3u);
  EXPECT_EQ(options.stubs[2].function.index, 0u);

  const Function& thunk = units[2].functions[0];
  EXPECT_EQ(thunk.name, "thunk");
  EXPECT_EQ(thunk.binding, Binding::kWeak);
  EXPECT_EQ(thunk.frame_kind, FrameKind::kStatic);
  EXPECT_EQ(thunk.frame_size, 88u);
  EXPECT_EQ(thunk.file, "a.ann");
  EXPECT_EQ(thunk.line, 1u);
  ASSERT_EQ(thunk.calls.size(), 1u);
  EXPECT_EQ(thunk.calls[0].callee, "schedule");
  EXPECT_EQ(thunk.calls[0].kind, CallKind::kDirect);
  EXPECT_FALSE(thunk.calls[0].tail);
  EXPECT_EQ(thunk.calls[0].file, "a.ann");
  EXPECT_EQ(thunk.calls[0].line, 1u);
  EXPECT_TRUE(units[2].functions[1].calls.empty());
  const Function& other = units[3].functions[0];
  EXPECT_EQ(other.line, 2u);
  ASSERT_EQ(other.calls.size(), 2u);
  EXPECT_EQ(other.calls[1].callee, "g");
  EXPECT_EQ(other.calls[1].line, 2u);
}

TEST(Annotations, DirectivesAddToWhatIsThere) {
  ReportOptions options;
  options.entries.push_back({"from_the_command_line", {}});
  CollectingDiagnostics diagnostics;
  EXPECT_TRUE(parse_annotations("a.ann", "entry one\n", diagnostics, options));
  EXPECT_TRUE(parse_annotations("b.ann", "entry two\n", diagnostics, options));
  ASSERT_EQ(options.entries.size(), 3u);
  EXPECT_EQ(options.entries[1].glob, "one");
  EXPECT_EQ(options.entries[1].source.file, "a.ann");
  EXPECT_EQ(options.entries[2].glob, "two");
  EXPECT_EQ(options.entries[2].source.file, "b.ann");
}

TEST(Annotations, CommentsBlankLinesAndNoFinalNewline) {
  const Parsed p = parse(
      "# a comment\n"
      "   # an indented comment\n"
      "\n"
      "   \t  \n"
      "entry main# no blank before the comment\n"
      "#entry commented_out\n"
      "entry last");  // line 7, no newline
  EXPECT_TRUE(p.ok);
  EXPECT_TRUE(p.diagnostics.empty());
  ASSERT_EQ(p.options.entries.size(), 2u);
  EXPECT_EQ(p.options.entries[0].glob, "main");
  EXPECT_EQ(p.options.entries[0].source.line, 5u);
  EXPECT_EQ(p.options.entries[1].glob, "last");
  EXPECT_EQ(p.options.entries[1].source.line, 7u);
}

TEST(Annotations, EmptyFilesSayNothing) {
  for (const char* text : {"", "\n", "\n\n\n", "# only a comment", "\r\n"}) {
    const Parsed p = parse(text);
    EXPECT_TRUE(p.ok) << text;
    EXPECT_TRUE(p.diagnostics.empty()) << text;
    EXPECT_TRUE(p.options.entries.empty() && p.options.budgets.empty() &&
                p.options.accepts.empty() && p.options.added_calls.empty() &&
                p.options.depth.assumed.empty() && p.options.depth.recursion.empty() &&
                p.options.trampolines.empty() && p.options.stubs.empty())
        << text;
  }
}

TEST(Annotations, CrlfLineEndings) {
  const Parsed p = parse(
      "# written on Windows\r\n"
      "\r\n"
      "entry main\r\n"
      "budget main 16K\r\n"
      "accept main 20000 known  deep\r\n"
      "calls main helper\r\n");
  EXPECT_TRUE(p.ok);
  EXPECT_TRUE(p.diagnostics.empty());
  ASSERT_EQ(p.options.entries.size(), 1u);
  EXPECT_EQ(p.options.entries[0].glob, "main");
  EXPECT_EQ(p.options.entries[0].source.line, 3u);
  ASSERT_EQ(p.options.budgets.size(), 1u);
  EXPECT_EQ(p.options.budgets[0].bytes, 16384u);
  ASSERT_EQ(p.options.accepts.size(), 1u);
  EXPECT_EQ(p.options.accepts[0].reason, "known  deep");  // inner blanks kept, \r not
  ASSERT_EQ(p.options.added_calls.size(), 1u);
  EXPECT_EQ(p.options.added_calls[0].callees, (std::vector<std::string>{"helper"}));
  EXPECT_EQ(p.options.added_calls[0].line, 6u);
}

TEST(Annotations, TabsSeparateWords) {
  const Parsed p = parse(
      "\tindirect\tops\th_small\t\th_big\t\n"
      "accept\tmain\t1K\tdeep\tby design\t\n");
  EXPECT_TRUE(p.ok);
  ASSERT_EQ(p.options.added_calls.size(), 1u);
  EXPECT_EQ(p.options.added_calls[0].caller, "ops");
  EXPECT_EQ(p.options.added_calls[0].callees, (std::vector<std::string>{"h_small", "h_big"}));
  ASSERT_EQ(p.options.accepts.size(), 1u);
  EXPECT_EQ(p.options.accepts[0].max_bytes, 1024u);
  EXPECT_EQ(p.options.accepts[0].reason, "deep\tby design");
}

TEST(Annotations, AReasonOfSeveralWordsEndsAtAComment) {
  const Parsed p = parse("accept  main  100   stays   deep: see the   design doc   # not this\n");
  EXPECT_TRUE(p.ok);
  ASSERT_EQ(p.options.accepts.size(), 1u);
  EXPECT_EQ(p.options.accepts[0].reason, "stays   deep: see the   design doc");
}

// ---------------------------------------------------------------------------
// Mistakes

TEST(Annotations, EveryMistakeIsAnErrorAtItsLine) {
  const Parsed p = parse(
      "asume memcpy 64\n"
      "calls run\n"
      "indirect ops\n"
      "assume memcpy\n"
      "assume memcpy 64 extra\n"
      "assume memcpy lots\n"
      "recursion parse\n"
      "recursion parse 0\n"
      "recursion parse ten\n"
      "entry\n"
      "entry a b\n"
      "budget main\n"
      "budget main 16Q\n"
      "accept main 100\n"
      "accept main much too deep\n"
      "Entry main\n"
      "jumps\n"
      "jumps __SCT__tick   # a target is required\n");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.errors, 18);
  EXPECT_EQ(p.diagnostics, (std::vector<std::string>{
                               error(1, "unknown directive 'asume'"),
                               error(2, "'calls' needs a caller and at least one callee"),
                               error(3, "'indirect' needs a caller and at least one callee"),
                               error(4, "'assume' needs a symbol and a number of bytes"),
                               error(5, "'assume' needs a symbol and a number of bytes"),
                               error(6, "depth 'lots' is not a number"),
                               error(7, "'recursion' needs a function and a number of activations"),
                               error(8, "a recursion bound must be at least 1"),
                               error(9, "activations 'ten' is not a number"),
                               error(10, "'entry' needs one function"),
                               error(11, "'entry' needs one function"),
                               error(12, "'budget' needs an entry and a number of bytes"),
                               error(13, "budget '16Q' is not a number"),
                               error(14, "'accept' needs an entry, a number of bytes and a reason"),
                               error(15, "accepted depth 'much' is not a number"),
                               error(16, "unknown directive 'Entry'"),
                               error(17, "'jumps' needs a symbol and at least one target"),
                               error(18, "'jumps' needs a symbol and at least one target"),
                           }));
  // A line in error adds nothing.
  const ReportOptions& o = p.options;
  EXPECT_TRUE(o.entries.empty() && o.budgets.empty() && o.accepts.empty() &&
              o.added_calls.empty() && o.depth.assumed.empty() && o.depth.recursion.empty() &&
              o.trampolines.empty());
}

TEST(Annotations, OverflowingNumbersAreErrors) {
  const Parsed p = parse(
      "budget main 99999999999999999999\n"
      "assume memcpy 17592186044416M\n"
      "recursion f 18446744073709551616\n");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.diagnostics, (std::vector<std::string>{
                               error(1, "budget '99999999999999999999' is not a number"),
                               error(2, "depth '17592186044416M' is not a number"),
                               error(3, "activations '18446744073709551616' is not a number"),
                           }));
  EXPECT_TRUE(p.options.budgets.empty());
}

TEST(Annotations, ParsingGoesOnAfterAnError) {
  const Parsed p = parse(
      "entry first\n"
      "budget first lots\n"
      "# a comment\n"
      "budget first 8K\n"
      "recursion f 0\r\n"
      "entry second\n");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.errors, 2);
  EXPECT_EQ(p.diagnostics, (std::vector<std::string>{
                               error(2, "budget 'lots' is not a number"),
                               error(5, "a recursion bound must be at least 1"),
                           }));
  ASSERT_EQ(p.options.entries.size(), 2u);
  EXPECT_EQ(p.options.entries[1].glob, "second");
  EXPECT_EQ(p.options.entries[1].source.line, 6u);
  ASSERT_EQ(p.options.budgets.size(), 1u);
  EXPECT_EQ(p.options.budgets[0].bytes, 8192u);
  EXPECT_EQ(p.options.budgets[0].source.line, 4u);
  EXPECT_TRUE(p.options.depth.recursion.empty());
}

TEST(Annotations, AMissingFileIsAnError) {
  ReportOptions options;
  CollectingDiagnostics diagnostics;
  EXPECT_FALSE(read_annotations("/nonexistent/kstack/k.ann", diagnostics, options));
  EXPECT_EQ(diagnostics.lines, (std::vector<std::string>{
                                   "kstack: error: '/nonexistent/kstack/k.ann': cannot open: No "
                                   "such file or directory",
                               }));
}

}  // namespace
}  // namespace kstack
