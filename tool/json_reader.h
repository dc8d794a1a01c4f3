// A small, strict JSON parser for reading kstack's own documents back (the
// "kstack-report" that `kstack diff` compares). It builds a tree and checks
// everything RFC 8259 asks: one value, nothing after it but whitespace, no
// trailing commas, no comments, no leading zeros, no control characters in
// strings, no duplicate keys in an object. A syntax error throws InputError
// (checked.h) with the byte offset where the text stops making sense, so the
// caller reports it the way the note reader reports a bad note.
//
// Nesting is limited to kJsonMaxDepth levels: the parser and the tree's
// destructor recurse, and a hostile file of a million '[' must not exhaust
// the stack. Every value remembers its offset, so a schema error ("'depth' is
// not an unsigned integer") can point at the value too.
//
// Strings are bytes. \u0080 to \u00ff decode to the single byte they name:
// that undoes JsonWriter, which writes valid UTF-8 as it is and only a byte
// outside any valid sequence as \u00XX, so symbol names come back exactly.
// Other escapes decode to UTF-8; raw bytes of 0x80 and above are kept as
// they are.
#ifndef KSTACK_TOOL_JSON_READER_H
#define KSTACK_TOOL_JSON_READER_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace kstack {

inline constexpr unsigned kJsonMaxDepth = 128;

class JsonValue;
using JsonArray = std::vector<JsonValue>;
using JsonObject = std::vector<std::pair<std::string, JsonValue>>;  // in document order

// A number as written: its magnitude if it is an integer that fits in 64
// bits, else only the fact that it is some other number.
struct JsonNumber {
  std::uint64_t magnitude = 0;
  bool negative = false;
  bool integer = true;  // false: a fraction, an exponent, or too large
};

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;
  template <typename T>
  JsonValue(T value, std::uint64_t offset) : value_(std::move(value)), offset_(offset) {}

  Kind kind() const { return static_cast<Kind>(value_.index()); }
  // Where the value starts in the text.
  std::uint64_t offset() const { return offset_; }

  bool is_null() const { return kind() == Kind::kNull; }
  const bool* as_bool() const { return std::get_if<bool>(&value_); }
  const std::string* as_string() const { return std::get_if<std::string>(&value_); }
  const JsonArray* as_array() const { return std::get_if<JsonArray>(&value_); }
  const JsonObject* as_object() const { return std::get_if<JsonObject>(&value_); }
  // An integer in range, else nullopt (also for a value that is no number).
  std::optional<std::uint64_t> as_uint64() const;
  std::optional<std::int64_t> as_int64() const;

  // The member KEY of an object; nullptr if absent or if this is no object.
  const JsonValue* find(std::string_view key) const;

 private:
  std::variant<std::monostate, bool, JsonNumber, std::string, JsonArray, JsonObject> value_;
  std::uint64_t offset_ = 0;
};

// Parses TEXT, a whole document. Throws InputError (offset into TEXT,
// lowercase message) on the first syntax error. Members whose key is in
// IGNORED, at any depth, are checked for syntax but not built (they read as
// null; a repeated key inside one goes unnoticed), so a reader that needs a
// small part of a large document keeps a small tree and spends little time
// on the rest: `kstack diff` does not keep the entries' worst paths.
JsonValue parse_json(std::string_view text, const std::vector<std::string_view>& ignored = {});

// The same, and if the document is an object whose member KEY is an array,
// its elements are handed to ELEMENT as each is parsed, and then dropped;
// the member reads as null. A reader of a large array keeps no tree of it:
// the plugin's warning table reads a report's 56,000 functions this way.
// ELEMENT may throw InputError.
struct JsonStream {
  std::string_view key;
  std::function<void(const JsonValue&)> element;
};
JsonValue parse_json(std::string_view text, const std::vector<std::string_view>& ignored,
                     const JsonStream& stream);

}  // namespace kstack

#endif  // KSTACK_TOOL_JSON_READER_H
