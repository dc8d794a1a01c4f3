// Aligned text columns, the way every kstack table prints: cells two spaces
// apart, numeric columns right-aligned, trailing blanks trimmed, and notes
// (lines out of the columns) under a row.
#ifndef KSTACK_TOOL_TEXT_TABLE_H
#define KSTACK_TOOL_TEXT_TABLE_H

#include <cstddef>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace kstack {

class TextTable {
 public:
  // NUMERIC[c]: column c is right-aligned.
  TextTable(std::vector<std::string> header, std::vector<bool> numeric)
      : numeric_(std::move(numeric)) {
    rows_.push_back(std::move(header));
  }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // A line under the last row, indented by two more and out of the columns.
  void note(std::string text) { notes_.emplace_back(rows_.size() - 1, std::move(text)); }
  // Every row, each line starting with INDENT.
  void print(std::ostream& out, const std::string& indent = "") const;

 private:
  std::vector<bool> numeric_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::pair<std::size_t, std::string>> notes_;  // (row, text)
};

}  // namespace kstack

#endif  // KSTACK_TOOL_TEXT_TABLE_H
