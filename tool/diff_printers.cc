// The outputs of `kstack diff`: text in bloat-o-meter's shape, and Markdown
// for a pull-request comment. Both print, for each of the three tables, the
// summary line
//
//   add/remove: 1/0 grow/shrink: 2/1 up/down: 312/-16 (296)
//
// (and "now incomplete/complete: 1/0" when bounds changed kind), then one
// row per key: name, old, new, delta, file, and a note when the bound became
// or stopped being a lower bound. A missing side is "-", a lower bound
// ">= 616".
#include <algorithm>
#include <string>
#include <vector>

#include "diff.h"
#include "report_printers.h"
#include "text_table.h"

namespace kstack {
namespace {

struct TableTitle {
  const char* title;
  const char* key_header;  // "entry" or "function"
};

constexpr TableTitle kEntriesTitle = {"Worst-case depth of entry points", "entry"};
constexpr TableTitle kFramesTitle = {"Function frames", "function"};
constexpr TableTitle kDepthsTitle = {"Worst-case depth of functions", "function"};

std::string value_text(const std::optional<Bytes>& value) {
  return value ? describe_bytes(value->bytes, value->complete) : "-";
}

std::string signed_text(std::int64_t delta) {
  return delta > 0 ? "+" + std::to_string(delta) : std::to_string(delta);
}

std::string note_text(const DiffRow& row) {
  if (!row.completeness_changed()) return "";
  return row.new_value->complete ? "now complete" : "now incomplete";
}

std::string summary_text(const DiffCounts& c) {
  // Python's "%s/%s" of (up, -down) prints "0" for no bytes down, as bloat-o-meter does.
  return "add/remove: " + std::to_string(c.added) + "/" + std::to_string(c.removed) +
         " grow/shrink: " + std::to_string(c.grown) + "/" + std::to_string(c.shrunk) +
         " up/down: " + std::to_string(c.up) + "/" +
         signed_text(-static_cast<std::int64_t>(c.down)) + " (" + std::to_string(c.net()) + ")";
}

std::string bounds_text(const DiffCounts& c) {
  return "now incomplete/complete: " + std::to_string(c.now_incomplete) + "/" +
         std::to_string(c.now_complete);
}

std::string extreme_text(const std::optional<Bytes>& max, const std::string& function) {
  return max ? describe_bytes(max->bytes, max->complete) + " (" + function + ")" : "-";
}

std::size_t shown_rows(const DiffTable& table, const DiffPrintOptions& options) {
  return options.top == 0 ? table.rows.size() : std::min(options.top, table.rows.size());
}

void print_text_table(std::ostream& out, const TableTitle& title, const DiffTable& table,
                      const DiffPrintOptions& options) {
  out << '\n' << title.title << ":\n" << summary_text(table.counts) << '\n';
  if (table.counts.now_incomplete || table.counts.now_complete)
    out << bounds_text(table.counts) << '\n';
  if (table.rows.empty()) return;
  TextTable rows({title.key_header, "old", "new", "delta", "file", ""},
                 {false, true, true, true, false, false});
  const std::size_t shown = shown_rows(table, options);
  for (std::size_t i = 0; i < shown; ++i) {
    const DiffRow& row = table.rows[i];
    rows.add({row.function, value_text(row.old_value), value_text(row.new_value),
              signed_text(row.delta()), row.file, note_text(row)});
  }
  rows.print(out);
  if (shown < table.rows.size())
    out << "... " << table.rows.size() - shown << " more (--top=0 shows all)\n";
}

// `text` as a Markdown code span that survives a table cell: a fence longer
// than any run of backticks inside, '|' escaped, control characters shown as
// '?' so that a row stays one line.
std::string markdown_code(const std::string& text) {
  std::size_t longest = 0, run = 0;
  std::string body;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (c == '|')
      body += "\\|";
    else if (static_cast<unsigned char>(c) < 0x20)
      body += '?';
    else
      body += c;
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

void print_markdown_table(std::ostream& out, const TableTitle& title, const DiffTable& table,
                          const DiffPrintOptions& options, bool folded) {
  const std::string summary = summary_text(table.counts);
  if (table.rows.empty()) {
    out << "\n**" << title.title << "**: " << summary << "\n";
    return;
  }
  if (folded)
    out << "\n<details><summary><b>" << title.title << "</b>: " << summary << "</summary>\n";
  else
    out << "\n**" << title.title << "**: " << summary << "\n";
  if (table.counts.now_incomplete || table.counts.now_complete)
    out << "\n" << bounds_text(table.counts) << "\n";
  const std::size_t shown = shown_rows(table, options);
  const bool notes = std::any_of(table.rows.begin(), table.rows.begin() + shown,
                                 [](const DiffRow& row) { return row.completeness_changed(); });
  out << "\n| " << title.key_header << " | old | new | delta | file |" << (notes ? " |" : "")
      << "\n|---|--:|--:|--:|---|" << (notes ? "---|" : "") << "\n";
  for (std::size_t i = 0; i < shown; ++i) {
    const DiffRow& row = table.rows[i];
    out << "| " << markdown_code(row.function) << " | " << value_text(row.old_value) << " | "
        << value_text(row.new_value) << " | " << signed_text(row.delta()) << " | "
        << (row.file.empty() ? "" : markdown_code(row.file)) << " |";
    if (notes) out << ' ' << note_text(row) << " |";
    out << '\n';
  }
  if (shown < table.rows.size())
    out << "\n" << table.rows.size() - shown << " more rows not shown.\n";
  if (folded) out << "\n</details>\n";
}

}  // namespace

void print_diff_text(std::ostream& out, const ReportDiff& diff, const DiffPrintOptions& options) {
  out << "kstack diff: " << diff.entries.old_keys << " -> " << diff.entries.new_keys
      << " entry points, " << diff.frames.old_keys << " -> " << diff.frames.new_keys
      << " functions\n";
  out << "deepest entry: " << extreme_text(diff.entries.old_max, diff.entries.old_max_function)
      << " -> " << extreme_text(diff.entries.new_max, diff.entries.new_max_function) << ", "
      << signed_text(diff.entries.max_delta()) << '\n';
  out << "frames in total: " << diff.frames.old_total << " -> " << diff.frames.new_total << ", "
      << signed_text(diff.frames.total_delta()) << '\n';
  print_text_table(out, kEntriesTitle, diff.entries, options);
  print_text_table(out, kFramesTitle, diff.frames, options);
  print_text_table(out, kDepthsTitle, diff.depths, options);
}

void print_diff_markdown(std::ostream& out, const ReportDiff& diff,
                         const DiffPrintOptions& options) {
  out << "### kstack diff\n\n"
      << "| | old | new | delta |\n"
      << "|---|--:|--:|--:|\n"
      << "| entry points | " << diff.entries.old_keys << " | " << diff.entries.new_keys << " | "
      << signed_text(diff.entries.keys_delta()) << " |\n"
      << "| functions | " << diff.frames.old_keys << " | " << diff.frames.new_keys << " | "
      << signed_text(diff.frames.keys_delta()) << " |\n"
      << "| deepest entry | "
      << (diff.entries.old_max ? value_text(diff.entries.old_max) + " " +
                                     markdown_code(diff.entries.old_max_function)
                               : "-")
      << " | "
      << (diff.entries.new_max ? value_text(diff.entries.new_max) + " " +
                                     markdown_code(diff.entries.new_max_function)
                               : "-")
      << " | " << signed_text(diff.entries.max_delta()) << " |\n"
      << "| frames in total | " << diff.frames.old_total << " | " << diff.frames.new_total << " | "
      << signed_text(diff.frames.total_delta()) << " |\n";
  print_markdown_table(out, kEntriesTitle, diff.entries, options, false);
  print_markdown_table(out, kFramesTitle, diff.frames, options, true);
  print_markdown_table(out, kDepthsTitle, diff.depths, options, true);
}

}  // namespace kstack
