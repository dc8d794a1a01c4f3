// The JSON parser on in-memory text: what it accepts, what every syntax
// error says and at which offset, and that what JsonWriter writes comes back
// byte for byte.
#include <gtest/gtest.h>

#include <sstream>

#include "checked.h"
#include "json_reader.h"
#include "json_writer.h"

namespace kstack::test {
namespace {

// "offset 0xN: message" of the InputError parse_json throws, or "ok".
std::string parse_error(std::string_view text) {
  try {
    parse_json(text);
  } catch (const InputError& error) {
    std::ostringstream out;
    out << "offset 0x" << std::hex << error.offset << ": " << error.what();
    return out.str();
  }
  return "ok";
}

TEST(JsonReader, Tree) {
  const JsonValue root = parse_json(
      " {\"name\": \"main\", \"depth\": 616, \"complete\": false, \"next\": null,\n"
      "  \"path\": [1, -2, {}], \"empty\": []}\r\n\t");
  ASSERT_NE(root.as_object(), nullptr);
  EXPECT_EQ(root.offset(), 1u);
  ASSERT_EQ(root.as_object()->size(), 6u);
  EXPECT_EQ(root.as_object()->at(1).first, "depth");  // document order
  EXPECT_EQ(*root.find("name")->as_string(), "main");
  EXPECT_EQ(root.find("depth")->as_uint64(), 616u);
  EXPECT_EQ(root.find("depth")->offset(), 27u);
  EXPECT_EQ(*root.find("complete")->as_bool(), false);
  EXPECT_TRUE(root.find("next")->is_null());
  EXPECT_EQ(root.find("missing"), nullptr);
  const JsonArray& path = *root.find("path")->as_array();
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(path[0].as_int64(), 1);
  EXPECT_EQ(path[1].as_int64(), -2);
  EXPECT_EQ(path[1].as_uint64(), std::nullopt);
  EXPECT_EQ(path[2].kind(), JsonValue::Kind::kObject);
  EXPECT_TRUE(root.find("empty")->as_array()->empty());
  // Accessors of the wrong kind answer nothing rather than fail.
  EXPECT_EQ(root.find("name")->as_uint64(), std::nullopt);
  EXPECT_EQ(root.find("name")->as_bool(), nullptr);
  EXPECT_EQ(path[0].find("x"), nullptr);
}

TEST(JsonReader, Scalars) {
  EXPECT_TRUE(parse_json("null").is_null());
  EXPECT_EQ(*parse_json("true").as_bool(), true);
  EXPECT_EQ(*parse_json("\"\"").as_string(), "");
}

TEST(JsonReader, Numbers) {
  EXPECT_EQ(parse_json("0").as_uint64(), 0u);
  EXPECT_EQ(parse_json("-0").as_uint64(), 0u);
  EXPECT_EQ(parse_json("18446744073709551615").as_uint64(), UINT64_MAX);
  EXPECT_EQ(parse_json("18446744073709551615").as_int64(), std::nullopt);
  EXPECT_EQ(parse_json("9223372036854775807").as_int64(), INT64_MAX);
  EXPECT_EQ(parse_json("-9223372036854775808").as_int64(), INT64_MIN);
  EXPECT_EQ(parse_json("-9223372036854775809").as_int64(), std::nullopt);
  // Valid JSON, but no integer kstack could use.
  EXPECT_EQ(parse_json("18446744073709551616").as_uint64(), std::nullopt);
  EXPECT_EQ(parse_json("1.5").as_uint64(), std::nullopt);
  EXPECT_EQ(parse_json("1.0").as_int64(), std::nullopt);
  EXPECT_EQ(parse_json("1e3").as_uint64(), std::nullopt);
  EXPECT_EQ(parse_json("-2E-3").kind(), JsonValue::Kind::kNumber);
}

TEST(JsonReader, Escapes) {
  EXPECT_EQ(*parse_json(R"("\"\\\/\b\f\n\r\t")").as_string(), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(*parse_json(R"("\u0041\u00e9\u20ac\ud83d\ude00")").as_string(),
            "A\xe9\xe2\x82\xac\xf0\x9f\x98\x80");
  EXPECT_EQ(parse_json(R"("a\u0000b")").as_string()->size(), 3u);
  // Raw bytes, valid UTF-8 or not, are kept.
  EXPECT_EQ(*parse_json("\"\xc3\xa9\xff\"").as_string(), "\xc3\xa9\xff");
}

TEST(JsonReader, ReadsBackWhatJsonWriterWrites) {
  const std::string name("f\xff\xc3\xa9\x01\"\\\n\0", 9);  // NUL too
  std::ostringstream out;
  JsonWriter json(out);
  json.begin_object();
  json.field("name", std::string_view(name));
  json.field("big", UINT64_MAX);
  json.field("small", INT64_MIN);
  json.end_object();
  const JsonValue root = parse_json(out.str());
  EXPECT_EQ(*root.find("name")->as_string(), name);
  EXPECT_EQ(root.find("big")->as_uint64(), UINT64_MAX);
  EXPECT_EQ(root.find("small")->as_int64(), INT64_MIN);
}

TEST(JsonReader, SyntaxErrors) {
  EXPECT_EQ(parse_error(""), "offset 0x0: expected a value");
  EXPECT_EQ(parse_error("   "), "offset 0x3: expected a value");
  EXPECT_EQ(parse_error("\xef\xbb\xbf{}"), "offset 0x0: expected a value");  // no BOM
  EXPECT_EQ(parse_error("{} {}"), "offset 0x3: unexpected data after the JSON value");
  EXPECT_EQ(parse_error("{\"a\": 1 \"b\": 2}"), "offset 0x8: expected ',' or '}'");
  EXPECT_EQ(parse_error("{\"a\": 1"), "offset 0x7: expected ',' or '}'");
  EXPECT_EQ(parse_error("{\"a\": 1,}"), "offset 0x8: expected a string key");
  EXPECT_EQ(parse_error("{a: 1}"), "offset 0x1: expected a string key or '}'");
  EXPECT_EQ(parse_error("{\"a\" 1}"), "offset 0x5: expected ':'");
  EXPECT_EQ(parse_error("{\"a\":}"), "offset 0x5: expected a value");
  EXPECT_EQ(parse_error("[1 2]"), "offset 0x3: expected ',' or ']'");
  EXPECT_EQ(parse_error("[1,]"), "offset 0x3: expected a value");
  EXPECT_EQ(parse_error("[tru]"), "offset 0x1: expected a value");
  EXPECT_EQ(parse_error("nul"), "offset 0x0: expected a value");
  EXPECT_EQ(parse_error("True"), "offset 0x0: expected a value");
  EXPECT_EQ(parse_error("// x\n1"), "offset 0x0: expected a value");
  EXPECT_EQ(parse_error("'a'"), "offset 0x0: expected a value");
}

TEST(JsonReader, NumberErrors) {
  EXPECT_EQ(parse_error("01"), "offset 0x1: invalid number: leading zero");
  EXPECT_EQ(parse_error("-"), "offset 0x1: invalid number");
  EXPECT_EQ(parse_error("-a"), "offset 0x1: invalid number");
  EXPECT_EQ(parse_error("+1"), "offset 0x0: expected a value");
  EXPECT_EQ(parse_error("1."), "offset 0x2: invalid number");
  EXPECT_EQ(parse_error(".5"), "offset 0x0: expected a value");
  EXPECT_EQ(parse_error("1e"), "offset 0x2: invalid number");
  EXPECT_EQ(parse_error("1e+"), "offset 0x3: invalid number");
  EXPECT_EQ(parse_error("0x10"), "offset 0x1: unexpected data after the JSON value");
}

TEST(JsonReader, StringErrors) {
  EXPECT_EQ(parse_error("\"abc"), "offset 0x4: unterminated string");
  EXPECT_EQ(parse_error("\"a\nb\""), "offset 0x2: control character in a string");
  EXPECT_EQ(parse_error("\"a\tb\""), "offset 0x2: control character in a string");
  EXPECT_EQ(parse_error(R"("a\x")"), "offset 0x2: invalid escape");
  EXPECT_EQ(parse_error("\"a\\"), "offset 0x2: invalid escape");
  EXPECT_EQ(parse_error(R"("\u12G4")"), "offset 0x5: invalid \\u escape: expected four hex digits");
  EXPECT_EQ(parse_error(R"("\u12")"), "offset 0x5: invalid \\u escape: expected four hex digits");
  EXPECT_EQ(parse_error(R"("x\ude00")"), "offset 0x2: unpaired surrogate escape");
  EXPECT_EQ(parse_error(R"("x\ud83d")"), "offset 0x2: unpaired surrogate escape");
  EXPECT_EQ(parse_error(R"("x\ud83d\u0041")"), "offset 0x2: unpaired surrogate escape");
}

TEST(JsonReader, DuplicateKeys) {
  EXPECT_EQ(parse_error(R"({"a": 1, "b": 2, "a": 3})"), "offset 0x11: duplicate key 'a'");
  // The first key repeated in document order, whatever the sort order.
  EXPECT_EQ(parse_error(R"({"b": 1, "a": 2, "b": 3, "a": 4})"), "offset 0x11: duplicate key 'b'");
  // Nested objects have keys of their own.
  EXPECT_EQ(parse_error(R"({"a": {"a": 1}, "b": {"a": 2}})"), "ok");
}

TEST(JsonReader, IgnoredMembersAreCheckedButNotKept) {
  const JsonValue root =
      parse_json(R"({"keep": [1], "path": [{"a": 1}], "inner": {"path": "x"}})", {"path"});
  EXPECT_EQ(root.find("keep")->as_array()->size(), 1u);
  EXPECT_TRUE(root.find("path")->is_null());
  EXPECT_EQ(root.find("path")->offset(), 22u);
  EXPECT_TRUE(root.find("inner")->find("path")->is_null());
  // Still JSON: an error inside an ignored member is an error, reported at
  // the same offset and with the same message as when the member is kept.
  auto error = [](const std::string& text, std::vector<std::string_view> ignored) {
    try {
      parse_json(text, ignored);
    } catch (const InputError& e) {
      return std::to_string(e.offset) + ": " + e.what();
    }
    return std::string("ok");
  };
  for (const std::string& text : std::vector<std::string>{
           R"({"path": [1,]})", R"({"path": {"a" 1}})", R"({"path": {"a": 1,}})",
           R"({"path": ["a\q"]})", R"({"path": ["\ud800"]})", R"({"path": [01]})",
           R"({"path": [tru]})", R"({"path": "x)", R"({"path": ["a", "b"] "c"})",
           "{\"path\": \"a\x01\"}",
           "{\"path\": " + std::string(kJsonMaxDepth, '[') + std::string(kJsonMaxDepth, ']') +
               "}"}) {
    EXPECT_NE(error(text, {}), "ok") << text;
    EXPECT_EQ(error(text, {"path"}), error(text, {})) << text;
  }
  EXPECT_EQ(error(R"({"path": [1,]})", {"path"}), "12: expected a value");
  // Repeated keys inside an ignored member are not looked for.
  EXPECT_EQ(error(R"({"path": {"a": 1, "a": 2}, "b": [1]})", {"path"}), "ok");
}

TEST(JsonReader, StreamedArrayElements) {
  std::vector<std::uint64_t> seen;
  JsonStream stream{"items", [&](const JsonValue& v) { seen.push_back(*v.as_uint64()); }};
  const JsonValue root =
      parse_json(R"({"a": {"items": [9]}, "items": [1, 2, 3], "b": "items"})", {}, stream);
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2, 3}));  // the top level's only
  EXPECT_TRUE(root.find("items")->is_null());
  EXPECT_EQ(root.find("a")->find("items")->as_array()->size(), 1u);
  // Not an array: parsed as usual.
  seen.clear();
  EXPECT_EQ(*parse_json(R"({"items": 7})", {}, stream).find("items")->as_uint64(), 7u);
  EXPECT_TRUE(seen.empty());
  // Syntax errors are the parser's, at their offset; ELEMENT's own go through.
  EXPECT_THROW(parse_json(R"({"items": [1,]})", {}, stream), InputError);
  JsonStream refusing{"items", [](const JsonValue& v) { throw InputError(v.offset(), "no"); }};
  try {
    parse_json(R"({"items": [5]})", {}, refusing);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.offset, 11u);
  }
}

TEST(JsonReader, NestingLimit) {
  const std::string deepest = std::string(kJsonMaxDepth, '[') + std::string(kJsonMaxDepth, ']');
  EXPECT_EQ(parse_error(deepest), "ok");
  const std::string too_deep = "[" + deepest + "]";
  EXPECT_EQ(parse_error(too_deep), "offset 0x80: nesting deeper than 128 levels");
  // A hostile file: a million openings stop at the limit, not the stack's end.
  EXPECT_EQ(parse_error(std::string(1000000, '{')), "offset 0x1: expected a string key or '}'");
  EXPECT_EQ(parse_error(std::string(1000000, '[')), "offset 0x80: nesting deeper than 128 levels");
  std::string objects;
  for (unsigned i = 0; i <= kJsonMaxDepth; ++i) objects += "{\"a\":";
  EXPECT_EQ(parse_error(objects), "offset 0x280: nesting deeper than 128 levels");
}

}  // namespace
}  // namespace kstack::test
