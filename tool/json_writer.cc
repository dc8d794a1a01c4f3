// The string escaping and number formats of JsonWriter (see json_writer.h).
#include "json_writer.h"

#include <cmath>
#include <cstdio>

namespace kstack {
namespace {

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

}  // namespace

void JsonWriter::write_string(std::string_view text) {
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

void JsonWriter::value(double number) {
  before_value();
  if (!std::isfinite(number)) {
    out_ << "null";
    return;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", number);
  out_ << text;
}

}  // namespace kstack
