// The JSON printer: one document, schema "kstack-dump" version 1 (see
// `kstack dump --help`), pretty-printed with two-space indentation. Symbol
// and file names are bytes, not necessarily UTF-8: valid UTF-8 sequences are
// written as they are, control characters and bytes that are not part of a
// valid sequence as \u00XX, so the output is always valid JSON.
#include <string_view>
#include <vector>

#include "printers.h"

namespace kstack {
namespace {

// The "version" of the JSON schema; bumped when a consumer would misread.
constexpr std::uint64_t kJsonSchemaVersion = 1;

// The length of the valid UTF-8 sequence of two or more bytes at text[i], or
// 0 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = lead >= 0xc2 && lead <= 0xdf   ? 2
                       : lead >= 0xe0 && lead <= 0xef ? 3
                       : lead >= 0xf0 && lead <= 0xf4 ? 4
                                                      : 0;
  if (length == 0 || text.size() - i < length) return 0;
  unsigned char low = lead == 0xe0 ? 0xa0 : lead == 0xf0 ? 0x90 : 0x80;
  unsigned char high = lead == 0xed ? 0x9f : lead == 0xf4 ? 0x8f : 0xbf;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
  return length;
}

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  void key(std::string_view name) {
    separate();
    write_string(name);
    out_ << ": ";
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
  void value(bool flag) {
    before_value();
    out_ << (flag ? "true" : "false");
  }
  // The string, or null if it is empty.
  void string_or_null(std::string_view text) {
    if (!text.empty()) return value(text);
    before_value();
    out_ << "null";
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
    if (has_elements_.empty()) out_ << '\n';
  }
  void newline() { out_ << '\n' << std::string(2 * has_elements_.size(), ' '); }
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

  void write_string(std::string_view text) {
    static const char kHex[] = "0123456789abcdef";
    out_ << '"';
    for (std::size_t i = 0; i < text.size();) {
      unsigned char c = text[i];
      switch (c) {
        case '"':
          out_ << "\\\"";
          break;
        case '\\':
          out_ << "\\\\";
          break;
        case '\n':
          out_ << "\\n";
          break;
        case '\t':
          out_ << "\\t";
          break;
        case '\r':
          out_ << "\\r";
          break;
        case '\b':
          out_ << "\\b";
          break;
        case '\f':
          out_ << "\\f";
          break;
        default:
          if (c >= 0x20 && c < 0x7f) {
            out_ << c;
          } else if (std::size_t length = c >= 0x80 ? utf8_sequence_length(text, i) : 0) {
            out_.write(text.data() + i, length);
            i += length;
            continue;
          } else {
            out_ << "\\u00" << kHex[c >> 4] << kHex[c & 15];
          }
      }
      ++i;
    }
    out_ << '"';
  }

  std::ostream& out_;
  std::vector<bool> has_elements_;  // one per open object or array
  bool after_key_ = false;
};

void write_call(JsonWriter& json, const Call& call) {
  json.begin_object();
  json.field("kind", call_kind_name(call.kind));
  json.key("callee");
  json.string_or_null(call.callee);
  json.field("tail", call.tail);
  json.field("cold", call.cold);
  json.field("count", std::uint64_t{call.count});
  json.field("file", call.file);
  json.field("line", std::uint64_t{call.line});
  json.field("column", std::uint64_t{call.column});
  json.end_object();
}

void write_frame(JsonWriter& json, const Function& function) {
  json.begin_object();
  json.field("size", function.frame_size);
  json.field("kind", frame_kind_name(function.frame_kind));
  json.field("static", function.static_size);
  json.field("pushed", function.pushed_size);
  json.field("dynamic", function.dynamic_size);
  json.field("known", !function.frame_unknown);
  json.field("dynamic_alloc", function.dynamic_alloc);
  json.field("unbounded_alloc", function.unbounded_alloc);
  json.field("pushed_variable", function.pushed_variable);
  json.end_object();
}

void write_function(JsonWriter& json, const Function& function) {
  json.begin_object();
  json.field("name", function.name);
  json.field("su_name", function.su_name);
  json.key("origin");
  json.string_or_null(function.origin);
  json.field("file", function.file);
  json.field("line", std::uint64_t{function.line});
  json.field("column", std::uint64_t{function.column});
  json.field("binding", binding_name(function.binding));
  json.field("comdat", function.comdat);
  json.field("clone", function.clone);
  json.field("nested", function.nested);
  json.field("thunk", function.thunk);
  json.field("artificial", function.artificial);
  json.field("su_line", !function.no_su_line);
  json.key("frame");
  write_frame(json, function);
  json.key("cold");
  json.string_or_null(function.cold_name);
  json.key("calls");
  json.begin_array();
  for (const Call& call : function.calls) write_call(json, call);
  json.end_array();
  json.end_object();
}

void write_unit(JsonWriter& json, const Unit& unit) {
  json.begin_object();
  json.field("input", unit.input);
  json.field("main_input", unit.main_input);
  json.field("output_base", unit.output_base);
  json.field("producer", unit.producer);
  json.field("target", unit.target);
  json.field("return_address_in_frame", std::uint64_t{unit.return_address_in_frame});
  json.field("lto", (unit.flags & note::kUnitLto) != 0);
  json.key("functions");
  json.begin_array();
  for (const Function& function : unit.functions) write_function(json, function);
  json.end_array();
  json.key("aliases");
  json.begin_array();
  for (const Alias& alias : unit.aliases) {
    json.begin_object();
    json.field("name", alias.name);
    json.field("target", alias.target);
    json.field("binding", binding_name(alias.binding));
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

}  // namespace

void print_json(std::ostream& out, const std::vector<Unit>& units) {
  JsonWriter json(out);
  json.begin_object();
  json.field("format", "kstack-dump");
  json.field("version", kJsonSchemaVersion);
  json.key("units");
  json.begin_array();
  for (const Unit& unit : units) write_unit(json, unit);
  json.end_array();
  json.end_object();
}

}  // namespace kstack
