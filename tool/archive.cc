// Walking the member headers of an ar archive. The header layout is
// fixed by ar(5):
//   name[16] date[12] uid[6] gid[6] mode[8] size[10] "`\n"
// Numbers are ASCII decimal padded with spaces. In a regular archive each
// member's data follows its header, padded to an even offset.
#include "archive.h"

#include <climits>
#include <cstring>

namespace kstack {
namespace {

constexpr char kArchiveMagic[] = "!<arch>\n";
constexpr char kThinMagic[] = "!<thin>\n";
constexpr std::uint64_t kMagicSize = 8;

struct HeaderLayout {
  static constexpr std::uint64_t kName = 0;
  static constexpr std::uint64_t kNameSize = 16;
  static constexpr std::uint64_t kSize = 48;
  static constexpr std::uint64_t kSizeSize = 10;
  static constexpr std::uint64_t kTerminator = 58;
  static constexpr std::uint64_t kHeaderSize = 60;
};

std::string_view trim_right(std::string_view text) {
  std::size_t end = text.find_last_not_of(' ');
  return text.substr(0, end == std::string_view::npos ? 0 : end + 1);
}

// A space-padded ASCII decimal field.
std::uint64_t parse_decimal(ByteSpan header, std::uint64_t offset, std::uint64_t size,
                            const char* what) {
  std::string_view digits = trim_right(header.chars(offset, size));
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
    header.fail(offset, std::string("archive member ") + what + " is not a decimal number");
  std::uint64_t value = 0;
  for (char digit : digits) value = value * 10 + (digit - '0');  // <= 10 digits: no overflow
  return value;
}

bool is_symbol_table(std::string_view name) {
  return name == "/" || name == "/SYM64/" || name.substr(0, 9) == "__.SYMDEF";
}

// The name at `offset` in the GNU long-name table: up to "/\n" (or "\n").
std::string long_name(ByteSpan header, ByteSpan long_names, std::uint64_t offset) {
  if (offset >= long_names.size())
    header.fail(HeaderLayout::kName,
                "archive member long name offset " + std::to_string(offset) + " is out of range");
  std::string_view rest = long_names.chars(offset, long_names.size() - offset);
  rest = rest.substr(0, rest.find('\n'));
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  return std::string(rest);
}

}  // namespace

bool is_archive(ByteSpan file) {
  return file.size() >= kMagicSize && (std::memcmp(file.data(), kArchiveMagic, kMagicSize) == 0 ||
                                       std::memcmp(file.data(), kThinMagic, kMagicSize) == 0);
}

Archive read_archive(ByteSpan file) {
  Archive archive;
  archive.thin = std::memcmp(file.data(), kThinMagic, kMagicSize) == 0;
  ByteSpan long_names;
  file = file.renamed("archive member header");
  try {
    for (std::uint64_t offset = kMagicSize; offset < file.size();) {
      ByteSpan header = file.sub(offset, HeaderLayout::kHeaderSize);
      if (header.chars(HeaderLayout::kTerminator, 2) != "`\n")
        header.fail(HeaderLayout::kTerminator, "archive member header has a bad terminator");
      std::uint64_t size =
          parse_decimal(header, HeaderLayout::kSize, HeaderLayout::kSizeSize, "size");
      std::string_view raw_name =
          trim_right(header.chars(HeaderLayout::kName, HeaderLayout::kNameSize));
      std::uint64_t data_offset = offset + HeaderLayout::kHeaderSize;
      // A thin archive stores the symbol and long-name tables, but no member data.
      bool stored = !archive.thin || raw_name == "//" || is_symbol_table(raw_name);
      ByteSpan data;
      if (stored) data = file.renamed("archive member").sub(data_offset, size);
      offset = data_offset + (stored ? size + (size & 1) : 0);

      std::string name;
      if (raw_name == "//") {
        long_names = data;
        continue;
      } else if (is_symbol_table(raw_name)) {
        continue;
      } else if (raw_name.substr(0, 3) == "#1/") {
        std::uint64_t length = parse_decimal(header, HeaderLayout::kName + 3,
                                             HeaderLayout::kNameSize - 3, "name length");
        name = std::string(data.renamed("archive member name").chars(0, length));
        name = name.substr(0, name.find('\0'));  // BSD pads the name with NULs
        if (is_symbol_table(name)) continue;
        data = data.sub(length);
      } else if (raw_name.size() > 1 && raw_name[0] == '/') {
        std::uint64_t name_offset = parse_decimal(header, HeaderLayout::kName + 1,
                                                  HeaderLayout::kNameSize - 1, "name offset");
        name = long_name(header, long_names, name_offset);
      } else {
        name = std::string(raw_name);
        if (!name.empty() && name.back() == '/') name.pop_back();
      }
      // A member name is a file name, or in a thin archive a path, so no
      // longer than a path can be. Unbounded, every 60-byte header could name
      // the whole long-name table and the reader would keep a copy per member.
      if (name.size() >= PATH_MAX)
        header.fail(HeaderLayout::kName, "archive member name of " + std::to_string(name.size()) +
                                             " bytes is longer than a path can be");
      archive.members.push_back({std::move(name), data});
    }
  } catch (const InputError& error) {
    archive.error = error;
  }
  return archive;
}

}  // namespace kstack
