// TextTable's printing (see text_table.h).
#include "text_table.h"

#include <algorithm>

namespace kstack {

void TextTable::print(std::ostream& out, const std::string& indent) const {
  std::vector<std::size_t> width(rows_[0].size(), 0);
  for (const auto& row : rows_)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  auto note = notes_.begin();
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    const auto& row = rows_[r];
    std::string line = indent;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - row[c].size(), ' ');
      if (c) line += "  ";
      line += numeric_[c] ? pad + row[c] : row[c] + (c + 1 < row.size() ? pad : "");
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
    for (; note != notes_.end() && note->first == r; ++note)
      out << indent << "  " << note->second << '\n';
  }
}

}  // namespace kstack
