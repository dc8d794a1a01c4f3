// Reading a whole text input: annotation files, @LIST files, JSON reports
// (and the plugin's warning table, mapped).
#ifndef KSTACK_TOOL_TEXT_FILE_H
#define KSTACK_TOOL_TEXT_FILE_H

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "diagnostics.h"

namespace kstack {

// The contents of the file at PATH, or nullopt after reporting to
// DIAGNOSTICS why not ("cannot open: ..."; a directory cannot be read).
std::optional<std::string> read_text_file(const std::string& path, Diagnostics& diagnostics);

// A whole file mapped read-only: for a large input read once by a
// short-lived process (the plugin's warning table in each compile), which
// copying into new memory would make fault in every page twice.
class MappedTextFile {
 public:
  // The file at PATH, or nullopt after reporting to DIAGNOSTICS why not, as
  // read_text_file does.
  static std::optional<MappedTextFile> map(const std::string& path, Diagnostics& diagnostics);
  MappedTextFile(MappedTextFile&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  MappedTextFile& operator=(MappedTextFile&&) = delete;
  ~MappedTextFile();

  std::string_view text() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedTextFile(void* data, std::size_t size) : data_(data), size_(size) {}
  void* data_;  // null for an empty file
  std::size_t size_;
};

}  // namespace kstack

#endif  // KSTACK_TOOL_TEXT_FILE_H
