// ar archives, as GNU ar and BSD ar write them. A regular archive
// (`!<arch>\n`) stores each member after a 60-byte header; a thin archive
// (`!<thin>\n`, what the kernel's built-in.a files are) stores only headers,
// and each member is a path relative to the archive's directory. Names longer
// than the header allows live in the GNU `//` table (`/OFFSET`) or, BSD
// style, in front of the data (`#1/LENGTH`). Symbol tables (`/`, `/SYM64/`,
// `__.SYMDEF`) carry no code and are skipped. This file only splits the
// archive; reading the members (and a thin member's file) is the caller's.
#ifndef KSTACK_TOOL_ARCHIVE_H
#define KSTACK_TOOL_ARCHIVE_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checked.h"

namespace kstack {

// True if `file` starts with the magic of a regular or thin archive.
bool is_archive(ByteSpan file);

struct ArchiveMember {
  std::string name;  // member name; in a thin archive the path relative to the archive
  ByteSpan data;     // the contents; empty in a thin archive
};

struct Archive {
  bool thin = false;
  std::vector<ArchiveMember> members;
  // Set if a member header is malformed: `members` then holds those before it.
  std::optional<InputError> error;
};

Archive read_archive(ByteSpan file);

}  // namespace kstack

#endif  // KSTACK_TOOL_ARCHIVE_H
