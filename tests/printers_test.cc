// The three printers over one fixed set of units: the su lines GCC would
// write, the text listing, and the JSON document with its escaping.
#include <gtest/gtest.h>

#include <sstream>

#include "note_builder.h"
#include "printers.h"

namespace kstack::test {
namespace {

template <typename Printer>
std::string print(Printer printer, const std::vector<Unit>& units) {
  std::ostringstream out;
  printer(out, units);
  return out.str();
}

std::vector<Unit> sample_units() {
  Unit unit = sample_unit();
  unit.input = "x.o";
  return {unit};
}

TEST(Printers, SuHasGccLinesOnly) {
  EXPECT_EQ(print(print_su, sample_units()),
            "drivers/x.c:3:5:foo\t4294967344\tdynamic,bounded\n"
            "drivers/x.c:30:1:weak_fn\t0\tstatic\n");
}

TEST(Printers, Text) {
  EXPECT_EQ(print(print_text, sample_units()),
            "x.o: unit drivers/x.c (GCC 12.2.0, x86_64-linux-gnu, lto; frames include an 8-byte "
            "return address)\n"
            "  foo  global  drivers/x.c:3:5  frame 4294967344 dynamic,bounded  red zone 120  "
            "pushed >=16  alloca 32\n"
            "    call bar  drivers/x.c:4:3\n"
            "    tail call baz  drivers/x.c:9:10\n"
            "    indirect call  drivers/x.c:7:10  type 'int (struct file *)' i32(p)  origin "
            "unmatched\n"
            "    asm call __put_user_4  drivers/x.c:12:3\n"
            "    profiler call __fentry__\n"
            "    cold call abort  (x2)\n"
            "  bar.constprop.0  local comdat clone of bar nested thunk artificial  "
            "drivers/x.c:20:12  frame unknown  no su line  cold part bar.constprop.0.cold\n"
            "    cold tail call foo  drivers/x.h:1:2  (x3)\n"
            "  weak_fn  weak  drivers/x.c:30:1  frame 0 static\n"
            "  alias foo_alias -> foo  global\n"
            "  alias w -> weak_fn  weak\n"
            "  escape bar.constprop.0 as v()  drivers/x.c:40\n"
            "  store as i32(p) value of parameter 3 of table -> field struct ops.read\n");
}

TEST(Printers, TextWithoutReturnAddress) {
  Unit unit;
  unit.input = "y.o";
  unit.main_input = "y.c";
  unit.producer = "GCC 12.2.0";
  unit.target = "arm-linux-gnueabihf";
  EXPECT_EQ(print(print_text, {unit}),
            "y.o: unit y.c (GCC 12.2.0, arm-linux-gnueabihf; frames include no return address)\n");
}

TEST(Printers, TextNamesMissingAsmTargets) {
  Unit unit;
  unit.input = "y.o";
  Function function;
  function.name = "jump";
  function.calls = {{CallKind::kAsm, true, false, "", 1, "y.c", 2, 3},
                    {CallKind::kIndirect, true, false, "", 1, "y.c", 4, 5}};
  unit.functions = {function};
  std::string text = print(print_text, {unit});
  EXPECT_NE(text.find("\n    tail asm call <unknown target>  y.c:2:3\n"
                      "    tail indirect call  y.c:4:5\n"),
            std::string::npos)
      << text;
}

TEST(Printers, Json) {
  Unit unit = sample_unit();
  unit.input = "lib.a(x.o)";
  unit.flags = 0;
  unit.functions.resize(1);
  unit.functions[0].calls.resize(3);
  unit.aliases.resize(1);
  unit.references.resize(1);
  Unit empty;
  empty.input = "y.o";
  EXPECT_EQ(print(print_json, {unit, empty}), R"json({
  "format": "kstack-dump",
  "version": 1,
  "units": [
    {
      "input": "lib.a(x.o)",
      "main_input": "drivers/x.c",
      "output_base": "drivers/x",
      "producer": "GCC 12.2.0",
      "target": "x86_64-linux-gnu",
      "return_address_in_frame": 8,
      "lto": false,
      "explained": false,
      "functions": [
        {
          "name": "foo",
          "su_name": "foo",
          "origin": null,
          "file": "drivers/x.c",
          "line": 3,
          "column": 5,
          "binding": "global",
          "comdat": false,
          "clone": false,
          "nested": false,
          "thunk": false,
          "artificial": false,
          "su_line": true,
          "frame": {
            "size": 4294967344,
            "kind": "dynamic,bounded",
            "static": 48,
            "pushed": 16,
            "dynamic": 32,
            "red_zone": 120,
            "known": true,
            "dynamic_alloc": true,
            "unbounded_alloc": false,
            "pushed_variable": true
          },
          "cold": null,
          "calls": [
            {
              "kind": "direct",
              "callee": "bar",
              "tail": false,
              "cold": false,
              "count": 1,
              "file": "drivers/x.c",
              "line": 4,
              "column": 3
            },
            {
              "kind": "direct",
              "callee": "baz",
              "tail": true,
              "cold": false,
              "count": 1,
              "file": "drivers/x.c",
              "line": 9,
              "column": 10
            },
            {
              "kind": "indirect",
              "callee": null,
              "tail": false,
              "cold": false,
              "count": 1,
              "file": "drivers/x.c",
              "line": 7,
              "column": 10,
              "indirect": {
                "matched": false,
                "type": "int (struct file *)",
                "signature": "i32(p)",
                "origin": {
                  "kind": "virtual",
                  "scope": "struct file",
                  "member": "read",
                  "index": 7
                }
              }
            }
          ]
        }
      ],
      "aliases": [
        {
          "name": "foo_alias",
          "target": "foo",
          "binding": "global"
        }
      ],
      "references": [
        {
          "kind": "escape",
          "function": "bar.constprop.0",
          "function_signature": "i32(p)",
          "value_signature": "v()",
          "slot": {
            "kind": "none",
            "scope": "",
            "member": "",
            "index": 0
          },
          "source": {
            "kind": "none",
            "scope": "",
            "member": "",
            "index": 0
          },
          "file": "drivers/x.c",
          "line": 40
        }
      ]
    },
    {
      "input": "y.o",
      "main_input": "",
      "output_base": "",
      "producer": "",
      "target": "",
      "return_address_in_frame": 0,
      "lto": false,
      "explained": false,
      "functions": [],
      "aliases": [],
      "references": []
    }
  ]
}
)json");
}

TEST(Printers, JsonFlagsAndNames) {
  std::string json = print(print_json, sample_units());
  EXPECT_NE(json.find(R"("lto": true)"), std::string::npos);
  EXPECT_NE(json.find(R"("origin": "bar")"), std::string::npos);
  EXPECT_NE(json.find(R"("su_line": false)"), std::string::npos);
  EXPECT_NE(json.find(R"("known": false)"), std::string::npos);
  EXPECT_NE(json.find(R"("cold": "bar.constprop.0.cold")"), std::string::npos);
  EXPECT_NE(json.find(R"("binding": "weak")"), std::string::npos);
  EXPECT_NE(json.find(R"("kind": "asm")"), std::string::npos);
  EXPECT_NE(json.find(R"("kind": "profiler")"), std::string::npos);
}

TEST(Printers, JsonEscapesControlCharactersAndInvalidUtf8) {
  Unit unit;
  unit.input = "we\"ird\\name\n\t\x01\x7f.o";
  unit.main_input = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";               // valid UTF-8 stays
  unit.producer = "\xff\xc3 \xe2\x82 \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80";  // invalid
  std::string json = print(print_json, {unit});
  EXPECT_NE(json.find(R"("input": "we\"ird\\name\n\t\u0001\u007f.o")"), std::string::npos);
  EXPECT_NE(json.find("\"main_input\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""),
            std::string::npos);
  EXPECT_NE(json.find(R"("producer": "\u00ff\u00c3 \u00e2\u0082 \u00c0\u00af )"
                      R"(\u00ed\u00a0\u0080 \u00f4\u0090\u0080\u0080")"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace kstack::test
