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

std::vector<std::string> largest_frame_parts(const Function& function, std::size_t limit,
                                             std::uint64_t min_bytes, const Quotes& quotes) {
  std::vector<std::string> largest;
  for (const ExplainedRow& row : explanation_rows(function.frame_parts)) {
    if (largest.size() == limit || row.bytes < static_cast<std::int64_t>(min_bytes)) break;
    switch (row.kind) {
      case FramePartKind::kReturnAddress:
      case FramePartKind::kSavedRegisters:
      case FramePartKind::kOutgoingArguments:
      case FramePartKind::kVarargs:
      case FramePartKind::kPadding:
      case FramePartKind::kRedZone:
      case FramePartKind::kOther:
        continue;
      default:
        break;
    }
    if (!row.shared()) {
      largest.push_back(describe_frame_part(*row.parts.front(), quotes));
      continue;
    }
    std::string names;
    for (const FramePart* part : row.parts)
      names += (names.empty() ? "" : ", ") + (quotes.open + part->name + quotes.close);
    largest.push_back("a slot of " + std::to_string(row.bytes) + " bytes shared by " + names);
  }
  return largest;
}

}  // namespace kstack
