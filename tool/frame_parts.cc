// Frame parts for people: rows and sentences (frame_parts.h).
#include "frame_parts.h"

#include <algorithm>

namespace kstack {

std::string location_text(const std::string& file, std::uint32_t line) {
  if (file.empty()) return "";
  return line ? file + ":" + std::to_string(line) : file;
}

std::string frame_part_kind_text(FramePartKind kind) {
  std::string text = frame_part_kind_name(kind);
  std::replace(text.begin(), text.end(), '-', ' ');
  return text;
}

std::vector<ExplainedRow> explanation_rows(const std::vector<FramePart>& parts) {
  std::vector<ExplainedRow> rows;
  for (const FramePart& part : parts) {
    if (part.slot != 0) {
      auto shared = std::find_if(rows.begin(), rows.end(), [&](const ExplainedRow& row) {
        return row.parts.front()->slot == part.slot;
      });
      if (shared != rows.end()) {
        shared->parts.push_back(&part);
        shared->bytes = std::max<std::int64_t>(shared->bytes, part.bytes);
        continue;
      }
    }
    const bool negative = part.kind == FramePartKind::kRedZone;
    rows.push_back(
        {part.kind,
         negative ? -static_cast<std::int64_t>(part.bytes) : static_cast<std::int64_t>(part.bytes),
         {&part}});
  }
  for (ExplainedRow& row : rows)
    std::stable_sort(row.parts.begin(), row.parts.end(),
                     [](const FramePart* a, const FramePart* b) { return a->bytes > b->bytes; });
  std::stable_sort(rows.begin(), rows.end(),
                   [](const ExplainedRow& a, const ExplainedRow& b) { return a.bytes > b.bytes; });
  return rows;
}

std::string describe_frame_part(const FramePart& part, const Quotes& quotes) {
  std::string text =
      part.name.empty() ? frame_part_kind_text(part.kind) : quotes.open + part.name + quotes.close;
  text += " (";
  if (!part.type.empty()) text += part.type + ", ";
  text += std::to_string(part.bytes) + (part.bytes == 1 ? " byte)" : " bytes)");
  if (!part.file.empty()) text += " declared at " + location_text(part.file, part.line);
  if (!part.inlined_from.empty())
    text += ", inlined from " + (quotes.open + part.inlined_from + quotes.close);
  return text;
}

namespace {

bool is_data(FramePartKind kind) {
  switch (kind) {
    case FramePartKind::kReturnAddress:
    case FramePartKind::kSavedRegisters:
    case FramePartKind::kOutgoingArguments:
    case FramePartKind::kVarargs:
    case FramePartKind::kPadding:
    case FramePartKind::kRedZone:
    case FramePartKind::kOther:
      return false;
    default:
      return true;
  }
}

// "a slot of 200 bytes shared by 'a', 'b' and 2 temporaries"
std::string describe_shared_slot(const ExplainedRow& row, const Quotes& quotes) {
  std::string names;
  std::size_t unnamed = 0;
  for (const FramePart* part : row.parts) {
    if (part->name.empty()) {
      ++unnamed;
      continue;
    }
    names += (names.empty() ? "" : ", ") + (quotes.open + part->name + quotes.close);
  }
  if (unnamed)
    names += (names.empty() ? "" : " and ") + std::to_string(unnamed) +
             (unnamed == 1 ? " temporary" : " temporaries");
  return "a slot of " + std::to_string(row.bytes) + " bytes shared by " + names;
}

// What a sentence stands for: one row, or unnamed temporaries of one type
// and size, each too small to name but many together (a macro's compound
// literals: 27 temporaries of 12 bytes in one kernel function).
struct Contribution {
  std::int64_t bytes = 0;
  const ExplainedRow* row = nullptr;  // or, for a group:
  const FramePart* first = nullptr;
  std::size_t count = 0;
  std::uint32_t first_line = 0, last_line = 0;
  bool one_file = true;
};

std::string describe_group(const Contribution& group) {
  const FramePart& part = *group.first;
  std::string text = std::to_string(group.count) + " temporaries (";
  if (!part.type.empty()) text += part.type + ", ";
  text +=
      std::to_string(part.bytes) + " bytes each, " + std::to_string(group.bytes) + " bytes in all)";
  if (!part.file.empty() && group.one_file && group.first_line) {
    text += " declared at " + location_text(part.file, group.first_line);
    if (group.last_line != group.first_line) text += "-" + std::to_string(group.last_line);
  }
  return text;
}

}  // namespace

std::vector<std::string> largest_frame_parts(const Function& function, std::size_t limit,
                                             std::uint64_t min_bytes, const Quotes& quotes) {
  const std::vector<ExplainedRow> rows = explanation_rows(function.frame_parts);
  std::vector<Contribution> contributions;
  std::vector<std::size_t> groups;  // indices of the groups among them
  for (const ExplainedRow& row : rows) {
    if (!is_data(row.kind) || row.bytes <= 0) continue;
    const FramePart& part = *row.parts.front();
    if (row.shared() || row.kind != FramePartKind::kTemporary || !part.name.empty() ||
        row.bytes >= static_cast<std::int64_t>(min_bytes)) {
      contributions.push_back({row.bytes, &row});
      continue;
    }
    auto same = std::find_if(groups.begin(), groups.end(), [&](std::size_t i) {
      const FramePart& first = *contributions[i].first;
      return first.type == part.type && first.bytes == part.bytes;
    });
    if (same == groups.end()) {
      groups.push_back(contributions.size());
      contributions.push_back({row.bytes, nullptr, &part, 1, part.line, part.line, true});
      continue;
    }
    Contribution& group = contributions[*same];
    group.bytes += row.bytes;
    ++group.count;
    group.one_file &= part.file == group.first->file;
    group.first_line = std::min(group.first_line, part.line);
    group.last_line = std::max(group.last_line, part.line);
  }
  std::stable_sort(contributions.begin(), contributions.end(),
                   [](const Contribution& a, const Contribution& b) { return a.bytes > b.bytes; });
  std::vector<std::string> largest;
  for (const Contribution& c : contributions) {
    if (largest.size() == limit || c.bytes < static_cast<std::int64_t>(min_bytes)) break;
    if (c.row)
      largest.push_back(c.row->shared() ? describe_shared_slot(*c.row, quotes)
                                        : describe_frame_part(*c.row->parts.front(), quotes));
    else if (c.count == 1)
      largest.push_back(describe_frame_part(*c.first, quotes));
    else
      largest.push_back(describe_group(c));
  }
  return largest;
}

}  // namespace kstack
