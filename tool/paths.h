// Path names as the tool and the plugin compare them: no I/O, header-only
// (the plugin includes it too).
#ifndef KSTACK_TOOL_PATHS_H
#define KSTACK_TOOL_PATHS_H

#include <string_view>

namespace kstack {

// Whether END is the last components of PATH, after a '/': "lib/b.c" of
// "/src/lib/b.c", not of "/src/glib/b.c". False for an empty END or one as
// long as PATH.
inline bool path_ends_with(std::string_view path, std::string_view end) {
  return !end.empty() && path.size() > end.size() && path.substr(path.size() - end.size()) == end &&
         path[path.size() - end.size() - 1] == '/';
}

// The last component of PATH.
inline std::string_view file_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace kstack

#endif  // KSTACK_TOOL_PATHS_H
