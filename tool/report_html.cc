// The HTML report (`kstack report --format=html`): one self-contained page
// that any browser opens with no network: the entries by worst-case depth
// with budget bars, the worst path of the chosen entry as an icicle (width
// is bytes) and as a table of steps linked to their sources, search by
// function or file, the largest frames and the symbols with no record.
//
// The page is a template with its style and script (tool/html/, compiled in
// by cmake/embed_text.cmake) and the report's data, embedded as compact JSON
// in a <script type="application/json"> element; the script draws the page
// from it. Only what the page shows is embedded: each entry with its worst
// path, and each function a path or a table names, once, with source files
// interned. A kernel's page therefore stays small (x86_64_defconfig: 1,500
// entries, about 1 MB, next to the 58 MB JSON report), and drawing it is
// one pass over the entries.
//
// The data (version 1) is the page's own, not an interface: tools read
// `--format=json`. Its layout, which tool/html/page.js reads:
//
//   {"version": 1, "title", "producer", "link": TEMPLATE or null,
//    "summary": {"units", "functions", "calls", "entries", "over_budget",
//                "incomplete", "accepted", "failing"},
//    "files": [PATH...],
//    "functions": [[NAME, FILE, LINE, FRAME, DEPTH, COMPLETE, ASSUMED]...],
//    "entries": [{"f", "depth", "complete", "budget", "budget_from",
//                 "status", "fails", "accepted", "reasons", "more_reasons",
//                 "path": [[F, FRAME, RED_ZONE, STACK, FILE, LINE, HOW,
//                           NOTE, RECURSION]...]}...],
//    "frames": [F...], "unknowns": [[SYMBOL, CALL_SITES, F]...]}
//
// F is an index into "functions", FILE one into "files" (-1: none); a path
// step's FILE and LINE are where it was called from, HOW is how (a tail
// call, which indirect site), NOTE its red zone, recursion bound and
// largest frame parts (an explained unit's), and
// RECURSION the bytes of the other activations of a bounded recursive
// component that starts at the step (the next step's stack counts them).
#include <sstream>
#include <string>
#include <unordered_map>

#include "html/assets.h"
#include "json_writer.h"
#include "report_printers.h"

namespace kstack {
namespace {

constexpr std::uint64_t kPageDataVersion = 1;
constexpr std::size_t kLargestFrames = 100;   // rows of the largest-frames table
constexpr std::size_t kUnknownCallees = 100;  // rows of the no-record table

// Gives each function and source file the page names one index, in order of
// first use.
class Interner {
 public:
  explicit Interner(const Report& report) : report_(report) {}

  std::int64_t file(const std::string& path) {
    if (path.empty()) return -1;
    auto [it, added] = files_.try_emplace(path, file_order_.size());
    if (added) file_order_.push_back(&it->first);
    return static_cast<std::int64_t>(it->second);
  }

  std::uint64_t function(std::uint32_t node) {
    auto [it, added] = nodes_.try_emplace(node, functions_.size());
    if (added) {
      const Function& f = report_.function(node);
      const Depth& d = report_.depth_of(node);
      functions_.push_back(
          {f.name, file(f.file), f.line, f.frame_size, d.bytes, d.complete, false});
    }
    return it->second;
  }

  // A step of assumed depth: its symbol, and the annotation as its source.
  std::uint64_t function(const PathStep& step) {
    if (step.node != kNoFunction) return function(step.node);
    auto [it, added] = assumed_.try_emplace(step.symbol, functions_.size());
    if (added) {
      const Source& source = step.assumed->source;
      functions_.push_back(
          {step.symbol, file(source.file), source.line, step.frame, step.frame, true, true});
    }
    return it->second;
  }

  void write(JsonWriter& json) const {
    json.key("files");
    json.begin_array();
    for (const std::string* path : file_order_) json.value(std::string_view(*path));
    json.end_array();
    json.key("functions");
    json.begin_array();
    for (const Row& row : functions_) {
      json.begin_array();
      json.value(std::string_view(row.name));
      json.value(row.file);
      json.value(row.line);
      json.value(row.frame);
      json.value(row.depth);
      json.value(row.complete);
      json.value(row.assumed);
      json.end_array();
    }
    json.end_array();
  }

 private:
  struct Row {
    std::string name;
    std::int64_t file;
    std::uint32_t line;
    std::uint64_t frame;
    std::uint64_t depth;
    bool complete;
    bool assumed;
  };

  const Report& report_;
  std::unordered_map<std::string, std::size_t> files_;
  std::vector<const std::string*> file_order_;
  std::unordered_map<std::uint32_t, std::size_t> nodes_;
  std::unordered_map<std::string, std::size_t> assumed_;
  std::vector<Row> functions_;
};

std::string source_text(const Source& source) {
  if (source.file.empty()) return "the command line";
  return source.file + ":" + std::to_string(source.line);
}

void write_step(JsonWriter& json, Interner& names, const Report& report, const PathStep& step) {
  json.begin_array();
  json.value(names.function(step));
  json.value(step.frame);
  json.value(step.red_zone);
  json.value(step.stack());
  json.value(step.call ? names.file(step.call->file) : std::int64_t{-1});
  json.value(step.call ? step.call->line : 0u);
  if (!step.call && !step.assumed && step.before != 0)
    json.value("inside the cycle");
  else
    json.value(describe_step_call(step));
  std::string note;
  if (step.red_zone) note = describe_red_zone(step);
  if (step.recursion) note += (note.empty() ? "" : "; ") + describe_recursion(step);
  if (const std::string frame = describe_step_frame(report, step); !frame.empty())
    note += (note.empty() ? "" : "; ") + frame;
  json.value(std::string_view(note));
  json.value(step.recursion ? other_activations_bytes(step.recursion->bound->activations,
                                                      step.recursion->max_frame)
                            : std::uint64_t{0});
  json.end_array();
}

void write_entry(JsonWriter& json, Interner& names, const Report& report,
                 const EntryReport& entry) {
  const Depth& d = report.depth_of(entry.node);
  json.begin_object();
  json.field("f", names.function(entry.node));
  json.field("depth", d.bytes);
  json.field("complete", d.complete);
  json.key("budget");
  json.value_or_null(entry.budget);
  json.key("budget_from");
  json.value_or_null(entry.budget_source ? std::optional(source_text(entry.budget_source->source))
                                         : std::nullopt);
  json.field("status", entry_status_name(entry.status));
  json.field("fails", entry.fails());
  json.key("accepted");
  json.value_or_null(entry.accepted ? std::optional(entry.accepted->reason + " (" +
                                                    source_text(entry.accepted->source) + ")")
                                    : std::nullopt);
  json.key("reasons");
  json.begin_array();
  for (std::uint32_t r : d.reasons) json.value(describe_reason(report, report.depth().reasons[r]));
  json.end_array();
  json.field("more_reasons", d.more_reasons);
  json.key("path");
  json.begin_array();
  for (const PathStep& step : report.worst_path_steps(entry.node))
    write_step(json, names, report, step);
  json.end_array();
  json.end_object();
}

void write_summary(JsonWriter& json, const Report& report) {
  const Report::EntryCounts counts = report.entry_counts();
  json.key("summary");
  json.begin_object();
  json.field("units", static_cast<std::uint64_t>(report.unit_count()));
  json.field("functions", static_cast<std::uint64_t>(report.symbols().size()));
  json.field("calls", static_cast<std::uint64_t>(report.call_count()));
  json.field("entries", static_cast<std::uint64_t>(report.entries().size()));
  json.field("over_budget", counts.over_budget);
  json.field("incomplete", counts.incomplete);
  json.field("accepted", counts.accepted);
  json.field("failing", static_cast<std::uint64_t>(report.failing_entries()));
  json.end_object();
}

void write_data(std::ostream& out, const Report& report, const ReportPrintOptions& options) {
  JsonWriter json(out, JsonWriter::Layout::kCompact);
  Interner names(report);
  json.begin_object();
  json.field("version", kPageDataVersion);
  json.field("title", std::string_view(options.title));
  json.field("producer", std::string_view(options.producer));
  json.key("link");
  json.string_or_null(options.source_link);
  write_summary(json, report);
  json.key("entries");
  json.begin_array();
  for (const EntryReport& entry : report.entries()) write_entry(json, names, report, entry);
  json.end_array();
  json.key("frames");
  json.begin_array();
  for (std::uint32_t node : report.by_frame(kLargestFrames)) json.value(names.function(node));
  json.end_array();
  json.key("unknowns");
  json.begin_array();
  const auto& unknowns = report.unknown_callees();
  for (std::size_t i = 0; i < unknowns.size() && i < kUnknownCallees; ++i) {
    json.begin_array();
    json.value(std::string_view(unknowns[i].symbol));
    json.value(unknowns[i].call_sites);
    json.value(names.function(unknowns[i].first_caller));
    json.end_array();
  }
  json.end_array();
  names.write(json);
  json.end_object();
}

std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// JSON inside a <script> element ends at the first "</script": '<' occurs
// only inside JSON strings, where \u003c means the same character.
void write_script_json(std::ostream& out, const std::string& json) {
  std::size_t from = 0;
  for (std::size_t at; (at = json.find('<', from)) != std::string::npos; from = at + 1)
    out.write(json.data() + from, at - from) << "\\u003c";
  out.write(json.data() + from, json.size() - from);
}

}  // namespace

void print_report_html(std::ostream& out, const Report& report, const ReportPrintOptions& options) {
  std::ostringstream data;
  write_data(data, report, options);
  const std::string_view page = html_assets::kPage;
  std::size_t from = 0;
  for (std::size_t at; (at = page.find('@', from)) != std::string_view::npos;) {
    const std::size_t end = page.find('@', at + 1);
    if (end == std::string_view::npos) break;
    const std::string_view marker = page.substr(at + 1, end - at - 1);
    out << page.substr(from, at - from);
    if (marker == "TITLE")
      out << html_escape(options.title);
    else if (marker == "PRODUCER")
      out << html_escape(options.producer);
    else if (marker == "STYLE")
      out << html_assets::kStyle;
    else if (marker == "SCRIPT")
      out << html_assets::kScript;
    else if (marker == "DATA")
      write_script_json(out, data.str());
    else {
      out << '@';  // not a marker: copy the '@' and go on after it
      from = at + 1;
      continue;
    }
    from = end + 1;
  }
  out << page.substr(from);
}

}  // namespace kstack
