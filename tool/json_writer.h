// A streaming JSON writer shared by every JSON output of kstack: pretty
// printed with two-space indentation (or, for data embedded in a page, with
// no whitespace at all), keys in the order written. Symbol and
// file names are bytes, not necessarily UTF-8: valid UTF-8 sequences are
// written as they are, control characters and bytes that are not part of a
// valid sequence as \u00XX, so the output is always valid JSON.
#ifndef KSTACK_TOOL_JSON_WRITER_H
#define KSTACK_TOOL_JSON_WRITER_H

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace kstack {

class JsonWriter {
 public:
  enum class Layout { kPretty, kCompact };
  explicit JsonWriter(std::ostream& out, Layout layout = Layout::kPretty)
      : out_(out), compact_(layout == Layout::kCompact) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  void key(std::string_view name) {
    separate();
    write_string(name);
    out_ << (compact_ ? ":" : ": ");
    after_key_ = true;
  }

  void value(std::string_view text) {
    before_value();
    write_string(text);
  }
  void value(const char* text) { value(std::string_view(text)); }
  void value(std::uint64_t number) {
    before_value();
    out_ << number;
  }
  void value(std::int64_t number) {
    before_value();
    out_ << number;
  }
  void value(std::uint32_t number) { value(static_cast<std::uint64_t>(number)); }
  void value(bool flag) {
    before_value();
    out_ << (flag ? "true" : "false");
  }
  // A ratio, to two decimals, as every kstack output prints one.
  void value(double number);
  void null() {
    before_value();
    out_ << "null";
  }
  // The string, or null if it is empty.
  void string_or_null(std::string_view text) {
    if (!text.empty()) return value(text);
    before_value();
    out_ << "null";
  }

  // The value, or null if there is none.
  template <typename T>
  void value_or_null(const std::optional<T>& maybe) {
    if (maybe)
      value(*maybe);
    else
      null();
  }

  template <typename T>
  void field(std::string_view name, const T& field_value) {
    key(name);
    value(field_value);
  }

 private:
  void open(char bracket) {
    before_value();
    out_ << bracket;
    has_elements_.push_back(false);
  }
  void close(char bracket) {
    bool had_elements = has_elements_.back();
    has_elements_.pop_back();
    if (had_elements) newline();
    out_ << bracket;
    if (has_elements_.empty() && !compact_) out_ << '\n';
  }
  void newline() {
    if (!compact_) out_ << '\n' << std::string(2 * has_elements_.size(), ' ');
  }
  // Starts a new element of the innermost object or array.
  void separate() {
    if (has_elements_.empty()) return;
    if (has_elements_.back()) out_ << ',';
    has_elements_.back() = true;
    newline();
  }
  void before_value() {
    if (!after_key_) separate();
    after_key_ = false;
  }

  void write_string(std::string_view text);

  std::ostream& out_;
  bool compact_;
  std::vector<bool> has_elements_;  // one per open object or array
  bool after_key_ = false;
};

}  // namespace kstack

#endif  // KSTACK_TOOL_JSON_WRITER_H
