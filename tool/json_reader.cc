// The JSON parser (see json_reader.h): recursive descent over a string_view,
// one character of lookahead. Every read goes through peek() and next(),
// which know where the text ends, so no other line checks bounds.
#include "json_reader.h"

#include <algorithm>
#include <numeric>

#include "checked.h"

namespace kstack {

std::optional<std::uint64_t> JsonValue::as_uint64() const {
  const JsonNumber* number = std::get_if<JsonNumber>(&value_);
  if (!number || !number->integer || (number->negative && number->magnitude != 0))
    return std::nullopt;
  return number->magnitude;
}

std::optional<std::int64_t> JsonValue::as_int64() const {
  const JsonNumber* number = std::get_if<JsonNumber>(&value_);
  if (!number || !number->integer) return std::nullopt;
  constexpr std::uint64_t kMax = INT64_MAX;
  if (!number->negative) {
    if (number->magnitude > kMax) return std::nullopt;
    return static_cast<std::int64_t>(number->magnitude);
  }
  if (number->magnitude > kMax + 1) return std::nullopt;
  return number->magnitude == kMax + 1 ? INT64_MIN : -static_cast<std::int64_t>(number->magnitude);
}

const JsonValue* JsonValue::find(std::string_view key) const {
  const JsonObject* object = as_object();
  if (!object) return nullptr;
  for (const auto& [name, member] : *object)
    if (name == key) return &member;
  return nullptr;
}

namespace {

class Parser {
 public:
  Parser(std::string_view text, const std::vector<std::string_view>& ignored,
         const JsonStream* stream)
      : text_(text), ignored_(ignored), stream_(stream) {}

  JsonValue document() {
    skip_whitespace();
    JsonValue root = value(0);
    skip_whitespace();
    if (pos_ != text_.size()) fail("unexpected data after the JSON value");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw InputError(pos_, message); }

  // The next character, or -1 at the end of the text.
  int peek() const { return pos_ < text_.size() ? static_cast<unsigned char>(text_[pos_]) : -1; }
  int next() {
    const int c = peek();
    if (c >= 0) ++pos_;
    return c;
  }
  bool accept(char c) {
    if (peek() != static_cast<unsigned char>(c)) return false;
    ++pos_;
    return true;
  }
  void skip_whitespace() {
    while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') ++pos_;
  }

  // DEPTH: the arrays and objects this value is inside.
  JsonValue value(unsigned depth) {
    const std::uint64_t start = pos_;
    switch (peek()) {
      case '{':
        return JsonValue(object(depth + 1), start);
      case '[':
        return JsonValue(array(depth + 1), start);
      case '"':
        return JsonValue(string(), start);
      case 't':
        literal("true");
        return JsonValue(true, start);
      case 'f':
        literal("false");
        return JsonValue(false, start);
      case 'n':
        literal("null");
        return JsonValue(std::monostate(), start);
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return JsonValue(number(), start);
        fail("expected a value");
    }
  }

  // Checks the syntax of one value like value() does, builds nothing.
  void skip_value(unsigned depth) {
    switch (peek()) {
      case '{':
      case '[': {
        const char close = peek() == '{' ? '}' : ']';
        enter(depth + 1);
        ++pos_;
        skip_whitespace();
        if (accept(close)) return;
        for (;;) {
          if (close == '}') {
            if (peek() != '"') fail("expected a string key");
            skip_string();
            skip_whitespace();
            if (!accept(':')) fail("expected ':'");
            skip_whitespace();
          }
          skip_value(depth + 1);
          skip_whitespace();
          if (accept(close)) return;
          if (!accept(',')) fail(close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
          skip_whitespace();
        }
      }
      case '"':
        skip_string();
        return;
      default:
        value(depth);  // a literal or a number: nothing to allocate
    }
  }

  // A string's syntax, escapes included, without its text.
  void skip_string() {
    ++pos_;
    for (;;) {
      pos_ = plain_run_end(pos_);
      const int c = peek();
      if (c < 0) fail("unterminated string");
      if (c < 0x20) fail("control character in a string");
      ++pos_;
      if (c == '"') return;
      std::string discarded;
      escape(discarded);
    }
  }

  void enter(unsigned depth) const {
    if (depth > kJsonMaxDepth)
      fail("nesting deeper than " + std::to_string(kJsonMaxDepth) + " levels");
  }

  JsonObject object(unsigned depth) {
    enter(depth);
    ++pos_;  // '{'
    JsonObject members;
    // Where each key starts, for a duplicate's message: on a stack shared by
    // the nested objects, so that an object costs no allocation for it.
    const std::size_t first_key = key_offsets_.size();
    skip_whitespace();
    if (accept('}')) return members;
    members.reserve(8);
    for (;;) {
      key_offsets_.push_back(pos_);
      if (peek() != '"')
        fail(members.empty() ? "expected a string key or '}'" : "expected a string key");
      std::string key = string();
      skip_whitespace();
      if (!accept(':')) fail("expected ':'");
      skip_whitespace();
      if (std::find(ignored_.begin(), ignored_.end(), key) != ignored_.end()) {
        const std::uint64_t start = pos_;
        skip_value(depth);
        members.emplace_back(std::move(key), JsonValue(std::monostate(), start));
      } else if (stream_ && depth == 1 && key == stream_->key && peek() == '[') {
        const std::uint64_t start = pos_;
        stream_elements(depth);
        members.emplace_back(std::move(key), JsonValue(std::monostate(), start));
      } else {
        members.emplace_back(std::move(key), value(depth));
      }
      skip_whitespace();
      if (accept('}')) break;
      if (!accept(',')) fail("expected ',' or '}'");
      skip_whitespace();
    }
    check_unique_keys(members, first_key);
    key_offsets_.resize(first_key);

    return members;
  }

  // The first repeated key in document order: by comparing every pair in a
  // small object, by sorting the keys in a large one, which is O(n log n).
  // FIRST_KEY: where the object's key offsets start on key_offsets_.
  void check_unique_keys(const JsonObject& members, std::size_t first_key) {
    constexpr std::size_t kSmall = 16;
    if (members.size() <= kSmall) {
      for (std::size_t i = 1; i < members.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
          if (members[i].first == members[j].first) fail_duplicate(members, first_key, i);
      return;
    }
    std::vector<std::size_t> order(members.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return members[a].first != members[b].first ? members[a].first < members[b].first : a < b;
    });
    std::size_t repeated = members.size();
    for (std::size_t i = 1; i < order.size(); ++i)
      if (members[order[i]].first == members[order[i - 1]].first)
        repeated = std::min(repeated, order[i]);
    if (repeated < members.size()) fail_duplicate(members, first_key, repeated);
  }

  [[noreturn]] void fail_duplicate(const JsonObject& members, std::size_t first_key,
                                   std::size_t index) {
    pos_ = key_offsets_[first_key + index];
    fail("duplicate key '" + members[index].first + "'");
  }

  JsonArray array(unsigned depth) {
    enter(depth);
    ++pos_;  // '['
    JsonArray items;
    skip_whitespace();
    if (accept(']')) return items;
    for (;;) {
      items.push_back(value(depth));
      skip_whitespace();
      if (accept(']')) return items;
      if (!accept(',')) fail("expected ',' or ']'");
      skip_whitespace();
    }
  }

  // An array whose elements go to the stream one by one, each dropped once
  // the stream has seen it.
  void stream_elements(unsigned depth) {
    enter(depth + 1);
    ++pos_;  // '['
    skip_whitespace();
    if (accept(']')) return;
    for (;;) {
      stream_->element(value(depth + 1));
      skip_whitespace();
      if (accept(']')) return;
      if (!accept(',')) fail("expected ',' or ']'");
      skip_whitespace();
    }
  }

  void literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) fail("expected a value");
    pos_ += word.size();
  }

  // Precondition: peek() is '-' or a digit.
  JsonNumber number() {
    JsonNumber number;
    number.negative = accept('-');
    auto digit = [&] { return peek() >= '0' && peek() <= '9'; };
    if (!digit()) fail("invalid number");
    if (accept('0')) {
      if (digit()) fail("invalid number: leading zero");
    } else {
      while (digit()) {
        const unsigned d = next() - '0';
        if (__builtin_mul_overflow(number.magnitude, 10, &number.magnitude) ||
            __builtin_add_overflow(number.magnitude, d, &number.magnitude))
          number.integer = false;
      }
    }
    if (accept('.')) {
      number.integer = false;
      if (!digit()) fail("invalid number");
      while (digit()) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      number.integer = false;
      if (!accept('+')) accept('-');
      if (!digit()) fail("invalid number");
      while (digit()) ++pos_;
    }
    if (!number.integer) number.magnitude = 0;
    return number;
  }

  // Precondition: peek() is '"'.
  std::string string() {
    ++pos_;
    std::string text;
    for (;;) {
      const int c = peek();
      if (c < 0) fail("unterminated string");
      if (c < 0x20) fail("control character in a string");
      ++pos_;
      if (c == '"') return text;
      if (c != '\\') {
        // The rest of a run of plain characters, in one append.
        const std::size_t end = plain_run_end(pos_);
        text.push_back(static_cast<char>(c));
        text.append(text_, pos_, end - pos_);
        pos_ = end;
        continue;
      }
      escape(text);
    }
  }

  // After a backslash: appends what the escape stands for.
  void escape(std::string& text) {
    const std::uint64_t start = pos_ - 1;
    switch (next()) {
      case '"':
        text += '"';
        return;
      case '\\':
        text += '\\';
        return;
      case '/':
        text += '/';
        return;
      case 'b':
        text += '\b';
        return;
      case 'f':
        text += '\f';
        return;
      case 'n':
        text += '\n';
        return;
      case 'r':
        text += '\r';
        return;
      case 't':
        text += '\t';
        return;
      case 'u':
        break;
      default:
        pos_ = start;
        fail("invalid escape");
    }
    std::uint32_t code = hex4();
    if (code <= 0xff) {  // a byte, as JsonWriter wrote it
      text += static_cast<char>(code);
      return;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      pos_ = start;
      fail("unpaired surrogate escape");
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      if (!accept('\\') || !accept('u')) {
        pos_ = start;
        fail("unpaired surrogate escape");
      }
      const std::uint32_t low = hex4();
      if (low < 0xdc00 || low > 0xdfff) {
        pos_ = start;
        fail("unpaired surrogate escape");
      }
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
    }
    append_utf8(text, code);
  }

  std::uint32_t hex4() {
    std::uint32_t code = 0;
    for (int i = 0; i < 4; ++i) {
      const int c = peek();
      const int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
      if (d < 0) fail("invalid \\u escape: expected four hex digits");
      ++pos_;
      code = code << 4 | d;
    }
    return code;
  }

  static void append_utf8(std::string& text, std::uint32_t code) {
    if (code < 0x800) {
      text += static_cast<char>(0xc0 | code >> 6);
    } else if (code < 0x10000) {
      text += static_cast<char>(0xe0 | code >> 12);
      text += static_cast<char>(0x80 | (code >> 6 & 0x3f));
    } else {
      text += static_cast<char>(0xf0 | code >> 18);
      text += static_cast<char>(0x80 | (code >> 12 & 0x3f));
      text += static_cast<char>(0x80 | (code >> 6 & 0x3f));
    }
    text += static_cast<char>(0x80 | (code & 0x3f));
  }

  std::size_t plain_run_end(std::size_t from) const {
    while (from < text_.size()) {
      const unsigned char c = text_[from];
      if (c == '"' || c == '\\' || c < 0x20) break;
      ++from;
    }
    return from;
  }

  std::string_view text_;
  const std::vector<std::string_view>& ignored_;
  const JsonStream* stream_;
  std::vector<std::uint64_t> key_offsets_;
  std::uint64_t pos_ = 0;
};

}  // namespace

JsonValue parse_json(std::string_view text, const std::vector<std::string_view>& ignored) {
  return Parser(text, ignored, nullptr).document();
}

JsonValue parse_json(std::string_view text, const std::vector<std::string_view>& ignored,
                     const JsonStream& stream) {
  return Parser(text, ignored, &stream).document();
}

}  // namespace kstack
